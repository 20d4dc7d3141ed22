"""POST /v1/feedback: thumbs up or down (and an optional comment) on one turn."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from assistant.api import deps
from assistant.api.errors import responses
from assistant.store import MAX_COMMENT_CHARS

router = APIRouter(tags=["feedback"])


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={"examples": [{"conversation_id": "0f3c...", "turn": 0, "rating": "up", "comment": "clear"}]},
    )

    conversation_id: str = Field(description="The reply's conversation_id")
    turn: int = Field(ge=0, le=1_000_000, description="Turn index in the conversation, 0 for the first")
    rating: Literal["up", "down"]
    comment: str | None = Field(None, max_length=MAX_COMMENT_CHARS, description="Optional, at most 2,000 characters")


@router.post("/v1/feedback", status_code=201, summary="Rate one answer", responses=responses(404, 413, 422, 429))
async def feedback(body: FeedbackRequest, store=Depends(deps.store)) -> dict:
    fid = await run_in_threadpool(store.add_feedback, body.conversation_id, body.turn, body.rating, body.comment)
    return {"id": fid, "status": "stored"}
