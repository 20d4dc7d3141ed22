"""What routes need from the app: settings, the store, the (warmed-up) assistant."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from fastapi import Request

from assistant.errors import IndexNotReady

if TYPE_CHECKING:  # pragma: no cover
    from assistant.pipeline import Assistant
    from assistant.settings import Settings
    from assistant.store import Store


def settings(request: Request) -> "Settings":
    return request.app.state.settings


def store(request: Request) -> "Store":
    return request.app.state.store


async def assistant(request: Request) -> "Assistant":
    """The shared Assistant; waits (up to ``ready_wait_s``) while it warms up, then 503."""
    state = request.app.state
    if not state.warmed.is_set():
        try:
            await asyncio.wait_for(state.warmed.wait(), timeout=state.settings.ready_wait_s)
        except asyncio.TimeoutError:
            raise IndexNotReady("the assistant is still warming up: retry in a few seconds") from None
    if state.warm_error is not None:
        raise IndexNotReady(f"the assistant failed to start: {state.warm_error}")
    return state.assistant
