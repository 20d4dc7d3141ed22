"""Inputs anyone can send, slow clients, a locked database and a broken article, on a REAL server:
each gets a 4xx (or 503 with Retry-After) with a sentence, never a 500."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import time

import httpx
import pytest

from assistant.testing.server import ROOT, copy_index, start_server

BIG = "9" * 400
CONDOR = {"long_put": 5800, "short_put": 5850, "short_call": 6100, "long_call": 6150, "credit": 4.2}


@pytest.fixture(scope="module")
def tight(tmp_path_factory):
    """Short header/body deadlines and database busy timeout, so the slow cases run in seconds."""
    srv = start_server(
        tmp_path_factory.mktemp("tight"),
        env={"VIXSHIELD_HEADER_TIMEOUT_S": "1.5", "VIXSHIELD_BODY_TIMEOUT_S": "1.5", "VIXSHIELD_DB_BUSY_TIMEOUT_S": "0.5"},
    )
    yield srv
    srv.stop()


def _post(srv, path: str, raw: str) -> httpx.Response:
    return httpx.post(srv.base_url + path, content=raw.encode("utf-8", "surrogatepass"),
                      headers={"Content-Type": "application/json"}, timeout=30)


def _is_4xx_sentence(r: httpx.Response) -> str:
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    detail = r.json()["detail"]
    assert isinstance(detail, str) and len(detail) > 10 and "Traceback" not in detail
    return detail


@pytest.mark.parametrize("field", sorted(CONDOR))
def test_huge_number_in_any_calculator_field(tight, field):
    for raw in (BIG, f'"{BIG}"', f"{BIG}.5"):
        body = json.dumps(CONDOR).replace(json.dumps(CONDOR[field]), raw, 1) if field != "credit" else \
            json.dumps({**CONDOR, "credit": 0}).replace('"credit": 0', f'"credit": {raw}')
        detail = _is_4xx_sentence(_post(tight, "/v1/calculators/iron-condor", body))
        assert field in detail


def test_huge_number_in_chat(tight):
    for message in (f"Iron condor 5700/5750/6050/6100 for a {BIG} credit: break-evens?",
                    f"Iron condor 5700/5750/6050/{BIG} for a 3.50 credit"):
        detail = _is_4xx_sentence(httpx.post(tight.base_url + "/v1/chat", json={"message": message}, timeout=30))
        assert "digits" in detail


@pytest.mark.parametrize("path,raw", [
    ("/v1/chat", '{"message": "what is \\ud800 the ALVH?"}'),
    ("/v1/chat", '{"message": "what is the ALVH?", "conversation_id": "\\ud800"}'),
    ("/v1/chat/stream", '{"message": "\\udc00"}'),
    ("/v1/chat/completions", '{"model": "x", "messages": [{"role": "user", "content": "hi \\ud800"}]}'),
    ("/v1/feedback", '{"conversation_id": "\\ud800", "turn": 0, "rating": "up"}'),
])
def test_lone_surrogate(tight, path, raw):
    assert "surrogate" in _is_4xx_sentence(_post(tight, path, raw))


def test_deeply_nested_json(tight):
    for path in ("/v1/chat", "/v1/calculators/iron-condor", "/v1/feedback"):
        detail = _is_4xx_sentence(_post(tight, path, "[" * 8000 + "NaN" + "]" * 8000))
        assert "levels deep" in detail


def _read_until_closed(s: socket.socket) -> bytes:
    """Everything the server sends before it closes: the head and body may come in separate packets."""
    data = b""
    while chunk := s.recv(4096):
        data += chunk
    return data


def test_half_sent_headers_are_cut_off(tight):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", tight.port), timeout=10) as s:
        s.sendall(b"POST /v1/chat HTTP/1.1\r\nHost: x\r\nContent-Ty")
        data = _read_until_closed(s)  # the server answers 408 and closes instead of waiting forever
    assert data.startswith(b"HTTP/1.1 408")
    assert time.monotonic() - started < 8


def test_half_sent_body_is_cut_off(tight):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", tight.port), timeout=10) as s:
        s.sendall(b"POST /v1/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"mes")
        data = _read_until_closed(s)
    assert data.startswith(b"HTTP/1.1 408") and b"did not arrive" in data
    assert time.monotonic() - started < 8


def test_locked_database_is_503_with_retry_after(tight):
    first = httpx.post(tight.base_url + "/v1/chat", json={"message": "What is the ALVH?"}, timeout=30)
    assert first.status_code == 200
    db = sqlite3.connect(tight.db_path, timeout=5, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        r = httpx.post(tight.base_url + "/v1/feedback", timeout=30,
                       json={"conversation_id": first.json()["conversation_id"], "turn": 0, "rating": "up"})
        assert r.status_code == 503, r.text
        assert int(r.headers["retry-after"]) >= 1 and "busy" in r.json()["detail"]
        r = httpx.post(tight.base_url + "/v1/chat", json={"message": "What is the ALVH?"}, timeout=30)
        assert r.status_code == 503 and "retry-after" in r.headers
    finally:
        db.execute("ROLLBACK")
        db.close()
    assert httpx.post(tight.base_url + "/v1/chat", json={"message": "What is the ALVH?"}, timeout=30).status_code == 200


def test_broken_articles_are_skipped_and_a_stale_index_serves_meanwhile(tmp_path):
    """A corpus holding an invalid-UTF-8 article and one without front matter: the server listens
    and serves the old index at once, rebuilds from the good articles in the background, and warns
    once per bad file."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    (corpus / "articles" / "latin1.md").write_bytes(b"---\nid: latin1\ntitle: Caf\xe9\n---\n\nBody.\n")
    (corpus / "articles" / "bare.md").write_text("No front matter here.\n", encoding="utf-8")
    index_dir = copy_index(tmp_path / "index")
    before = (index_dir / "current").resolve()
    srv = start_server(tmp_path / "srv", index_dir, {"VIXSHIELD_CORPUS_DIR": str(corpus)}, wait="/readyz")
    try:
        r = httpx.post(srv.base_url + "/v1/chat", json={"message": "What does ALVH stand for?"}, timeout=30)
        assert r.status_code == 200
        deadline = time.monotonic() + 120
        while (index_dir / "current").resolve() == before and time.monotonic() < deadline:
            time.sleep(0.5)
        assert (index_dir / "current").resolve() != before, srv.log_tail()
        time.sleep(1)
        log = srv.log_tail(100_000)
        assert log.count("latin1.md") >= 1 and "not UTF-8" in log
        assert "bare.md" in log and "no YAML front matter" in log
        r = httpx.post(srv.base_url + "/v1/chat", json={"message": "What does ALVH stand for?"}, timeout=30)
        assert r.status_code == 200
    finally:
        srv.stop()


def test_serve_listens_before_the_index_is_ready(tmp_path):
    """No index at all: /healthz answers while /readyz says 503 (Retry-After) until it is built."""
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    shutil.copy(sorted((ROOT / "corpus" / "articles").glob("*.md"))[0], corpus / "articles")
    shutil.copy(ROOT / "corpus" / "glossary.yaml", corpus / "glossary.yaml")
    srv = start_server(tmp_path / "srv", tmp_path / "empty-index",
                       {"VIXSHIELD_CORPUS_DIR": str(corpus)}, wait="/healthz")
    try:
        ready = httpx.get(srv.base_url + "/readyz", timeout=10)
        if ready.status_code == 503:
            assert "retry-after" in ready.headers
        srv.wait_ready(timeout=300)
    finally:
        srv.stop()
