"""The content-gap report: what the knowledge base could not answer, grouped by meaning.

It reads, from the conversation store, the questions declined as not covered
(``grounded: false`` with ``related`` articles: an in-domain question no
article answers) and the answers rated thumbs-down (with the comment), then
groups them by meaning so an editor sees "seven people asked about profit
targets" instead of seven lines:

- every question is encoded with the shipped query encoder (int8 ONNX
  all-MiniLM-L6-v2, the one the index searches with), after dropping the
  words every question here shares (iron condor, SPX, the methodology...),
  which otherwise pull unrelated asks together;
- the similarity of two questions blends the cosine of their vectors with
  the overlap of their stemmed content words (``LEXICAL_WEIGHT``): MiniLM
  alone rates "profit target to exit a condor" and "loss at which to exit a
  condor" 0.81 alike;
- average-linkage agglomerative clustering (scipy) cuts the tree at the
  distance ``DISTANCE_THRESHOLD``: no preset number of groups.

Both constants were tuned with ``scripts/tune_gaps.py`` on the paraphrase sets
in ``tests/data/gap-paraphrases.json`` (see docs/editors.md for the table).

Groups are ordered by size; each has a label (its most central question), its
questions with dates and reasons, and the nearest article when one passes
``NEAREST_FLOOR`` (dense cosine of the label with an article passage).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import numpy as np

DISTANCE_THRESHOLD = 0.75  # cut of the average-linkage tree (1 - blended similarity)
LEXICAL_WEIGHT = 0.4  # share of word overlap (Jaccard of stemmed content words) in the similarity
NEAREST_FLOOR = 0.30  # least dense cosine of an article passage to name it as the nearest article

# Words nearly every question to this assistant contains; they say nothing about what was asked.
DOMAIN_WORDS = re.compile(
    r"\b(?:iron\s+condors?|condors?|spx|vixshield|alvh|(?:the|this)\s+(?:methodology|strategy)|methodology|strategy|"
    r"options?|positions?|trades?|trading|the\s+hedge)\b",
    re.I,
)


def topic_text(question: str) -> str:
    """The question without the words every question here shares."""
    return re.sub(r"\s+", " ", DOMAIN_WORDS.sub(" ", question)).strip() or question.strip()


def similarity_matrix(questions: list[str], encoder) -> np.ndarray:
    """Blended pairwise similarity: (1 - w) * cosine of the topic vectors + w * word overlap."""
    from assistant.compose import content_words

    topics = [topic_text(q) for q in questions]
    vectors = encoder.encode(topics)
    cos = np.asarray(vectors @ vectors.T, dtype=np.float64)
    words = [content_words(t) for t in topics]
    lex = np.array([[len(a & b) / max(1, len(a | b)) for b in words] for a in words], dtype=np.float64)
    return (1 - LEXICAL_WEIGHT) * cos + LEXICAL_WEIGHT * lex


def cluster(similarity: np.ndarray, threshold: float = DISTANCE_THRESHOLD) -> list[list[int]]:
    """Groups of row numbers (average linkage, cut at ``threshold``), largest first, then first asked."""
    n = len(similarity)
    if n == 0:
        return []
    if n == 1:
        return [[0]]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    distance = np.clip(1.0 - similarity, 0.0, None)
    distance = (distance + distance.T) / 2
    np.fill_diagonal(distance, 0.0)
    labels = fcluster(linkage(squareform(distance, checks=False), method="average"), t=threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        groups.setdefault(int(label), []).append(row)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def reason_of(candidate: dict) -> str:
    """"not covered", "thumbs down: <comment>" (or "thumbs down"), or both joined by "; "."""
    reasons = []
    if candidate.get("not_covered"):
        reasons.append("not covered")
    comments = candidate.get("comments")
    if comments is not None:
        reasons.append("thumbs down: " + " / ".join(comments) if comments else "thumbs down")
    return "; ".join(reasons)


@dataclass
class GapReport:
    """The report component. ``__init__`` is light; :meth:`load` loads the encoder and the index once."""

    settings: object
    store: object = None
    index: object = None

    def __post_init__(self) -> None:
        self._encoder = None
        self._lock = threading.Lock()

    def load(self) -> "GapReport":
        with self._lock:
            if self._encoder is None:
                from assistant.embeddings import shared_encoder

                self._encoder = shared_encoder(self.settings, "query").warm_up()
            if self.index is None:
                from assistant.index import SearchIndex

                self.index = SearchIndex(self.settings)
            if getattr(self.index, "_state", None) is None:
                self.index.load()
        return self

    warm_up = load

    def run(self, since: str | None = None) -> dict:
        """``{"since", "groups": [{"label", "count", "questions": [...], "nearest_article"}]}``."""
        since = check_since(since)
        self.load()
        candidates = self.store.gap_candidates(since)
        questions = [c["question"] for c in candidates]
        groups = []
        if questions:
            sim = similarity_matrix(questions, self._encoder)
            for rows in cluster(sim):
                central = max(rows, key=lambda r: sim[r, rows].sum())
                label = questions[central]
                groups.append(
                    {
                        "label": label,
                        "count": len(rows),
                        "questions": [
                            {"question": questions[r], "asked_at": candidates[r]["asked_at"], "reason": reason_of(candidates[r])}
                            for r in sorted(rows, key=lambda r: candidates[r]["asked_at"])
                        ],
                        "nearest_article": self.nearest_article(label),
                    }
                )
        return {"since": since, "groups": groups}

    def nearest_article(self, question: str) -> dict | None:
        best = None
        for hit in self.index.search(question, k=10, mode="dense"):
            if hit.chunk.kind == "article" and (best is None or hit.dense > best.dense):
                best = hit
        if best is None or best.dense < NEAREST_FLOOR:
            return None
        return {"id": best.chunk.source_id, "title": best.chunk.title, "url": best.chunk.url, "score": round(float(best.dense), 3)}


def check_since(since: str | None) -> str | None:
    """``since`` as an ISO date or timestamp, or InvalidInput with a sentence."""
    if since is None or since == "":
        return None
    from datetime import date, datetime

    from assistant.errors import InvalidInput

    text = str(since).strip()
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(text)
            return text
        except ValueError:
            continue
    raise InvalidInput(f"since must be a date such as 2026-05-01, not {since!r}")


def render_text(report: dict) -> str:
    """The report as plain text for the terminal."""
    groups = report["groups"]
    if not groups:
        return "No gaps: no question was declined as not covered and no answer got a thumbs-down" + (
            f" since {report['since']}." if report.get("since") else "."
        )
    lines = [f"{len(groups)} group(s), {sum(g['count'] for g in groups)} question(s)" + (f" since {report['since']}" if report.get("since") else "")]
    for n, group in enumerate(groups, 1):
        lines.append("")
        lines.append(f"{n}. {group['label']}  ({group['count']})")
        for q in group["questions"]:
            lines.append(f"   - {q['asked_at'][:10]}  {q['question']}  [{q['reason']}]")
        art = group["nearest_article"]
        lines.append(f"   nearest article: {art['title']} ({art['url'] or art['id']})" if art else "   nearest article: none")
    return "\n".join(lines)
