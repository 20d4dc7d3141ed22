"""POST /v1/admin/reindex: rebuild the index from corpus/ and swap it in while serving."""

from __future__ import annotations

import hmac
import time

from fastapi import APIRouter, Depends, Request, Security
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from assistant.api import deps
from assistant.api.errors import responses
from assistant.errors import Forbidden, Unauthorized

router = APIRouter(tags=["admin"])

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="VIXSHIELD_API_KEY")


def require_key(request: Request, key: str | None = Security(api_key_header)) -> None:
    expected = request.app.state.settings.api_key
    if not expected:
        raise Forbidden("reindex disabled: set VIXSHIELD_API_KEY")
    if not key:
        raise Unauthorized("X-API-Key header required")
    if not hmac.compare_digest(key.encode(), expected.encode()):
        raise Forbidden("wrong API key")


@router.post(
    "/v1/admin/reindex",
    summary="Rebuild the index from corpus/ and swap it in without dropping requests (X-API-Key)",
    dependencies=[Depends(require_key)],
    responses=responses(401, 403, 429, 503),
)
async def reindex(request: Request, assistant=Depends(deps.assistant)) -> dict:
    started = time.perf_counter()
    async with request.app.state.reindex_lock:  # one rebuild at a time; searches go on meanwhile
        result = await run_in_threadpool(assistant.index.reload)
        await run_in_threadpool(assistant.answers.load)  # corpus/answers too
    out = {"status": "reindexed", "seconds": round(time.perf_counter() - started, 3)}
    if isinstance(result, dict):
        out["manifest"] = result
    return out


# The editors' endpoints (content-gap report, curated answers) share this key check.
from assistant.api.routes import editors  # noqa: E402

router.include_router(editors.router)
