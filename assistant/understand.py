"""Understanding a message: what kind of question it is, and for a calculation, which
calculator and which inputs, in plain English.

Pure and fast: regular expressions and small word lists, no model, no I/O. The rules are
summarised in docs/understanding.md; the short version:

1. A greeting ("hi", "thanks") is GREETING. A greeting in front of a question is dropped.
2. A request for a personal trade decision ("should I sell...", "..., should I close it?",
   "do I take profit now?", "would you put on this condor?", "is it time to exit my condor?")
   is ADVICE.
3. A CALCULATION needs a calculator (named, or implied by the inputs) and at least one of
   its key inputs (a strike, a correlation, a notional...), or an explicit "calculate ...".
   A "why / how does" question that asks for no figure is never a calculation, so
   "Why are hedges oversized 2.8x?" goes to the methodology.
4. With a remembered calculation, a message that changes its inputs ("what if the credit
   were 5?", "with 60 days instead?") or asks for one of its figures ("and the max loss
   then?") reruns it with only that changed; "What is the max loss of an iron condor?" asks about
   condors in general and is not a follow-up. A new, complete calculation replaces it. With no
   calculation remembered, "so for a $50,000 hedge, how big is that?" after a turn about oversizing
   computes it: the previous topic names the calculator.
5. "What is X / what does X stand for / define X / meaning of X" with a short X is
   DEFINITION. "What does <author> mean by X?" is a DEFINITION of X too: the pipeline
   answers definitions from the glossary first and falls back to the articles.
6. Everything else is METHODOLOGY; a short follow-up ("and how is it layered?", "why?")
   has its pronoun replaced by the previous turn's topic.
7. OUT_OF_SCOPE is never returned from here: off-topic questions are declined by the
   pipeline on low retrieval relevance, which is more reliable than a word list.

Never invented: an input is only what the message (or the remembered calculation) states;
defaults are left to the calculators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MULTIPLIER = 100  # SPX dollars per index point, used only to read "$350 credit" as 3.50 points
DAYS_PER_MONTH = 30.4  # "2 months" = round(2 x 30.4) = 61 calendar days


class Intent(StrEnum):
    GREETING = "greeting"
    DEFINITION = "definition"
    METHODOLOGY = "methodology"
    CALCULATION = "calculation"
    ADVICE = "advice"
    OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class CalcRequest:
    calculator: str  # registry name
    inputs: dict  # raw inputs for the registry's run(): only what the user gave (or a follow-up carried over)
    missing: tuple[str, ...] = ()  # plain names of required inputs not given, e.g. ("the net credit",)
    focus: tuple[str, ...] = ()  # output fields asked about; () = the key figures


@dataclass(frozen=True)
class Understanding:
    intent: Intent
    calc: CalcRequest | None = None
    term: str | None = None  # DEFINITION: the phrase asked about
    query: str = ""  # text to retrieve with, follow-up references resolved
    topic: str | None = None  # what this turn is about, for the next turn's references


# =============================================================================================
# Calculators: the fields this parser fills, what each needs, and what to call them in a question
# =============================================================================================

CONDOR_STRIKES = ("long_put", "short_put", "short_call", "long_call")
MARKET = ("spot", "iv", "days")

FIELDS = {
    "iron-condor": (*CONDOR_STRIKES, "credit", "contracts", "spot", "iv", "days", "rate", "dividend", "eval_days"),
    "vertical-spread": ("kind", "short_strike", "long_strike", "credit", "contracts"),
    "option": ("kind", "spot", "strike", "iv", "days", "rate", "dividend"),
    "implied-vol": ("kind", "spot", "strike", "price", "days", "rate", "dividend"),
    "hedge-ratio": ("correlation", "portfolio_vol", "hedge_vol"),
    "decorrelation-oversize": ("notional", "factor"),
    "vix-hedge": ("spx_drop", "vix", "vix_rise", "vix_beta", "call_strike", "call_premium", "book_loss", "condor", "spot", "offset"),
    "alvh-layers": ("notional", "allocation", "increment", "expirations", "hedge_ratio", "decorrelation_factor", "activation_levels"),
    "beta-weighted-delta": ("delta", "beta", "price", "benchmark_price"),
}

REQUIRED = {
    "iron-condor": (*CONDOR_STRIKES, "credit"),
    "vertical-spread": ("kind", "short_strike", "long_strike", "credit"),
    "option": ("kind", "strike", "spot", "iv", "days"),
    "implied-vol": ("kind", "strike", "price", "spot", "days"),
    "hedge-ratio": ("correlation", "portfolio_vol", "hedge_vol"),
    "decorrelation-oversize": ("notional",),
    "vix-hedge": ("spx_drop", "vix", "vix_move", "call_strike", "loss"),
    "alvh-layers": ("notional",),
    "beta-weighted-delta": ("delta", "beta", "price", "benchmark_price"),
}

# The inputs that say "this is a calculation" (not just a number quoted in passing), and that
# make a message a new position rather than a change to the remembered one.
KEY_INPUTS = {
    "iron-condor": CONDOR_STRIKES,
    "vertical-spread": ("short_strike", "long_strike"),
    "option": ("strike",),
    "implied-vol": ("price",),
    "hedge-ratio": ("correlation", "portfolio_vol", "hedge_vol"),
    "decorrelation-oversize": ("notional",),
    "vix-hedge": ("spx_drop", "vix", "vix_rise", "vix_beta", "call_strike", "book_loss", "condor"),
    "alvh-layers": ("notional",),
    "beta-weighted-delta": ("delta", "beta"),
}

OUTPUTS = {
    "iron-condor": (
        "lower_breakeven", "upper_breakeven", "max_profit", "max_loss", "risk_reward", "put_width", "call_width",
        "pop", "p_max_profit", "p_max_loss", "p_touch_short_put", "p_touch_short_call", "expected_value",
        "theo_value", "greeks", "expected_move", "curve",
    ),
    "vertical-spread": ("breakeven", "width", "max_profit", "max_loss", "risk_reward"),
    "option": ("price", "delta", "gamma", "theta", "vega", "rho"),
    "implied-vol": ("iv", "vega"),
    "hedge-ratio": ("hedge_ratio", "effectiveness", "residual_vol"),
    "decorrelation-oversize": ("oversized_notional",),
    "vix-hedge": ("contracts", "scenario_vix", "book_loss", "total_payoff", "coverage", "premium_cost", "net_result"),
    "alvh-layers": ("budget", "hedge_notional", "layer_count", "layers"),
    "beta-weighted-delta": ("beta_weighted_delta", "dollar_delta", "pnl_per_1pct"),
}

# Condor figures that need the market (spot, implied volatility, days to expiry).
NEEDS_MARKET = {
    "pop", "p_max_profit", "p_max_loss", "p_touch_short_put", "p_touch_short_call",
    "expected_value", "theo_value", "greeks", "expected_move",
}

PLAIN_NAMES = {
    "long_put": "the long put strike",
    "short_put": "the short put strike",
    "short_call": "the short call strike",
    "long_call": "the long call strike",
    "credit": "the net credit",
    "spot": "the SPX level",
    "iv": "the implied volatility",
    "days": "the days to expiry",
    "kind": "whether it is a put or a call",
    "short_strike": "the short strike",
    "long_strike": "the long strike",
    "strike": "the strike",
    "price": "the option's price",
    "correlation": "the correlation",
    "portfolio_vol": "the portfolio's volatility",
    "hedge_vol": "the hedge instrument's volatility",
    "notional": "the hedge notional",
    "spx_drop": "the SPX fall in the scenario (e.g. 10%)",
    "vix": "the VIX level now",
    "vix_move": "the VIX move in the scenario (points, or a VIX beta)",
    "call_strike": "the VIX call strike",
    "loss": "the loss to offset (dollars, or the condor position)",
    "delta": "the position's delta",
    "beta": "the beta to SPX",
    "benchmark_price": "the SPX level",
}

TOPICS = {
    "iron-condor": "iron condor",
    "vertical-spread": "credit spread",
    "option": "option",
    "implied-vol": "implied volatility",
    "hedge-ratio": "hedge ratio",
    "decorrelation-oversize": "decorrelation oversizing",
    "vix-hedge": "VIX call hedge",
    "alvh-layers": "ALVH layers",
    "beta-weighted-delta": "beta-weighted delta",
}

# Words naming a calculator, most specific first.
SUBJECTS = [
    ("alvh-layers", r"\blayer(?:s|ed|ing)?\b|\blayer schedule\b"),
    ("vix-hedge", r"\bhow many vix\b|\bvix calls? (?:do|would|will|should) (?:i|we) need\b|\bvix (?:call )?hedge siz|\bsize (?:a|the|my) vix\b|"
                  r"\bvix calls? to (?:offset|cover|hedge|pay)\b|\b(?:offset|cover|recoup) (?:half |all |\d+% )?(?:of )?(?:the |my |a )?(?:\$[\d,.]+\s*\w* )?(?:book'?s? )?loss"),
    ("beta-weighted-delta", r"\bbeta[- ]weighted\b|\bbeta[- ]adjusted delta\b"),
    ("decorrelation-oversize", r"over-?siz|decorrelation (?:factor|multiplier)"),
    ("hedge-ratio", r"hedge ratio|minimum[- ]variance|min[- ]var\b|optimal hedge"),
    ("iron-condor", r"\biron[- ]condors?\b|\bcondors?\b|\bics?\b"),
    ("vertical-spread", r"\b(?:put|call) (?:credit )?(?:spread|vertical)\b|\bvertical\b|\bbull put\b|\bbear call\b|\bcredit spread\b"),
    ("implied-vol", r"\bimplied vol(?:atility)?\b|\biv\b"),
    ("option", r"black[- ]scholes|\bbsm\b|\bprice of (?:a|an|the|one)\b|\bworth\b|\bfair value\b|\bpremium\b"),
]


# =============================================================================================
# Numbers and text
# =============================================================================================

NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"  # 5,950  4.20  15  .5
AT = r"(?:(?:is|was|were|be|of|at|=|:|to|around|about|near|@)\s*)*"  # "IV is 15%", "credit of 2", "spot = 6000"
PCT = r"(?P<p>\s*%|\s*percent\b)?"
SIGN = r"(?P<neg>-\s*|minus\s+|negative\s+)?"  # kept, so that "IV -15%" reaches the calculator, which refuses it

WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90,
}
WORDS = "(?:" + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True)) + ")"

MONEY_SUFFIX = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
SUFFIX = r"(?:(?P<s>k|thousand|mm|mn|m|million|bn|billion)\b)"

GAP = "\u00a6"  # what a used-up stretch of text is replaced with, so that it is not read twice


def number(text: str) -> float:
    """'5,950' -> 5950.0, 'three' -> 3.0."""
    text = text.strip().lower()
    if text in WORD_NUMBERS:
        return float(WORD_NUMBERS[text])
    return float(text.replace(",", ""))


def tidy(value: float) -> int | float:
    """Whole numbers as int (5800, not 5800.0); others rounded off float noise (0.013, not 0.013000000000000001)."""
    value = round(value, 10)
    return int(value) if value == int(value) else value


def fraction(value: float, percent: bool) -> float:
    """A volatility or rate as a decimal: '15%' and a bare 15 are 0.15; 0.15 stays 0.15."""
    return tidy(value / 100) if percent or abs(value) > 1 else tidy(value)


def correlation(value: float, percent: bool) -> float:
    """A correlation is a percent only when written with '%': 'correlation 1.5' stays 1.5 (the calculator refuses it)."""
    return tidy(value / 100) if percent else tidy(value)


def signed(m: re.Match, value: float) -> float:
    """``value`` negated when the match's SIGN group caught a minus."""
    return -value if m["neg"] else value


