"""Curated answers: questions the editors answered themselves, in ``corpus/answers/<id>.md``.

A file holds front matter with ``question`` (and optional ``aliases``, a list
of other phrasings) and the answer as its Markdown body::

    ---
    question: Do you take profits at 50% of max profit?
    aliases:
    - When do you close a winning iron condor?
    ---
    The methodology does not fix one profit target ...

:class:`CuratedAnswers` loads the files, encodes each question and alias with
the query encoder the index searches with, and keeps the normalised vectors
in memory. :meth:`CuratedAnswers.match` returns the answer whose question (or
alias) is closest to a question, when the cosine reaches ``MATCH_THRESHOLD``.
:meth:`add` writes a file atomically and appends its vectors (nothing else is
re-encoded); :meth:`remove` deletes one. Another process (a second worker)
that sees the folder change picks up the difference on its next ``match``.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import yaml

from assistant.errors import InvalidInput, NotFound

MATCH_THRESHOLD = 0.80  # least cosine of a question and a curated question or alias (scripts/tune_answers.py: 0 false matches over 245 chat-case questions)
DUPLICATE_THRESHOLD = 0.95  # a new question this close to an existing one is a duplicate
MAX_QUESTION_CHARS = 500
MAX_ANSWER_CHARS = 8000
MAX_ALIASES = 20
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass(frozen=True)
class CuratedAnswer:
    id: str
    question: str
    answer: str
    aliases: tuple[str, ...] = ()
    created_at: str | None = None

    @property
    def source_id(self) -> str:
        return f"answer:{self.id}"

    def to_dict(self) -> dict:
        return {"id": self.id, "source_id": self.source_id, "question": self.question,
                "aliases": list(self.aliases), "answer": self.answer, "created_at": self.created_at}


def normalise(text: str) -> str:
    """Lower case, accents and punctuation dropped, spaces collapsed: for duplicate checks."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9%]+", text))


def slug(text: str) -> str:
    words = normalise(text).replace("%", " percent").split()
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > 60:
            break
        out = f"{out}-{w}" if out else w
    return out or "answer"


def parse(path: Path) -> CuratedAnswer:
    """One answer file, or InvalidInput naming the file and what is wrong."""
    text = path.read_text(encoding="utf-8")
    m = re.match(r"^---\s*\n(.*?)\n---\s*\n?(.*)$", text, re.S)
    if not m:
        raise InvalidInput(f"{path.name}: no front matter (a '---' block with 'question:')")
    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as err:
        raise InvalidInput(f"{path.name}: the front matter is not valid YAML ({err.__class__.__name__})") from None
    if not isinstance(meta, dict):
        raise InvalidInput(f"{path.name}: the front matter must be a mapping")
    aliases = meta.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    created = meta.get("created_at")
    question, answer, aliases = check(meta.get("question"), m.group(2), aliases, where=f"{path.name}: ")
    return CuratedAnswer(path.stem, question, answer, tuple(aliases), None if created is None else str(created))


def check(question, answer, aliases=None, where: str = "") -> tuple[str, str, list[str]]:
    """Cleaned (question, answer, aliases), or InvalidInput with one sentence."""
    if not isinstance(question, str) or not question.strip():
        raise InvalidInput(f"{where}question is empty: write the question the answer is for")
    question = " ".join(question.split())
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidInput(f"{where}question is {len(question):,} characters long; the limit is {MAX_QUESTION_CHARS:,}")
    if not isinstance(answer, str) or not answer.strip():
        raise InvalidInput(f"{where}answer is empty: write the answer in Markdown")
    answer = answer.strip()
    if len(answer) > MAX_ANSWER_CHARS:
        raise InvalidInput(f"{where}answer is {len(answer):,} characters long; the limit is {MAX_ANSWER_CHARS:,}")
    if aliases is None:
        aliases = []
    if not isinstance(aliases, (list, tuple)) or not all(isinstance(a, str) for a in aliases):
        raise InvalidInput(f"{where}aliases must be a list of questions")
    cleaned = []
    for alias in aliases:
        alias = " ".join(alias.split())
        if not alias or normalise(alias) == normalise(question) or alias in cleaned:
            continue
        if len(alias) > MAX_QUESTION_CHARS:
            raise InvalidInput(f"{where}an alias is {len(alias):,} characters long; the limit is {MAX_QUESTION_CHARS:,}")
        cleaned.append(alias)
    if len(cleaned) > MAX_ALIASES:
        raise InvalidInput(f"{where}{len(cleaned)} aliases; the limit is {MAX_ALIASES}")
    return question, answer, cleaned


