"""Passages the index searches: article chunks, one chunk per glossary entry, and sentences.

Light module (stdlib only) so that the answer composer and the tests can use it
without loading any model.

- ``chunk_article``: paragraphs and bullet lists, roughly 40–200 words a chunk.
  A lead-in line ending with ":" stays with its bullets; a ``## heading`` stays
  with what follows it; a paragraph over 200 words is cut at sentence
  boundaries. ``Chunk.text`` is always an exact substring of the article body.
- ``chunk_glossary``: ``"<term>: <definition>"``; aliases go only into the text
  the search engines see (:func:`search_text`), never into ``Chunk.text``.
- ``split_sentences``: exact substrings, in order; knows "e.g.", "vs.", "U.S.",
  decimals, and treats each list item as its own sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_WORDS = 40
MAX_WORDS = 200


@dataclass(frozen=True)
class Chunk:
    id: str  # stable: f"{source_id}#{position}"
    source_id: str  # article id, or "glossary:<term id>"
    title: str  # article title, or the glossary term
    url: str | None
    position: int
    text: str  # exact passage text (articles: an exact substring of the body)
    kind: str  # "article" | "glossary"

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "source_id": self.source_id,
            "title": self.title,
            "url": self.url,
            "position": self.position,
            "text": self.text,
            "kind": self.kind,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Chunk:
        return cls(
            id=data["id"],
            source_id=data["source_id"],
            title=data["title"],
            url=data.get("url"),
            position=int(data["position"]),
            text=data["text"],
            kind=data["kind"],
        )


# --- sentences ------------------------------------------------------------------

# Words that end with a period but do not end a sentence (compared lower-cased, without the final ".").
_ABBREVIATIONS = frozenset(
    """
    e.g i.e vs v cf al approx est fig no nos vol mr mrs ms dr prof sr jr st inc ltd co corp dept
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    u.s u.k u.s.a e.u a.m p.m ph.d
    """.split()
)
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+")
# A sentence end: terminal punctuation, optional closing quotes/brackets, then whitespace.
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"(\S+)$")


def _segments(text: str) -> list[tuple[int, int]]:
    """Spans of prose segments: paragraphs (soft-wrapped lines joined), each list item and heading alone.

    Bullet / number markers and heading hashes are left out of the span.
    """
    spans: list[tuple[int, int]] = []
    cur_start = cur_end = None
    pos = 0
    for line in text.splitlines(keepends=True):
        line_start = pos
        pos += len(line)
        body = line.rstrip("\r\n")
        if not body.strip():
            if cur_start is not None:
                spans.append((cur_start, cur_end))
                cur_start = None
            continue
        marker = _LIST_ITEM.match(body) or _HEADING.match(body)
        lead = len(body) - len(body.lstrip())
        content_start = line_start + (marker.end() if marker else lead)
        content_end = line_start + len(body.rstrip())
        if content_end <= content_start:
            continue
        if marker or cur_start is None:
            if cur_start is not None:
                spans.append((cur_start, cur_end))
            cur_start, cur_end = content_start, content_end
            if _HEADING.match(body):  # a heading never runs into the next line
                spans.append((cur_start, cur_end))
                cur_start = None
        else:  # continuation line of a paragraph or of a list item
            cur_end = content_end
    if cur_start is not None:
        spans.append((cur_start, cur_end))
    return spans


def _is_abbreviation(text: str, end: int) -> bool:
    """True when the period at text[end - 1] closes an abbreviation, not a sentence."""
    m = _WORD_BEFORE.search(text, 0, end)
    if not m:
        return False
    word = m.group(1).lstrip("(\"'“‘[").lower()
    if not word.endswith("."):
        return False
    stem = word[:-1]
    if stem in _ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: "J.", "U.S.", "S.E.C."
    return bool(re.fullmatch(r"(?:[a-z]\.)*[a-z]", stem))


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for seg_start, seg_end in _segments(text):
        start = seg_start
        for m in _END.finditer(text, seg_start, seg_end):
            end = m.end()
            if text[m.start()] == "." and m.group().rstrip("\"'”’)]") == "." and _is_abbreviation(text, m.start() + 1):
                continue
            nxt = re.compile(r"\s+").match(text, end, seg_end)
            after = nxt.end() if nxt else end
            if after >= seg_end:
                break
            ch = text[after]
            # A new sentence starts with a capital, a digit, a quote or a bracket; "e.g. the" does not.
            if not (ch.isupper() or ch.isdigit() or ch in "\"'“‘([$"):
                continue
            if text[start:end].strip():
                spans.append((start, end))
            start = after
        if text[start:seg_end].strip():
            spans.append((start, seg_end))
    return spans


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``, each an exact substring of it, in order."""
    return [text[s:e] for s, e in _sentence_spans(text)]


# --- articles -------------------------------------------------------------------


def _words(s: str) -> int:
    return len(s.split())


@dataclass
class _Unit:
    start: int
    end: int
    words: int
    kind: str = "para"  # "para" | "item" | "heading"
    glue_next: bool = False  # a heading or lead-in that must stay with the next unit