def money(value: str, suffix: str | None) -> int | float:
    """'50,000' -> 50000; '1.2', 'm' -> 1200000; '100', 'k' -> 100000."""
    return tidy(number(value) * MONEY_SUFFIX.get((suffix or "").lower(), 1))


def _clean(message: str) -> str:
    """Unicode dashes, quotes and signs as ASCII; the case is kept (for terms)."""
    table = {0x2013: "-", 0x2014: "-", 0x2212: "-", 0x2019: "'", 0x2018: "'", 0x00D7: "x", 0x00A0: " ", 0x03C1: "rho ", 0x03C3: "sigma "}
    return re.sub(r"\s+", " ", message.translate(table)).strip()


def _lower(text: str) -> str:
    """Lower case, with 'S&P 500' and friends read as 'spx', and '75,000 dollars' as '$75,000'."""
    text = text.lower()
    text = re.sub(r"\bs\s*&\s*p(?:\s*500)?\b|\bs&p\b|\bsp\s?500\b|\bspx500\b|\bspx\s+index\b", "spx", text)
    text = re.sub(rf"(?<![\w.,/$])(?P<v>{NUM})(?P<s>\s*(?:k|thousand|mm|mn|m|million|bn|billion))?\s*(?:dollars?|usd|bucks)\b", r"$\g<v>\g<s>", text)
    return text


class Scan:
    """The lower-cased message; each reader takes what it used, so no number is read twice."""

    def __init__(self, text: str):
        self.text = text
        self.original = text  # for a reader that needs the words another reader has taken

    def take(self, pattern: str) -> list[re.Match]:
        found = list(re.finditer(pattern, self.text))
        for m in reversed(found):
            self.text = self.text[: m.start()] + GAP * (m.end() - m.start()) + self.text[m.end() :]
        return found

    def first(self, *patterns: str) -> re.Match | None:
        """The first match of the first pattern that matches (only that one is taken)."""
        for pattern in patterns:
            m = re.search(pattern, self.text)
            if m:
                self.cut(m)
                return m
        return None

    def cut(self, m: re.Match, group: str | int = 0) -> None:
        start, end = m.span(group)
        self.text = self.text[:start] + GAP * (end - start) + self.text[end:]

    def is_free(self, m: re.Match, group: str | int = 0) -> bool:
        """Whether no reader has taken any of ``group`` yet."""
        start, end = m.span(group)
        return GAP not in self.text[start:end]


# =============================================================================================
# Readers: each takes one kind of input out of the message into `found`
# =============================================================================================

START = r"(?<![\w.,/$])"  # a number that is not the tail of another number or word


def read_strikes(scan: Scan, found: dict) -> None:
    """Strikes with their roles. Each strike keeps the role the user gave it (never sorted)."""

    def put(role: str, value: str) -> None:
        found.setdefault(role, tidy(number(value)))

    # "5800/5850/6100/6150": long put / short put / short call / long call
    for m in scan.take(rf"{START}(?P<a>{NUM})\s*(?P<sep>[/-])\s*(?P<b>{NUM})\s*(?P=sep)\s*(?P<c>{NUM})\s*(?P=sep)\s*(?P<d>{NUM})(?![\d/])"):
        for role, key in zip(CONDOR_STRIKES, "abcd"):
            put(role, m[key])

    # "4900/4950 put spread", "call spread 5300/5350": the short put is the higher put, the short call the lower call
    spreads = scan.take(
        rf"{START}(?P<a>{NUM})\s*[/-]\s*(?P<b>{NUM})\s*(?P<k>put|call)s?(?:\s+(?:credit\s+|vertical\s+)?(?:spread|vertical))?"
    ) + scan.take(rf"\b(?P<k>put|call)\s+(?:credit\s+)?(?:spread|vertical)\s+(?:of\s+|at\s+)?(?P<a>{NUM})\s*[/-]\s*(?P<b>{NUM})")
    for m in spreads:
        a, b = number(m["a"]), number(m["b"])
        if m["k"] == "put":
            put("short_put", str(max(a, b)))
            put("long_put", str(min(a, b)))
        else:
            put("short_call", str(min(a, b)))
            put("long_call", str(max(a, b)))

    # "short put 6000", "long call at 5950", "the short put were 5800"
    for m in scan.take(rf"\b(?P<side>short|long)\s+(?P<k>put|call)s?\s+(?:strike\s+)?{AT}(?P<v>{NUM})(?![\d/])"):
        put(f"{m['side']}_{m['k']}", m["v"])
    # "5850 short put"
    for m in scan.take(rf"{START}(?P<v>{NUM})\s+(?P<side>short|long)\s+(?P<k>put|call)\b"):
        put(f"{m['side']}_{m['k']}", m["v"])

    # "sell the 5750 put", "buy the 5700 put", "short 5850 put", "I sell the 5700 put and 6100 call"
    leg = rf"(?:(?:the|a|an|one)\s+)?{NUM}\s*(?:strike\s+)?(?:put|call)s?\b"
    verbs = r"(?P<verb>sell|sells|selling|sold|short|shorting|write|writes|writing|wrote|buy|buys|buying|bought|long)"
    for m in scan.take(rf"\b{verbs}\s+(?P<legs>{leg}(?:\s*(?:,\s*and|,|and|&|plus|\+)\s*{leg})*)"):
        side = "long" if m["verb"].startswith(("buy", "bought", "long")) else "short"
        for one in re.finditer(rf"(?P<v>{NUM})\s*(?:strike\s+)?(?P<k>put|call)", m["legs"]):
            put(f"{side}_{one['k']}", one["v"])

    # "short strikes 5850 and 6150": roles not named, so the lower is the put
    m = scan.first(rf"\bshort(?:s|\s+strikes?)\s+(?:are\s+|at\s+|of\s+)?(?P<a>{NUM})\s*(?:and|/|,|-|&)\s*(?P<b>{NUM})")
    if m:
        a, b = number(m["a"]), number(m["b"])
        put("short_put", str(min(a, b)))
        put("short_call", str(max(a, b)))

    # Wings: "50-point wings", "wings 50 points further out", "50 wide", "put wing 25"
    for m in scan.take(rf"\b(?P<k>put|call)\s+wing\s+{AT}(?P<w>{NUM})") + scan.take(
        rf"{START}(?P<w>{NUM})[- ]?(?:points?|pts?|wide)?[- ]?(?P<k>put|call)\s+wing"
    ):
        found.setdefault(f"{m['k']}_wing", number(m["w"]))
    m = scan.first(
        rf"{START}(?P<w>{NUM})\s*-?\s*(?:points?|pts?)?\s*-?\s*(?:wide\s+)?wings?\b",
        rf"{START}(?P<w>{NUM})\s*-?\s*(?:points?|pts?)?\s*-?\s*wide\b",
        rf"\bwings?\s+(?:of\s+|are\s+|at\s+|is\s+)?(?P<w>{NUM})(?:\s*-?\s*(?:points?|pts?|wide))?",
    )
    if m:
        found.setdefault("put_wing", number(m["w"]))
        found.setdefault("call_wing", number(m["w"]))

    # A single option, for the option and implied-vol calculators: "the 6000 call", "a put struck at 5800"
    for m in scan.take(rf"{START}(?P<v>{NUM})\s*(?:strike\s+)?(?P<k>put|call)s?\b") + scan.take(
        rf"\b(?P<k>put|call)\s+(?:option\s+)?(?:with\s+(?:a\s+)?)?(?:strike\s+{AT}|struck\s+at\s+)(?P<v>{NUM})"
    ):
        found.setdefault("options", []).append((m["k"], tidy(number(m["v"]))))


