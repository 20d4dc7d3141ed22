"""Sentence-level evidence: which article sentences answer a question, and whether any does.

The knowledge base "answers" a question only when one sentence carries the question's
specific ask, not merely its topic. Three checks, all on single sentences:

1. **Focus.** The question's focus terms are its content words minus the words every
   VixShield question shares (VIX, hedge, condor, methodology...; see ``GENERIC``). A
   glossary term the question names counts as one unit. A sentence covers a focus term
   when it states it *outside* the name of another glossary term ("earnings" inside
   "Price-to-Earnings Ratio" is not about earnings). Coverage is the IDF-weighted share
   of focus terms a sentence covers (IDF over the article sentences, so a word no article
   uses weighs most).
2. **Answer type.** "how many / what percent / at what DTE" needs a figure, "which ETFs /
   indicators" needs names, "why" a causal sentence (``ANSWER_TYPES``).
3. **Similarity.** The sentence's cosine to the question.

A sentence is evidence when its coverage reaches ``MIN_COVERAGE``, its cosine
``MIN_COSINE`` and it has the answer type; thresholds are tuned on
tests/data/coverage-questions.jsonl by scripts/tune_coverage.py (docs/evaluation.md).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from dataclasses import dataclass, field

import numpy as np

from assistant.compose import _BOILERPLATE, _STOP, clean_sentence
from assistant.glossary import words as glossary_words
from assistant.message import split_sentences

MIN_COVERAGE = 0.6  # with MIN_COSINE
MIN_COSINE = 0.25
MIN_COVERAGE_ALONE = 0.3  # with MIN_COSINE_HIGH: a very close sentence may word the ask differently
MIN_COSINE_HIGH = 0.5
GLOSSARY_PENALTY = 0.05
COVERAGE_WEIGHT = 0.7  # sentence score = cosine + COVERAGE_WEIGHT x coverage (swept 0.3-1.0 on the chat cases: docs/evaluation.md)
UNSEEN_PLAIN_WORD = 0.5
INSIDE_OTHER_TERM = 0.25
EXPLAIN_COSINE = 0.55  # an explanation question's evidence by similarity alone (swept 0.5-0.6 on the chat cases, coverage set, h7-h11)
# "why can't I just...?", "how does the hedge protect...?", "what happens to a condor when...?": asks for an explanation
EXPLAINING = re.compile(
    r"^(?:why\b|how (?!many|much|long|often|far|big|large|wide|soon)\w+|what (?:actually |really |exactly )?(?:happens|goes wrong)\b|"
    r"what(?:'s| is) the (?:actual |real |main |big |biggest )?(?:danger|risk|problem|downside|catch|issue)s? (?:of|with|in)\b)"
)


def explaining(question: str) -> bool:
    """Whether the question, or one of its sentences ("I hold NFTs. Why wouldn't VIX calls protect me?"), asks for an explanation."""
    return any(EXPLAINING.search(part.lower()) for part in split_sentences(question))


TOPIC_CREDIT = 0.5  # credit for a focus word found only inside another glossary term's name

_SUFFIXES = ("ings", "ing", "ions", "ion", "edly", "ies", "ed", "es", "ly", "ity", "s", "e")
_WORD = re.compile(r"[a-z0-9]+")


_UNSTEMMED = {"earnings": "earnings"}  # company earnings are not "earn"


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Suffix stripping, then the first six letters: allocate/allocating/allocation -> 'alloca'."""
    if word in _UNSTEMMED:
        return _UNSTEMMED[word]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    return word[:6]


_MORE_STOP = set(
    "during comes come get got gets really also just still ever even any some all s have has had having against around "
    "him his her hers she he me my mine our ours your yours u ur im ive i'm i've through thru like lol "
    "up down off ppl smth sth something anything else stuff etc whether isnt dont doesnt cant wont arent wasnt werent didnt shouldnt wouldnt couldnt hasnt havent thats whats "
    "together within onto upon over under across toward towards via per "
    "ok okay so pls plz please thx thanks hey hi hello yo btw tbh imo ya yeah yep um hmm uh basically literally "
    "mechanically each every anyway anyways kinda sorta guys folks enough if very really quite pretty roughly supposed "
    "wouldn isn doesn don aren wasn weren didn shouldn couldn hasn haven ain am re ll ve away itself themselves "
    "no not once whole wat wht wut afterwards afterward thereafter never because".split()
)


def _compiled(table: list[tuple[str, str]]) -> list[tuple[re.Pattern, str]]:
    return [(re.compile(pattern), replacement) for pattern, replacement in table]


