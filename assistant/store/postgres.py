"""The PostgreSQL store (psycopg 3 with a connection pool), for several replicas sharing one database.

Same contract as the SQLite store (``assistant.store.base.Store``). Turns are
appended at the next index under the ``(conversation_id, idx)`` primary key and
retried on a unique violation, so replicas need no lock between them.
Numbered migrations live in ``assistant/migrations/postgres/`` and run once,
under an advisory lock, when the store opens. PostgreSQL unreachable, or the
pool exhausted for longer than ``timeout_s``, raises ``Busy`` (HTTP 503 with
Retry-After).
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from typing import Any

from assistant.errors import Busy, NotFound
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


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    import re

    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class PostgresStore(SQLReads):
    PARAM = "%s"
    _NOT_COVERED_SQL = """
        SELECT conversation_id, idx, message, created_at FROM turns
        WHERE created_at >= {p} AND (reply::jsonb ->> 'grounded') = 'false'
          AND jsonb_array_length(COALESCE(reply::jsonb -> 'related', '[]'::jsonb)) > 0
        """

    def __init__(self, url: str, min_size: int = 1, max_size: int = 8, timeout_s: float = 5.0):
        self.url = url
        self.min_size = min_size
        self.max_size = max_size
        self.timeout_s = timeout_s
        self._pool = None
        self._guard = threading.Lock()

    # --- life cycle -------------------------------------------------------------

    def open(self) -> None:
        from psycopg_pool import ConnectionPool

        with self._guard:
            if self._pool is not None:
                return
            pool = ConnectionPool(
                self.url,
                min_size=self.min_size,
                max_size=self.max_size,
                timeout=self.timeout_s,
                open=False,
                kwargs={"autocommit": True, "connect_timeout": max(1, int(self.timeout_s))},
                name="vixshield",
            )
            pool.open(wait=False)
            try:
                with self._conn(pool) as conn:
                    from assistant.migrations import postgres as pg_migrations

                    pg_migrations.migrate(conn)
            except BaseException:
                pool.close()
                raise
            self._pool = pool

    def close(self) -> None:
        with self._guard:
            if self._pool is not None:
                self._pool.close()
                self._pool = None

    def __enter__(self) -> "PostgresStore":
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def _conn(self, pool=None):
        """A pooled connection; connection trouble becomes Busy (503), never a 500."""
        import psycopg
        from psycopg_pool import PoolTimeout

        if pool is None:
            if self._pool is None:
                self.open()
            pool = self._pool
        try:
            with pool.connection() as conn:
                yield conn
        except PoolTimeout:
            raise Busy("the conversation database is busy or unreachable: retry in a few seconds") from None
        except psycopg.OperationalError as err:
            raise Busy(f"the conversation database is unavailable ({type(err).__name__}): retry in a few seconds") from None

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._conn() as conn:
            return conn.execute(sql, params).fetchall()

    # --- conversations ----------------------------------------------------------

    def new_conversation(self) -> str:
        cid = uuid.uuid4().hex
        with self._conn() as conn:
            conn.execute("INSERT INTO conversations (id, created_at) VALUES (%s, %s)", (cid, now()))
        return cid

    def add_turn(self, conversation_id: str, message: str, reply: Any, state: "dict | ConversationState | None") -> int:
        import psycopg

        reply_text = reply_json(reply)
        state_text = state_json(state)
        with self._conn() as conn:
            conn.execute(
                "INSERT INTO conversations (id, created_at) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING",
                (conversation_id, now()),
            )
            for _ in range(APPEND_RETRIES):
                (nxt,) = conn.execute(
                    "SELECT COALESCE(MAX(idx) + 1, 0) FROM turns WHERE conversation_id = %s", (conversation_id,)
                ).fetchone()
                try:
                    conn.execute(
                        "INSERT INTO turns (conversation_id, idx, message, reply, state, created_at) "
                        "VALUES (%s, %s, %s, %s, %s, %s)",
                        (conversation_id, nxt, message, reply_text, state_text, now()),
                    )
                except psycopg.errors.UniqueViolation:
                    continue  # another replica took this index: read the next one again
                return int(nxt)
        raise too_many_conflicts(conversation_id)

    # --- feedback ---------------------------------------------------------------

    def add_feedback(self, conversation_id: str, turn: int, rating: str, comment: str | None = None) -> int:
        comment = check_feedback(turn, rating, comment)
        if not self.exists(conversation_id):
            raise NotFound(f"no conversation with id {conversation_id!r}")
        with self._conn() as conn:
            if not conn.execute(
                "SELECT 1 FROM turns WHERE conversation_id = %s AND idx = %s", (conversation_id, turn)
            ).fetchone():
                raise NotFound(f"conversation {conversation_id!r} has no turn {turn}")
            (fid,) = conn.execute(
                "INSERT INTO feedback (conversation_id, turn, rating, comment, created_at) "
                "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                (conversation_id, turn, rating, comment, now()),
            ).fetchone()
        return int(fid)

    def __repr__(self) -> str:
        return f"PostgresStore({_redact(self.url)!r})"
