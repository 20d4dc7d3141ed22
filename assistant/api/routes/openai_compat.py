"""POST /v1/chat/completions: OpenAI-compatible, so the official ``openai`` client works unchanged.

- ``model``: any value is accepted; replies always say ``vixshield``.
- The question is the last ``user`` message.
- The pipeline runs ONCE per request, on the last ``user`` message, and stores
  one turn; the request takes one rate-limit token.
- Conversation continuity: send ``conversation_id`` (an extra body field; with the
  openai client, ``extra_body={"conversation_id": ...}``) to continue a stored
  conversation, exactly like ``/v1/chat``. Without it, the earlier ``user``
  messages in ``messages`` (at most the last 20) are context only: they are read
  (no retrieval, no answer, nothing stored) for the topic and calculator inputs
  they set, so follow-ups ("what if the credit were 5?") resolve as they would
  have live. Assistant and system messages are not read.
- The reply's citations, calculations, grounded flag and conversation id ride in
  an extra top-level field ``vixshield`` (on the last chunk when streaming).
- ``stream: true`` sends ``chat.completion.chunk`` events ending with ``data: [DONE]``;
  a failure midway is a ``data: {"error": {...}}`` event, which the openai client raises.
- ``usage`` counts whitespace-separated words, not model tokens.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from assistant.api import deps
from assistant.api.errors import responses
from assistant.api.routes.chat import SSE_HEADERS, check_message, guarded, open_stream
from assistant.errors import InvalidInput, NotFound
from assistant.reply import Reply

router = APIRouter(tags=["openai"])

MODEL = "vixshield"
MAX_REPLAY = 20


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None
    name: str | None = None

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(p.text for p in self.content if p.type == "text" and p.text)


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")
    include_usage: bool = False


class CompletionRequest(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={"examples": [{"model": "vixshield", "messages": [{"role": "user", "content": "What is the ALVH?"}]}]},
    )

    model: str = Field(MODEL, description="Any value; the server always answers as `vixshield`")
    messages: list[ChatMessage] = Field(min_length=1, max_length=200, description="The conversation; the last user message is the question")
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    n: int | None = Field(1, ge=1, le=1, description="Only 1 is supported")
    conversation_id: str | None = Field(None, description="VixShield extension: continue this stored conversation")


class CompletionMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int
    message: CompletionMessage
    finish_reason: Literal["stop"]


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class VixShieldExtra(BaseModel):
    conversation_id: str
    citations: list[dict[str, Any]]
    calculations: list[dict[str, Any]]
    grounded: bool


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
    vixshield: VixShieldExtra


class Plan:
    """What to ask and in which conversation, worked out from the messages."""

    def __init__(self, body: CompletionRequest):
        users = [m.text() for m in body.messages if m.role == "user"]
        if not users:
            raise InvalidInput("messages: include at least one message with role 'user'; its text is the question")
        try:
            check_message(users[-1])
        except ValueError as err:
            raise InvalidInput(f"the last user message: {err}") from None
        self.question = users[-1]
        self.prior = [u for u in users[:-1] if _usable(u)][-MAX_REPLAY:]
        self.conversation_id = body.conversation_id or None
        self.prompt_words = sum(len(m.text().split()) for m in body.messages)

    def prepare(self, assistant) -> tuple[str | None, dict | None]:
        """Runs in a worker thread: check the conversation, or read the earlier messages as context.
        Returns (conversation id or None, the state the earlier messages leave)."""
        if self.conversation_id is not None:
            if not assistant.store.exists(self.conversation_id):
                raise NotFound(f"no conversation with id {self.conversation_id!r}")
            return self.conversation_id, None
        if not self.prior:
            return None, None
        return None, context_state(self.prior, assistant.index.glossary)


def _usable(text: str) -> bool:
    try:
        check_message(text)
    except ValueError:
        return False  # an earlier message the pipeline would refuse is no context
    return True


def context_state(questions: list[str], glossary) -> dict | None:
    """The conversation state earlier user messages leave, without answering them: the topic
    and the calculator inputs each one sets or changes (what a live conversation would remember)."""
    from assistant.store import ConversationState
    from assistant.understand import Intent, understand

    state: dict | None = None
    for question in questions:
        u = understand(question.strip(), state, glossary)
        calc = None
        focus: list[str] = []
        if u.intent is Intent.CALCULATION and u.calc is not None:
            calc = {"calculator": u.calc.calculator, "inputs": dict(u.calc.inputs)}
            focus = list(u.calc.focus)
        topic = u.topic or (state or {}).get("topic")
        state = ConversationState.from_dict({"topic": topic, "calculation": calc, "focus": focus}).to_dict()
    return state


def extra(reply: Reply) -> dict:
    data = reply.model_dump(mode="json")
    return {k: data[k] for k in ("conversation_id", "citations", "calculations", "grounded")}


def _usage(prompt_words: int, answer: str) -> dict:
    completion = len(answer.split())
    return {"prompt_tokens": prompt_words, "completion_tokens": completion, "total_tokens": prompt_words + completion}


@router.post(
    "/v1/chat/completions",
    response_model=ChatCompletion,
    summary="OpenAI-compatible chat completions (model `vixshield`), streaming or not",
    responses={
        200: {
            "description": "JSON, or (stream: true) SSE events whose data is a chat.completion.chunk, "
            "then the literal [DONE]",
            "content": {
                "text/event-stream": {
                    "schema": {
                        "type": "object",
                        "required": ["data"],
                        "properties": {"data": {"type": "string", "description": "a chat.completion.chunk as JSON, or [DONE]"}},
                    }
                }
            },
        },
        **responses(404, 413, 422, 429, 503),
    },
)
async def chat_completions(body: CompletionRequest, assistant=Depends(deps.assistant)):
    plan = Plan(body)
    conv, context = await run_in_threadpool(plan.prepare, assistant)
    cid = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())
    if not body.stream:
        reply: Reply = await run_in_threadpool(assistant.run, plan.question, conv, context)
        return JSONResponse(
            {
                "id": cid,
                "object": "chat.completion",
                "created": created,
                "model": MODEL,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": reply.answer},
                        "logprobs": None,
                        "finish_reason": "stop",
                    }
                ],
                "usage": _usage(plan.prompt_words, reply.answer),
                "vixshield": extra(reply),
            }
        )

    include_usage = bool(body.stream_options and body.stream_options.include_usage)
    first, gen = await open_stream(assistant, plan.question, conv, context)

    def chunk(delta: dict, finish: str | None = None, **more) -> bytes:
        payload = {
            "id": cid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": MODEL,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
            **more,
        }
        return b"data: " + json.dumps(payload, ensure_ascii=False).encode() + b"\n\n"

    def render(item) -> bytes:
        if isinstance(item, str):
            return chunk({"content": item})
        if isinstance(item, Reply):
            out = chunk({}, "stop", vixshield=extra(item))
            if include_usage:
                usage = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": MODEL, "choices": [],
                         "usage": _usage(plan.prompt_words, item.answer)}
                out += b"data: " + json.dumps(usage).encode() + b"\n\n"
            return out + b"data: [DONE]\n\n"
        if isinstance(item, Exception):
            err = {"error": {"message": str(item), "type": "server_error" if not hasattr(item, "status_code") else "invalid_request_error"}}
            return b"data: " + json.dumps(err).encode() + b"\n\n"
        raise TypeError(f"unexpected stream item {type(item).__name__}")

    async def events():
        yield chunk({"role": "assistant", "content": ""})
        async for piece in guarded(first, gen, render):
            yield piece

    return StreamingResponse(events(), media_type="text/event-stream", headers=SSE_HEADERS)


@router.get("/v1/models", summary="OpenAI-compatible model list (one model: vixshield)")
async def models() -> dict:
    return {"object": "list", "data": [{"id": MODEL, "object": "model", "created": 0, "owned_by": "vixshield"}]}