# Idioms and slang read as the words the articles use.
REWRITES = _compiled(
    [
        (r"\bset[- ]and[- ]forget\b|\b(?:(?:buy|buys|buying|bought|put on|set up)(?: it| them)? )?(?:once )?and forget(?:ting)?(?: about)?(?: it)?\b", "static one-time"),
        (r"\b(?:\d+(?:\.\d+)?x|\w+ times) (?:bigger|larger)\b", "oversized"),
        (r"\bc(?:o|a)me?s? up (?:so |too |way )?short\b|\bfall(?:s|ing)? short\b", "fails"),
        (r"\bbaby-?sit\w*", "adjust monitor"),
        (r"\b(?:never|doesn't|does not|won't|will not) (?:sits?|stays?|stands?) still\b|\bwander(?:s|ed|ing)? (?:around|off)\b", "moves"),
        (r"\bthing of value\b|\bthe (?:real |true )?value\b(?= (?:in|of) (?:an? |the )?(?:spx )?(?:iron )?condor)", "asset"),
        (r"\bone (?:big |large |single )?(?:chunk|block|lump|bet|shot)\b", "single hedge"),
        (r"\b(?:a )?bunch of\b|\bgoing to\b|\bgonna\b|\bhits?\b", " "),
        (r"\bbags?\b|\bbaskets?\b", "book"),
        (r"\bsized (?=(?:so |way |much |a lot |far )*(?:bigger|larger)\b)", " "),
        (r"\bw/o\b", "without"),
        (r"\b(?:the )?whole time\b|\ball the time\b|\bshift(?:s|ing)? around\b", " "),
        (r"\bas an? (?:share|percentage|fraction|proportion|percent|slice) of\b", " of "),
        (r"\b(?:layered|spread(?: out)?|staggered) (?:across|over) time\b", "layered expirations"),
        (r"\bplain (?:vanilla )?(?=(?:iron )?condors?\b)", "without hedge "),
        (r"\bover the (?:life|course|duration|lifetime) of the (?:trade|position)\b", " "),
        (r"\b(?:go|goes|going|went|gone) south\b", "losses"),
        (r"\bblow[- ]ups?\b", "blowup"),
        (r"\bvols?\b", "volatility"),
        (r"\bon top of\b|\brelative to\b|\bcompared to\b", " "),
        (r"\bkeep(?:s|ing)? (?:an eye|tabs) on\b|\bwatch(?:es|ing)? out for\b", "monitor"),
        (r"\bkick(?:s|ed|ing)? in\b", "activate"),
        (r"\bleav(?:e|ing) (?:it|them|the \w+) (?:alone|there|be)\b|\bhands[- ]off\b", "static one-time"),
        (r"\bun-?hedged\b|\bnaked\b", "without hedge"),
        (r"\b(?:explodes?|exploded|exploding|blows? out|blew out|blowing out|rips?(?: higher)?|ripped|ripping)\b", "expands spikes"),
        (r"\b(?:sized|scaled) up\b|\bupsized?\b", "oversized"),
        (r"\b(?:bigger|larger) than (?:the |what )?(?:\w+ )?(?:it|they|it's|they're|its|their)? ?(?:is |are )?(?:cover|protect|hedg)\w*", "oversized"),
        (r"\b(?:bigger|larger) than (?:the |your |my |its |their )?(?:exposure|position|book|bag|portfolio|underlying|thing)s?(?: (?:itself|themselves|it covers|it protects))?\b", "oversized"),
        (r"\b(?:with )?no (?=(?:vix |volatility |vol |\w+ )?(?:hedge|hedges|protection|overlay|insurance|alvh)\b)", "without "),
        (r"\b(?:get|gets|getting|got) (?:wrecked|crushed|destroyed|killed|hammered|smoked|rekt|blown up)\b|\brekt\b|\bhurts?\b", "rapid losses"),
        (r"\badd(?:s|ing)? (?:real )?value\b", "creates value"),
        (r"\blayered (?:vix )?hedg(?:e|es|ing)\b", "alvh"),
        (r"\bta\b", "technical"),
        (r"\bhedge (?:size|sizing)\b", "hedge ratio"),
        (r"\b(?:all )?at once\b", "simultaneously"),
        (r"\btak(?:e|es|ing|en) (?:the |your |my |a |that |this )?(?:\w+ )?(?:hedges? |positions? |layers? |it |them )?off\b", "exit remove"),
        (r"\bset(?:s|ting)? (?:it |them |\w+ )?up\b|\b(?:at|on) entry\b|\bon day one\b|\b(?:at|from) the start\b|\bstart(?:s|ed)? (?:out|off)\b", "initial setup"),
    ]
)


# Two words that name one thing: "stop loss" is not covered by a sentence that says "loss".
PHRASES = _compiled(
    [
        (r"\bstop[- ]?loss(?:es)?\b|\bstops?\b(?= (?:out|at|level))", "stoploss"),
        (r"\bprofit[- ]targets?\b|\btak(?:e|es|ing) (?:the )?profits?\b|\bprofit[- ]taking\b", "profittarget"),
        (r"\bwin(?:ning)?[- ]rates?\b", "winrate"),
        (r"\bstress[- ]?test\w*", "stresstest"),
        (r"\bmax(?:imum)? (?:profit|gain)\b", "maxprofit"),
        (r"\bmax(?:imum)? loss\b", "maxloss"),
    ]
)


_PHRASE_WORDS = {joined for _, joined in PHRASES}


def content_words(text: str) -> set[str]:
    low = text.lower()
    for pattern, words in REWRITES:
        low = pattern.sub(f" {words} ", low)
    for pattern, joined in PHRASES:
        low = pattern.sub(f" {joined} ", low)
    return {
        w if w in _PHRASE_WORDS else stem(w)
        for w in _WORD.findall(low)
        if w not in _STOP and w not in _MORE_STOP and len(w) > 1
    }


