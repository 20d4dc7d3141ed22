"""Liveness and readiness probes (exempt from the rate limit)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up (always 200, instantly)")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="200 once the assistant has warmed up (index, encoder, store), else 503",
    responses={503: {"description": "Still warming up, or warm-up failed (see detail)"}},
)
async def readyz(request: Request):
    state = request.app.state
    warmed = getattr(state, "warmed", None)
    if warmed is None or not warmed.is_set():
        return JSONResponse({"detail": "warming up"}, status_code=503, headers={"Retry-After": "1"})
    if state.warm_error is not None:
        return JSONResponse({"detail": f"warm-up failed: {state.warm_error}"}, status_code=503)
    return {"status": "ready"}
