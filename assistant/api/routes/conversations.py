"""GET /v1/conversations/{id}: a stored conversation's turns, in order."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from assistant.api import deps
from assistant.api.errors import responses

router = APIRouter(tags=["conversations"])


@router.get("/v1/conversations/{conversation_id}", summary="A conversation's turns in order", responses=responses(404, 429))
async def conversation(conversation_id: str, store=Depends(deps.store)) -> dict:
    turns = await run_in_threadpool(store.turns, conversation_id)
    return {"conversation_id": conversation_id, "turns": [t.to_dict() for t in turns]}