# Words a question about VixShield shares with every article: they name the topic, not the ask.
GENERIC = {
    stem(w)
    for w in (
        "vixshield methodology method russell clark spx mastery book article articles author vix alvh hedge hedges "
        "hedging hedged iron condor condors option options trade trades trading trader traders strategy strategies "
        "approach framework concept idea system rule rules guideline guidelines policy process way work works "
        "handle handles handled deal manage apply applies say says said recommend recommends suggest suggests "
        "according teach teaches taught talk talks describe describes mean meaning actually exactly specifically "
        "typically usually generally normally kind type sort thing things part place placed put puts position "
        "positions portfolio portfolios go get gets take takes make makes need needs want give gives call called "
        "anyone someone people one there here much many often long far big large number amount level best good "
        "right proper correct standard specific exact precise details detail example examples instance "
        "should would could might must shall may vs versus different difference compare comparison between both "
        "name named names naming list listed mention mentioned mentions consist consists include includes involve "
        "involves contain contains made use uses used using technical main key primary important common happen happens think matter matters "
        "decide decides deciding determine determines keep keeps stay stays go goes went gone watch watches look looks "
        "piece post posts blog ticker tickers symbol symbols run runs running show shows showing shown appear appears "
        "customer customers client clients subscriber subscribers support question questions read understand consider considered "
        "tend tends meant supposed know knows wonder wondering check checked name-checked namecheck cited set sets setting done kept "
        "tell tells telling told hear hears heard hold holds holding market markets frame frames framed framing find finds found"
    ).split()
}

# Words that make a question about trading options or hedging, whatever the articles cover:
# such a question is in the knowledge base's domain, so a miss is "not covered", not "out of scope".
DOMAIN = {
    stem(w)
    for w in (
        "vixshield alvh vix spx spy condor condors option options strike strikes delta gamma theta vega dte expiry "
        "expiration roll rolling credit debit spread spreads premium wing wings put puts call calls hedge hedges hedging "
        "volatility iv implied profit stop loss contracts contract position sizing layer layers russell clark mastery "
        "iron theta earnings assignment adjustment adjust tested breakeven backtest backtests backtesting signal signals"
    ).split()
}

# Market and trading words beyond DOMAIN: when no article uses one, a question that asks about it
# is asking something the articles don't state, so it keeps its full weight (see SentenceTable.weight).
TRADING_WORDS = DOMAIN | {
    stem(w)
    for w in (
        "account accounts capital margin leverage commission commissions fee fees slippage fill fills liquidity bid ask "
        "return returns yield drawdown drawdowns performance sharpe win winning losing loser winner risk reward "
        "weekly weeklies monthly monthlies daily quarterly intraday overnight expirations expiries cycle cycles "
        "lag lags lagged entry entries exit exits target targets trigger triggers threshold thresholds allocation "
        "percent percentage ratio ratios size sizes budget cost costs price prices pricing tax taxes broker brokers "
        "futures etf etfs ticker tickers index indexes indices stock stocks share shares equity equities bond bonds "
        "dividend dividends rate rates fed fomc cpi event events news earnings skew smile term structure contango "
        "backwardation straddle strangle butterfly calendar diagonal collar naked covered assignment exercise "
        "otm itm atm moneyness probability pop"
    ).split()
}


def in_domain(question: str) -> bool:
    return bool(content_words(question) & DOMAIN)

# A focus word is also covered by these words (stems), e.g. "indicators" by "signals".
SYNONYMS = {
    stem(word): {stem(s) for s in others.split()}
    for word, others in {
        "indicator": "signal signals",
        "signal": "indicator indicators",
        "etf": "etp etps fund funds",
        "etp": "etf etfs",
        "change": "adjust adjusting shift",
        "drawdown": "drawdowns decline declines loss losses",
        "protect": "protection mitigate offset",
        "tenor": "expiration expirations maturity maturities",
        "maturity": "expiration expirations",
        "trigger": "activate activates activation",
        "build": "design designed construct constructing construction deploy deploys",
        "built": "design designed constructed",
        "remove": "eliminate eliminates",
        "measure": "evaluate quantify",
        "tighten": "adjust adjusting",
        "loosen": "adjust adjusting",
        "blowup": "collapse contagion crash shock crisis",
        "blowups": "collapse contagion crash shock crisis",
        "judge": "evaluate assess measure",
        "assess": "evaluate",
        "activate": "trigger triggers",
        "test": "backtest backtests simulation simulations",
        "expiration": "maturity maturities",
        "bigger": "larger oversized oversize",
        "larger": "bigger oversized oversize",
        "several": "multiple",
        "expand": "expansion expansions",
        "expansion": "expand expands expanding",
        "fixed": "static rigid",
        "shift": "adjust moving",
        "real": "true",
        "true": "real",
        "catch": "capture captures",
        "tweak": "adjust adjusting adjustment",
        "oscillator": "indicator indicators signal signals",
        "chart": "indicator indicators signal signals",
        "instead": "rather",
        "chunk": "increment increments tranche tranches portion",
        "economic": "macroeconomic macro",
        "tilt": "adjust moving shift",
        "push": "adjust moving shift",
        "pushed": "adjust moving shift",
        "tilted": "adjust moving shift",
    }.items()
}

_NUMBER_WORDS = r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|twice|half|double|triple)\b"


@dataclass(frozen=True)
class AnswerType:
    name: str
    asks: re.Pattern  # on the lower-cased question
    carries: re.Pattern  # on the sentence as written
    missing: str  # "don't give {missing}" in a decline
    required: bool = True  # False: a sentence that carries it is preferred, one that doesn't may still answer


