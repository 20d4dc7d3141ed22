"""Body size (413), rate limit (429 + Retry-After), CORS allow-list, admin key, on real servers."""

from __future__ import annotations

import json
import threading

import httpx


def test_body_too_large_by_content_length(http, server):
    limit = 16384
    r = http.post("/v1/chat", json={"message": "x" * (limit + 10)})
    assert r.status_code == 413
    assert "limit" in r.json()["detail"]
    r = http.post("/v1/feedback", content=b"{" + b" " * limit + b"}", headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_body_too_large_when_chunked(server):
    def chunks():
        yield b'{"message": "'
        for _ in range(40):
            yield b"y" * 1000
        yield b'"}'

    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        r = client.post("/v1/chat", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "detail" in r.json()
    # a small chunked body still works
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        r = client.post("/v1/chat", content=iter([b'{"message": ', b'"what is vega?"}']), headers={"Content-Type": "application/json"})
    assert r.status_code == 200


def test_message_over_contract_length_is_422_not_413(http):
    r = http.post("/v1/chat", json={"message": "z" * 4001})
    assert r.status_code == 422


def test_reindex_disabled_without_a_key(limited_server):
    # runs before test_rate_limit empties this server's bucket
    with limited_server.client() as client:
        r = client.post("/v1/admin/reindex", headers={"X-API-Key": "anything"})
    assert r.status_code == 403
    assert r.json()["detail"] == "reindex disabled: set VIXSHIELD_API_KEY"


def test_rate_limit(limited_server):
    with limited_server.client() as client:
        codes, retry = [], None
        for _ in range(6):
            r = client.get("/v1/calculators")
            codes.append(r.status_code)
            if r.status_code == 429:
                retry = r.headers.get("retry-after")
                assert "too many requests" in r.json()["detail"]
        # a burst of 3 (one already spent by the test above), then 429
        assert codes[0] == 200 and codes.count(200) <= 3 and codes[-1] == 429
        assert retry is not None and int(retry) >= 1
        # probes are never limited
        assert client.get("/healthz").status_code == 200


def test_cors_allow_list(http, server):
    allowed = json.loads(server.env["VIXSHIELD_CORS_ORIGINS"])[0]
    r = http.get("/v1/glossary/vix", headers={"Origin": allowed})
    assert r.headers.get("access-control-allow-origin") == allowed
    assert "x-request-id" in r.headers.get("access-control-expose-headers", "").lower()
    r = http.get("/v1/glossary/vix", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    pre = http.options(
        "/v1/chat",
        headers={"Origin": allowed, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
    )
    assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == allowed
    bad = http.options(
        "/v1/chat",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert bad.status_code == 400 and "access-control-allow-origin" not in bad.headers


def test_reindex_needs_the_key(http, server):
    assert http.post("/v1/admin/reindex").status_code == 401
    r = http.post("/v1/admin/reindex", headers={"X-API-Key": "wrong"})
    assert r.status_code == 403 and r.json()["detail"] == "wrong API key"


def test_reindex_swaps_without_dropping_requests(http, server):
    before = http.get("/v1/search", params={"q": "iron condor"}).json()["hits"][0]["source_id"]
    stop = threading.Event()
    statuses: list[int] = []

    def hammer():
        with server.client() as client:
            while not stop.is_set():
                statuses.append(client.get("/v1/search", params={"q": "ALVH hedge ratio", "k": 3}).status_code)
                statuses.append(client.post("/v1/chat", json={"message": "what is gamma?"}).status_code)

    threads = [threading.Thread(target=hammer) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        r = http.post("/v1/admin/reindex", headers={"X-API-Key": server.env["VIXSHIELD_API_KEY"]}, timeout=300)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "reindexed"
    assert statuses and set(statuses) == {200}
    assert http.get("/v1/search", params={"q": "iron condor"}).json()["hits"][0]["source_id"] == before