def _units(body: str) -> list[_Unit]:
    """Atomic pieces: paragraphs, headings, single list items (each with its exact span)."""
    units: list[_Unit] = []
    cur: _Unit | None = None

    def flush():
        nonlocal cur
        if cur is not None:
            cur.words = _words(body[cur.start : cur.end])
            units.append(cur)
            cur = None

    pos = 0
    for line in body.splitlines(keepends=True):
        l_start = pos
        pos += len(line)
        content = line.rstrip()
        if not content.strip():
            flush()  # a blank line ends a paragraph or a list item
            continue
        c_start = l_start + len(line) - len(line.lstrip())
        c_end = l_start + len(content)
        if _HEADING.match(line):
            flush()
            units.append(_Unit(c_start, c_end, _words(content), kind="heading", glue_next=True))
        elif _LIST_ITEM.match(line):
            flush()
            cur = _Unit(c_start, c_end, 0, kind="item")
        elif cur is not None:  # continuation of a paragraph or a list item
            cur.end = c_end
        else:
            cur = _Unit(c_start, c_end, 0)
    flush()
    # A paragraph ending with ":" introduces the list (or paragraph) after it.
    for u in units[:-1]:
        if u.kind == "para" and body[u.start : u.end].endswith(":"):
            u.glue_next = True
    return units


def _split_long(body: str, u: _Unit) -> list[_Unit]:
    """Cut a unit of more than MAX_WORDS at sentence boundaries into near-equal parts."""
    if u.words <= MAX_WORDS:
        return [u]
    piece = body[u.start : u.end]
    spans = [(u.start + s, u.start + e) for s, e in _sentence_spans(piece)]
    if len(spans) < 2:
        return [u]
    n_parts = -(-u.words // MAX_WORDS)
    target = u.words / n_parts
    parts: list[_Unit] = []
    cur_start, cur_words = spans[0][0], 0
    prev_end = spans[0][0]
    for s, e in spans:
        w = _words(body[s:e])
        if cur_words and cur_words + w / 2 > target and len(parts) < n_parts - 1:
            parts.append(_Unit(cur_start, prev_end, cur_words))
            cur_start, cur_words = s, 0
        cur_words += w
        prev_end = e
    parts.append(_Unit(cur_start, u.end, _words(body[cur_start : u.end])))
    return parts


def _group(units: list[_Unit]) -> list[list[_Unit]]:
    """Group units into chunks: glued units stay together, short ones merge with a neighbour."""
    groups: list[list[_Unit]] = []
    cur: list[_Unit] = []
    cur_words = 0

    for u in units:
        if not cur:
            cur, cur_words = [u], u.words
            continue
        last = cur[-1]
        glued = last.glue_next
        fits = cur_words + u.words <= MAX_WORDS
        same_list = last.kind == "item" and u.kind == "item"
        if glued and (fits or len(cur) == 1 or cur_words < MIN_WORDS):
            cur.append(u)
            cur_words += u.words
        elif fits and (cur_words < MIN_WORDS or same_list):
            cur.append(u)
            cur_words += u.words
        else:
            groups.append(cur)
            cur, cur_words = [u], u.words
    if cur:
        if groups and cur_words < MIN_WORDS and sum(x.words for x in groups[-1]) + cur_words <= MAX_WORDS:
            groups[-1].extend(cur)
        else:
            groups.append(cur)
    return groups


def chunk_article(article) -> list[Chunk]:
    """Chunks of one article (``assistant.ingest.Article``), in reading order."""
    body: str = article.body
    units: list[_Unit] = []
    for u in _units(body):
        parts = _split_long(body, u)
        for p in parts:
            p.kind = u.kind
            p.glue_next = False
        parts[-1].glue_next = u.glue_next
        units.extend(parts)
    chunks = []
    for position, group in enumerate(_group(units)):
        text = body[group[0].start : group[-1].end]
        chunks.append(
            Chunk(
                id=f"{article.id}#{position}",
                source_id=article.id,
                title=article.title,
                url=article.url,
                position=position,
                text=text,
                kind="article",
            )
        )
    return chunks


# --- glossary -------------------------------------------------------------------


def glossary_source_id(term_id: str) -> str:
    return f"glossary:{term_id}"


def chunk_glossary(glossary) -> list[Chunk]:
    """One chunk per glossary entry: ``text = f"{term}: {definition}"``."""
    chunks = []
    for term in _terms(glossary):
        source_id = glossary_source_id(term.id)
        chunks.append(
            Chunk(
                id=f"{source_id}#0",
                source_id=source_id,
                title=term.term,
                url=None,
                position=0,
                text=f"{term.term}: {term.definition.strip()}",
                kind="glossary",
            )
        )
    return chunks


def _terms(glossary) -> list:
    terms = getattr(glossary, "terms", glossary)
    if isinstance(terms, dict):
        terms = list(terms.values())
    return list(terms)


def search_text(chunk: Chunk, term=None) -> str:
    """What the embedding model and BM25 see for a chunk (``Chunk.text`` stays the readable passage).

    Glossary entries add their aliases ("ALVH", "Adaptive Layered VIX Hedge", ...)
    so that a question using any spelling finds them.
    """
    if chunk.kind == "glossary" and term is not None:
        aliases = [a for a in (term.aliases or []) if a and a.lower() != term.term.lower()]
        if aliases:
            return f"{term.term} ({'; '.join(aliases)}): {term.definition.strip()}"
    return chunk.text