def read_hedge(scan: Scan, found: dict) -> None:
    """Correlation and the two volatilities of the minimum-variance hedge ratio; notional and factor."""
    vol = r"(?:vol|volatility|sigma)"
    portfolio = r"(?:portfolio|book|position)"
    hedge = r"(?:hedge\s+instrument|hedging\s+instrument|instrument|hedge|vix\s+(?:calls?|futures?|options?)|vix|uvxy|vxx)"
    # "portfolio vol 20%", "volatility of the book 20%", "sigma portfolio 15%" (or "σ portfolio"); a minus is kept
    of = r"(?:{vol}\s+of|sigma)\s+(?:the\s+|my\s+|our\s+)?".format(vol=vol)
    for field, noun, kinds in (("portfolio_vol", portfolio, "annual(?:ized)?|realized"), ("hedge_vol", hedge, "annual(?:ized)?|realized|implied")):
        m = scan.first(
            rf"\b{noun}(?:'s)?\s+(?:(?:{kinds})\s+)?{vol}\s*{AT}{SIGN}(?P<v>{NUM}){PCT}",
            rf"\b{of}{noun}\s*{AT}{SIGN}(?P<v>{NUM}){PCT}",
            rf"{START}{SIGN}(?P<v>{NUM}){PCT}\s+{noun}\s+{vol}",
        )
        if m:
            found[field] = signed(m, fraction(number(m["v"]), bool(m["p"])))
    m = scan.first(
        rf"\b(?:correlation(?:\s+coefficient)?|corr|rho)(?:\s+(?:between|of)\s+[a-z][\w\s&-]*?)?\s*{AT}{SIGN}(?P<v>{NUM}){PCT}",
        rf"\bcorrelated\s+{AT}{SIGN}(?P<v>{NUM}){PCT}",
        rf"{START}{SIGN}(?P<v>{NUM}){PCT}\s+correlation",
    )
    if m:
        found["correlation"] = signed(m, correlation(number(m["v"]), bool(m["p"])))

    # Notional: "$50,000 VIX hedge", "$100,000 hedge", "hedge of $1.2m", "notional 100k"
    m = scan.first(
        rf"\$\s?(?P<v>{NUM})\s*{SUFFIX}?\s*(?:(?:of\s+)?(?:vix|uvxy|notional|total|call|calls|long)\s+)*(?:hedge|notional)",
        rf"{START}(?P<v>{NUM})\s*{SUFFIX}\s*(?:(?:of\s+)?(?:vix|uvxy|notional|total|call|calls|long)\s+)*(?:hedge|notional)",
        rf"\b(?:notional|hedge(?:\s+(?:size|notional))?)\s*(?:(?:of|is|at|=|:|was|worth|size)\s*)*\$\s?(?P<v>{NUM})\s*{SUFFIX}?",
        rf"\b(?:notional|hedge(?:\s+(?:size|notional))?)\s*(?:(?:of|is|at|=|:|was|worth|size)\s*)*(?P<v>{NUM})\s*{SUFFIX}",
    )
    if m:
        found["notional"] = money(m["v"], m["s"])
    # Factor: "2.8x", "by the 2.8x decorrelation factor", "a factor of 2.8", "3 times"
    m = scan.first(
        rf"{START}(?P<v>{NUM})\s*(?:x|times)(?!\w)",
        rf"\bfactor\s+(?:of\s+|is\s+|=\s*)?(?P<v>{NUM})(?!\s*%)",
        rf"\bover-?siz\w*\s+(?:\w+\s+){{0,4}}?by\s+(?:a\s+)?(?P<v>{NUM})(?!\s*%|\d)",
    )
    if m:
        found["factor"] = tidy(number(m["v"]))


def read_vix(scan: Scan, found: dict) -> None:
    """The VIX call hedge scenario: "SPX falls 10%", "VIX at 16 rises to 30", "VIX beta 4",
    "22-strike VIX calls", "offset half of a $20,000 loss"."""
    m = scan.first(rf"{START}(?P<v>{NUM})\s*(?:%|percent)\s*(?:spx\s+|market\s+|index\s+)?(?:drop|fall|decline|sell-?off|selloff|crash|correction|drawdown)")
    if m:
        found["spx_drop"] = fraction(number(m["v"]), True)
    rises = r"(?:rises?|rose|jumps?|jumped|spikes?|spiked|goes|went|climbs?|climbed|pops?|popped|moves?|up|increases?)"
    m = scan.first(
        rf"\bvix\s+(?:(?:is|at|of|=|from|level|now|currently)\s*)*(?P<a>{NUM})\s+(?:and\s+)?(?:{rises}\s+)?to\s+(?P<b>{NUM})",
        rf"\bvix\s+{rises}\s+from\s+(?P<a>{NUM})\s+to\s+(?P<b>{NUM})",
    )
    if m:
        found["vix"], found["vix_to"] = tidy(number(m["a"])), tidy(number(m["b"]))
    m = scan.first(rf"\bvix\s+{rises}\s+(?:up\s+)?to\s+(?P<b>{NUM})")
    if m:
        found.setdefault("vix_to", tidy(number(m["b"])))
    m = scan.first(rf"\bvix\s+{rises}\s+(?:up\s+)?(?:by\s+)?(?P<v>{NUM})(?P<u>\s*%|\s*percent|\s*points?|\s*pts?)?")
    if m:
        if m["u"] and "%" in m["u"] or m["u"] and "percent" in m["u"]:
            found["vix_rise_pct"] = fraction(number(m["v"]), True)
        else:
            found["vix_rise"] = tidy(number(m["v"]))
    m = scan.first(rf"\bvix\s+beta\s*{AT}(?P<v>{NUM})", rf"\bbeta\s+(?:to\s+(?:the\s+)?vix\s+)?{AT}(?P<v>{NUM})(?=[^.]*\bvix\b)")
    if m:
        found["vix_beta"] = tidy(number(m["v"]))
    m = scan.first(
        rf"{START}(?P<v>{NUM})\s*-?\s*strike\s+(?:vix\s+)?calls?",
        rf"\bvix\s+calls?\s+(?:struck\s+at|at\s+(?:the\s+|a\s+)?strike|with\s+(?:a\s+)?strike\s+(?:of\s+)?)\s*(?P<v>{NUM})",
    )
    if m:
        found["call_strike"] = tidy(number(m["v"]))
    m = scan.first(rf"\bvix\s+(?:(?:is|was|at|of|=|:|now|currently|level|trading|sits)\s*)*(?P<v>{NUM})(?!\s*(?:%|percent|points?|pts?|-?\s*strike|calls?|puts?|\d))")
    if m:
        found["vix"] = tidy(number(m["v"]))
    m = scan.first(
        r"\b(?P<half>half)\b(?=[^.]*\bloss)",
        rf"\b(?:offset|cover|recoup|pay\s+back|hedge)\s+(?P<v>{NUM})\s*(?:%|percent)",
        rf"{START}(?P<v>{NUM})\s*(?:%|percent)\s+of\s+(?:the\s+|my\s+|a\s+|its\s+)?(?:book'?s?\s+|condor'?s?\s+)?loss",
        r"\b(?P<all>fully|all of the loss|the whole loss|the entire loss)\b",
    )
    if m:
        said = m.groupdict()
        found["offset"] = 0.5 if said.get("half") else 1 if said.get("all") else fraction(number(said["v"]), True)
    m = scan.first(
        rf"\$\s?(?P<v>{NUM})\s*{SUFFIX}?\s+(?:(?:book|condor|portfolio|position|potential|scenario)\s+)?loss",
        rf"\bloss(?:es)?\s+(?:of\s+|is\s+|=\s*)?\$?\s?(?P<v>{NUM})\s*{SUFFIX}?(?!\s*%)",
        rf"\blos(?:e|es|ing)\s+\$\s?(?P<v>{NUM})\s*{SUFFIX}?",
    )
    if m:
        found["book_loss"] = money(m["v"], m["s"])


