"""A REAL uvicorn server on a free port, started once per test session.

It runs ``assistant.api.app:create_app`` in a subprocess against a temporary
SQLite database and a temporary copy of the real index (so the reindex test
never touches ``index/``), with the real corpus. A second, small-limits server
(rate limit 3 burst, no API key) serves the 429 and "reindex disabled" tests.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
import pytest
from apiserver import API_KEY, ROOT, Server, start_server  # noqa: F401  (tests/api is on sys.path)


@pytest.fixture(scope="session")
def index_copy(tmp_path_factory) -> Path:
    """A private copy of the built index (symlink ``current`` kept); the server rebuilds it if stale."""
    dest = tmp_path_factory.mktemp("index")
    src = ROOT / "index"
    if (src / "current").exists():
        shutil.copytree(src / "current", dest / (src / "current").resolve().name)
        os.symlink((src / "current").resolve().name, dest / "current")
    return dest


@pytest.fixture(scope="session")
def server(tmp_path_factory, index_copy) -> Server:
    tmp = tmp_path_factory.mktemp("server")
    srv = start_server(
        tmp,
        index_copy,
        {
            "VIXSHIELD_API_KEY": API_KEY,
            "VIXSHIELD_RATE_LIMIT_PER_MINUTE": "1000000",
            "VIXSHIELD_RATE_LIMIT_BURST": "1000000",
        },
    )
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def limited_server(tmp_path_factory, index_copy) -> Server:
    """Small limits and no API key: for 429 and 'reindex disabled'."""
    tmp = tmp_path_factory.mktemp("limited")
    srv = start_server(
        tmp,
        index_copy,
        {
            "VIXSHIELD_API_KEY": "",
            "VIXSHIELD_RATE_LIMIT_PER_MINUTE": "6",
            "VIXSHIELD_RATE_LIMIT_BURST": "3",
            "VIXSHIELD_INDEX_WATCH_S": "0",
        },
        wait_ready=False,
    )
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def http(server) -> httpx.Client:
    with server.client() as client:
        yield client
