"""End-to-end fixtures for the widget: the REAL app served by ``vixshield serve`` and headless Chromium.

- ``app_server``: ``vixshield serve`` on a free port, a temporary SQLite file
  (VIXSHIELD_DB_PATH) and a private copy of the built index, with the real
  corpus; waits for /readyz.
- ``xss_server``: the same on a temporary corpus holding one article whose
  title and body carry ``<img src=x onerror=...>`` and ``<script>`` payloads.
- ``browser``: Debian's Chromium (/usr/bin/chromium) driven by Playwright; the
  browser tests are skipped, with the reason, only when it is not installed
  (the Makefile's ``system-deps`` installs it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.testing.server import ROOT, Server, copy_index, start_server  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


AppServer = Server


def start_app(tmp: Path, extra_env: dict | None = None) -> Server:
    """``vixshield serve`` through the shared launcher (a private index copy unless extra_env names one)."""
    return start_server(tmp, env=extra_env, wait="/readyz")


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> AppServer:
    srv = start_app(tmp_path_factory.mktemp("widget-app"))
    yield srv
    srv.stop()


XSS_ARTICLE_ID = "alvh-layer-rebalancing-checklist"
XSS_IMG = '<img src=x onerror="window.__xss=(window.__xss||0)+1">'
XSS_SCRIPT = "<script>window.__xss=(window.__xss||0)+100</script>"
XSS_ARTICLE = f"""---
id: {XSS_ARTICLE_ID}
title: ALVH layer rebalancing checklist {XSS_IMG}
category: Risk Management
tags:
- ALVH
- rebalancing
date: '2026-05-01'
author: Test Desk
---

## The ALVH layer rebalancing checklist

The ALVH layer rebalancing checklist says to rebalance the VIX hedge layers every week {XSS_IMG} and after any volatility spike.

Rebalancing the ALVH hedge layers keeps the hedge ratio close to the target {XSS_SCRIPT} while the iron condor is open.

A rebalancing note: [click here](javascript:window.__xss=1000) before you roll the hedge layers of the ALVH.
"""


@pytest.fixture(scope="session")
def xss_server(tmp_path_factory) -> AppServer:
    """The real app on a temporary corpus whose one article carries HTML/script payloads."""
    tmp = tmp_path_factory.mktemp("widget-xss")
    corpus = tmp / "corpus"
    (corpus / "articles").mkdir(parents=True)
    (corpus / "articles" / f"{XSS_ARTICLE_ID}.md").write_text(XSS_ARTICLE, encoding="utf-8")
    shutil.copy(ROOT / "corpus" / "glossary.yaml", corpus / "glossary.yaml")
    index_dir = tmp / "index"
    index_dir.mkdir()
    srv = start_app(tmp, {"VIXSHIELD_CORPUS_DIR": str(corpus), "VIXSHIELD_INDEX_DIR": str(index_dir)})
    yield srv
    srv.stop()


# --- the browser --------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium; `make test` does it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a test dependency
        pytest.skip("the playwright Python package is not installed (pip install -e '.[test]')")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class PageErrors(list):
    """JavaScript errors seen on a page (uncaught exceptions and console errors)."""


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(30_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    pg = context.new_page()
    errors = PageErrors()
    pg.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    pg.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    pg.js_errors = errors
    yield pg
