"""Intents: greetings, advice, definitions, and the topic a message is about (with references to the
previous topic resolved). Calculations are read in assistant/understand/calc.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from assistant.understand.calc import CalcRequest


class Intent(StrEnum):
    GREETING = "greeting"
    DEFINITION = "definition"
    METHODOLOGY = "methodology"
    CALCULATION = "calculation"
    ADVICE = "advice"
    OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class Understanding:
    intent: Intent
    calc: CalcRequest | None = None
    term: str | None = None  # DEFINITION: the phrase asked about
    query: str = ""  # text to retrieve with, follow-up references resolved
    topic: str | None = None  # what this turn is about, for the next turn's references


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
CLAUSE_START = r"(?:^|[.!?,;:]\s*|\s[-\u2013\u2014]+\s*)"  # the start of the message, a sentence or a clause ("..., should I close it?")
ADVICE = [
    rf"(?:{CLAUSE_START}|\b(?:so|ok|okay|hey|honestly|today|tomorrow|now),?\s+)(?:should|shall)\s+(?:i|we)\b",
    rf"{CLAUSE_START}(?:do|can|must)\s+(?:i|we)\s+{DECISION}\b[^.?!]*\b(?:now|today|tomorrow|yet|here|already|right away|at this point)\b",
    rf"{CLAUSE_START}(?:so\s+|ok\s+|okay\s+)?is\s+(?:it|now|this|today)\s+(?:the\s+|a\s+good\s+)?time\s+to\s+{DECISION}\b",
    r"\bdo you think (?:i|we) should\b",
    r"\bwould you\s+(?:\w+\s+)?(?:buy|sell|short|trade|put on|enter|open|take|do|hold|close|go(?!\s+about)|get|put|invest|allocate|risk|move)\b",
    r"\b(?:is|was|would)\s+it\s+(?:be\s+)?(?:smart|wise|a\s+good\s+idea|a\s+bad\s+idea|dumb|crazy|stupid|safe|ok|okay|too\s+risky|risky)\s+(?:for\s+me\s+)?to\b",
    r"\b(?:is|isn't|is it)\s+(?:now|it|this|today|tomorrow|this week)\s+(?:a\s+)?(?:good|bad|right|great|smart)\s+(?:time|moment|day|idea|entry|trade)",
    r"\b(?:good|right|best|bad) (?:time|moment|day|idea)(?: for (?:me|us))? to (?:buy|sell|enter|trade|open|short|get into|put on|load up|add|go long|go short|get in|get out)",
    rf"{CLAUSE_START}(?:so\s+)?(?:do|should|can|shall)\s+(?:i|we)\s+{DECISION}\b[^.?!]*\bor\b",  # "do I roll it down or take the L?"
    r"\b(?:u|you|ya)\s+think\b[^.?!]*\b(?:too\s+(?:much|many|big|risky|aggressive)|enough|ok|okay|fine|safe|smart|wise)\b",
    r"\btoo\s+(?:much|many|big|risky|aggressive)\s+for\s+(?:me|my\s+account|my\s+size)\b",
    r"\by\s*/\s*n\b|\b(?:good|bad|smart|dumb|wise)\s+(?:idea|move|plan|call)\s*\?+\s*$",  # "going all in on UVXY calls... good idea y/n?"
    # "close it, roll it, or hold??": a choice between trade decisions
    rf"\b{DECISION}\b(?:\s+(?:it|them|this|that))?\s*,\s*(?:{DECISION}\b(?:\s+(?:it|them|this|that))?\s*,?\s*)*or\s+{DECISION}\b",
    r"\bwhat (?:should|shall|would you have|do you want) (?:i|me|we) (?:to )?(?:trade|buy|sell|do)\b",
    r"\b(?:do|would|can) you recommend\b|\brecommend (?:me )?(?:a|an|some|which|what)\b|\byour (?:pick|recommendation|tip)s?\b",
    r"\b(?:tell|give) me (?:a |what to )(?:trade|buy|sell|tip|pick)\b",
    r"\bwhich \w+ (?:should|shall) (?:i|we) (?:buy|sell|trade)\b",
    r"\bis (?:it|this|that) (?:a good|a bad|worth)\b.*\b(?:buy|sell|trade|condor|position)\b",
]

WHAT = r"(?:what|wat|wht|wut|wtf)"  # and the ways a quick message spells it

DEFINITIONS = [
    r"^what\s+does\s+(?P<t>.+?)\s+stand\s+for$",
    r"^what(?:'s|s|\s+does|\s+do|\s+is)?\s+(?P<t>[\w&/-]+)\s+(?:stand|short)\s+for\b",  # "whats ALVH stand for and whats the basic idea"
    r"^what(?:'s|s|\s+is|\s+are)\s+(?:the|this|that)?\s*(?P<t>.+?)(?:\s+thing)?\s+(?:\w+\s+){0,5}?(?:keeps?\s+(?:going\s+on|talking|harping\s+on)\s+about|keeps?\s+(?:bringing\s+up|mentioning|using|referencing|saying)|"
    r"(?:talks?|writes?|wrote|goes\s+on)\s+about|mentions?|mentioned|refers?\s+to|means\s+by)\b.*$",
    rf"^{WHAT}\s+(?:does|do|did)\s+.+?\s+mean\s+by\s+(?P<t>.+)$",
    r"^what\s+is\s+meant\s+by\s+(?P<t>.+)$",
    r"^(?:remind|tell|show)\s+(?:me|us)\s+(?:again\s+)?what\s+(?P<t>.+?)\s+(?:is|are|means?|stands?\s+for)(?:\s+again)?$",
    # "Customer wants to know what "the false binary" means in the course material. Can you give me a one-liner?"
    r"^.*?\b(?:know|asking|asks|asked|wondering|wonders|understand|tell\s+(?:me|them|him|her))\s+what\s+(?P<t>.+?)\s+means\b.*$",
    rf"^{WHAT}\s+(?:does|do)\s+(?P<t>.+?)\s+mean(?:\s+(?:when|in|here|for|to|as|if|on|at|with|from)\b.*)?$",  # "...mean in this context?"
    r"^(?:eli5|explain\s+like\s+i'?m\s+(?:5|five))[:,]?\s+(?P<t>.+?)(?:\s+(?:pls|please|plz))?$",
    r"^what(?:'s|s|\s+is)\s+(?P<t>he|she|it|this|that|clark|russell clark|the author)\s+(?:actually\s+|really\s+)?(?:getting|driving)\s+at$",
    r"^(?:what\s+is\s+|what's\s+|whats\s+)?the\s+(?:definition|meaning)\s+of\s+(?P<t>.+)$",
    r"^(?:definition|meaning|defn|def)\s+of\s+(?P<t>.+?)(?:[\s,]+(?:pls|please|plz|thx|thanks))*(?:[\s,]+in\s+(?:plain|simple)\s+(?:english|terms|words|language))?$",
    r"^(?P<t>.+?)\s*=\s*\?+.*$",  # "big top temporal theta cash press = ??"
    r"^(?P<t>.+?)\s+in\s+(?:one|a|1|two|2)\s+(?:sentence|line|word)s?$",  # "ALVH in one sentence?"
    r"^(?:what(?:'s|s|\s+is|\s+are)\s+)?(?P<t>.+?)\s+(?:in\s+a\s+nutshell|in\s+short|in\s+brief|tl;?dr|eli5)$",
    # "When Clark talks about 'time travel' for trades, what does he actually mean?"
    r"^(?:when|if)\s+.+?\b(?:talks?|writes?|speaks?)\s+about\s+(?P<t>['\"][^'\"]+['\"]|[\w-]+(?:\s+[\w-]+)?)(?:\s+(?:for|in|with)\s+\w+)?,?\s+what\s+(?:does|do|did)\s+(?:he|she|they|clark|it)\s+(?:actually\s+|really\s+)?mean$",
    r"^(?:define|explain)\s+(?P<t>.+?)(?:\s+for\s+(?:me|us))?(?:\s*\([^)]*\))?$",
    rf"^{WHAT}\s+(?:does|do)\s+(?P<t>[\w&/-]+(?:\s+[\w&/-]+)?)\s+(?:measure|track|tell\s+(?:me|you|us)|show|capture)$",  # "what does vega measure?"
    r"^(?P<t>[\w&/'\"-]+(?:\s+[\w&/'\"-]+){0,3}?)\s+means\s+what(?:\s+exactly)?$",  # "OTM means what exactly?"
    # "saw 'the false binary' in a thread, what's that supposed to mean": the quoted name is the term
    r"^.*?(?P<t>'[^']{3,40}'|\"[^\"]{3,40}\"|\u2018[^\u2019]{3,40}\u2019|\u201c[^\u201d]{3,40}\u201d).*?\bwhat(?:'s|s|\s+is|\s+does|\s+do)\s+(?:that|it|this)\s+(?:(?:supposed|meant)\s+to\s+)?mean$",
    r"^(?:can|could|would)\s+(?:someone|somebody|you|u)\s+(?:pls\s+|please\s+)?(?:explain|define)\s+(?:the\s+)?(?P<t>.+?)(?:\s+(?:thing|concept|idea|term|principle)(?:\s+(?:behind|of|in)\s+(?:the\s+)?[\w-]+)?)?"
    r"(?:\s+(?:in\s+(?:plain|simple)\s+(?:english|terms|words|language)|simply|to\s+me))?(?:\s+(?:pls|please|plz))?$",
    rf"^{WHAT}(?:\s+exactly|\s+really|\s+actually)?(?:'s|s|\s+is|\s+are|\s+r)\s+(?P<t>.+?)(?:\s+and\s+(?:what|how)\s+(?:does|do|is)\s+(?:it|they)\b.*)?$",
    r"^(?P<t>.+?)\s+(?:meaning|definition|stands?\s+for)(?:[\s,]+(?:pls|please|plz|thx|short\s+one|briefly|quickly|in\s+short))*$",
    r"^(?:what(?:'s|s|\s+is)\s+)?(?P<t>.+?)[?!.\s]+(?:in\s+(?:plain|simple)\s+(?:english|terms|words|language)|simply|eli5|for\s+(?:a\s+)?beginners?)(?:\s+(?:pls|please|plz|thx|thanks))?$",
]
# How the answer should read, or where the term is from, at the end of a definition question
ASIDE = (
    r"(?:[\s,;:-]+(?:pls|please|plz|thx|thanks|ty|(?:keep it|make it) (?:simple|short|brief|quick)|briefly|quickly|simply|eli5|"
    r"in (?:plain|simple) (?:english|terms|words|language)|for (?:a )?beginners?)|\s*\([^)]*\))\s*$"
)
QUOTED = r"['\"\u2018\u201c]([^'\"\u2019\u201d]{3,40})['\"\u2019\u201d]"
ASKS_MEANING = rf"\b{WHAT}\b[^.?!]*\b(?:mean|means|meant|is|are|refers?\s+to)\b|\b(?:explain|define)\b"
# A term is a short name, not a clause: "the liquidity drag that comes from..." is a methodology question.
CLAUSE_WORDS = {
    "that", "which", "who", "when", "where", "why", "how", "if", "between", "of", "for", "in", "on", "from", "with",
    "during", "to", "vs", "versus", "and", "or", "do", "does", "did", "is", "are", "was", "were", "should", "would",
    "can", "could", "i", "you", "we", "your", "my", "our", "happening", "going", "best", "difference", "role",
}
PRONOUNS = {"it", "this", "that", "they", "them", "these", "those", "its", "their", "he", "she", "clark", "russell clark", "the author"}
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
LEAD_WORDS = re.compile(
    r"^(?:(?:(?:so\s+)?anyway|anyhow|btw|by the way|and|but|so|also|ok|okay|then|hmm|right|seriously(?: though)?|sorry|honestly|"
    r"quick question|quick one|quick q|newbie question|hey|hi|yo|dumb q(?:uestion)?|stupid q(?:uestion)?|noob q(?:uestion)?)\b[\s,:-]*)+",
    re.I,
)


# Position sizing for oneself: "How many condor contracts should I trade?", "how big should my position be
# with a $50k account?". Not a sizing a calculator does ("how many VIX calls should I buy to offset the loss?").
SIZING = [
    r"\bhow (?:many|much)\b[^.?!]*?\b(?:should|shall)\s+(?:i|we)\s+(?:be\s+)?(?:trade|trading|sell|selling|buy|buying|open|opening|put on|putting on|"
    r"risk|risking|allocate|allocating|use|using|run|running|hold|holding|start with|do|put)\b",
    r"\bhow (?:many|much)\b[^.?!]*?\b(?:i|we)\s+should\s+(?:be\s+)?(?:trade|trading|sell|selling|buy|buying|open|risk|run|running|use)\b",  # "how many contract I should trade"
    r"\b(?:right|correct|good|proper|best)\s+(?:position\s+)?size\s+for\s+(?:me|my|us)\b",
    r"\bhow (?:many|much)\b[^.?!]*?\b(?:should|shall)\s+(?:someone|somebody|one|a\s+trader|a\s+person|people|traders)\b[^.?!]*?"
    r"\b(?:trade|trading|sell|selling|buy|buying|open|opening|put on|risk|risking|allocate|allocating|run|running|hold|holding)\b",
    r"\bhow (?:big|large)\s+(?:should|shall)\s+(?:my|our|the|a)\s+(?:[\w-]+\s+){0,2}?(?:positions?|trades?|size|allocation|bets?|book)\b",
    r"\b(?:what|which)\s+(?:position\s+|trade\s+)?size\s+(?:should|shall)\s+(?:i|we)\b",
]
CALCULATOR_SIZING = r"\boffset\b|\bcover\b|\bloss\b|\boversiz|\bhedge ratio\b|\bvix calls?\b"


def is_advice(low: str) -> bool:
    if any(re.search(pattern, low) for pattern in ADVICE):
        return True
    return any(re.search(pattern, low) for pattern in SIZING) and not re.search(CALCULATOR_SIZING, low)


def _strip_end(text: str) -> str:
    return re.sub(r"[\s?!.]+$", "", text).strip()


def definition_term(text: str, glossary=None) -> str | None:
    """The term of a definition question ("What does ALVH stand for?" -> "ALVH"), else None."""
    quoted = re.search(r"[\"\u201c]([^\"\u201d]{5,120}\?)[\"\u201d]", text)
    if quoted and quoted.group(0) != text.strip():  # 'Support ticket: "what exactly is basis risk?" Can you give me a definition?'
        inner = definition_term(quoted[1], glossary)
        if inner is not None:
            return inner
    plain = _strip_end(LEAD_WORDS.sub("", text))
    before = plain
    for _ in range(3):  # "define basis risk pls, keep it simple", "what is vega, in plain english", "contango (in vix futures)"
        plain = _strip_end(re.sub(ASIDE, "", plain, flags=re.I))
    if plain != before and 0 < len(plain.split()) <= 4 and not CLAUSE_WORDS.intersection(plain.lower().split()) and not re.search(r"[?!.]", plain):
        if not re.match(rf"(?:{WHAT}|define|explain|whats|how|why)\b", plain, re.I):
            return plain  # "vega?? in plain english pls": a bare term asked plainly
    if ":" in plain and not re.search(r"\d:\d", plain):  # "quick one, new to options: what does vega measure??"
        after = plain.rsplit(":", 1)[1].strip()
        if after and after != plain and re.match(rf"(?:{WHAT}|define|explain|whats)\b", after, re.I):
            plain = after
    # A quoted glossary name in a message that asks what something means: "Clark keeps using the phrase "time
    # travel". What does he mean by it?", "a customer wants to know what the "false binary" is"
    if glossary is not None and re.search(ASKS_MEANING, text, re.I):
        quoted = [re.sub(r"^(?:a|an|the)\s+", "", q.strip(), flags=re.I) for q in re.findall(QUOTED, text)]
        found = [q for q in quoted if _glossary_lookup(glossary, q) is not None]
        if len(found) == 1:
            return found[0]
    for pattern in DEFINITIONS:
        m = re.match(pattern, plain, re.I)
        if not m:
            continue
        term = re.sub(r"^(?:a|an|the)\s+", "", m["t"].strip(" \"'`"), flags=re.I)
        term = re.sub(r"\s+(?:exactly|again|actually|in vixshield|in the methodology)$", "", term, flags=re.I)
        # "the false binary in spx mastery", "the 'second engine' in russell clark's stuff": where it is from, not part of it
        term = re.sub(r"\s+(?:in|from|of|per)\s+(?:the\s+)?(?:spx\s+mastery|vixshield(?:\s+methodology)?|methodology|book|course|(?:russell\s+)?clark(?:'s)?(?:\s+\w+)?|his\s+\w+)$", "", term, flags=re.I).strip(" \"'`")
        term = re.sub(r"\s+(?:on|for|in)\s+(?:an?\s+)?options?$", "", term, flags=re.I)  # "extrinsic value on an option"
        names = [part.strip(" \"'`") for part in re.split(r"\s+/\s+", term)]
        if len(names) > 1:  # "the 'false binary' / loyalty vs motion thing": one term under two names
            found = next((n for n in names if glossary is not None and _glossary_lookup(glossary, n) is not None), None)
            term = found or names[0]
        words = term.lower().split()
        if glossary is not None and _glossary_lookup(glossary, term) is not None:
            return term
        if term.lower() in PRONOUNS or re.fullmatch(r"(?:that|this|the) (?:term|word|abbreviation|acronym|phrase|expression|thing|concept)", term.lower()):
            return "it"  # "what is it?", "what does that abbreviation mean?": the caller puts the previous topic in
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


def _short_name(topic: str) -> str:
    """The topic without its bracketed alias: "NFT (Non-Fungible Token)" -> "NFT"."""
    return re.sub(r"\s*\([^)]*\)", "", topic).strip() or topic


def _names_of(topic: str, glossary) -> list[str]:
    """The names a topic goes by, lower case: "NFT (Non-Fungible Token)" -> ["nft (non-fungible token)", "nft", ...]."""
    names = {topic.lower(), _short_name(topic).lower()}
    term = _glossary_lookup(glossary, topic) if glossary is not None else None
    names |= {n.lower() for n in getattr(term, "names", ())}
    return [n for n in names if n]


def _the(topic: str) -> str:
    """How to name the topic in a sentence: "the ALVH", "the iron condor", "Russell Clark" (without a
    bracketed alias: "The False Binary (Loyalty vs. Motion)" would read as a comparison)."""
    topic = _short_name(topic)
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
        if re.match(r"\s*(?:and|also|so)\b", text, re.I) and len(words) <= 12 and topic_of(body, glossary) is None:
            return f"{body} in {_the(topic)}", True  # "and how big is each layer?" after the ALVH
        return text, False
    own = topic_of(body, glossary)
    if own is not None and own.lower() != topic.lower():
        # "What is MEV and how is it used?": the pronoun points back at the message's own topic.
        first_pronoun = re.search(r"\b(?:" + "|".join(PRONOUNS) + r")\b", low)
        named_at = [low.find(name) for name in _names_of(own, glossary) if low.find(name) >= 0]
        if first_pronoun is None or (named_at and min(named_at) < first_pronoun.start()):
            return text, False
    if len(words) > 12 and not LEAD_WORDS.match(text):
        return text, False
    the = _the(topic)
    body = re.sub(r"\bit's\b", f"{the} is", body, flags=re.I)
    body = re.sub(r"\b(?:its|their)\b", f"{the}'s", body, flags=re.I)
    body = re.sub(r"\b(?:it|they|them)\b", the, body, flags=re.I)
    # "why is that a problem...?", "is this such a big deal?": "that" stands for the thing after a verb
    body = re.sub(
        r"\b(is|was|are|were|isn't|wasn't)\s+(?:this|that)\b(?=\s+(?:a|an|so|such|really|even|bad|good|important|relevant|risky|dangerous|necessary|needed)\b)",
        lambda m: f"{m[1]} {the}",
        body,
        flags=re.I,
    )
    # "this" and "that" only where they stand for a thing, not before a noun ("that layer").
    body = re.sub(
        r"\b(?:this|that|these|those)\b(?=\s*$|\s+(?:is|was|are|work|works|mean|means|do|does|help|helps|protect|protects|"
        r"apply|applies|matter|matters|affect|affects|compare|happen|happens|differ|differs|fit|fits|used)\b)",
        the,
        body,
        flags=re.I,
    )
    return body, True
