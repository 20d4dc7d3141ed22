"""Shared fixtures. Anything heavy is session-scoped: sentence-transformers (torch) loads once per test session.

Add your own fixtures below the existing ones; keep this file light at import time
(no model, torch or faiss imports at module level).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def real_corpus_dir() -> Path:
    """The committed corpus: ``corpus/articles/*.md`` and ``corpus/glossary.yaml``."""
    return ROOT / "corpus"


@pytest.fixture(scope="session")
def build_encoder():
    """The document encoder (sentence-transformers, all-MiniLM-L6-v2), loaded once per session."""
    from assistant.embeddings import shared_encoder
    from assistant.settings import Settings

    return shared_encoder(Settings(), "build").warm_up()


@pytest.fixture(scope="session")
def query_encoder():
    """The int8 ONNX query encoder (no torch), loaded once per session."""
    from assistant.embeddings import shared_encoder
    from assistant.settings import Settings

    return shared_encoder(Settings(query_encoder="onnx"), "query").warm_up()


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory, real_corpus_dir):
    """Settings whose index lives in a session temp folder (the repo's own index/ is never touched)."""
    from assistant.settings import Settings

    return Settings(corpus_dir=real_corpus_dir, index_dir=tmp_path_factory.mktemp("index"), query_encoder="onnx")


@pytest.fixture(scope="session")
def search_index(index_settings, build_encoder, query_encoder):
    """The real corpus, built once per session into a temp folder and loaded (ONNX query encoder).

    Read-only for tests: use a copy (see tests/assistant/test_index.py) to change the corpus or rebuild.
    """
    from assistant.index import SearchIndex

    # Seed with the repo's own built index when there is one (`make test` builds it first): the
    # build below then reuses the vectors of unchanged texts instead of encoding all of them again.
    repo_index = ROOT / "index" / "current"
    if (repo_index / "manifest.json").is_file():
        built = repo_index.resolve()
        shutil.copytree(built, index_settings.index_dir / built.name)
        os.symlink(built.name, index_settings.index_dir / "current")
    index = SearchIndex(index_settings)
    index.build()
    index.load()
    return index


# --- PostgreSQL and Redis: private servers on free ports, started once per session -------------


@pytest.fixture(scope="session")
def pg_server():
    """A private PostgreSQL (Debian's package) in a temp folder; skipped with the reason when not installed."""
    from assistant.testing import services

    reason = services.missing("postgres")
    if reason:
        pytest.skip(reason)
    pg = services.start_postgres()
    yield pg
    pg.cleanup()


@pytest.fixture(scope="session")
def redis_server():
    """A private Redis 7 on a free port; skipped with the reason when not installed."""
    from assistant.testing import services

    reason = services.missing("redis")
    if reason:
        pytest.skip(reason)
    r = services.start_redis()
    yield r
    r.cleanup()


@pytest.fixture
def pg_url(pg_server, request):
    """A fresh, empty database on the session's PostgreSQL, named after the test."""
    import re
    import uuid

    name = re.sub(r"\W+", "_", request.node.name.lower())[:40] + "_" + uuid.uuid4().hex[:8]
    return pg_server.database_url(name)