def read_alvh(scan: Scan, found: dict) -> None:
    """ALVH layer parameters: "3% allocation", "25% increments", "30/60/90-day expirations",
    "hedge ratio 1:1.3", "activate at VIX 20, 25 and 30"."""
    m = scan.first(
        rf"{START}(?P<v>{NUM})\s*(?:%|percent)\s*(?:of\s+(?:the\s+)?(?:notional|portfolio|book)\s+)?(?:allocation|budget)",
        rf"\b(?:allocat\w*|budget)\s+(?:of\s+|is\s+|at\s+)?(?P<v>{NUM})\s*(?:%|percent)",
    )
    if m:
        found["allocation"] = fraction(number(m["v"]), True)
    m = scan.first(
        rf"{START}(?P<v>{NUM})\s*(?:%|percent)\s*(?:notional\s+)?(?:increments?|layers|steps|tranches)",
        rf"\b(?:increments?|layers|tranches)\s+of\s+(?P<v>{NUM})\s*(?:%|percent)",
    )
    if m:
        found["increment"] = fraction(number(m["v"]), True)
    days_list = r"\d{1,3}(?:(?:\s*/\s*|,\s+|\s+and\s+|,\s+and\s+|-)\d{1,3})"  # "30/60/90", "30, 60 and 90"; not "5,950"
    for pattern in (
        rf"{START}(?P<list>{days_list}+)\s*-?\s*(?:days?|d)\b(?:\s+(?:expirations?|expiries|tenors?|expiry))?",
        rf"\b(?:expirations?|expiries|tenors?)\s+(?:of\s+|at\s+)?(?P<list>{days_list}*)\s*(?:days?)?",
    ):
        m = re.search(pattern, scan.text)
        # Three or more day counts ("30/60/90-day"), or any named as expirations: "6000 and 30 days" is not one.
        if m and (len(re.findall(r"\d+", m["list"])) >= 3 or re.search(r"expir|tenor", m.group(0))):
            found["expirations"] = [int(d) for d in re.findall(r"\d+", m["list"])]
            scan.cut(m)
            break
    m = scan.first(rf"\bhedge\s+ratio\s*{AT}(?:1\s*:\s*)?(?P<v>{NUM})", rf"{START}1\s*:\s*(?P<v>{NUM})\s+(?:hedge\s+)?ratio")
    if m:
        found["alvh_ratio"] = tidy(number(m["v"]))
    m = scan.first(rf"\bactivat\w*\s+(?:at\s+|when\s+)?(?:(?:the\s+)?vix\s+)?(?:levels?\s+)?(?:of\s+|is\s+|hits\s+|reaches\s+)?(?P<list>{NUM}(?:\s*(?:/|,|and|,\s*and)\s*{NUM})+)")
    if m:
        found["activation_levels"] = [tidy(number(v)) for v in re.findall(NUM, m["list"])]


def read_position(scan: Scan, found: dict) -> None:
    """A position's delta, beta and price, for the beta-weighted delta."""
    m = scan.first(rf"\bdelta\s*{AT}(?P<neg>-\s*)?(?P<v>{NUM})", rf"{START}(?P<neg>-\s*)?(?P<v>{NUM})\s+deltas?\b")
    if m:
        found["delta"] = -tidy(number(m["v"])) if m["neg"] else tidy(number(m["v"]))
    m = scan.first(rf"\bbeta\s*{AT}(?P<v>{NUM})", rf"{START}(?P<v>{NUM})\s+beta\b")
    if m:
        found["beta"] = tidy(number(m["v"]))
    m = scan.first(rf"\b(?:priced\s+at|price\s+{AT}|trading\s+at|stock\s+at|shares?\s+at)\s*\$?\s?(?P<v>{NUM})")
    if m:
        found["bwd_price"] = tidy(number(m["v"]))


# After a small number that could be a credit: what makes it something else (a time, a count, a size, a
# range or a strike list). "for 1.25 - break-evens?" is a credit; "for 25-point wings", "for 10-20 days" are not.
NOT_A_CREDIT = (
    r"(?![\d,.]*\d|\s*(?:%|percent|days?|dte|d\b|weeks?|months?|years?|contracts?|lots?|x\b|times|wide|points?\s+wide|"
    r"k\b|m\b|am\b|pm\b|delta)|\s*/|\s*-\s*\d|-[a-z])"
)
SMALL = r"\d{1,3}(?:\.\d+)?|\.\d+"  # a credit in points: never a strike-sized number


def read_credit(scan: Scan, found: dict) -> None:
    """The net credit: "for a 4.20 credit", "collected $3.10", "sold for $3.50", "credit 2", "$350 credit",
    "for 1.25", "the 5800/5850/6100/6150 condor at 2.80"."""
    dollars = r"(?P<d>\$)?\s?(?P<v>{num})\s*(?P<dw>dollars?|usd)?".format(num=NUM)
    m = scan.first(
        rf"{START}{dollars}\s*(?:points?|pts?)?\s*(?:of\s+)?(?:net\s+|total\s+)?credit\b",
        rf"\bcredit\s*(?:received\s+|collected\s+)?{AT}(?:roughly\s+)?{dollars}",
        rf"\b(?:collect(?:ed|ing|s)?|receiv(?:e|ed|es|ing)|took\s+in|take\s+in|taking\s+in|got)\s+(?:a\s+)?(?:net\s+)?(?:credit\s+of\s+)?(?:about\s+)?{dollars}",
        rf"\b(?:sold|sell|sells|selling|opened|open|put\s+(?:it\s+|this\s+)?on)\s+(?:[a-z]+\s+){{0,3}}?for\s+(?:a\s+)?(?:net\s+)?{dollars}",
        rf"\bfor\s+(?P<d>\$)\s?(?P<v>{NUM})(?P<dw>)(?!\s*(?:k|m|mm|million|thousand)\b)",
        # "for 2.10": a small number after "for" that is not a time, a count or a size
        rf"\bfor\s+(?:a\s+)?(?P<d>)(?P<v>{SMALL})(?P<dw>){NOT_A_CREDIT}",
    )
    if m is None:
        # "the 5650/5700/6000/6050 iron condor at 2.80", "5800/5850/6100/6150 @ 4.20": a price right after the
        # position. The strikes are already taken, so this looks at the original words; only the price is taken.
        position = rf"(?:{NUM}(?:\s*[/-]\s*{NUM}){{1,3}}|\b(?:condors?|ics?|spreads?|verticals?))"
        m = re.search(rf"{position}\s+(?:at|@)\s*(?P<d>\$)?\s?(?P<v>{SMALL})(?P<dw>){NOT_A_CREDIT}", scan.original)
        if m is None or not scan.is_free(m, "v"):
            return
        scan.cut(m, "v")
    if m:
        found["credit"] = number(m["v"])
        found["credit_in_dollars"] = bool(m["d"] or m["dw"])


def read_count(scan: Scan, found: dict) -> None:
    """Contracts: "10 contracts", "5 lots", "x3", "make it 2 contracts", "one contract"."""
    m = scan.first(
        rf"{START}(?!an?\s)(?P<v>\d+|{WORDS})\s+(?:contracts?|lots?|condors?|units?|spreads?)\b",  # not "a condor", "a lot of"
        r"\b(?P<v>an?)\s+contract\b",
        r"\b(?:contracts?|lots?|quantity|qty)\s*(?:of\s+|is\s+|=\s*|:\s*)?(?P<v>\d+)\b(?![.,]\d)",
        r"(?<![\w.])x\s?(?P<v>\d+)\b(?![.,]\d)",
    )
    if m:
        found["contracts"] = int(number(m["v"]))


def read_time(scan: Scan, found: dict) -> None:
    """Days to expiry ("30 days", "45 DTE", "three weeks", "2 months" = 61) and an evaluation day."""
    m = scan.first(
        rf"\b(?:after|at\s+day)\s+(?P<n>{NUM})\s*(?:days?)?\b(?!\s*(?:to|until|till)\s+expir)",
        rf"{START}(?P<n>{NUM})\s+days?\s+from\s+(?:now|today)",
        rf"\bin\s+(?P<n>{NUM})\s+days?'?\s+time",
    )
    if m:
        found["eval_days"] = tidy(number(m["n"]))
    units = r"(?P<u>days?|d|dte|weeks?|wks?|months?|mos?|years?|yrs?)"
    for m in re.finditer(rf"{START}(?P<n>{NUM}|{WORDS})\s*-?\s*(?:calendar\s+)?{units}\b", scan.text):
        unit, n = m["u"], number(m["n"])
        if m["n"] in ("a", "an") and unit.startswith(("d", "dte")):
            continue  # "a day" is not a time to expiry; "a week" and "a month" are
        if unit.startswith(("w",)):
            n *= 7
        elif unit.startswith("mo"):
            n = round(n * DAYS_PER_MONTH)
        elif unit.startswith("y"):
            n *= 365
        found.setdefault("days", tidy(n))
        scan.cut(m)
        break
    else:
        m = scan.first(rf"\b(?:dte|days\s+to\s+(?:expiry|expiration)|days\s+left)\s*(?:of\s+|is\s+|=\s*|:\s*)?(?P<n>{NUM})\b(?!\s*%)")
        if m:
            found["days"] = tidy(number(m["n"]))


def read_rates(scan: Scan, found: dict) -> None:
    """Rate and dividend yield as decimals: "rate 4%", "risk-free 4.5%", "zero rates and dividends"."""
    zero = r"(?:zero|no|nil|0%?)"
    if scan.first(
        rf"\b{zero}\s+(?:interest\s+)?rates?\s*(?:and|&|or|,)\s*(?:{zero}\s+)?(?:dividends?|div(?:idend)?\s+yields?|yields?)",
        rf"\b(?:interest\s+)?rates?\s*(?:and|&)\s*(?:dividends?|div(?:idend)?\s+yields?|yields?)\s+(?:(?:of|at|are|is|=|both|set\s+to)\s*)*{zero}\b",
    ):
        found["rate"] = 0
        found["dividend"] = 0
    if scan.first(rf"\b{zero}\s+(?:interest\s+|risk[- ]free\s+)?rates?\b", rf"\b(?:interest\s+|risk[- ]free\s+)?rates?\s+{AT}(?:zero|nil)\b"):
        found.setdefault("rate", 0)
    if scan.first(rf"\b{zero}\s+(?:dividends?|div(?:idend)?\s+yield|yield)", rf"\b(?:dividends?|div(?:idend)?\s+yield)\s+{AT}(?:zero|nil)\b"):
        found.setdefault("dividend", 0)
    m = scan.first(
        rf"\b(?:risk[- ]free(?:\s+(?:interest\s+)?rate)?|interest\s+rates?|rates?|r(?=\s*=))\s*{AT}(?P<v>{NUM}){PCT}",
        rf"{START}(?P<v>{NUM})(?P<p>\s*%|\s*percent)\s*(?:risk[- ]free|interest|rates?)\b",
    )
    if m:
        found.setdefault("rate", fraction(number(m["v"]), bool(m["p"])))
    m = scan.first(
        rf"\b(?:div(?:idend)?s?\s+yield|dividends?|div|yield|q(?=\s*=))\s*{AT}(?P<v>{NUM}){PCT}",
        rf"{START}(?P<v>{NUM})(?P<p>\s*%|\s*percent)\s*(?:dividend|div|yield)",
    )
    if m:
        found.setdefault("dividend", fraction(number(m["v"]), bool(m["p"])))


