"""POST /v1/chat/completions with the official openai client against the real server."""

from __future__ import annotations

import json

import httpx

import openai
import pytest

CONDOR = (
    "Iron condor: buy the 5700 put, sell the 5750 put, sell the 6050 call, buy the 6100 call, "
    "for a 3.50 credit. What are the break-evens?"
)


@pytest.fixture(scope="module")
def client(server):
    return openai.OpenAI(base_url=server.base_url + "/v1", api_key="anything", max_retries=0, timeout=60)


def test_non_streaming(client, http):
    completion = client.chat.completions.create(
        model="vixshield",
        messages=[{"role": "system", "content": "be brief"}, {"role": "user", "content": "What does ALVH stand for?"}],
    )
    assert completion.object == "chat.completion" and completion.model == "vixshield"
    assert completion.id.startswith("chatcmpl-")
    choice = completion.choices[0]
    assert choice.message.role == "assistant" and choice.finish_reason == "stop"
    assert "Adaptive Layered VIX Hedge" in choice.message.content
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens
    extra = completion.model_extra["vixshield"]
    assert extra["grounded"] is True and extra["citations"]
    turns = http.get(f"/v1/conversations/{extra['conversation_id']}").json()["turns"]
    assert turns[-1]["reply"]["answer"] == choice.message.content


def test_streaming(client):
    stream = client.chat.completions.create(
        model="vixshield", messages=[{"role": "user", "content": "What is an iron condor?"}], stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    finals = [c for c in chunks if c.choices and c.choices[0].finish_reason == "stop"]
    assert len(finals) == 1
    extra = finals[0].model_extra["vixshield"]
    assert extra["grounded"] is True and "condor" in text.lower()
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0


def test_stream_ends_with_done(server):
    r, events = server.stream("/v1/chat/completions", {"model": "vixshield", "stream": True, "messages": [{"role": "user", "content": "what is theta?"}]})
    assert r.status_code == 200
    datas = [d for _, d in events]
    assert datas[-1] == "[DONE]"
    first = json.loads(datas[0])
    assert first["choices"][0]["delta"]["role"] == "assistant"


def test_conversation_by_extra_body_and_by_replay(client):
    first = client.chat.completions.create(model="vixshield", messages=[{"role": "user", "content": CONDOR}])
    cid = first.model_extra["vixshield"]["conversation_id"]
    assert first.model_extra["vixshield"]["calculations"]
    follow = "And what if I collected 4.00 instead?"
    # continue the stored conversation
    by_id = client.chat.completions.create(
        model="vixshield", messages=[{"role": "user", "content": follow}], extra_body={"conversation_id": cid}
    )
    assert by_id.model_extra["vixshield"]["conversation_id"] == cid
    # a plain OpenAI-style history, no id: the earlier user turns are replayed into a new conversation
    replayed = client.chat.completions.create(
        model="vixshield",
        messages=[
            {"role": "user", "content": CONDOR},
            {"role": "assistant", "content": first.choices[0].message.content},
            {"role": "user", "content": [{"type": "text", "text": follow}]},
        ],
    )
    assert replayed.model_extra["vixshield"]["conversation_id"] != cid
    # the earlier user turns are context only: one pipeline run, one stored turn
    stored = httpx.get(str(client.base_url).rstrip("/") + "/conversations/" + replayed.model_extra["vixshield"]["conversation_id"])
    assert [t["message"] for t in stored.json()["turns"]] == [follow]
    for completion in (by_id, replayed):
        assert completion.model_extra["vixshield"]["calculations"]
        assert "5746" in completion.choices[0].message.content.replace(",", "")


def test_errors_raise_the_clients_exceptions(client):
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(model="vixshield", messages=[{"role": "system", "content": "no question"}])
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(model="vixshield", messages=[])
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(model="vixshield", messages=[{"role": "user", "content": "   "}])
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(
            model="vixshield", messages=[{"role": "user", "content": "hi"}], extra_body={"conversation_id": "nope"}
        )
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(
            model="vixshield", messages=[{"role": "user", "content": "hi"}], extra_body={"conversation_id": "nope"}, stream=True
        )


def test_models(client):
    assert [m.id for m in client.models.list()] == ["vixshield"]
