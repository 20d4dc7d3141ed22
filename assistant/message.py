"""What a message asks, before it is understood: markup removed, and in a long message the question.

Pasted HTML from a web page or a forum ("<p><b>What is the ALVH?</b></p>") and long messages
with background before the question ("I've traded for three years... What is the ALVH?") are
common. Retrieval and understanding see only the question; the stored turn keeps the whole
message, and every number in it still counts as the user's own.
"""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>", re.S)
_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|tr|blockquote|pre)\s*>|<br\s*/?>", re.I)
# "4.00" and "5,746.5" are not sentence ends, nor "i.e.", "e.g.", "vs." or "etc."
_SENTENCE_END = re.compile(r"(?<![\s(]i\.e\.)(?<![\s(]e\.g\.)(?<!\bvs\.)(?<!\betc\.)(?<=[.!?])\s+|\n+", re.I)
_PRONOUN = re.compile(r"\b(?:it|this|that|these|those|they|them|so)\b[?.!]*$|^(?:is|was|are|does|do) (?:it|this|that)\b|^(?:why|how) (?:is|does|do|did) (?:it|this|that)\b", re.I)


# "Can you give me a one-liner?": a request that names no topic of its own
_REQUEST = re.compile(r"^(?:can|could|would|will) (?:you|u|someone) (?:please |quickly |briefly )?(?:give|explain|help|tell|summari[sz]e|describe|clarify|break)\b(?!.*\b(?:what|how|why)\b)", re.I)
# A question about one's own position, and the sentences before it that state the position's figures
_POSITION_ASK = re.compile(r"\b(?:my|the|this|that|our)\s+(?:position|condor|iron condor|spread|trade|hedge)\b|\b(?:delta|theta|vega|gamma|p\s*/\s*l|p&l|pnl|break-?evens?|max(?:imum)? (?:loss|profit)|probability|pop|odds)\b", re.I)
_POSITION = re.compile(r"\d{3,5}\s*/\s*\d{3,5}|\b(?:iv|spx|vix|credit|dte|days?)\b[^.?!]*\d|\d[^.?!]*\b(?:iv|credit|dte|days?|strike|calls?|puts?)\b", re.I)
_CONTEXT_PHRASE = re.compile(r"\b(?:in|for) (?:this|that) (?:context|case|sense|setting|methodology|framework|thread|approach)\b", re.I)
# Who is asking, not what: "Customer asks: ...", "Relaying from a ticket - user wants a plain definition: ...",
# "Our customer wants to understand why ...", "Trader here - ..."
_ASKER = r"(?:customer|client|caller|user|subscriber|reader|member|trader|newbie|beginner|noob|someone|somebody)s?"
LEAD_IN = re.compile(
    rf"^(?:[^:?!'\"\u2018\u2019\u201c\u201d]{{0,80}}?\b(?:{_ASKER}|ticket|relaying|comment|question|q|queue|inbox|help\s?desk)\b[^:?!'\"\u2018\u2019\u201c\u201d]{{0,60}}?\s*(?::|\s[-\u2013\u2014]+)\s*(?=\S)|"
    rf"(?:(?:our|a|the|my|one) )?{_ASKER} (?:wants|would like|needs|is asking|asks|asked|wonders|is wondering)(?: me)?(?: to (?:know|understand))?\s+(?=(?:why|how|what|whether|if|when|which)\b))",
    re.I,
)
# A word that points at something said before: "what's he getting at?", "why does that matter?"
POINTS_BACK = re.compile(r"\b(?:it|this|that|these|those|they|them|he|she|his|her|each|both)\b", re.I)
# "...measuring the basis risk? where do i start": a follow-on that asks nothing of its own
_TOPICLESS = re.compile(r"^(?:where (?:do|should|would|can) (?:i|we|you|one) (?:even )?(?:start|begin)|any (?:tips|ideas|thoughts|advice)|thoughts|ideas)\b[?.!]*$", re.I)
_ASKS = re.compile(r"^(?:what|whats|what's|which|how|why|when|where|who|is|are|does|do|can|should)\b", re.I)  # a question without "?"


