"""POST /v1/chat and /v1/chat/stream on the real server: the contract, conversations, SSE, 4xx."""

from __future__ import annotations

import json

import pytest

CONDOR = (
    "Iron condor: buy the 5700 put, sell the 5750 put, sell the 6050 call, buy the 6100 call, "
    "for a 3.50 credit. What are the break-evens?"
)


def _check_contract(reply: dict) -> None:
    assert set(reply) == {"conversation_id", "answer", "citations", "calculations", "grounded", "related"}
    assert reply["related"] == [] or reply["grounded"] is False  # related articles only on a decline
    assert isinstance(reply["conversation_id"], str) and reply["conversation_id"]
    assert isinstance(reply["answer"], str) and reply["answer"].strip()
    assert isinstance(reply["grounded"], bool)
    for c in reply["citations"]:
        assert set(c) == {"id", "source_id", "title", "url", "text"}
    for c in reply["calculations"]:
        assert set(c) == {"calculator", "inputs", "outputs"}
    for r in reply["related"]:
        assert set(r) == {"id", "title", "url"}


def test_chat_contract_and_conversation(http):
    r = http.post("/v1/chat", json={"message": "What is an iron condor?"})
    assert r.status_code == 200, r.text
    first = r.json()
    _check_contract(first)
    assert first["grounded"] is True and first["citations"]
    assert [c["id"] for c in first["citations"]] == list(range(1, len(first["citations"]) + 1))
    cid = first["conversation_id"]

    r = http.post("/v1/chat", json={"message": CONDOR, "conversation_id": cid})
    second = r.json()
    assert r.status_code == 200 and second["conversation_id"] == cid
    assert second["calculations"] and second["calculations"][0]["calculator"] == "iron-condor"
    third = http.post("/v1/chat", json={"message": "And what if I collected 4.00 instead?", "conversation_id": cid}).json()
    assert third["calculations"] and "5746" in third["answer"].replace(",", "")

    conv = http.get(f"/v1/conversations/{cid}").json()
    assert conv["conversation_id"] == cid
    assert [t["index"] for t in conv["turns"]] == [0, 1, 2]
    assert [t["message"] for t in conv["turns"]] == ["What is an iron condor?", CONDOR, "And what if I collected 4.00 instead?"]
    assert conv["turns"][1]["reply"] == second


def test_chat_declines_out_of_scope(http):
    reply = http.post("/v1/chat", json={"message": "What is the capital of France?"}).json()
    assert reply["grounded"] is False and reply["citations"] == [] and reply["calculations"] == []


def test_chat_empty_conversation_id_starts_a_new_one(http):
    r = http.post("/v1/chat", json={"message": "hello", "conversation_id": None})
    assert r.status_code == 200
    r = http.post("/v1/chat", json={"message": "hello", "conversation_id": ""})
    assert r.status_code == 200


@pytest.mark.parametrize(
    "body, words",
    [
        ({}, "message is required"),
        ({"conversation_id": "x"}, "message is required"),
        ({"message": None}, "message"),
        ({"message": 42}, "message"),
        ({"message": ["hi"]}, "message"),
        ({"message": ""}, "empty"),
        ({"message": " \n\t "}, "empty"),
        ({"message": "x" * 4001}, "4,000"),
        ({"message": "hi", "conversation_id": 7}, "conversation_id"),
        ([], "JSON object"),
        ("just text", "JSON object"),
    ],
)
def test_chat_rejects_bad_bodies(http, body, words):
    for path in ("/v1/chat", "/v1/chat/stream"):
        r = http.post(path, json=body)
        assert r.status_code == 422, (path, body, r.text)
        detail = r.json()["detail"]
        assert isinstance(detail, str) and words in detail, detail


def test_chat_length_counts_after_trimming(http):
    inner = "a" * 3987 + " what is vix?"  # 4,000 characters
    padded = " " * 10 + inner + "\n" * 10
    assert len(padded) > 4000 and len(padded.strip()) == 4000
    assert http.post("/v1/chat", json={"message": padded}).status_code == 200


