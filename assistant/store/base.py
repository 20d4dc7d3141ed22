"""What every conversation store is: the ``Store`` protocol, the typed conversation state, a turn.

Two backends implement it (``assistant.store.sqlite`` and ``assistant.store.postgres``);
``assistant.store.create_store`` picks one from ``VIXSHIELD_DATABASE_URL``.

Appending a turn never relies on an in-process lock: the store reads the next
index, inserts at it, and a unique ``(conversation_id, idx)`` key makes a
concurrent writer (another thread, worker or replica) fail that insert, after
which it reads again and retries. No turn is lost, none is duplicated, and the
order is the order in which the inserts committed.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol, TextIO, runtime_checkable

from assistant.errors import Busy, InvalidInput, NotFound

RATINGS = ("up", "down")
MAX_COMMENT_CHARS = 2000
FEEDBACK_COLUMNS = ["id", "created_at", "conversation_id", "turn", "rating", "comment", "message", "answer"]
APPEND_RETRIES = 50


@dataclass
class CalculationState:
    """The calculator a conversation last ran (or is collecting inputs for) and its inputs."""

    calculator: str
    inputs: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict) -> "CalculationState":
        if not isinstance(data, dict) or not isinstance(data.get("calculator"), str):
            raise InvalidInput("a remembered calculation needs a calculator name")
        inputs = data.get("inputs") or {}
        if not isinstance(inputs, dict):
            raise InvalidInput("a remembered calculation's inputs must be a mapping")
        extra = {k: v for k, v in data.items() if k not in ("calculator", "inputs")}
        return cls(data["calculator"], dict(inputs), extra)

    def to_dict(self) -> dict[str, Any]:
        return {"calculator": self.calculator, "inputs": dict(self.inputs), **self.extra}


@dataclass
class ConversationState:
    """What a conversation remembers for follow-ups.

    ``topic`` (the subject last talked about), ``calculation`` (the last calculator
    and its inputs) and ``focus`` (the outputs asked about). Keys the pipeline adds
    later ride along in ``extra`` untouched, so the state can grow without a
    migration. The pipeline works with plain dicts: ``from_dict``/``to_dict`` are
    the store's boundary.
    """

    topic: str | None = None
    calculation: CalculationState | None = None
    focus: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    KNOWN = ("topic", "calculation", "focus")

    @classmethod
    def from_dict(cls, data: "dict | ConversationState | None") -> "ConversationState":
        if isinstance(data, ConversationState):
            return data
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise InvalidInput(f"conversation state must be a mapping, not {type(data).__name__}")
        topic = data.get("topic")
        calc = data.get("calculation")
        focus = data.get("focus") or []
        return cls(
            topic=None if topic is None else str(topic),
            calculation=None if calc is None else CalculationState.from_dict(calc),
            focus=[str(f) for f in focus] if isinstance(focus, (list, tuple)) else [str(focus)],
            extra={k: v for k, v in data.items() if k not in cls.KNOWN},
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "calculation": None if self.calculation is None else self.calculation.to_dict(),
            "focus": list(self.focus),
            **self.extra,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, default=str)

    @classmethod
    def from_json(cls, text: str | None) -> "ConversationState | None":
        return None if text is None else cls.from_dict(json.loads(text))


@dataclass(frozen=True)
class Turn:
    conversation_id: str
    index: int
    message: str
    reply: dict
    state: dict | None
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "message": self.message, "reply": self.reply, "created_at": self.created_at}

    @property
    def typed_state(self) -> ConversationState | None:
        return None if self.state is None else ConversationState.from_dict(self.state)


@runtime_checkable
class Store(Protocol):
    """The conversation store every backend implements (sync; the API calls it in threads)."""

    url: str

    def open(self) -> None: ...
    def close(self) -> None: ...
    def new_conversation(self) -> str: ...
    def exists(self, conversation_id: str) -> bool: ...
    def add_turn(self, conversation_id: str, message: str, reply: Any, state: "dict | ConversationState | None") -> int: ...
    def turns(self, conversation_id: str) -> list[Turn]: ...
    def last_state(self, conversation_id: str) -> dict | None: ...
    def conversation_state(self, conversation_id: str) -> ConversationState | None: ...
    def add_feedback(self, conversation_id: str, turn: int, rating: str, comment: str | None = None) -> int: ...
    def feedback(self) -> list[dict]: ...
    def export_feedback_csv(self, fp: TextIO) -> int: ...
    def gap_candidates(self, since: str | None = None) -> list[dict]: ...


# --- helpers shared by the backends ----------------------------------------------


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def reply_json(reply: Any) -> str:
    if hasattr(reply, "model_dump"):
        data = reply.model_dump(mode="json")
    elif isinstance(reply, dict):
        data = reply
    else:
        raise TypeError(f"reply must be a Reply or a dict, not {type(reply).__name__}")
    return json.dumps(data, ensure_ascii=False)


def state_json(state: "dict | ConversationState | None") -> str | None:
    return None if state is None else ConversationState.from_dict(state).to_json()


def check_feedback(turn: int, rating: str, comment: str | None) -> str | None:
    """Validate a rating; return the cleaned comment."""
    if rating not in RATINGS:
        raise InvalidInput(f"rating must be 'up' or 'down', not {rating!r}")
    if comment is not None and not isinstance(comment, str):
        raise InvalidInput("comment must be text")
    if comment is not None and len(comment) > MAX_COMMENT_CHARS:
        raise InvalidInput(f"comment is {len(comment)} characters; the limit is {MAX_COMMENT_CHARS}")
    if isinstance(turn, bool) or not isinstance(turn, int) or turn < 0:
        raise InvalidInput("turn must be a whole number, 0 for the first turn")
    if comment is not None:
        comment = comment.strip() or None
    return comment


def feedback_row(fid, created, cid, turn, rating, comment, message, reply) -> dict:
    answer = json.loads(reply).get("answer") if reply else None
    return {
        "id": fid, "created_at": created, "conversation_id": cid, "turn": turn, "rating": rating,
        "comment": comment, "message": message, "answer": answer,
    }


def write_feedback_csv(rows: list[dict], fp: TextIO) -> int:
    writer = csv.DictWriter(fp, fieldnames=FEEDBACK_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)


def merge_gap_candidates(covered: list[tuple], down: list[tuple]) -> list[dict]:
    """One dict per turn for the content-gap report (see ``gap_candidates``), oldest first.

    ``covered``: (conversation_id, idx, message, created_at) of not-covered declines;
    ``down``: (conversation_id, idx, message, created_at, comment) of thumbs-down ratings.
    """
    out: dict[tuple[str, int], dict] = {}
    for cid, idx, message, created in covered:
        out[(cid, idx)] = {"question": message, "asked_at": created, "conversation_id": cid, "turn": idx,
                           "not_covered": True, "comments": None}
    for cid, idx, message, created, comment in down:
        row = out.setdefault((cid, idx), {"question": message, "asked_at": created, "conversation_id": cid,
                                          "turn": idx, "not_covered": False, "comments": None})
        row["comments"] = (row["comments"] or []) + ([comment] if comment else [])
    return sorted(out.values(), key=lambda r: (r["asked_at"], r["conversation_id"], r["turn"]))


GAP_DOC = """Questions the knowledge base did not cover, and answers rated thumbs-down (content-gap report).

        One dict per turn, oldest first: ``question``, ``asked_at``, ``conversation_id``, ``turn``,
        ``not_covered`` (a decline with ``related`` articles: an in-domain question no article
        answers) and ``comments`` (the thumbs-down comments, ``[]`` when none; ``None`` when the
        turn has no thumbs-down). ``since``: an ISO date or timestamp; only turns asked at or after it.
        """


class SQLReads:
    """The reads both backends share, written once: each backend gives ``_read(sql, params)``, its
    ``PARAM`` placeholder (``?`` or ``%s``) and the SQL of ``_not_covered_sql`` (JSON differs)."""

    PARAM = "?"
    _NOT_COVERED_SQL = ""  # (conversation_id, idx, message, created_at) of not-covered declines since {p}

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        raise NotImplementedError

    def exists(self, conversation_id: str) -> bool:
        if not isinstance(conversation_id, str) or not conversation_id or "\x00" in conversation_id:
            return False
        return bool(self._read(f"SELECT 1 FROM conversations WHERE id = {self.PARAM}", (conversation_id,)))

    def _require(self, conversation_id: str) -> None:
        if not self.exists(conversation_id):
            raise NotFound(f"no conversation with id {conversation_id!r}")

    def turns(self, conversation_id: str) -> list[Turn]:
        """Every turn of the conversation in order; NotFound when it does not exist."""
        rows = self._read(
            f"SELECT idx, message, reply, state, created_at FROM turns WHERE conversation_id = {self.PARAM} ORDER BY idx",
            (conversation_id,),
        )
        if not rows:
            self._require(conversation_id)
        return [
            Turn(conversation_id, idx, message, json.loads(reply), None if state is None else json.loads(state), created)
            for idx, message, reply, state, created in rows
        ]

    def conversation_state(self, conversation_id: str) -> ConversationState | None:
        """The state saved with the most recent turn that saved one (None if none did)."""
        rows = self._read(
            f"SELECT state FROM turns WHERE conversation_id = {self.PARAM} AND state IS NOT NULL ORDER BY idx DESC LIMIT 1",
            (conversation_id,),
        )
        if not rows:
            self._require(conversation_id)
            return None
        return ConversationState.from_json(rows[0][0])

    def last_state(self, conversation_id: str) -> dict | None:
        """``conversation_state`` as the dict the pipeline reads."""
        state = self.conversation_state(conversation_id)
        return None if state is None else state.to_dict()

    def feedback(self) -> list[dict]:
        """All feedback, oldest first, with the question and answer it rates."""
        rows = self._read(
            """
            SELECT f.id, f.created_at, f.conversation_id, f.turn, f.rating, f.comment, t.message, t.reply
            FROM feedback f LEFT JOIN turns t ON t.conversation_id = f.conversation_id AND t.idx = f.turn
            ORDER BY f.id
            """
        )
        return [feedback_row(*row) for row in rows]

    def export_feedback_csv(self, fp: TextIO) -> int:
        """Write all feedback as CSV (with a header row) to fp; return the number of rows."""
        return write_feedback_csv(self.feedback(), fp)

    def gap_candidates(self, since: str | None = None) -> list[dict]:
        since = since or ""
        covered = self._read(self._NOT_COVERED_SQL.format(p=self.PARAM), (since,))
        down = self._read(
            f"""
            SELECT t.conversation_id, t.idx, t.message, t.created_at, f.comment FROM feedback f
            JOIN turns t ON t.conversation_id = f.conversation_id AND t.idx = f.turn
            WHERE f.rating = 'down' AND t.created_at >= {self.PARAM} ORDER BY f.id
            """,
            (since,),
        )
        return merge_gap_candidates(covered, down)

    gap_candidates.__doc__ = GAP_DOC


def too_many_conflicts(conversation_id: str) -> Busy:
    return Busy(f"conversation {conversation_id!r} is being written by too many requests at once: retry")