ANSWER_TYPES = [
    AnswerType(
        "figure",
        re.compile(
            r"\bhow (?:many|much|long|often|far|big|large|wide|soon)\b|\bwhat (?:percent(?:age)?|size|level|ratio|threshold|"
            r"delta|dte|number|amount|price|value|target|multiple|allocation|win rate)s?\b|\bat what\b|"
            r"\bwhat (?:\w+ ){0,2}(?:level|percent(?:age)?|threshold|ratio|delta|number|figure|width|distance|reading|trigger)s?\b|"
            r"\bwhich (?:\w+ ){0,2}(?:delta|dte|level|strike|reading|value|threshold|number)s?\b|\bby what\b|\bwhat range\b|"
            r"\bwhat \w+ (?:delta|dte|percentage)\b|\bput (?:a |any )?(?:number|figure)s? on\b"
        ),
        re.compile(rf"\d|{_NUMBER_WORDS}|\bpercent\b", re.I),
        "a figure for it",
    ),
    AnswerType(
        "names",
        re.compile(r"\b(?:which|what)(?: \w+)? (?:etfs?|etps?|tickers?|indicators?|instruments?|products?|funds?|platforms?|signals?|tools?|metrics?|releases?|reports?|oscillators?|charts?)\b"),
        re.compile(r"\b[A-Z][A-Z0-9/&-]{1,}\b"),
        "the names",
    ),
    AnswerType(
        "time",
        # "when do you roll?", not "when you build the hedge, what goes in the first layer?"
        re.compile(r"^when\s+(?:do|does|did|is|are|was|were|should|would|will|can|could|must|to|exactly)\b|^when\W*$|\bwhat (?:time|day|date|expirations?|maturit(?:y|ies)|tenors?)\b|\b(?:at )?which (?:expirations?|maturit(?:y|ies)|tenors?)\b"),
        re.compile(r"\d|\bday|\bweek|\bmonth|\bexpir|\bbefore\b|\bafter\b|\bduring\b|\bwhen\b", re.I),
        "a time for it",
    ),
    AnswerType(
        "reason",
        re.compile(r"^why\b|\bwhat(?:'s| is) the (?:reason|point|purpose)\b"),
        re.compile(
            r"\bbecause\b|\bsince\b|\bso that\b|\btherefore\b|\bdue to\b|\bas a result\b|\bmeaning\b|\bwhich means\b|"
            r"\bcreat\w*|\blead\w*\b|\bcaus\w*|\bgoal\b|\bensur|\bas (?:it|they)\b|"
            r"\bto (?:mitigate|capture|reduce|protect|avoid|achieve|create|mirror|match|offset|limit|balance|prevent)\b",
            re.I,
        ),
        "a reason for it",
        required=False,  # an explanation need not say "because"
    ),
]


# Subjects beyond SPX and VIX that some articles compare the ALVH with (NFTs, DeFi): a sentence about
# one does not answer a question that names none of them.
FOREIGN_SUBJECTS = {
    "nft", "defi", "smart-contract", "wrapped-token", "depeg", "ico", "ido", "dex", "amm", "liquidity-pool", "dao", "mev",
    "multi-sig", "front-running", "floor-price", "gas-fees", "perpetual-futures", "on-chain", "royalty", "liquidity-shock",
}
FOREIGN_WORDS = {stem(w) for w in "nft nfts jpeg jpegs crypto cryptos token tokens blockchain collector collectors collection".split()}
FOREIGN_PENALTY = 0.05


def foreign(terms: frozenset[str] | set[str], words: frozenset[str] | set[str]) -> bool:
    return bool(terms & FOREIGN_SUBJECTS or words & FOREIGN_WORDS)


TOPIC_NAMES = {"vix", "spx", "alvh", "s&p", "vixshield"}  # the knowledge base's subject, never the names asked for


# Figures offered as guesses are not part of the ask: "at what VIX level? 18? 20?".
GUESSES = re.compile(r"(?<=[?!.])\s*(?:like\s+|maybe\s+|or\s+)?\d+(?:\.\d+)?\s*%?\s*\?")


# A day count asked about the condors themselves, not the hedge.
CONDOR_TIMING = re.compile(r"\bcondors?\b.*\b(?:days?|dte|expir\w*)\b|\b(?:days?|dte|expir\w*)\b.*\bcondors?\b")
HEDGE_WORDS = re.compile(r"\bhedg\w*|\bvix\b|\blayers?\b|\balvh\b")


# Numbers that are names or dates, not figures: "S&P 500", "NFT-50", "the 2022 bear market".
NOT_FIGURES = re.compile(r"\bS&P\s*500\b|\b[A-Za-z]+-\d+\b|\b(?:19|20)\d\d\b")


# A figure asked in a unit must come in that unit: "how many days" is not answered by "0.35".
FIGURE_UNITS = [
    (re.compile(r"%|\bpercent"), re.compile(r"\d\s*%|\bpercent", re.I)),
    (re.compile(r"\bdays?\b|\bdte\b"), re.compile(r"\d+\s*-?\s*(?:and\s+\d+\s*-?\s*)?(?:calendar |trading )?days?\b|\d+-,", re.I)),
    (re.compile(r"\b(?:level|reading)\b(?!.*%|.*percent)"), re.compile(r"(?<![\w.-])\d+(?:\.\d+)?\b(?!\s*(?:%|-\s*\d|percent|x\b))", re.I)),
    (re.compile(r"\bdelta\b"), re.compile(r"\bdelta\b[^.]{0,30}(?:\d|zero)|(?:\d|zero)[^.]{0,20}\bdelta\b", re.I)),
]


