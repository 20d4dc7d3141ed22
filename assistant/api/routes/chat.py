"""POST /v1/chat (the contract, JSON) and POST /v1/chat/stream (the same, as Server-Sent Events)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

from fastapi import APIRouter, Depends
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from assistant.api import deps
from assistant.api.errors import responses
from assistant.api.logs import log
from assistant.errors import InvalidInput, NotFound, VixShieldError
from assistant.pipeline import clean_message
from assistant.reply import Reply

router = APIRouter(tags=["chat"])

def check_message(value: str) -> str:
    """The pipeline's own message rule, as a ValueError for request validation (-> 422)."""
    try:
        clean_message(value)
    except InvalidInput as err:
        raise ValueError(str(err)) from None
    return value


class ChatRequest(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={"examples": [{"message": "What is the ALVH?"}, {"message": "what if the credit were 5?", "conversation_id": "0f3c..."}]},
    )

    message: str = Field(
        description="The question; after trimming, 1 to 4,000 characters",
        json_schema_extra={"pattern": r"\S"},
    )
    conversation_id: str | None = Field(None, description="Continue this conversation (unknown id: 404); omit to start one")

    @field_validator("message")
    @classmethod
    def _check_message(cls, value: str) -> str:
        return check_message(value)

    @property
    def conversation(self) -> str | None:
        return self.conversation_id or None


def reply_response(reply: Reply) -> Response:
    return Response(content=reply.model_dump_json(), media_type="application/json")


@router.post(
    "/v1/chat",
    response_model=Reply,
    summary="Ask a question; get the contract reply object",
    responses=responses(404, 413, 422, 429, 503),
)
async def chat(body: ChatRequest, assistant=Depends(deps.assistant)):
    reply = await run_in_threadpool(assistant.run, body.message, body.conversation)
    return reply_response(reply)


def sse(event: str, data) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


async def open_stream(assistant, message: str, conversation_id: str | None, context: dict | None = None) -> tuple[object, Iterator]:
    """Start Assistant.stream and take its first item, so that errors found up front
    (bad message, unknown conversation) are still plain 4xx JSON responses."""
    if conversation_id is not None and not await run_in_threadpool(assistant.store.exists, conversation_id):
        raise NotFound(f"no conversation with id {conversation_id!r}")
    gen = assistant.stream(message, conversation_id, context) if context else assistant.stream(message, conversation_id)
    first = await run_in_threadpool(next, gen, None)
    return first, gen


async def guarded(first, gen: Iterator, render) -> AsyncIterator[bytes]:
    """Render every item of the stream; a failure becomes an error event, never a dropped connection."""
    try:
        if first is not None:
            yield render(first)
        async for item in iterate_in_threadpool(gen):
            yield render(item)
    except VixShieldError as err:
        yield render(err)
    except Exception as err:  # the stream has started: report it in-band, and log it loudly
        log.exception("stream failed")
        yield render(RuntimeError(f"internal error while answering ({type(err).__name__}); the request id is in X-Request-ID"))
    finally:
        close = getattr(gen, "close", None)
        if close is not None:
            try:
                close()
            except ValueError:  # the client left while a worker thread was inside next(gen)
                pass


SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}

# OpenAPI 3.1: the schema of a text/event-stream response describes one event.
SSE_EVENT_SCHEMA = {
    "type": "object",
    "required": ["event", "data"],
    "properties": {
        "event": {"type": "string", "enum": ["delta", "final", "error"]},
        "data": {
            "type": "string",
            "contentMediaType": "application/json",
            "description": 'delta: {"text": ...}; final: the reply object; error: {"detail": ...}',
        },
    },
}


def _render_chat(item) -> bytes:
    if isinstance(item, str):
        return sse("delta", {"text": item})
    if isinstance(item, Reply):
        return sse("final", item.model_dump(mode="json"))
    if isinstance(item, Exception):
        return sse("error", {"detail": str(item)})
    raise TypeError(f"unexpected stream item {type(item).__name__}")


@router.post(
    "/v1/chat/stream",
    summary="Ask a question; Server-Sent Events: delta* then final (or error)",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "`event: delta` with `{\"text\": ...}` as the answer is composed, then one "
            "`event: final` with the whole reply object; `event: error` with `{\"detail\": ...}` if it fails midway.",
            "content": {"text/event-stream": {"schema": SSE_EVENT_SCHEMA}},
        },
        **responses(404, 413, 422, 429, 503),
    },
)
async def chat_stream(body: ChatRequest, assistant=Depends(deps.assistant)):
    first, gen = await open_stream(assistant, body.message, body.conversation)
    return StreamingResponse(guarded(first, gen, _render_chat), media_type="text/event-stream", headers=SSE_HEADERS)
