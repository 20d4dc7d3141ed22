"""Turning passages and calculations into short, cited Markdown answers.

Extractive and deterministic: the answer's sentences are the corpus's own
sentences (or the glossary's definitions), numbered [n] in order of first
use. Calculator answers are composed by their routes (assistant/routes/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from assistant.reply import Citation

DISCLAIMER = "_Educational, not financial advice._"
SCOPE_LINE = (
    "I can help with the VixShield methodology (SPX iron condors hedged with the ALVH, "
    "the Adaptive Layered VIX Hedge), the options and market terms its articles use, "
    "and calculators for iron condors, hedge ratios and correlations."
)
MAX_WORDS = 120

_WORD = re.compile(r"[a-z0-9]+")
_STOP = set(
    "a an the and or of to in on for by with is are was were be been it its this that these those what which who how "
    "does do did can could should would will about as at from into than then there their they them you your i me my "
    "we our us why when where whats what's explain tell more mean means really use used using".split()
)
# Sentences of the corpus that carry no answer on their own.
_BOILERPLATE = re.compile(
    r"^(to (explore|deepen)|this discussion is provided|in the (\w+ )?(world|landscape) of)", re.I
)


# --- citations ------------------------------------------------------------------


@dataclass
class CitationList:
    """Citations numbered 1..n in order of first use; one per passage."""

    items: list[Citation] = field(default_factory=list)
    _by_chunk: dict[str, int] = field(default_factory=dict)

    def cite(self, chunk) -> int:
        if chunk.id not in self._by_chunk:
            number = len(self.items) + 1
            self._by_chunk[chunk.id] = number
            self.items.append(
                Citation(id=number, source_id=chunk.source_id, title=chunk.title, url=chunk.url, text=chunk.text)
            )
        return self._by_chunk[chunk.id]


def renumber(answer: str, citations: list) -> tuple[str, list]:
    """Keep only the citations the answer uses, numbered 1..n in order of first use."""
    by_id = {c.id: c for c in citations}
    order: dict[int, int] = {}
    for found in re.findall(r"\[(\d+)\]", answer):
        old = int(found)
        if old in by_id and old not in order:
            order[old] = len(order) + 1
    answer = re.sub(r"\[(\d+)\]", lambda m: f"[{order.get(int(m.group(1)), m.group(1))}]", answer)
    kept = [by_id[old].model_copy(update={"id": new}) for old, new in order.items()]
    return answer, kept


# --- sentences ------------------------------------------------------------------


def _stem(word: str) -> str:
    """A crude stem, enough to match 'adjusting hedge ratios' with 'adjust the hedge ratio'."""
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def clean_sentence(sentence: str) -> str:
    """A corpus sentence as it reads inside an answer: no bullet dash or heading marks."""
    return re.sub(r"^\s*(?:[-*]\s+|#+\s+)", "", sentence).strip()


@dataclass(frozen=True)
class Candidate:
    chunk: object
    position: int
    text: str
    score: float
    vector: np.ndarray
    sentence: object = None  # the evidence.Sentence it came from, if any


# A sentence that leans on the one before it: never the first sentence of an answer on its own.
DANGLING = re.compile(
    r"^(?:therefore|thus|hence|however|in contrast|by contrast|instead|similarly|moreover|furthermore|additionally|"
    r"also|here|this|these|that|those|it|its|they|their|such|conversely|likewise|as a result|consequently|meanwhile|"
    r"still|yet|but|and|then|otherwise|in (?:this|that|these|such) \w+|during (?:these|this|those|such)|"
    r"at (?:this|that|these) \w+|for (?:this|that) reason|on the other hand|in other words|rather)\b",
    re.I,
)
# ... or that leans on it a few words in: "Within the ALVH it is...", "Sold for a credit, it is...".
LEANS_BACK = re.compile(
    r"^(?:[\w-]+\s+){0,3}(?:it|they|this|these)\s+(?:is|are|was|were|can|could|does|do|has|have|will|would|"
    r"slopes?|rises?|falls?|loses?|gains?|activates?|provides?|allows?)\b|^[^.;]{0,60},\s+(?:it|they)\b|"
    r"^(?:[\w-]+\s+){0,4}(?:these|those)\b|^(?:[\w-]+\s+){1,4}(?:this|that)\s+(?:by|through|via|further|into|with|is|was)\b",  # "The ALVH integrates these signals", "elevates this by"
    re.I,
)


def leans_back(text: str) -> bool:
    return bool(DANGLING.match(text) or LEANS_BACK.match(text))


def choose_evidence(found, table, limit: int = 3, margin: float = 0.15, keep: int = 1) -> list[Candidate]:
    """The best evidence sentences (``evidence.Scored``, best first) as answer candidates.

    The first ``keep`` (the sides of a comparison), then up to ``limit`` sentences within
    ``margin`` of the best score, no near duplicates, at most MAX_WORDS words. A glossary
    definition brings its first two sentences. A sentence opening with a connective or pronoun ("Therefore", "These
    signals") brings the sentence it leans on (up to two back in its passage), or is skipped; a
    sentence that introduces a list ("...several mechanisms:") brings the items after it.
    Returned in reading order: passages in the order first picked, sentences in passage order.
    """
    chosen: list[Candidate] = []
    words = 0
    best = found[0].score if found else 0.0
    for rank, x in enumerate(found):
        if rank >= keep and (len(chosen) >= limit or (chosen and x.score < best - margin)):
            break
        group = [x.sentence]
        if x.sentence.chunk.kind == "glossary" and x.sentence.position < 2:  # a definition reads whole
            group = [s for s in (table.neighbour(x.sentence, p - x.sentence.position) for p in (0, 1)) if s is not None]
        while leans_back(group[0].text) and len(group) <= 2:  # at most two sentences back
            before = table.previous(group[0])
            if before is None:
                break
            group.insert(0, before)
        if leans_back(group[0].text):
            continue
        if group[-1].text.endswith(":"):  # "...through several mechanisms:" needs what follows
            following = [table.neighbour(group[-1], step) for step in (1, 2, 3)]
            following = [s for s in following if s is not None]
            if not following:
                continue
            group += following
        new = [s for s in group if all(s is not c.sentence for c in chosen)]
        if rank >= keep and any(float(s.vector @ c.vector) > 0.9 for s in new for c in chosen if s is not c.sentence):
            continue
        length = sum(len(s.text.split()) for s in new)
        if chosen and words + length > MAX_WORDS and rank >= keep:
            continue
        for s in new:
            chosen.append(Candidate(s.chunk, s.position, s.text, x.score, s.vector, sentence=s))
        words += length
    first = {}
    for i, c in enumerate(chosen):
        first.setdefault(c.chunk.id, i)
    return sorted(chosen, key=lambda c: (first[c.chunk.id], c.position))


def cited_sentences(chosen: list[Candidate], citations: CitationList) -> str:
    """Sentences joined into a paragraph, each passage's marker after its last sentence."""
    parts = []
    for i, cand in enumerate(chosen):
        number = citations.cite(cand.chunk)
        last_of_passage = i + 1 == len(chosen) or chosen[i + 1].chunk.id != cand.chunk.id
        parts.append(f"{cand.text} [{number}]" if last_of_passage else cand.text)
    return " ".join(parts)


# Calculator answers and number formatting live in assistant/routes/ (one route per calculator)
# and assistant/formatting.py.