def render(answer: CuratedAnswer) -> str:
    meta = {"question": answer.question}
    if answer.aliases:
        meta["aliases"] = list(answer.aliases)
    if answer.created_at:
        meta["created_at"] = answer.created_at
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n{answer.answer.strip()}\n"


@dataclass
class _Matrix:
    """What match() reads, replaced as a whole: answers by id, vectors and the answer id of each row."""

    answers: dict[str, CuratedAnswer] = field(default_factory=dict)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 384), dtype=np.float32))
    rows: list[str] = field(default_factory=list)  # answer id per vector row
    texts: list[str] = field(default_factory=list)  # the question or alias per row
    stamp: tuple = ()  # the folder's (mtime_ns, file count) when read


class CuratedAnswers:
    """The curated answers of ``<corpus_dir>/answers``. ``__init__`` is light; :meth:`load` reads and encodes."""

    def __init__(self, settings, encoder=None, folder: Path | None = None):
        self.settings = settings
        self.folder = Path(folder) if folder else Path(settings.corpus_dir) / "answers"
        self._encoder = encoder
        self._state: _Matrix | None = None
        self._lock = threading.RLock()
        self._cache: dict[str, np.ndarray] = {}  # text -> vector, so reloads encode only new texts

    # --- loading ------------------------------------------------------------------

    def _encoder_ready(self):
        if self._encoder is None:
            from assistant.embeddings import shared_encoder

            self._encoder = shared_encoder(self.settings, "query")
        getattr(self._encoder, "warm_up", lambda: None)()
        return self._encoder

    def _stamp(self) -> tuple:
        try:
            st = self.folder.stat()
        except OSError:
            return ()
        return (st.st_mtime_ns, sum(1 for _ in self.folder.glob("*.md")))

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.glob("*.md") if not p.name.startswith("."))

    def load(self) -> "CuratedAnswers":
        """Read every file (a bad one is skipped with a warning) and build the matrix."""
        import logging

        with self._lock:
            stamp = self._stamp()
            answers = {}
            for path in self._files():
                try:
                    answers[path.stem] = parse(path)
                except (InvalidInput, OSError, UnicodeDecodeError) as err:
                    logging.getLogger(__name__).warning("skipped curated answer %s: %s", path, err)
            self._state = self._matrix(answers, stamp)
        return self

    warm_up = load

    def _matrix(self, answers: dict[str, CuratedAnswer], stamp: tuple) -> _Matrix:
        rows, texts = [], []
        for a in answers.values():
            for text in (a.question, *a.aliases):
                rows.append(a.id)
                texts.append(text)
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            for text, vec in zip(missing, self._encoder_ready().encode(missing)):
                self._cache[text] = np.asarray(vec, dtype=np.float32)
        dim = getattr(self._encoder, "dimension", 384) if self._encoder is not None else 384
        vectors = np.vstack([self._cache[t] for t in texts]) if texts else np.zeros((0, dim), dtype=np.float32)
        return _Matrix(dict(answers), vectors, rows, texts, stamp)

    def _ready(self) -> _Matrix:
        state = self._state
        if state is None or state.stamp != self._stamp():
            self.load()  # first use, or another process changed the folder
            state = self._state
        return state

    # --- reading ------------------------------------------------------------------

    def list(self) -> list[CuratedAnswer]:
        return sorted(self._ready().answers.values(), key=lambda a: a.id)

    def get(self, answer_id: str) -> CuratedAnswer:
        found = self._ready().answers.get(answer_id)
        if found is None:
            raise NotFound(f"no curated answer with id {answer_id!r}")
        return found

    def __len__(self) -> int:
        return len(self._ready().answers)

    def scores(self, question: str, vector: np.ndarray | None = None) -> list[tuple[CuratedAnswer, float]]:
        """Every answer with its best cosine (over its question and aliases), best first."""
        state = self._ready()
        if not state.rows:
            return []
        if vector is None:
            vector = self._encoder_ready().encode([question])[0]
        sims = state.vectors @ np.asarray(vector, dtype=np.float32)
        best: dict[str, float] = {}
        for aid, s in zip(state.rows, sims):
            best[aid] = max(best.get(aid, -1.0), float(s))
        return sorted(((state.answers[a], s) for a, s in best.items()), key=lambda x: -x[1])

    def match(self, question: str, vector: np.ndarray | None = None, threshold: float | None = None):
        """``(CuratedAnswer, score)`` for the closest curated question, or None below the threshold."""
        if not question or not question.strip():
            return None
        state = self._ready()
        if not state.rows:
            return None
        if any(normalise(t) == normalise(question) for t in state.texts):
            aid = state.rows[[normalise(t) for t in state.texts].index(normalise(question))]
            return state.answers[aid], 1.0
        ranked = self.scores(question, vector)
        limit = MATCH_THRESHOLD if threshold is None else threshold
        if ranked and ranked[0][1] >= limit:
            return ranked[0]
        return None

    # --- writing ------------------------------------------------------------------

    def add(self, question, answer, aliases=None) -> CuratedAnswer:
        """Write ``<id>.md`` atomically and make it matchable at once; InvalidInput on bad input or a duplicate."""
        question, answer, aliases = check(question, answer, aliases)
        with self._lock:
            state = self._ready()
            known = {normalise(t): state.rows[i] for i, t in enumerate(state.texts)}
            for text in (question, *aliases):
                if normalise(text) in known:
                    raise InvalidInput(f"duplicate question: {text!r} is already answered by {known[normalise(text)]!r}")
            new_vectors = self._encoder_ready().encode([question, *aliases])
            if state.rows:
                sims = new_vectors @ state.vectors.T
                i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
                if sims[i, j] >= DUPLICATE_THRESHOLD:
                    raise InvalidInput(
                        f"duplicate question: {[question, *aliases][i]!r} is nearly the same as "
                        f"{state.texts[j]!r} (answer {state.rows[j]!r}); edit that answer instead"
                    )
            base = slug(question)
            answer_id, n = base, 2
            while answer_id in state.answers or (self.folder / f"{answer_id}.md").exists():
                answer_id, n = f"{base}-{n}", n + 1
            created = datetime.now(timezone.utc).isoformat(timespec="seconds")
            item = CuratedAnswer(answer_id, question, answer, tuple(aliases), created)
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomic(self.folder / f"{answer_id}.md", render(item))
            for text, vec in zip([question, *aliases], new_vectors):
                self._cache[text] = np.asarray(vec, dtype=np.float32)
            texts = [question, *aliases]
            self._state = _Matrix(
                {**state.answers, answer_id: item},
                np.vstack([state.vectors, new_vectors]).astype(np.float32),
                state.rows + [answer_id] * len(texts),
                state.texts + texts,
                self._stamp(),
            )
            return item

    def remove(self, answer_id: str) -> CuratedAnswer:
        if not isinstance(answer_id, str) or not ID_PATTERN.match(answer_id):
            raise NotFound(f"no curated answer with id {answer_id!r}")
        with self._lock:
            state = self._ready()
            item = state.answers.get(answer_id)
            path = self.folder / f"{answer_id}.md"
            if item is None and not path.exists():
                raise NotFound(f"no curated answer with id {answer_id!r}")
            path.unlink(missing_ok=True)
            keep = [i for i, r in enumerate(state.rows) if r != answer_id]
            self._state = _Matrix(
                {k: v for k, v in state.answers.items() if k != answer_id},
                state.vectors[keep] if keep else state.vectors[:0],
                [state.rows[i] for i in keep],
                [state.texts[i] for i in keep],
                self._stamp(),
            )
            return item or CuratedAnswer(answer_id, "", "")


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