def read_iv(scan: Scan, found: dict) -> None:
    """Implied volatility as a decimal: "IV 15%", "22% implied vol", "implied volatility 18%", "vol of 0.2"."""
    name = r"(?:implied\s+vol(?:atility)?|iv|vol(?:atility)?|sigma)"
    m = scan.first(
        rf"\b{name}\s*{AT}{SIGN}(?P<v>{NUM}){PCT}",
        rf"{START}{SIGN}(?P<v>{NUM}){PCT}\s*{name}\b",
    )
    if m:
        found["iv"] = signed(m, fraction(number(m["v"]), bool(m["p"])))  # "IV -15%" is passed on for the calculator to refuse


def read_spot(scan: Scan, found: dict) -> None:
    """The index level ("SPX at 6000", "SPX 5500", "spot 6010", "index at 5,950") or a move ("SPX drops 2%")."""
    verbs = (
        r"(?:is|was|at|of|=|:|now|currently|trading|trades|traded|sits|sitting|drops?|dropped|falls?|fell|rises?|rose|"
        r"rall(?:y|ies|ied)|goes|went|moves?|moved|closes|closed|ends?|ended|settles?|to|around|near|@|level|price|"
        r"back|down|up|were|be|being|gets|got|hits?)"
    )
    where = r"(?:spx|spot(?:\s+price)?|the\s+index|index|underlying|the\s+market)"
    m = scan.first(
        rf"\b{where}(?:\s+(?:drops?|dropped|falls?|fell|declines?|declined|sells?\s+off|crash(?:es|ed)?|rall(?:y|ies|ied)|rises?|rose|gains?|moves?|goes|jumps?))"
        rf"\s+(?P<dir>down\s+|up\s+)?(?:by\s+)?(?P<v>{NUM})(?P<u>\s*%|\s*percent|\s*points?|\s*pts?)"
    )
    if m:
        falls = re.search(r"drop|fall|fell|declin|sell|crash|down", m.group(0)) is not None
        size = number(m["v"]) * (-1 if falls else 1)
        found["spot_move"] = (size, "%" in m["u"] or "percent" in m["u"])
    m = scan.first(rf"\b{where}\s*(?:{verbs}\s*)*\$?(?P<v>{NUM})(?!\s*(?:%|percent|points?|pts?|[/x]|put|call|\d))")
    if m:
        found["spot"] = tidy(number(m["v"]))


def read_price(scan: Scan, found: dict) -> None:
    """An option's market price, for implied volatility: "priced at 12.50", "trading at $40", "costs 12"."""
    m = scan.first(
        rf"\b(?:priced\s+at|price\s+{AT}|trad(?:es|ing)\s+(?:at|for)|costs?|costing|worth|premium\s+{AT}|marked\s+at|mark\s+{AT}|quoted\s+at|bid\s+at|offered\s+at)\s*\$?\s?(?P<v>{NUM})"
    )
    if m:
        found["price"] = tidy(number(m["v"]))


def read_dollars(scan: Scan, found: dict) -> None:
    """Any other dollar amount, kept aside: a credit for a spread, a notional for a hedge."""
    for m in re.finditer(rf"\$\s?(?P<v>{NUM})\s*{SUFFIX}?|{START}(?P<w>{NUM})\s*(?P<t>k|thousand|million|mm|m)\b", scan.text):
        if m["v"]:
            found.setdefault("dollars", []).append((number(m["v"]), m["s"]))
        else:
            found.setdefault("dollars", []).append((number(m["w"]), m["t"]))


def read_all(low: str) -> dict:
    """Every input the message states, by the order that keeps them apart (strikes before the spot...)."""
    scan = Scan(low)
    found: dict = {}
    readers = [read_strikes, read_hedge, read_alvh, read_vix, read_credit, read_count, read_time, read_rates, read_iv, read_spot]
    if re.search(r"\bbeta[- ](?:weighted|adjusted)\b", low):
        readers.append(read_position)
    for reader in (*readers, read_price, read_dollars):
        reader(scan, found)
    return found


# =============================================================================================
# What is asked: the focus figures
# =============================================================================================

FOCUS_WORDS = [
    (r"probabilit\w* of (?:a |the )?max(?:imum)? (?:profit|gain)|(?:chance|odds) of (?:a |the )?max(?:imum)? profit|(?:chance|odds|probabilit\w*) of keeping (?:the )?(?:full|whole|entire) credit", ("p_max_profit",)),
    (r"(?:probabilit\w*|chance|odds) of (?:a |the )?max(?:imum)? loss", ("p_max_loss",)),
    (r"(?:probabilit\w*|chance|odds)(?: of)? touch\w*(?: the)? short put|touch\w* the short put", ("p_touch_short_put",)),
    (r"(?:probabilit\w*|chance|odds)(?: of)? touch\w*(?: the)? short call|touch\w* the short call", ("p_touch_short_call",)),
    (r"(?:probabilit\w*|chance|odds) of (?:a )?touch\w*|touch probabilit\w*|\bp\(?touch", ("p_touch_short_put", "p_touch_short_call")),
    (r"\bpop\b|probabilit\w* of (?:a )?profit|(?:chance|odds|likelihood) (?:of|for) (?:a )?(?:profit|making (?:money|a profit))|win(?:ning)? (?:rate|probability|chance)|probabilit\w* of (?:success|winning)", ("pop",)),
    (r"lower break[- ]?even", ("lower_breakeven",)),
    (r"upper break[- ]?even", ("upper_breakeven",)),
    (r"break[- ]?evens?|\bb/?e points?", ("lower_breakeven", "upper_breakeven", "breakeven")),
    (r"max(?:imum)?\.? (?:profit|gain|reward)|most (?:i|you|we) can (?:make|earn|gain)|best case", ("max_profit",)),
    (r"max(?:imum)?\.? (?:loss|risk)|most (?:i|you|we) (?:can|could) lose|worst case", ("max_loss",)),
    (r"risk[ /-]*(?:to[ -]*)?reward|reward[ /-]*(?:to[ -]*)?risk|\br[:/]r\b", ("risk_reward",)),
    (r"expected value|\bev\b|expectancy|expected (?:p/?l|pnl|profit)", ("expected_value",)),
    (r"expected move|implied move", ("expected_move",)),
    (r"\bgreeks\b", ("greeks", "delta", "gamma", "theta", "vega", "rho")),
    (r"\bdelta\b", ("greeks", "delta")),
    (r"\bgamma\b", ("greeks", "gamma")),
    (r"\btheta\b|time decay", ("greeks", "theta")),
    (r"\bvega\b", ("greeks", "vega")),
    (r"theo(?:retical)? value|fair value|\bworth\b|mark to market|\bprice of\b|\bhow much is\b", ("theo_value", "price")),
    (r"p\s*/\s*l curve|p&l|pnl|payoff (?:diagram|curve|chart|graph)|profit and loss", ("curve",)),
    (r"wing widths?|\bwidths?\b|how wide", ("put_width", "call_width", "width")),
    (r"hedge ratio|minimum[- ]variance|\bh\*", ("hedge_ratio",)),
    (r"effectiveness|r[- ]?squared|\br2\b|r\u00b2", ("effectiveness",)),
    (r"residual vol\w*|basis risk", ("residual_vol",)),
    (r"how (?:large|big)|size of the hedge|hedge size|oversized notional|new notional|total (?:hedge|notional)|"
     r"what notional|notional (?:do|would|should|will) (?:i|we) need", ("oversized_notional",)),
    (r"implied vol\w*|\biv\b", ("iv",)),
    (r"how many (?:vix )?(?:calls|contracts|options)|number of (?:vix )?(?:calls|contracts)", ("contracts",)),
    (r"\bcoverage\b", ("coverage",)),
    (r"premium cost|cost of the (?:calls|hedge)|how much (?:will|would|does) (?:it|the hedge|the calls) cost", ("premium_cost",)),
    (r"\bbudget\b", ("budget",)),
    (r"how many layers|number of layers", ("layer_count",)),
    (r"beta[- ]weighted delta", ("beta_weighted_delta",)),
]


def read_focus(low: str) -> list[str]:
    """Output fields the message asks about, in the order it asks."""
    scan = Scan(low)
    hits = []
    for pattern, fields in FOCUS_WORDS:
        for m in scan.take(pattern):
            hits.append((m.start(), fields))
    ordered: list[str] = []
    for _, fields in sorted(hits, key=lambda hit: hit[0]):
        for name in fields:
            if name not in ordered:
                ordered.append(name)
    return ordered


def focus_for(calculator: str, focus: list[str]) -> tuple[str, ...]:
    """Only the figures this calculator gives."""
    outputs = OUTPUTS.get(calculator)
    return tuple(f for f in focus if outputs is None or f in outputs)


# =============================================================================================
# Calculation requests
# =============================================================================================