def test_chat_raw_bodies(http):
    r = http.post("/v1/chat", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and "not valid JSON" in r.json()["detail"]
    r = http.post("/v1/chat", content=b'{"message": "hi"}')  # no Content-Type: still read as JSON
    assert r.status_code == 200
    r = http.post("/v1/chat", content=b"message=hi", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 422 and "JSON object" in r.json()["detail"]
    r = http.post("/v1/chat", content=b'{"message": "hi", "x": Infinity}', headers={"Content-Type": "application/json"})
    assert r.status_code == 422


def test_chat_unknown_conversation_is_404(http):
    for path in ("/v1/chat", "/v1/chat/stream"):
        r = http.post(path, json={"message": "hi", "conversation_id": "does-not-exist"})
        assert r.status_code == 404 and "conversation" in r.json()["detail"]


def test_stream_deltas_then_final(server, http):
    r, events = server.stream("/v1/chat/stream", {"message": "What does ALVH stand for?"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    kinds = [e for e, _ in events]
    assert kinds[-1] == "final" and kinds.count("final") == 1 and "error" not in kinds
    assert kinds[:-1] and set(kinds[:-1]) == {"delta"}
    text = "".join(json.loads(d)["text"] for e, d in events if e == "delta")
    final = json.loads(events[-1][1])
    _check_contract(final)
    assert text == final["answer"]
    assert "Adaptive Layered VIX Hedge" in final["answer"]
    # the final reply is the stored turn
    turns = http.get(f"/v1/conversations/{final['conversation_id']}").json()["turns"]
    assert turns[-1]["reply"] == final

    r, events = server.stream("/v1/chat/stream", {"message": "and how is it layered?", "conversation_id": final["conversation_id"]})
    assert events[-1][0] == "final" and json.loads(events[-1][1])["conversation_id"] == final["conversation_id"]
    assert len(http.get(f"/v1/conversations/{final['conversation_id']}").json()["turns"]) == 2


def test_stream_calculation(server):
    r, events = server.stream("/v1/chat/stream", {"message": CONDOR})
    final = json.loads(events[-1][1])
    assert events[-1][0] == "final" and final["calculations"]


def test_client_leaving_mid_stream_does_no_harm(server, http):
    import httpx

    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        with client.stream("POST", "/v1/chat/stream", json={"message": "What is an iron condor?"}) as r:
            assert r.status_code == 200
            next(r.iter_lines())  # read one line, then hang up
    assert http.get("/healthz").status_code == 200
    assert http.post("/v1/chat", json={"message": "what is vega?"}).status_code == 200


def test_failure_midway_is_an_error_event_not_a_dropped_connection(tmp_path):
    """In-process, with an assistant whose stream breaks after two pieces (a live
    server's real pipeline cannot be made to fail on purpose)."""
    import asyncio

    import httpx

    from assistant.api.app import create_app
    from assistant.errors import CalculatorError
    from assistant.store import ConversationStore

    class BrokenAssistant:
        def __init__(self, exc):
            self.exc = exc
            self.store = ConversationStore(tmp_path / "s.db")
            self.store.open()

        def stream(self, message, conversation_id=None):
            yield "Half "
            yield "an answer"
            raise self.exc

    async def call(exc, path, body):
        app = create_app()
        app.state.assistant = BrokenAssistant(exc)
        app.state.warmed = asyncio.Event()
        app.state.warmed.set()
        app.state.warm_error = None
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            r = await client.post(path, json=body)
            return r.status_code, r.text

    status, text = asyncio.run(call(RuntimeError("boom"), "/v1/chat/stream", {"message": "hi"}))
    assert status == 200
    assert 'event: delta\ndata: {"text": "Half "}' in text
    assert text.rstrip().splitlines()[-2] == "event: error"
    assert "internal error while answering (RuntimeError)" in text and "boom" not in text

    status, text = asyncio.run(call(CalculatorError("the credit must be positive"), "/v1/chat/stream", {"message": "hi"}))
    assert 'event: error\ndata: {"detail": "the credit must be positive"}' in text

    status, text = asyncio.run(
        call(RuntimeError("boom"), "/v1/chat/completions", {"model": "vixshield", "stream": True, "messages": [{"role": "user", "content": "hi"}]})
    )
    assert status == 200 and '"error": {"message": "internal error while answering (RuntimeError)' in text