def carries(kind: AnswerType | None, question: str, sentence: str) -> bool:
    """True when ``sentence`` holds the kind of answer the question asks for."""
    if kind is None:
        return True
    if not kind.carries.search(sentence):
        return False
    low = question.lower()
    if CONDOR_TIMING.search(low) and not HEDGE_WORDS.search(low) and not re.search(r"\bcondors?\b", sentence, re.I):
        return False  # "how many days out are the condors opened?" is not answered by the VIX hedge layers' 30/60/90 days
    if kind.name == "figure":
        if not kind.carries.search(NOT_FIGURES.sub(" ", sentence)):
            return False
        return all(says.search(sentence) for asks, says in FIGURE_UNITS if asks.search(low))
    if kind.name == "names":  # a name the question does not itself use ("which signals does the ALVH use?")
        asked = {w.lower() for w in re.findall(r"[A-Za-z0-9/&-]+", question)}
        asked |= {w[:-1] for w in asked if w.endswith("s")} | TOPIC_NAMES  # "ETFs" asks for names other than "ETF"
        new = [m for m in kind.carries.finditer(sentence) if m[0].lower() not in asked]
        if not new:
            return False
        noun = kind.asks.search(question.lower())[0].split()[-1]  # "etfs" of "which vol etfs"
        kinds = {stem(noun)} | SYNONYMS.get(stem(noun), set())
        clauses = [c for c in re.split(r"[,;:.](?:\s|$)", sentence) if any(stem(w) in kinds for w in _WORD.findall(c.lower()))]
        if clauses:  # the sentence names the kind asked: the names must be in its clause ("ETF layers (such as VIXY or UVXY)")
            return any(m[0] in c for m in new for c in clauses)
        return bool(new)
    return True


def answer_type(question: str) -> AnswerType | None:
    low = question.lower().strip()
    return next((t for t in ANSWER_TYPES if t.asks.search(low)), None)


# --- the question and the sentences as sets of terms --------------------------------------


def _split_terms(text: str, glossary) -> tuple[set[str], set[str]]:
    """(glossary term ids named, content-word stems outside those names)."""
    if glossary is None:
        return set(), content_words(text)
    tokens = glossary_words(text)
    named: set[str] = set()
    inside: set[int] = set()
    for term, start, n in glossary.mentions(text):
        named.add(term.id)
        inside.update(range(start, start + n))
    plain = " ".join(t for i, t in enumerate(tokens) if i not in inside)
    return named, content_words(plain)


@lru_cache(maxsize=4096)
def _one_word_names(glossary, term_id: str) -> frozenset[str]:
    """Stems of a term's one-word names ("SPY", "MEV"): a question writing the word in lower case
    names the term even where the glossary only matches it in capitals."""
    term = glossary.get(term_id)
    return frozenset(stem(n.lower()) for n in (term.names if term else ()) if re.fullmatch(r"[\w-]+", n))


@lru_cache(maxsize=4096)
def _term_stems(glossary, term_id: str) -> frozenset[str]:
    term = glossary.get(term_id)
    return frozenset(content_words(" ".join(term.names))) if term else frozenset()


# Head nouns too general to stand for their term: "ratio" is not a question about the P/E Ratio.
_WEAK_HEADS = {stem(w) for w in "ratio value rate price point index model option options spread spreads layer cap return returns risk".split()}


@lru_cache(maxsize=4096)
def _term_heads(glossary, term_id: str) -> frozenset[str]:
    """Stems of the last word of a term's names ("neutrality" of Delta Neutrality): a question saying
    "keep it neutral" asks about the term a sentence names."""
    term = glossary.get(term_id)
    heads = set()
    for name in term.names if term else ():
        plain = _WORD.findall(re.sub(r"\(.*?\)", " ", name.lower()))
        if len(plain) > 1:
            heads.add(stem(plain[-1]))
    return frozenset(heads - GENERIC - _WEAK_HEADS)


@dataclass(frozen=True)
class Focus:
    terms: frozenset[str]  # glossary term ids the question names that are specific (not GENERIC)
    words: frozenset[str]  # content-word stems outside term names, minus GENERIC
    numbers: frozenset[str]  # figures the question states ("50", "2")
    kind: AnswerType | None

    def units(self) -> list[str]:
        return sorted(self.words) + [f"term:{t}" for t in sorted(self.terms)] + [f"num:{n}" for n in sorted(self.numbers)]


