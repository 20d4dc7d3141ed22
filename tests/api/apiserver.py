"""The API tests' server: the shared launcher (``assistant.testing.server``) with this folder's defaults."""

from __future__ import annotations

from pathlib import Path

from assistant.testing.server import ROOT, Server, sse_events  # noqa: F401  (re-exported for the tests)
from assistant.testing.server import start_server as _start

API_KEY = "test-admin-key"
ALLOWED_ORIGIN = "http://widget.example"


def start_server(tmp: Path, index_dir: Path, extra_env: dict, workers: int = 1, wait_ready: bool = True) -> Server:
    env = {"VIXSHIELD_CORS_ORIGINS": f'["{ALLOWED_ORIGIN}"]', **extra_env}
    return _start(tmp, index_dir, env, workers=workers, wait="/readyz" if wait_ready else "/healthz")
