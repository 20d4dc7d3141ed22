"""The conversation store: conversations, their turns in order, and feedback, in SQLite.

Standard-library ``sqlite3`` in WAL mode with a busy timeout, so several
uvicorn worker processes can share one database file. Inside a process one
connection is shared by all threads behind a lock; across processes each
write is one ``BEGIN IMMEDIATE`` transaction, so the next turn number is read
and written atomically and concurrent writers keep the order.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from assistant import migrations
from assistant.errors import InvalidInput, NotFound, VixShieldError

RATINGS = ("up", "down")
MAX_COMMENT_CHARS = 2000
BUSY_TIMEOUT_MS = 10_000
FEEDBACK_COLUMNS = ["id", "created_at", "conversation_id", "turn", "rating", "comment", "message", "answer"]


@dataclass(frozen=True)
class Turn:
    conversation_id: str
    index: int
    message: str
    reply: dict
    state: dict | None
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "message": self.message,
            "reply": self.reply,
            "created_at": self.created_at,
        }


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _as_dict(reply: Any) -> dict:
    if hasattr(reply, "model_dump"):
        return reply.model_dump(mode="json")
    if isinstance(reply, dict):
        return reply
    raise TypeError(f"reply must be a Reply or a dict, not {type(reply).__name__}")


class StoreNotOpen(VixShieldError):
    """The store was used before open() (a programming error, not a user's)."""

    status_code = 503


class ConversationStore:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    # --- life cycle -------------------------------------------------------------

    def open(self) -> None:
        with self._lock:
            if self._db is not None:
                return
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(
                str(self.path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # autocommit; transactions are explicit
                check_same_thread=False,
            )
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            migrations.migrate(db)
            self._db = db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def __enter__(self) -> "ConversationStore":
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreNotOpen("the conversation store is not open")
        return self._db

    def _write(self, fn):
        """Run fn(db) in one BEGIN IMMEDIATE transaction under the lock."""
        with self._lock:
            db = self.db
            db.execute("BEGIN IMMEDIATE")
            try:
                result = fn(db)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            return result

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self.db.execute(sql, params).fetchall()

    # --- conversations ----------------------------------------------------------

    def new_conversation(self) -> str:
        cid = uuid.uuid4().hex
        self._write(lambda db: db.execute("INSERT INTO conversations (id, created_at) VALUES (?, ?)", (cid, _now())))
        return cid

    def exists(self, conversation_id: str) -> bool:
        if not isinstance(conversation_id, str) or not conversation_id:
            return False
        return bool(self._read("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)))

    def _require(self, conversation_id: str) -> None:
        if not self.exists(conversation_id):
            raise NotFound(f"no conversation with id {conversation_id!r}")

    def add_turn(self, conversation_id: str, message: str, reply: Any, state: dict | None) -> int:
        """Append a turn and return its index (0, 1, 2, ...), assigned atomically.

        An id the store has not seen is created on the way (the pipeline checks
        ``exists`` for ids that come from users before it gets here).
        """
        reply_json = json.dumps(_as_dict(reply), ensure_ascii=False)
        state_json = None if state is None else json.dumps(state, ensure_ascii=False, default=str)

        def write(db: sqlite3.Connection) -> int:
            now = _now()
            db.execute("INSERT OR IGNORE INTO conversations (id, created_at) VALUES (?, ?)", (conversation_id, now))
            (nxt,) = db.execute(
                "SELECT COALESCE(MAX(idx) + 1, 0) FROM turns WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()
            db.execute(
                "INSERT INTO turns (conversation_id, idx, message, reply, state, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (conversation_id, nxt, message, reply_json, state_json, now),
            )
            return int(nxt)

        return self._write(write)

    def turns(self, conversation_id: str) -> list[Turn]:
        """Every turn of the conversation in order; NotFound when it does not exist."""
        with self._lock:
            rows = self._read(
                "SELECT idx, message, reply, state, created_at FROM turns WHERE conversation_id = ? ORDER BY idx",
                (conversation_id,),
            )
            if not rows:
                self._require(conversation_id)
        return [
            Turn(conversation_id, idx, message, json.loads(reply), None if state is None else json.loads(state), created)
            for idx, message, reply, state, created in rows
        ]

    def last_state(self, conversation_id: str) -> dict | None:
        """The state saved with the most recent turn that saved one (None if none did)."""
        rows = self._read(
            "SELECT state FROM turns WHERE conversation_id = ? AND state IS NOT NULL ORDER BY idx DESC LIMIT 1",
            (conversation_id,),
        )
        if not rows:
            self._require(conversation_id)
            return None
        return json.loads(rows[0][0])

    # --- feedback ---------------------------------------------------------------

    def add_feedback(self, conversation_id: str, turn: int, rating: str, comment: str | None = None) -> int:
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

        def write(db: sqlite3.Connection) -> int:
            if not db.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)).fetchone():
                raise NotFound(f"no conversation with id {conversation_id!r}")
            if not db.execute(
                "SELECT 1 FROM turns WHERE conversation_id = ? AND idx = ?", (conversation_id, turn)
            ).fetchone():
                raise NotFound(f"conversation {conversation_id!r} has no turn {turn}")
            cur = db.execute(
                "INSERT INTO feedback (conversation_id, turn, rating, comment, created_at) VALUES (?, ?, ?, ?, ?)",
                (conversation_id, turn, rating, comment, _now()),
            )
            return int(cur.lastrowid)

        return self._write(write)

    def feedback(self) -> list[dict]:
        """All feedback, oldest first, with the question and answer it rates."""
        rows = self._read(
            """
            SELECT f.id, f.created_at, f.conversation_id, f.turn, f.rating, f.comment, t.message, t.reply
            FROM feedback f LEFT JOIN turns t ON t.conversation_id = f.conversation_id AND t.idx = f.turn
            ORDER BY f.id
            """
        )
        out = []
        for fid, created, cid, turn, rating, comment, message, reply in rows:
            answer = json.loads(reply).get("answer") if reply else None
            out.append(
                {
                    "id": fid,
                    "created_at": created,
                    "conversation_id": cid,
                    "turn": turn,
                    "rating": rating,
                    "comment": comment,
                    "message": message,
                    "answer": answer,
                }
            )
        return out

    def gap_candidates(self, since: str | None = None) -> list[dict]:
        """Questions the knowledge base did not cover, and answers rated thumbs-down (content-gap report).

        One dict per turn, oldest first: ``question``, ``asked_at``, ``conversation_id``, ``turn``,
        ``not_covered`` (a decline with ``related`` articles: an in-domain question no article
        answers) and ``comments`` (the thumbs-down comments, ``[]`` when none; ``None`` when the turn
        has no thumbs-down). ``since``: an ISO date or timestamp; only turns asked at or after it.
        """
        since = since or ""
        covered = self._read(
            """
            SELECT conversation_id, idx, message, created_at FROM turns
            WHERE created_at >= ? AND json_extract(reply, '$.grounded') = 0
              AND json_array_length(COALESCE(json_extract(reply, '$.related'), '[]')) > 0
            """,
            (since,),
        )
        down = self._read(
            """
            SELECT t.conversation_id, t.idx, t.message, t.created_at, f.comment FROM feedback f
            JOIN turns t ON t.conversation_id = f.conversation_id AND t.idx = f.turn
            WHERE f.rating = 'down' AND t.created_at >= ? ORDER BY f.id
            """,
            (since,),
        )
        out: dict[tuple[str, int], dict] = {}
        for cid, idx, message, created in covered:
            out[(cid, idx)] = {"question": message, "asked_at": created, "conversation_id": cid, "turn": idx,
                               "not_covered": True, "comments": None}
        for cid, idx, message, created, comment in down:
            row = out.setdefault((cid, idx), {"question": message, "asked_at": created, "conversation_id": cid,
                                              "turn": idx, "not_covered": False, "comments": None})
            row["comments"] = (row["comments"] or []) + ([comment] if comment else [])
        return sorted(out.values(), key=lambda r: (r["asked_at"], r["conversation_id"], r["turn"]))

    def export_feedback_csv(self, fp: TextIO) -> int:
        """Write all feedback as CSV (with a header row) to fp; return the number of rows."""
        rows = self.feedback()
        writer = csv.DictWriter(fp, fieldnames=FEEDBACK_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        return len(rows)
