"""GET /v1/search: ranked passages from the hybrid (dense + BM25) index."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from assistant.api import deps
from assistant.api.errors import responses

router = APIRouter(tags=["search"])


@router.get("/v1/search", summary="Search the knowledge base", responses=responses(413, 422, 429, 503))
async def search(
    q: Annotated[str, Query(min_length=1, max_length=500, pattern=r"\S", description="The query, 1 to 500 characters")],
    k: Annotated[int, Query(ge=1, le=50, description="How many passages, 1 to 50")] = 5,
    assistant=Depends(deps.assistant),
) -> dict:
    hits = await run_in_threadpool(assistant.index.search, q, k)
    return {"query": q, "k": k, "hits": [h.to_dict() for h in hits]}