COMPUTE = re.compile(
    r"\b(?:calculate|calc|compute|work out|figure out|run the numbers|how (?:large|big|much|many)|"
    r"what (?:is|are|'s|would be|will be|would|will) (?:the|my|its)\b|what'?s the\b|give me the\b|show me the\b)"
)
COMPUTE_VERB = re.compile(r"\b(?:calculate|compute|work out|run the numbers|figure out)\b")
EXPLAIN = re.compile(r"^(?:why|how (?:does|do|did|can|could|come|is|are)|explain|describe|tell me about|in what way)\b")
# A message that changes a remembered calculation rather than describing a new one.
FOLLOW_UP = re.compile(r"^(?:and|but|so|ok|okay|also|now|then)\b|\bwhat if\b|\bwhat about\b|\bhow about\b|\binstead\b|\bmake it\b|\bchange\b|\bsame\b|\bagain\b|^with\b|\bsuppose\b")
STRONG_FOLLOW_UP = re.compile(r"\bwhat if\b|\bwhat about\b|\bhow about\b|\binstead\b|\bsame\b")
# A figure question points back at the remembered calculation ("and the max loss then?", "what's its delta?",
# "what's the expected value?") unless it names a position of its own in general: "the max loss of an iron condor".
BACK_REFERENCE = re.compile(
    r"^(?:and|but|so|ok|okay|also|now|then)\b|\b(?:the|my|our|its|it|this|that|then|now|instead|again)\b|"
    r"\bwhat if\b|\bwhat about\b|\bhow about\b"
)
GENERIC = re.compile(
    r"\b(?:an?|any|one|typical)\s+(?:[\w-]+\s+){0,2}?(?:iron[- ]condors?|condors?|spreads?|verticals?|options?|puts?|calls?|"
    r"hedges?|positions?|trades?|strangles?)\b"
)


def subjects(low: str) -> list[str]:
    return [name for name, pattern in SUBJECTS if re.search(pattern, low)]


def choose(found: dict, named: list[str]) -> str | None:
    """Which calculator the message is about, from the words naming one and the inputs given."""
    if "beta-weighted-delta" in named:
        return "beta-weighted-delta"
    if "alvh-layers" in named and ("notional" in found or found.get("dollars")):
        return "alvh-layers"
    vix_inputs = [k for k in ("spx_drop", "vix_rise", "vix_to", "vix_beta", "book_loss") if k in found]
    if "vix-hedge" in named or len(vix_inputs) >= 2:
        return "vix-hedge"
    hedge_inputs = [k for k in ("correlation", "portfolio_vol", "hedge_vol") if k in found]
    if hedge_inputs and ("hedge-ratio" in named or len(hedge_inputs) >= 2):
        return "hedge-ratio"
    if "decorrelation-oversize" in named or ("notional" in found and "factor" in found):
        return "decorrelation-oversize"
    roles = [r for r in CONDOR_STRIKES if r in found]
    has_put = any(r.endswith("put") for r in roles)
    has_call = any(r.endswith("call") for r in roles)
    wings = "put_wing" in found or "call_wing" in found
    options = found.get("options", [])
    if "iron-condor" in named or (has_put and has_call) or (roles and wings):
        return "iron-condor"
    if roles and ("vertical-spread" in named or len(roles) == 2):
        return "vertical-spread"
    if roles and len(roles) == 1:
        options = options + [(roles[0].split("_")[1], found[roles[0]])]
    pricing = any(k in found for k in ("spot", "iv", "days", "price")) or "option" in named or "implied-vol" in named
    if len(options) == 1 and pricing:
        asks_iv = "implied-vol" in named and "iv" not in found
        return "implied-vol" if asks_iv or ("price" in found and "iv" not in found) else "option"
    if "vertical-spread" in named and ("credit" in found or options):
        return "vertical-spread"
    if "hedge-ratio" in named:
        return "hedge-ratio"
    return None


def inputs_for(calculator: str, found: dict, base: dict | None = None) -> dict:
    """The raw inputs of ``calculator``: ``base`` (a remembered calculation) updated with what ``found`` states."""
    inputs = dict(base or {})
    fields = FIELDS[calculator]
    for name in fields:
        if name in found and name != "credit":
            inputs[name] = found[name]
    if calculator == "vix-hedge":
        _vix_hedge(found, inputs)
    elif calculator == "alvh-layers":
        if "factor" in found:
            inputs["decorrelation_factor"] = found["factor"]
        if "alvh_ratio" in found:
            inputs["hedge_ratio"] = found["alvh_ratio"]
        if "notional" not in found and found.get("dollars"):
            value, suffix = found["dollars"][0]
            inputs["notional"] = money(str(value), suffix)
    elif calculator == "beta-weighted-delta":
        if "spot" in found:
            inputs["benchmark_price"] = found["spot"]
        if "bwd_price" in found:
            inputs["price"] = found["bwd_price"]
    elif calculator == "iron-condor":
        _condor(found, inputs)
    elif calculator == "vertical-spread":
        _vertical(found, inputs)
    elif calculator in ("option", "implied-vol"):
        options = found.get("options") or [(r.split("_")[1], found[r]) for r in CONDOR_STRIKES if r in found]
        if options:
            inputs["kind"], inputs["strike"] = options[0]
    if "credit" in fields and "credit" in found:
        inputs["credit"] = _credit_points(found, inputs)
    if "spot_move" in found and "spot" in inputs and "spot" not in found and calculator != "vix-hedge":
        # "what if SPX drops 2%?" moves the remembered spot; in a VIX hedge it is the scenario instead
        size, percent = found["spot_move"]
        inputs["spot"] = tidy(inputs["spot"] * (1 + size / 100) if percent else inputs["spot"] + size)
    # A dollar amount with no other label: the hedge's notional, or a spread's credit ("what about $4?").
    if found.get("dollars"):
        value, suffix = found["dollars"][0]
        if calculator == "decorrelation-oversize" and "notional" not in found:
            inputs["notional"] = money(str(value), suffix)
        elif "credit" in fields and "credit" not in found and not suffix:
            inputs["credit"] = _credit_points({"credit": value, "credit_in_dollars": True}, inputs)
    return {name: inputs[name] for name in fields if name in inputs}


def _vix_hedge(found: dict, inputs: dict) -> None:
    """The scenario (SPX fall, VIX move), the VIX call, and the loss to offset (dollars or the condor)."""
    if "spx_drop" not in found and "spot_move" in found and found["spot_move"][1] and found["spot_move"][0] < 0:
        inputs["spx_drop"] = fraction(-found["spot_move"][0], True)
    if "vix_to" in found and "vix" in inputs and "vix_rise" not in found:
        inputs["vix_rise"] = tidy(found["vix_to"] - inputs["vix"])
    if "vix_rise_pct" in found and "vix" in inputs and "vix_rise" not in inputs:
        inputs["vix_rise"] = tidy(inputs["vix"] * found["vix_rise_pct"])
    calls = [strike for kind, strike in found.get("options", []) if kind == "call"]
    if "call_strike" not in inputs and calls:
        inputs["call_strike"] = calls[0]
    if "call_premium" not in inputs and "price" in found:
        inputs["call_premium"] = found["price"]
    if all(k in found for k in CONDOR_STRIKES) and "credit" in found and "book_loss" not in found:
        condor = {k: found[k] for k in CONDOR_STRIKES}
        condor["credit"] = _credit_points(found, condor)
        if "contracts" in found:
            condor["contracts"] = found["contracts"]
        inputs["condor"] = condor
    if "book_loss" not in found and "condor" not in inputs and found.get("dollars"):
        value, suffix = found["dollars"][0]
        inputs["book_loss"] = money(str(value), suffix)


def _condor(found: dict, inputs: dict) -> None:
    """Shorts named without roles ("sell the 5700 put and 6100 call") and wings ("50 points further out")."""
    for kind, strike in found.get("options", []):
        if f"short_{kind}" not in found and ("put_wing" in found or "call_wing" in found):
            inputs[f"short_{kind}"] = strike
    if "put_wing" in found and "short_put" in inputs and "long_put" not in found:
        inputs["long_put"] = tidy(inputs["short_put"] - found["put_wing"])
    if "call_wing" in found and "short_call" in inputs and "long_call" not in found:
        inputs["long_call"] = tidy(inputs["short_call"] + found["call_wing"])


def _vertical(found: dict, inputs: dict) -> None:
    for kind in ("put", "call"):
        if f"short_{kind}" in found or f"long_{kind}" in found:
            inputs["kind"] = kind
            if f"short_{kind}" in found:
                inputs["short_strike"] = found[f"short_{kind}"]
            if f"long_{kind}" in found:
                inputs["long_strike"] = found[f"long_{kind}"]
            wing = found.get(f"{kind}_wing")
            if wing and "short_strike" in inputs and "long_strike" not in found:
                inputs["long_strike"] = tidy(inputs["short_strike"] - wing if kind == "put" else inputs["short_strike"] + wing)
            return
    options = found.get("options", [])
    if len(options) == 1:
        inputs["kind"] = options[0][0]