def _leans_back(sentence: str) -> bool:
    """"Why is that?", "Is it?", "Right?": a short question that needs the sentence before it."""
    words = len(sentence.split())
    pointing = _CONTEXT_PHRASE.sub(" ", sentence)  # "in this context" points nowhere
    return words < 4 or bool(_TOPICLESS.match(sentence)) or (words <= 10 and bool(
        _PRONOUN.search(pointing) or _REQUEST.match(sentence) or POINTS_BACK.search(pointing)
    ))


def strip_markup(text: str) -> str:
    """HTML tags and entities removed, whitespace collapsed: '<i>What is MEV?</i>' -> 'What is MEV?'."""
    text = _BLOCK_END.sub("\n", text)  # a paragraph, line or list item ends a sentence
    text = _TAG.sub(" ", text)
    text = _TAG.sub(" ", html.unescape(text))  # tags written as entities: &lt;b&gt;
    text = html.unescape(text).replace("\u00a0", " ")
    text = re.sub(r"\s*\n\s*", "\n", re.sub(r"[^\S\n]+", " ", text)).strip()
    text = re.sub(r"\n{2,}", "\n", text)
    return re.sub(r" ([?!.,;:])(?=\s|$)", r"\1", text).strip()


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def split_clauses(text: str) -> list[str]:
    """Sentences, and clauses set off by a dash or semicolon: "Saw 'X' in a post - what is it?"."""
    return [c.strip() for s in split_sentences(text) for c in re.split(r"\s+[-\u2013\u2014]+\s+|;\s+", s) if c.strip()]


def the_question(text: str) -> str:
    """The question a message of several sentences asks: its last sentence with a question mark
    (with the sentence before it when the question leans on it: "...? Is that right?"). A message
    with no question mark is returned whole."""
    sentences = split_sentences(text)
    asking = [i for i, s in enumerate(sentences) if s.endswith("?") or (i == len(sentences) - 1 and _ASKS.match(s))]
    if not asking:
        return _without_asker(text)
    last = start = asking[-1]
    tail = sentences[last + 1 :]
    if tail and ((sum(len(s.split()) for s in tail) <= 5 and _ASKS.match(tail[0]) or re.match(r"(?:and|or|also|like|i mean|ie|eg)\b", tail[0], re.I))
                 or any(re.search(r"\d", s) for s in tail)):
        last = len(sentences) - 1  # "...earning its keep? what metrics", "...break-evens? Short put 5800 and...": the question's own
    if start > 0 and (sentences[start].endswith("?") or len(sentences[start].split()) <= 6) and sentences[start - 1].endswith("?") and sum(len(s.split()) for s in sentences[start - 1 : last + 1]) <= 35:
        start -= 1  # "Why do they call the ALVH 'adaptive'? Isn't a hedge something you buy once?": one question in two
    if start > 0 and all(_leans_back(s) for s in sentences[start : last + 1]):
        start -= 1  # one sentence back ("...this phrase 'false binary'. what does it mean?")
        while start > 0 and len(sentences[start].split()) < 4:
            start -= 1  # past "Right." or "Hmm."
    if not re.search(r"\d", " ".join(sentences[start : last + 1])) and _POSITION_ASK.search(sentences[last]):
        while start > 0 and _POSITION.search(sentences[start - 1]):
            start -= 1  # "I'm short the 5700/5750/6100/6150 condor (4.10), IV 13%. What's my position delta now?"
    return _without_asker(" ".join(sentences[start : last + 1]))


def _without_asker(question: str) -> str:
    for _ in range(3):  # "Relaying from a ticket - user wants a plain definition: what does vega mean?"
        question = LEAD_IN.sub("", question, count=1)
    return question
