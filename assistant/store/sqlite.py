"""The SQLite store: conversations, their turns in order, and feedback, in one file.

Standard-library ``sqlite3`` in WAL mode with a busy timeout, so several
uvicorn worker processes can share one database file. Every thread has its own
connection, so reads never queue behind another thread's write. A turn is
appended by inserting at the next index; the ``(conversation_id, idx)`` primary
key turns a concurrent append (any thread or process) into a conflict that is
retried at the new next index. A database locked for longer than the busy
timeout raises ``Busy`` (HTTP 503 with Retry-After), never a 500.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import uuid
from pathlib import Path
from typing import Any

from assistant import migrations
from assistant.errors import Busy, NotFound, VixShieldError
from assistant.store.base import (
    APPEND_RETRIES,
    ConversationState,
    SQLReads,
    check_feedback,
    now,
    reply_json,
    state_json,
    too_many_conflicts,
)

BUSY_TIMEOUT_MS = 5_000


class StoreNotOpen(VixShieldError):
    """The store was used after close() (a programming error, not a user's)."""

    status_code = 503


def _busy(err: sqlite3.OperationalError) -> Exception:
    text = str(err).lower()
    if "locked" in text or "busy" in text:
        return Busy("the conversation database is busy: retry in a few seconds")
    return err


class SQLiteStore(SQLReads):
    PARAM = "?"
    _NOT_COVERED_SQL = """
        SELECT conversation_id, idx, message, created_at FROM turns
        WHERE created_at >= {p} AND json_extract(reply, '$.grounded') = 0
          AND json_array_length(COALESCE(json_extract(reply, '$.related'), '[]')) > 0
        """

    def __init__(self, path: Path | str, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self.busy_timeout_ms = int(busy_timeout_ms)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._opened = False
        self._closed = False
        self._generation = 0

    # --- life cycle -------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            str(self.path),
            timeout=self.busy_timeout_ms / 1000,
            isolation_level=None,  # autocommit; transactions are explicit
            check_same_thread=False,
        )
        db.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        return db

    def open(self) -> None:
        with self._guard:
            if self._opened:
                return
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            db = self._connect()
            try:
                db.execute("PRAGMA journal_mode = WAL")
                migrations.migrate(db)
            except sqlite3.OperationalError as err:
                db.close()
                raise _busy(err) from None
            self._all.append(db)
            self._local.db = db
            self._local.generation = self._generation
            self._opened = True
            self._closed = False

    def close(self) -> None:
        with self._guard:
            for db in self._all:
                with contextlib.suppress(Exception):
                    db.close()
            self._all.clear()
            self._opened = False
            self._closed = True
            self._generation += 1

    def __enter__(self) -> "SQLiteStore":
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        if not self._opened:
            if self._closed:
                raise StoreNotOpen("the conversation store is closed")
            self.open()
        db = getattr(self._local, "db", None)
        if db is None or getattr(self._local, "generation", -1) != self._generation:
            db = self._connect()
            with self._guard:
                self._all.append(db)
            self._local.db = db
            self._local.generation = self._generation
        return db

    def _write(self, fn):
        """Run fn(db) in one BEGIN IMMEDIATE transaction."""
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise _busy(err) from None
        try:
            result = fn(db)
        except sqlite3.OperationalError as err:
            db.execute("ROLLBACK")
            raise _busy(err) from None
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return result

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as err:
            raise _busy(err) from None

    # --- conversations ----------------------------------------------------------

    def new_conversation(self) -> str:
        cid = uuid.uuid4().hex
        self._write(lambda db: db.execute("INSERT INTO conversations (id, created_at) VALUES (?, ?)", (cid, now())))
        return cid

    def add_turn(self, conversation_id: str, message: str, reply: Any, state: "dict | ConversationState | None") -> int:
        """Append a turn and return its index (0, 1, 2, ...).

        Inserts at the next index; when another writer took that index first, the
        unique key refuses the insert and it is retried at the new next index.
        An id the store has not seen is created on the way.
        """
        reply_text = reply_json(reply)
        state_text = state_json(state)
        db = self.db
        try:
            db.execute("INSERT OR IGNORE INTO conversations (id, created_at) VALUES (?, ?)", (conversation_id, now()))
            for _ in range(APPEND_RETRIES):
                (nxt,) = db.execute(
                    "SELECT COALESCE(MAX(idx) + 1, 0) FROM turns WHERE conversation_id = ?", (conversation_id,)
                ).fetchone()
                try:
                    db.execute(
                        "INSERT INTO turns (conversation_id, idx, message, reply, state, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                        (conversation_id, nxt, message, reply_text, state_text, now()),
                    )
                except sqlite3.IntegrityError:
                    continue  # another writer took this index: read the next one again
                return int(nxt)
        except sqlite3.OperationalError as err:
            raise _busy(err) from None
        raise too_many_conflicts(conversation_id)

    # --- feedback ---------------------------------------------------------------

    def add_feedback(self, conversation_id: str, turn: int, rating: str, comment: str | None = None) -> int:
        comment = check_feedback(turn, rating, comment)

        def write(db: sqlite3.Connection) -> int:
            if not db.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)).fetchone():
                raise NotFound(f"no conversation with id {conversation_id!r}")
            if not db.execute(
                "SELECT 1 FROM turns WHERE conversation_id = ? AND idx = ?", (conversation_id, turn)
            ).fetchone():
                raise NotFound(f"conversation {conversation_id!r} has no turn {turn}")
            cur = db.execute(
                "INSERT INTO feedback (conversation_id, turn, rating, comment, created_at) VALUES (?, ?, ?, ?, ?)",
                (conversation_id, turn, rating, comment, now()),
            )
            return int(cur.lastrowid)

        return self._write(write)



ConversationStore = SQLiteStore  # the name the rest of the code base has always used