def _credit_points(found: dict, inputs: dict) -> int | float:
    """The credit in index points. A credit written in dollars ("$350 credit") that is larger than the
    widest wing cannot be points, so it is dollars per contract: divided by the multiplier (100).
    With no wing known, a dollar credit of 100 or more is read the same way."""
    credit = found["credit"]
    if found.get("credit_in_dollars"):
        widths = []
        if "short_put" in inputs and "long_put" in inputs:
            widths.append(abs(inputs["short_put"] - inputs["long_put"]))
        if "short_call" in inputs and "long_call" in inputs:
            widths.append(abs(inputs["long_call"] - inputs["short_call"]))
        if "short_strike" in inputs and "long_strike" in inputs:
            widths.append(abs(inputs["short_strike"] - inputs["long_strike"]))
        limit = max(widths) if widths else 100 - 1e-9
        if credit > limit:
            credit /= MULTIPLIER
    return tidy(credit)


def missing_for(calculator: str, inputs: dict, focus: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(PLAIN_NAMES[name] for name in missing_names(calculator, inputs, focus))


def request(calculator: str, inputs: dict, focus: list[str] | tuple[str, ...]) -> CalcRequest:
    chosen = focus_for(calculator, list(focus))
    return CalcRequest(calculator, inputs, missing_for(calculator, inputs, chosen), chosen)


def new_calculation(low: str, found: dict, focus: list[str], named: list[str] | None = None) -> CalcRequest | None:
    """A calculation described from scratch, or None when the message is not one.
    ``named``: the calculators the words name (by default, those the message names)."""
    named = subjects(low) if named is None else named
    calculator = choose(found, named)
    if calculator is None:
        return None
    inputs = inputs_for(calculator, found)
    asks = bool(focus_for(calculator, focus)) or COMPUTE.search(low) is not None
    has_key = any(k in inputs for k in KEY_INPUTS[calculator])
    if EXPLAIN.search(low) and not (COMPUTE_VERB.search(low) or (has_key and focus_for(calculator, focus))):
        return None  # "Why are hedges oversized 2.8x?": a number quoted, nothing asked to compute
    if not has_key and not (asks and inputs) and not COMPUTE_VERB.search(low):
        return None
    return request(calculator, inputs, focus)


def follow_up(low: str, found: dict, focus: list[str], previous: dict, previous_focus) -> CalcRequest | None:
    """The remembered calculation with what this message changes, or None when it changes nothing."""
    calculator = previous.get("calculator")
    if calculator not in FIELDS:
        return None
    if EXPLAIN.search(low) and not COMPUTE.search(low):
        return None  # "why is the max loss so large?" asks for an explanation
    base = inputs_for(calculator, {}, previous.get("inputs") or {})
    inputs = inputs_for(calculator, found, base)
    inputs.update(_fill_the_gap(low, calculator, base, previous_focus))
    asked = focus_for(calculator, focus)
    stated = any(name in found for name in (*FIELDS[calculator], "put_wing", "call_wing"))
    if inputs == base and not stated and not (asked and BACK_REFERENCE.search(low) and not GENERIC.search(low)):
        return None  # nothing changed, and no figure of *this* calculation asked
    return request(calculator, inputs, asked or focus_for(calculator, list(previous_focus or ())))


def _fill_the_gap(low: str, calculator: str, base: dict, previous_focus) -> dict:
    """A bare answer ("4.20", "15%", "30 days") to the one input the last turn asked for."""
    m = re.fullmatch(rf"\s*(?P<d>\$)?\s?(?P<v>{NUM})\s*(?P<u>%|percent|points?|pts?|dollars?|days?|dte)?\s*[.!?]?\s*", low)
    if not m:
        return {}
    gaps = missing_names(calculator, base, previous_focus)
    if len(gaps) != 1 or gaps[0] not in FIELDS[calculator] or gaps[0] == "kind":
        return {}  # several gaps, or one a bare number cannot fill: ask again
    name, value = gaps[0], number(m["v"])
    if name == "correlation":
        return {name: correlation(value, m["u"] in ("%", "percent"))}
    if name in ("iv", "rate", "dividend", "portfolio_vol", "hedge_vol"):
        return {name: fraction(value, m["u"] in ("%", "percent"))}
    if name == "credit":
        return {"credit": _credit_points({"credit": value, "credit_in_dollars": bool(m["d"]) or (m["u"] or "").startswith("dollar")}, base)}
    return {name: tidy(value)}


def missing_names(calculator: str, inputs: dict, focus) -> list[str]:
    """Required inputs not given. For the VIX hedge some come in either of two forms:
    the VIX move as points or as a beta, the loss as dollars or as the condor."""
    needed = list(REQUIRED[calculator])
    if calculator == "iron-condor" and NEEDS_MARKET.intersection(focus or ()):
        needed += MARKET
    given = set(inputs)
    if "vix_rise" in given or "vix_beta" in given:
        given.add("vix_move")
    if "book_loss" in given or "condor" in given:
        given.add("loss")
    if "condor" in given:
        needed.append("spot")
    return [name for name in needed if name not in given]


def from_topic(low: str, found: dict, focus: list[str], topic: str | None) -> CalcRequest | None:
    """A figure asked about the previous turn's subject: "so for a $50,000 hedge, how big is that?" after a
    turn about oversizing. The message names no calculator but points back ("so", "that", "it", "then")
    at a topic that names one, gives a key input and asks a figure that calculator gives."""
    if not topic or not BACK_REFERENCE.search(low) or GENERIC.search(low):
        return None
    named = subjects(topic.lower())
    request = new_calculation(low, found, focus, subjects(low) + named) if named else None
    if request is None or not any(k in request.inputs for k in KEY_INPUTS[request.calculator]):
        return None
    return request if request.focus else None  # a figure that calculator gives, not just "how big is that?"


def calculation(low: str, previous: dict) -> CalcRequest | None:
    """A calculation request: new, or the remembered one changed. None when the message asks none."""
    found = read_all(low)
    focus = read_focus(low)
    fresh = new_calculation(low, found, focus)
    remembered = previous.get("calculation") or None
    if not remembered:
        return fresh or from_topic(low, found, focus, previous.get("topic"))
    if fresh is not None and fresh.calculator != remembered.get("calculator"):
        return fresh  # another calculator: a new question
    if fresh is not None:
        names_position = any(k in fresh.inputs for k in KEY_INPUTS[fresh.calculator])
        complete = not fresh.missing
        if (complete and not STRONG_FOLLOW_UP.search(low)) or (names_position and not FOLLOW_UP.search(low)):
            return fresh  # a new position replaces the remembered one
    return follow_up(low, found, focus, remembered, previous.get("focus") or ()) or fresh


# =============================================================================================
# Greetings, advice, definitions, topics and references
# =============================================================================================

GREETING = re.compile(
    r"^(?:(?:hi|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening|day)|"
    r"thanks|thank you|thank u|thx|ty|cheers|many thanks|bye|goodbye|see you|"
    r"how are you|who are you|what can you do|what do you do|help)"
    r"(?:\s+(?:there|again|so much|very much|a lot|all|vixshield|bot|assistant|mate|friend|doing|today))*[\s!.,:;)?]*)+$"
)
GREETING_PREFIX = re.compile(r"^(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening))(?:\s+there)?\s*[,!.:;-]+\s*|^(?:hi|hello|hey)\s+(?=\w)", re.I)

# A trade decision about one's own position: "close it", "roll", "take profit", "exit my condor".
DECISION = (
    r"(?:close|closing|roll|rolling|exit|exiting|take\s+(?:the\s+|my\s+|some\s+)?(?:profits?|gains?|loss|a\s+loss|it\s+off)|"
    r"cut|hold|keep|stay\s+in|get\s+out|bail|adjust|buy|sell|open|enter|add|put\s+on|short|hedge)"
)
CLAUSE_START = r"(?:^|[.!?,;:]\s*)"  # the start of the message, a sentence or a clause ("..., should I close it?")
ADVICE = [
    rf"(?:{CLAUSE_START}|\b(?:so|ok|okay|hey|honestly|today|tomorrow|now),?\s+)(?:should|shall)\s+(?:i|we)\b",
    rf"{CLAUSE_START}(?:do|can|must)\s+(?:i|we)\s+{DECISION}\b[^.?!]*\b(?:now|today|tomorrow|yet|here|already|right away|at this point)\b",
    rf"{CLAUSE_START}(?:so\s+|ok\s+|okay\s+)?is\s+(?:it|now|this|today)\s+(?:the\s+|a\s+good\s+)?time\s+to\s+{DECISION}\b",
    r"\bdo you think (?:i|we) should\b",
    r"\bwould you\s+(?:\w+\s+)?(?:buy|sell|short|trade|put on|enter|open|take|do|hold|close|go|get)\b",
    r"\b(?:is|isn't|is it)\s+(?:now|it|this|today|tomorrow|this week)\s+(?:a\s+)?(?:good|bad|right|great|smart)\s+(?:time|moment|day|idea|entry|trade)",
    r"\b(?:good|right|best) (?:time|moment|day) to (?:buy|sell|enter|trade|open|short|get into|put on)",
    r"\bwhat (?:should|shall|would you have|do you want) (?:i|me|we) (?:to )?(?:trade|buy|sell|do)\b",
    r"\b(?:do|would|can) you recommend\b|\brecommend (?:me )?(?:a|an|some|which|what)\b|\byour (?:pick|recommendation|tip)s?\b",
    r"\b(?:tell|give) me (?:a |what to )(?:trade|buy|sell|tip|pick)\b",
    r"\bwhich \w+ (?:should|shall) (?:i|we) (?:buy|sell|trade)\b",
    r"\bis (?:it|this|that) (?:a good|a bad|worth)\b.*\b(?:buy|sell|trade|condor|position)\b",
]

DEFINITIONS = [
    r"^what\s+does\s+(?P<t>.+?)\s+stand\s+for$",
    r"^what\s+(?:does|do|did)\s+.+?\s+mean\s+by\s+(?P<t>.+)$",
    r"^what\s+is\s+meant\s+by\s+(?P<t>.+)$",
    r"^what\s+(?:does|do)\s+(?P<t>.+?)\s+mean$",
    r"^(?:what\s+is\s+|what's\s+|whats\s+)?the\s+(?:definition|meaning)\s+of\s+(?P<t>.+)$",
    r"^(?:definition|meaning)\s+of\s+(?P<t>.+)$",
    r"^(?:define|explain)\s+(?P<t>.+)$",
    r"^(?:what|wat|wht|wut)(?:'s|s|\s+is|\s+are|\s+r)\s+(?P<t>.+)$",
    r"^(?P<t>.+?)\s+(?:meaning|definition|stands?\s+for)$",
]
# A term is a short name, not a clause: "the liquidity drag that comes from..." is a methodology question.
CLAUSE_WORDS = {
    "that", "which", "who", "when", "where", "why", "how", "if", "between", "of", "for", "in", "on", "from", "with",
    "during", "to", "vs", "versus", "and", "or", "do", "does", "did", "is", "are", "was", "were", "should", "would",
    "can", "could", "i", "you", "we", "your", "my", "our", "happening", "going", "best", "difference", "role",
}
PRONOUNS = {"it", "this", "that", "they", "them", "these", "those", "its", "their", "he", "she"}
PEOPLE = {"russell clark"}

# Methodology terms, to tell a question's topic when no glossary is at hand.
KNOWN_TERMS = [
    "adaptive layered vix hedge", "alvh", "iron condor", "vix hedge", "vix calls", "basis risk", "second engine",
    "hedge ratio", "decorrelation", "liquidity drag", "wrapped token", "1:1 peg", "steward allocation",
    "maximal extractable value", "mev", "terra-luna", "ftx", "nft", "uvxy", "vix", "theta", "delta", "gamma",
    "vega", "put spread", "call spread", "credit spread", "break-even", "wacc", "spx mastery", "russell clark",
]

BARE_FOLLOW_UP = {
    "why": "why {the}", "why so": "why {the}", "why is that": "why {the}", "why not": "why not {the}",
    "how": "how {the} works", "how so": "how {the} works", "how come": "why {the}",
    "tell me more": "tell me more about {the}", "more": "tell me more about {the}", "go on": "tell me more about {the}",
    "continue": "tell me more about {the}", "elaborate": "tell me more about {the}", "explain": "explain {the}",
    "explain more": "tell me more about {the}", "explain further": "tell me more about {the}",
    "example": "an example of {the}", "for example": "an example of {the}", "an example": "an example of {the}",
    "any examples": "an example of {the}", "really": "is it true about {the}",
}
LEAD_WORDS = re.compile(r"^(?:and|but|so|also|ok|okay|then|hmm|right)\b[\s,]*", re.I)


def is_advice(low: str) -> bool:
    return any(re.search(pattern, low) for pattern in ADVICE)


def _strip_end(text: str) -> str:
    return re.sub(r"[\s?!.]+$", "", text).strip()


def definition_term(text: str, glossary=None) -> str | None:
    """The term of a definition question ("What does ALVH stand for?" -> "ALVH"), else None."""
    plain = _strip_end(LEAD_WORDS.sub("", text))
    for pattern in DEFINITIONS:
        m = re.match(pattern, plain, re.I)
        if not m:
            continue
        term = re.sub(r"^(?:a|an|the)\s+", "", m["t"].strip(" \"'`"), flags=re.I)
        term = re.sub(r"\s+(?:exactly|again|actually|in vixshield|in the methodology)$", "", term, flags=re.I)
        words = term.lower().split()
        if glossary is not None and _glossary_lookup(glossary, term) is not None:
            return term
        if term.lower() in PRONOUNS:
            return term  # "what is it?": the caller puts the previous topic in
        if PRONOUNS.intersection(w.removesuffix("'s") for w in words):
            return None  # "what are its layers?" is a question about the previous topic
        if not words or len(words) > 5 or CLAUSE_WORDS.intersection(words) or re.search(r"\d{3,}", term):
            return None
        return term
    # A bare term: "ALVH?", "MEV", or a glossary name on its own.
    if glossary is not None and _glossary_lookup(glossary, plain) is not None:
        return plain
    if re.fullmatch(r"[A-Z][A-Z0-9&/-]{1,9}s?", plain):
        return plain
    return None


def _glossary_lookup(glossary, name: str):
    try:
        return glossary.lookup(name)
    except Exception:  # a glossary is a helper here: a lookup problem must not break understanding
        return None


def _glossary_find(glossary, text: str) -> list:
    try:
        return list(glossary.find_in(text))
    except Exception:
        return []


def topic_of(text: str, glossary=None) -> str | None:
    """The methodology term this message is about: the glossary's first hit, else a known term, else an acronym."""
    if glossary is not None:
        hits = _glossary_find(glossary, text)
        if hits:
            return hits[0].term
    low = text.lower()
    best = None
    for term in KNOWN_TERMS:
        m = re.search(rf"(?<!\w){re.escape(term)}s?(?!\w)", low)
        if m and (best is None or m.start() < best.start() or (m.start() == best.start() and m.end() > best.end())):
            best = m
    if best is not None:
        return text[best.start() : best.end()]
    m = re.search(r"\b(?!SPX\b|I\b)[A-Z][A-Z0-9&]{1,6}s?\b", text)
    return m.group(0) if m else None


def subject_topic(low: str) -> str | None:
    """The subject of a calculator the message names, as a topic, for a message with no term of its own:
    "how much do the hedges need to be oversized?" -> "decorrelation oversizing" (so that "so for a $50,000
    hedge, how big is that?" can follow it). Not "option": words like "worth" and "premium" name it."""
    named = [name for name in subjects(low) if name != "option"]
    return TOPICS[named[0]] if named else None


def _the(topic: str) -> str:
    """How to name the topic in a sentence: "the ALVH", "the iron condor", "Russell Clark"."""
    if topic.lower() in PEOPLE or topic.lower().startswith("the "):
        return topic
    return f"the {topic}"


def resolve(text: str, topic: str | None, glossary=None) -> tuple[str, bool]:
    """The message with a reference to the previous topic spelled out, and whether one was.

    "and how is it layered?" after the ALVH -> "how is the ALVH layered"; "why?" -> "why the ALVH".
    A message that names its own topic is left as it is.
    """
    if not topic:
        return text, False
    body = _strip_end(LEAD_WORDS.sub("", text))
    low = body.lower()
    if low in BARE_FOLLOW_UP:
        return BARE_FOLLOW_UP[low].format(the=_the(topic)), True
    words = re.findall(r"[a-z']+", low)
    if not PRONOUNS.intersection(w.removesuffix("'s") for w in words):
        return text, False
    own = topic_of(body, glossary)
    if own is not None and own.lower() != topic.lower():
        # "What is MEV and how is it used?": the pronoun points back at the message's own topic.
        first_pronoun = re.search(r"\b(?:" + "|".join(PRONOUNS) + r")\b", low)
        if first_pronoun is None or low.find(own.lower()) < first_pronoun.start():
            return text, False
    if len(words) > 12 and not LEAD_WORDS.match(text):
        return text, False
    the = _the(topic)
    body = re.sub(r"\bit's\b", f"{the} is", body, flags=re.I)
    body = re.sub(r"\b(?:its|their)\b", f"{the}'s", body, flags=re.I)
    body = re.sub(r"\b(?:it|they|them)\b", the, body, flags=re.I)
    # "this" and "that" only where they stand for a thing, not before a noun ("that layer").
    body = re.sub(
        r"\b(?:this|that|these|those)\b(?=\s*$|\s+(?:is|was|are|work|works|mean|means|do|does|help|helps|protect|protects|"
        r"apply|applies|matter|matters|affect|affects|compare|happen|happens|differ|differs|fit|fits|used)\b)",
        the,
        body,
        flags=re.I,
    )
    return body, True


# =============================================================================================
# The entry point
# =============================================================================================


def understand(message: str, previous: dict | None = None, glossary=None) -> Understanding:
    """What ``message`` asks, given the conversation's remembered state ``previous``
    ({"calculation": {"calculator", "inputs"} | None, "topic": str | None, "focus": [...]})."""
    previous = previous or {}
    last_topic = previous.get("topic")
    text = _clean(message or "")
    if GREETING.match(text.lower()):
        return Understanding(Intent.GREETING, query=text, topic=last_topic)
    text = GREETING_PREFIX.sub("", text).strip() or text
    low = _lower(text)
    resolved, referred = resolve(text, last_topic, glossary)

    if is_advice(low):
        return Understanding(Intent.ADVICE, query=resolved, topic=topic_of(text, glossary) or last_topic)

    calc = calculation(low, previous)
    if calc is not None:
        return Understanding(Intent.CALCULATION, calc=calc, query=text, topic=TOPICS.get(calc.calculator, last_topic))

    term = definition_term(text, glossary)
    if term is not None and term.lower() in PRONOUNS:
        term = last_topic  # "what is it?"
    if term is not None:
        known = _glossary_lookup(glossary, term) if glossary is not None else None
        query = text if not referred else resolved
        return Understanding(Intent.DEFINITION, term=term, query=query, topic=getattr(known, "term", None) or term)

    topic = last_topic if referred else (topic_of(text, glossary) or subject_topic(low))
    return Understanding(Intent.METHODOLOGY, query=resolved, topic=topic)