def figures(text: str) -> frozenset[str]:
    """The figures a text states, as written without trailing zeros: "2.50%" -> "2.5"."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # "120,000" is one figure
    return frozenset(n.rstrip("0").rstrip(".") if "." in n else n for n in re.findall(r"\d+(?:\.\d+)?", text))


# Glossary terms that name the knowledge base's topic rather than an ask.
GENERIC_TERMS = {"alvh", "vixshield-methodology", "spx-mastery", "iron-condor", "vix", "spx", "adaptive-layering"}


# "layer 1" is how a trader writes what the articles call "the first layer".
ORDINALS = re.compile(r"\b(layers?|tiers?|legs?|levels?|stages?)\s*#?\s*(1|2|3|one|two|three)\b", re.I)
_ORDINAL_WORDS = {"1": "first", "one": "first", "2": "second", "two": "second", "3": "third", "three": "third"}


def _ordinals(text: str) -> str:
    return ORDINALS.sub(lambda m: f"{_ORDINAL_WORDS[m[2].lower()]} {m[1]}", text)


# "how do you measure basis risk?", "what's the process for quantifying it?": the verb after these is the ask.
ASK_VERB = re.compile(
    r"\bhow (?:do|does|did|should|would|can|could|to|is|are|was|were)\b(?P<a>.*)|"
    r"\b(?:process|method|(?:the|a|best|right|proper|correct|vixshield) way|steps?|approach|procedure|technique)\b(?:[^?]*?\b(?:for|of|to))? (?P<b>.*)"
)


# "If I wanted to actually measure the basis risk..., how would I go about it?": the verb of the wish
WANTED_VERB = re.compile(r"\b(?:want(?:ed|s)?|trying|try|need(?:ed|s)?|like|wish(?:ed)?) to (?:actually |really |properly )?(?P<a>.*)")


def ask_verb(question: str, focus: Focus, glossary) -> str | None:
    """The stem of the verb a "how do you ...?" question asks about ("measur"), if it is a focus word."""
    low = question.lower()
    m = ASK_VERB.search(low)
    if not m:
        return None
    for rest in (m["a"] if m["a"] is not None else m["b"], *(w["a"] for w in [WANTED_VERB.search(low)] if w)):
        _, plain = _split_terms(rest, glossary)
        verb = next((stem(w) for w in _WORD.findall(rest) if stem(w) in focus.words and stem(w) in plain), None)
        if verb:
            return verb
    return None


def says(s: Sentence, unit: str) -> bool:
    """Whether the sentence uses the focus word or one of its synonyms."""
    return unit in s.words or bool(SYNONYMS.get(unit, set()) & s.words)


def focus_of(question: str, glossary) -> Focus:
    question = _ordinals(question)
    named, plain = _split_terms(question, glossary)
    generic_terms = {t for t in named if t in GENERIC_TERMS or (glossary is not None and _term_stems(glossary, t) <= GENERIC)}
    numbers = figures(GUESSES.sub(" ", question))
    words = frozenset(w for w in plain if w not in GENERIC and not w.isdigit())
    return Focus(frozenset(named - generic_terms), words, numbers, answer_type(question))


@dataclass(frozen=True)
class Sentence:
    chunk: object
    position: int
    text: str  # as it reads in an answer (bullet marks removed)
    vector: np.ndarray
    terms: frozenset[str]
    words: frozenset[str]  # stems outside glossary names
    all_words: frozenset[str]
    numbers: frozenset[str]
    topic: frozenset[str] = frozenset()  # the article title's words and "term:" units: what "this" refers to


@dataclass(frozen=True)
class Scored:
    sentence: Sentence
    cosine: float
    coverage: float
    typed: bool  # carries the answer type asked for (True when none is asked)
    score: float
    names_ok: bool = True  # holds every two-word name (PHRASES) the question uses


@dataclass
class SentenceTable:
    """Every sentence of the index (articles and glossary definitions) with its vector and
    term sets, built once per loaded index."""

    sentences: list[Sentence] = field(default_factory=list)
    matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    idf: dict[str, float] = field(default_factory=dict)
    max_idf: float = 1.0
    by_chunk: dict[str, list[int]] = field(default_factory=dict)
    _reading_order: list[int] = field(default_factory=list)
    _place: dict[int, int] = field(default_factory=dict)
    article_words: frozenset[str] = frozenset()  # stems article sentences use outside glossary names

    @classmethod
    def build(cls, index) -> SentenceTable:
        glossary = index.glossary
        table = cls()
        vectors = []
        topics = {}
        for chunk in index.chunks:
            if chunk.title not in topics:
                title_terms, title_words = _split_terms(chunk.title, glossary)
                topics[chunk.title] = frozenset(title_words) | {f"term:{t}" for t in title_terms}
        for chunk in index.chunks:
            texts, vecs = index.sentences(chunk.id)
            for position, (raw, vector) in enumerate(zip(texts, vecs)):
                text = clean_sentence(raw)
                terms, plain = _split_terms(text, glossary)
                numbers = figures(text)
                table.by_chunk.setdefault(chunk.id, []).append(len(table.sentences))
                table.sentences.append(
                    Sentence(chunk, position, text, vector, frozenset(terms), frozenset(plain), frozenset(content_words(text)), numbers,
                             topics[chunk.title] if chunk.kind == "article" else frozenset())
                )
                vectors.append(vector)
        table.matrix = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
        table.article_words = frozenset().union(*(s.words for s in table.sentences if s.chunk.kind == "article"))
        n = max(len(table.sentences), 1)
        df: dict[str, int] = {}
        for s in table.sentences:
            for w in s.all_words | {f"term:{t}" for t in s.terms}:
                df[w] = df.get(w, 0) + 1
        table.idf = {w: math.log(1 + n / (1 + c)) for w, c in df.items()}
        table.max_idf = math.log(1 + n)
        return table

    def weight(self, unit: str) -> float:
        """IDF; a word no sentence uses weighs most if it names a trading thing ("earnings"), and
        little if it is plain English the articles happen not to use ("dial", "forget")."""
        if unit in self.idf:
            return self.idf[unit]
        known = [self.idf[w] for w in SYNONYMS.get(unit, ()) if w in self.idf]
        if known:  # "bigger": the articles say "oversized"
            return max(known)
        return self.max_idf if unit in TRADING_WORDS or unit in _PHRASE_WORDS or ":" in unit else UNSEEN_PLAIN_WORD * self.max_idf

    def unknown_trading_words(self, focus: Focus) -> set[str]:
        """Trading words of the question that no article sentence uses outside a glossary name ("earnings"):
        what the articles cannot be explaining, however close a sentence sounds."""
        return {u for u in focus.words if u in TRADING_WORDS and u not in self.article_words
                and not SYNONYMS.get(u, set()) & self.article_words}

    def coverage(self, focus: Focus, s: Sentence, glossary) -> float:
        units = focus.units()
        if not units:
            return 1.0
        total = got = 0.0
        named_here = s.terms & (focus.terms | set())
        inside = set().union(*(_term_stems(glossary, t) for t in named_here)) if named_here and glossary else set()
        for unit in units:
            w = self.weight(unit)
            total += w
            if unit.startswith("term:"):
                term = unit[5:]
                if term in s.terms or (glossary and _term_stems(glossary, term) <= s.words):
                    got += w
                elif unit in s.topic:  # "To measure this precisely..." in the basis-risk article
                    got += TOPIC_CREDIT * w
            elif unit.startswith("num:"):
                if unit[4:] in s.numbers:
                    got += w
            elif says(s, unit) or unit in inside:
                got += w
            elif glossary is not None and any(unit in _one_word_names(glossary, t) or unit in _term_heads(glossary, t) for t in s.terms):
                got += w  # "spy" for the term SPY, "neutral" for Delta Neutrality
            elif unit in s.all_words:  # only inside another term's name ("earnings" in P/E Ratio)
                got += INSIDE_OTHER_TERM * w
            elif unit in s.topic:  # the article is about it: "To measure this precisely..." in the basis-risk article
                got += TOPIC_CREDIT * w
        return got / total if total else 1.0

    def score(self, question: str, query_vector: np.ndarray, glossary, focus: Focus | None = None, k: int = 12) -> list[Scored]:
        """The ``k`` best sentences: cosine + COVERAGE_WEIGHT × coverage + 0.05 for the asked answer type
        − GLOSSARY_PENALTY for a glossary definition (articles first, but a fact only the
        glossary states still answers)."""
        if not self.sentences:
            return []
        focus = focus or focus_of(question, glossary)
        cosines = self.matrix @ query_vector
        shortlist = np.argsort(-cosines)[: max(4 * k, 40)]
        # BM25-like recall: a sentence that covers a rare focus word is a candidate whatever its cosine
        rare = [u for u in focus.words if self.idf.get(u, 0) > 0.6 * self.max_idf]
        extra = [i for i, s in enumerate(self.sentences) if rare and any(u in s.words for u in rare)]
        out = []
        elsewhere = not foreign(focus.terms, focus.words)  # the question is about SPX and VIX alone
        for i in dict.fromkeys([*map(int, shortlist), *extra]):
            s = self.sentences[i]
            if len(s.text.split()) < 5 or _BOILERPLATE.match(s.text) or not s.text.endswith((".", "!", "?", ":", '"', "”")):
                continue
            cov = self.coverage(focus, s, glossary)
            typed = carries(focus.kind, question, s.text) or not focus.kind.required
            bonus = (0.05 if focus.kind and carries(focus.kind, question, s.text) else 0.0) - (GLOSSARY_PENALTY if s.chunk.kind == "glossary" else 0.0)
            if elsewhere and foreign(s.terms, s.all_words):
                bonus -= FOREIGN_PENALTY
            names_ok = all(unit in s.words for unit in focus.words & _PHRASE_WORDS)
            out.append(Scored(s, float(cosines[i]), cov, typed, float(cosines[i]) + COVERAGE_WEIGHT * cov + bonus, names_ok))
        out.sort(key=lambda x: -x.score)
        return out[:k]

    def previous(self, s: Sentence) -> Sentence | None:
        return self.neighbour(s, -1)

    def neighbour(self, s: Sentence, step: int) -> Sentence | None:
        """The sentence ``step`` places away in the same article (across passage boundaries) or
        glossary entry, if any."""
        if not self._reading_order:
            order = sorted(range(len(self.sentences)), key=lambda i: (self.sentences[i].chunk.source_id,
                                                                      self.sentences[i].chunk.position, self.sentences[i].position))
            self._reading_order = order
            self._place = {id(self.sentences[i]): n for n, i in enumerate(order)}
        n = self._place.get(id(s))
        if n is None or not 0 <= n + step < len(self._reading_order):
            return None
        other = self.sentences[self._reading_order[n + step]]
        return other if other.chunk.source_id == s.chunk.source_id else None


def is_evidence(x: Scored, explaining: bool = False) -> bool:
    """A sentence that answers the ask: it carries the answer type and enough of the focus,
    the more of the focus the less similarity it needs; a two-word name the question uses
    ("stop loss", "profit target") must be in it."""
    if explaining and x.typed and x.names_ok and x.cosine >= EXPLAIN_COSINE:
        return True
    if not x.typed or x.coverage < MIN_COVERAGE_ALONE or not x.names_ok:
        return False
    return x.coverage >= MIN_COVERAGE and x.cosine >= MIN_COSINE or x.cosine >= MIN_COSINE_HIGH


# --- comparisons and declines --------------------------------------------------------------

_COMPARISON = [
    re.compile(r"\bhow(?:'s| is| are| does| do) (?P<a>.+?) (?:different|differ) (?:from|to|than) (?P<b>.+?)[?.!]*$"),
    re.compile(r"^(?:(?:is|are|isn't|aren't) )?(?P<a>.+?) (?:any |really |much |so )?(?:different|differs?) (?:from|to|than) (?P<b>.+?)[?.!]*$"),
    re.compile(r"\b(?:difference|differences|diff) between (?P<a>.+?) and (?P<b>.+?)[?.!]*$"),
    re.compile(r"\bcompare (?P<a>.+?) (?:with|to|and) (?P<b>.+?)[?.!]*$"),
    re.compile(r"^(?:what about |is )?(?P<a>[\w\s:/.-]+?) (?:vs\.?|versus) (?P<b>.+?)[?.!]*$"),
    # "..., like what goes in first layer vs second layer": the few words either side of "vs"
    re.compile(r"(?:^|[,;:(]\s*|\b(?:like|between|about|in|of|is|are)\s+)(?:the\s+)?(?P<a>(?:[\w/.-]+\s+){0,2}?[\w/.-]+)\s+(?:vs\.?|versus)\s+(?:the\s+)?(?P<b>[\w/.-]+(?:\s+[\w/.-]+){0,2})"),
    re.compile(r"\bdoes (?P<a>.+?) work the same (?:way )?as (?P<b>.+?)[?.!]*$"),
    # "my dev team keeps saying a wrapped token's 1:1 peg is basically the same thing as keeping a condor delta neutral. Is it?"
    re.compile(r"\b(?:saying|says|said|thinks?|claims?|told me|reckons?|insists?)(?: that)? (?P<a>[^.?!]+?) (?:is|are) (?:basically |really |just |essentially |pretty much )?(?:the same(?: thing)?|similar|equivalent|identical|like) (?:as |to )?(?P<b>[^.?!]+)"),
    re.compile(r"\bwhat (?:separates|distinguishes) (?P<a>.+?) from (?P<b>.+?)[?.!]*$"),
    # "is the peg like delta neutrality?", not "is there a stop-loss rule, like closing at 2x the credit?"
    re.compile(r"^(?:is|are|does|do) (?!there\b)(?P<a>.+?)(?<!,) (?:basically |really |just |essentially |actually )?(?:the same(?: thing)?|similar|like|equivalent|comparable) (?:as |to )?(?P<b>.+?)[?.!]*$"),
]


QUESTION_WORD = re.compile(r"(?:what|which|who|when|why|how|does|do|did|can|should|would|could)\b")


def comparison_sides(question: str) -> tuple[str, str] | None:
    """("delta neutrality", "the 1:1 peg") for "how is delta neutrality different from the 1:1 peg?"."""
    low = question.lower().strip()
    for pattern in _COMPARISON:
        m = pattern.search(low)
        if m:
            a, b = (re.split(r"[,:;?!](?:\s|$)", side)[0].strip() for side in (m["a"], m["b"]))
            a = re.sub(r"^(?:what makes|why (?:is|are|does|do)|how (?:is|are|does|do))\s+", "", a)
            if QUESTION_WORD.match(a):
                continue  # "what correlation numbers does the piece give for vix vs nft": a question with a "vs" in it
            if a and b:
                return a, b
    return None


def _surface(question: str, units: list[str]) -> list[str]:
    """The question's own words for focus units, in the question's order."""
    out = []
    for pattern, joined in PHRASES:
        match = pattern.search(question.lower())
        if joined in units and match:
            out.append(question[match.start() : match.end()])
            question = question[: match.start()] + " " * (match.end() - match.start()) + question[match.end() :]
    for word in re.findall(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|[A-Za-z0-9][\w-]*%?", question):
        parts = [stem(w) for w in _WORD.findall(word.lower().replace(",", ""))]
        if any(p in units for p in parts) and word.lower() not in (o.lower() for o in out):
            out.append(word)
    return out


def not_covered_sentence(question: str, focus: Focus, best: Scored | None) -> str:
    """One or two plain sentences saying what the articles do not give."""
    lead = "The VixShield articles don't answer that"
    if best is None:
        return f"{lead}. Try asking about the ALVH, iron condors or the terms the articles use."
    s = best.sentence
    missing = [u for u in focus.words if not says(s, u)]
    missing += [f"num:{n}" for n in focus.numbers if n not in s.numbers]
    words = _surface(question, [u[4:] if u.startswith("num:") else u for u in missing])
    if words:
        quoted = [f"“{w}”" for w in words[:4]]
        listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
        return f"{lead}: no article states a rule or figure for {listed}. The articles nearest the question are listed below."
    if focus.kind is not None and not best.typed:
        return f"{lead}: the articles touch on it but don't give {focus.kind.missing}. The nearest articles are listed below."
    return f"{lead}: no article states what you asked. The articles nearest the question are listed below."
