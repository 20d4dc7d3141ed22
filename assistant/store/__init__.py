"""The conversation store: one ``Store`` protocol, two backends, a factory by URL scheme.

``create_store(settings)`` (or ``store_from_url(url)``) returns:

- ``sqlite:///path/to/file.db`` -> ``SQLiteStore`` (the default: ``VIXSHIELD_DB_PATH``);
- ``postgresql://user@host:port/db`` (or ``postgres://``) -> ``PostgresStore`` (psycopg 3, pooled).

``ConversationStore`` stays the name of the SQLite store for code that opens a file directly.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from assistant.errors import InvalidInput
from assistant.store.base import (
    FEEDBACK_COLUMNS,
    MAX_COMMENT_CHARS,
    RATINGS,
    CalculationState,
    ConversationState,
    Store,
    Turn,
)
from assistant.store.sqlite import BUSY_TIMEOUT_MS, ConversationStore, SQLiteStore, StoreNotOpen

SCHEMES = {"sqlite": "SQLite file", "postgresql": "PostgreSQL", "postgres": "PostgreSQL"}


def sqlite_path(url: str) -> Path:
    """``sqlite:///relative.db`` -> relative.db, ``sqlite:////abs/x.db`` -> /abs/x.db."""
    rest = url.split(":", 1)[1]
    if not rest.startswith("//"):
        raise InvalidInput(f"a SQLite URL looks like sqlite:///path/to/file.db, not {url!r}")
    path = unquote(rest[2:])
    if path.startswith("/") and not path.startswith("//"):
        path = path[1:] or ":memory:"  # sqlite:///x.db is relative, like SQLAlchemy
    elif path.startswith("//"):
        path = path[1:]
    if not path:
        raise InvalidInput(f"the SQLite URL {url!r} names no file")
    return Path(path)


def store_from_url(url: str, *, busy_timeout_s: float | None = None, pool_size: int = 8) -> Store:
    scheme = urlsplit(url).scheme.lower().split("+", 1)[0]
    if scheme == "sqlite":
        ms = BUSY_TIMEOUT_MS if busy_timeout_s is None else int(busy_timeout_s * 1000)
        return SQLiteStore(sqlite_path(url), busy_timeout_ms=ms)
    if scheme in ("postgresql", "postgres"):
        from assistant.store.postgres import PostgresStore

        dsn = "postgresql" + url[len(urlsplit(url).scheme):] if "+" in urlsplit(url).scheme else url
        return PostgresStore(dsn, max_size=pool_size, timeout_s=busy_timeout_s or 5.0)
    raise InvalidInput(
        f"VIXSHIELD_DATABASE_URL must start with sqlite:/// or postgresql://, not {url.split(':', 1)[0]!r}"
    )


def database_url(settings) -> str:
    """The configured URL: ``database_url``, else the SQLite file at ``db_path``."""
    url = (getattr(settings, "database_url", "") or "").strip()
    return url or f"sqlite:///{Path(settings.db_path).resolve()}"


def create_store(settings) -> Store:
    """The store the settings name (not opened yet; every method opens it on first use)."""
    return store_from_url(
        database_url(settings),
        busy_timeout_s=getattr(settings, "db_busy_timeout_s", None),
        pool_size=getattr(settings, "db_pool_size", 8),
    )


__all__ = [
    "BUSY_TIMEOUT_MS",
    "FEEDBACK_COLUMNS",
    "MAX_COMMENT_CHARS",
    "RATINGS",
    "CalculationState",
    "ConversationState",
    "ConversationStore",
    "SQLiteStore",
    "Store",
    "StoreNotOpen",
    "Turn",
    "create_store",
    "database_url",
    "store_from_url",
]
