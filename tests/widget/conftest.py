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

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
READY_TIMEOUT_S = 600  # a stale index is rebuilt before serving


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def vixshield_command() -> list[str]:
    """The installed ``vixshield`` script beside this interpreter, else ``python -m assistant.cli``."""
    script = Path(sys.executable).with_name("vixshield")
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant.cli"]


@dataclass
class AppServer:
    base_url: str
    db_path: Path
    log_path: Path
    proc: subprocess.Popen = field(repr=False)

    def feedback(self) -> list[dict]:
        """Every feedback row in the server's SQLite store (read directly, as an operator would)."""
        from assistant.store import ConversationStore

        with ConversationStore(self.db_path) as store:
            return store.feedback()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def copy_index(dest: Path) -> Path:
    """A private copy of the repo's built index (none yet: the server builds one there)."""
    src = ROOT / "index" / "current"
    if src.exists():
        real = src.resolve()
        shutil.copytree(real, dest / real.name)
        os.symlink(real.name, dest / "current")
    return dest


def start_app(tmp: Path, extra_env: dict | None = None) -> AppServer:
    port = free_port()
    tmp.mkdir(parents=True, exist_ok=True)
    log_path = tmp / "server.log"
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "VIXSHIELD_DB_PATH": str(tmp / "vixshield.db"),
        "VIXSHIELD_RATE_LIMIT_PER_MINUTE": "1000000",
        "VIXSHIELD_RATE_LIMIT_BURST": "1000000",
        "VIXSHIELD_CORS_ORIGINS": json.dumps([base]),
        **(extra_env or {}),
    }
    if not (extra_env or {}).get("VIXSHIELD_INDEX_DIR"):
        env["VIXSHIELD_INDEX_DIR"] = str(copy_index(tmp / "index"))
    cmd = [*vixshield_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = AppServer(base, tmp / "vixshield.db", log_path, proc)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"vixshield serve exited with {proc.returncode}:\n{log_path.read_text(errors='replace')[-4000:]}")
        try:
            if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"server not ready in {READY_TIMEOUT_S} s:\n{log_path.read_text(errors='replace')[-4000:]}")
        time.sleep(0.25)


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
