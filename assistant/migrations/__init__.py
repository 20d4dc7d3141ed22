"""Schema migrations for the conversation store (the simonw/llm pattern).

Each SQLite migration is a module ``mNNNN_<name>.py`` in this package defining
``migrate(db: sqlite3.Connection) -> None``. They run in number order; the
``_migrations`` table records the name of every one applied, so a migration
runs exactly once per database, and a new one is just a new numbered file.
PostgreSQL has its own numbered list in ``assistant/migrations/postgres/``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sqlite3
from datetime import datetime, timezone

_NAME = re.compile(r"^m(\d{4})_\w+$")


def available() -> list[str]:
    """Migration module names in the order they must run."""
    names = [m.name for m in pkgutil.iter_modules(__path__) if _NAME.match(m.name)]
    return sorted(names, key=lambda n: int(_NAME.match(n).group(1)))


def applied(db: sqlite3.Connection) -> list[str]:
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    return [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY rowid")]


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded; return the names applied now.

    The whole run happens in one ``BEGIN IMMEDIATE`` transaction, so two
    processes opening a fresh database at once cannot both apply a migration.
    ``db`` must be in autocommit mode (``isolation_level=None``).
    """
    ran: list[str] = []
    db.execute("BEGIN IMMEDIATE")
    try:
        done = set(applied(db))
        for name in available():
            if name in done:
                continue
            module = importlib.import_module(f"{__name__}.{name}")
            module.migrate(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(timezone.utc).isoformat(timespec="milliseconds")),
            )
            ran.append(name)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return ran
