"""Schema migrations for the PostgreSQL store, numbered like the SQLite ones.

Each module ``mNNNN_<name>.py`` here defines ``SQL`` (statements run in order).
They run in number order inside one transaction holding an advisory lock, so
replicas starting together apply each migration exactly once; the
``_migrations`` table records the names applied.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

_NAME = re.compile(r"^m(\d{4})_\w+$")
LOCK_KEY = 0x5649585348  # "VIXSH": the advisory lock id for migrations


def available() -> list[str]:
    names = [m.name for m in pkgutil.iter_modules(__path__) if _NAME.match(m.name)]
    return sorted(names, key=lambda n: int(_NAME.match(n).group(1)))


def migrate(conn) -> list[str]:
    """Apply every migration not yet recorded; return the names applied now. ``conn`` is in autocommit."""
    ran: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
        for name in available():
            if name in done:
                continue
            module = importlib.import_module(f"{__name__}.{name}")
            for statement in module.SQL:
                conn.execute(statement)
            conn.execute("INSERT INTO _migrations (name) VALUES (%s)", (name,))
            ran.append(name)
    return ran
