"""Health, search, calculators, glossary, conversations and error shapes, on the real server."""

from __future__ import annotations

import pytest


def test_health_and_ready(http):
    assert http.get("/healthz").json() == {"status": "ok"}
    r = http.get("/readyz")
    assert r.status_code == 200 and r.json()["status"] == "ready"


def test_openapi_and_docs(http):
    spec = http.get("/openapi.json").json()
    for path in (
        "/v1/chat", "/v1/chat/stream", "/v1/chat/completions", "/v1/search", "/v1/calculators",
        "/v1/calculators/{name}", "/v1/glossary", "/v1/glossary/{term}", "/v1/conversations/{conversation_id}",
        "/v1/feedback", "/healthz", "/readyz", "/v1/admin/reindex",
    ):
        assert path in spec["paths"], path
    r = http.get("/docs")
    assert r.status_code == 200 and "swagger" in r.text.lower()
    assert "cdn" not in r.text.lower()  # offline: Swagger UI comes from the installed package
    for asset in ("/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"):
        got = http.get(asset)
        assert got.status_code == 200 and len(got.content) > 10_000, asset


def test_request_id_is_echoed_or_made(http, server):
    r = http.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    made = http.get("/healthz", headers={"X-Request-ID": "bad id with spaces"}).headers["x-request-id"]
    assert made != "bad id with spaces" and len(made) == 32
    http.get("/v1/search", params={"q": "iron condor"}, headers={"X-Request-ID": "log-me-42"})
    lines = [e for e in server.log_lines() if e.get("request_id") == "log-me-42"]
    assert lines and lines[-1]["path"] == "/v1/search" and lines[-1]["status"] == 200
    assert lines[-1]["logger"] == "vixshield.access" and "duration_ms" in lines[-1]


def test_search(http):
    r = http.get("/v1/search", params={"q": "what is an iron condor", "k": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["k"] == 3 and 1 <= len(body["hits"]) <= 3
    hit = body["hits"][0]
    assert {"source_id", "title", "text", "score"} <= set(hit)
    assert "condor" in (hit["title"] + hit["text"]).lower()


@pytest.mark.parametrize(
    "params",
    [{}, {"q": ""}, {"q": "   "}, {"q": "x" * 501}, {"q": "vix", "k": 0}, {"q": "vix", "k": 51}, {"q": "vix", "k": "lots"}],
)
def test_search_rejects_bad_parameters(http, params):
    r = http.get("/v1/search", params=params)
    assert r.status_code == 422
    assert isinstance(r.json()["detail"], str) and r.json()["detail"]


def test_calculators_list_and_run_examples(http):
    body = http.get("/v1/calculators").json()
    assert body["count"] == len(body["calculators"]) >= 3
    for calc in body["calculators"]:
        assert {"name", "description", "input_schema", "example"} <= set(calc)
        assert calc["input_schema"]["type"] == "object"
        r = http.post(f"/v1/calculators/{calc['name']}", json=calc["example"])
        assert r.status_code == 200, (calc["name"], r.text)
        out = r.json()
        assert out["calculator"] == calc["name"] and out["outputs"]


def test_calculator_errors(http):
    calcs = http.get("/v1/calculators").json()["calculators"]
    name = calcs[0]["name"]
    r = http.post("/v1/calculators/no-such-calculator", json={})
    assert r.status_code == 404 and "no calculator" in r.json()["detail"]
    r = http.post(f"/v1/calculators/{name}", json={})
    assert r.status_code == 422 and isinstance(r.json()["detail"], str)
    for body in ([1, 2], "text", 3):
        r = http.post(f"/v1/calculators/{name}", json=body)
        assert r.status_code == 422, body
    r = http.post(f"/v1/calculators/{name}", content=b'{"x": NaN}', headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and "NaN" in r.json()["detail"]


def test_calculator_impossible_inputs_give_the_calculators_sentence(http):
    example = next(c for c in http.get("/v1/calculators").json()["calculators"] if c["name"] == "iron-condor")["example"]
    bad = {**example, "short_put": example["long_put"] - 50}  # strikes out of order
    r = http.post("/v1/calculators/iron-condor", json=bad)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert isinstance(detail, str) and len(detail.split()) >= 4 and "put" in detail  # a sentence naming the field
    r = http.post("/v1/calculators/iron-condor", json={**example, "iv": -0.2})
    assert r.status_code == 422 and "volatility" in r.json()["detail"]


def test_glossary(http):
    body = http.get("/v1/glossary").json()
    assert body["count"] == len(body["terms"]) >= 60
    assert {"id", "term", "aliases", "definition", "sources", "related"} <= set(body["terms"][0])
    by_alias = http.get("/v1/glossary/alvh")
    assert by_alias.status_code == 200
    assert "Adaptive Layered VIX Hedge" in (by_alias.json()["term"] + " " + " ".join(by_alias.json()["aliases"]))
    typo = http.get("/v1/glossary/iron condr")
    assert typo.status_code == 200 and "condor" in typo.json()["term"].lower()
    r = http.get("/v1/glossary/zzqx-not-a-term")
    assert r.status_code == 404 and "glossary" in r.json()["detail"]


def test_unknown_route_and_method_are_json(http):
    r = http.get("/v1/nothing-here")
    assert r.status_code == 404 and "detail" in r.json()
    r = http.get("/v1/chat")
    assert r.status_code == 405 and "detail" in r.json()


def test_unknown_conversation(http):
    r = http.get("/v1/conversations/0123456789abcdef")
    assert r.status_code == 404 and "conversation" in r.json()["detail"]


def test_a_bug_is_a_logged_json_500_without_a_stack_trace():
    """In-process (a route that fails on purpose cannot be added to the live server)."""
    import asyncio

    import httpx

    from assistant.api.app import create_app

    app = create_app()

    async def boom():
        raise RuntimeError("secret internals")

    app.add_api_route("/boom", boom)

    async def call():
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/boom", headers={"X-Request-ID": "req-500"})

    r = asyncio.run(call())
    assert r.status_code == 500
    assert r.json()["detail"] == "internal error (RuntimeError); request id req-500"
    assert "secret internals" not in r.text and "Traceback" not in r.text
