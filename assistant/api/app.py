"""The FastAPI application: ``create_app(settings=None)``, served by ``vixshield serve``.

Start-up builds ONE ``Assistant`` per process and warms it (index, query
encoder, store) once, in a worker thread, so the port is open at once,
``/healthz`` answers at once and ``/readyz`` turns 200 when the warm-up is done;
API requests that arrive earlier wait for it (up to ``ready_wait_s``). When the
corpus changed since the last build, the old index is loaded and serves while a
new one is built in the background (one builder per index folder, under a file
lock; other workers pick the new build up through the index watch). Only a
missing index is built before ``/readyz`` turns 200. Every CPU-bound call
(encoding, composing, calculating, reindexing) runs in the thread pool, never on
the event loop. Workers and replicas share the conversation store (SQLite WAL
file or PostgreSQL, ``VIXSHIELD_DATABASE_URL``) and the rate-limit buckets
(Redis, else a SQLite file).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.cors import CORSMiddleware

from assistant.api import errors, logs
from assistant.api.limits import BodyLimitMiddleware, RateLimitMiddleware, RequestContextMiddleware
from assistant.api.ratelimit import bucket_from_settings
from assistant.api.routes import (
    admin,
    calculators,
    chat,
    conversations,
    feedback,
    glossary,
    health,
    openai_compat,
    pages,
    search,
)
from assistant.settings import Settings, get_settings
from assistant.store import create_store

DESCRIPTION = """\
Cited answers and calculators for SPX iron condors hedged with the ALVH.

Every chat interface returns the same reply object (`conversation_id`, `answer`,
`citations`, `calculations`, `grounded`). Errors are JSON `{"detail": ...}`.
"""


def _rebuild_in_background(index) -> None:
    """Rebuild a stale index and swap it in; the old one serves meanwhile. With several workers,
    only the one holding ``<index_dir>/.rebuild.lock`` builds; the others reload via the watch."""
    index.index_dir.mkdir(parents=True, exist_ok=True)
    with open(index.index_dir / ".rebuild.lock", "a+") as lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            logs.log.info("another worker is rebuilding the index")
            return
        try:
            if index.is_stale():
                logs.log.info("corpus changed since the last build: rebuilding the index in the background")
                index.reload()
                logs.log.info("index rebuilt and swapped in", extra={"chunks": (index.loaded_manifest or {}).get("chunk_count")})
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _warm_assistant(assistant) -> bool:
    """Warm the assistant on the index as it is, stale or not (the port is already open; a stale
    index is rebuilt in the background); build first only when there is none, or it is unreadable.
    Returns whether the loaded index is stale."""
    from assistant.errors import IndexNotReady

    try:
        assistant.warm_up(rebuild_stale=False)
    except (IndexNotReady, OSError, ValueError, RuntimeError) as err:  # an unreadable build: rebuild it before serving
        logs.log.warning("index unreadable, rebuilding before serving", extra={"error": str(err)})
        assistant.warm_up()
    return assistant.index.is_stale()


async def _rebuild(app: FastAPI) -> None:
    state = app.state
    try:
        async with state.reindex_lock:
            await anyio.to_thread.run_sync(_rebuild_in_background, state.assistant.index)
    except Exception:  # keep serving the old index; say why
        logs.log.exception("background index rebuild failed; the previous index keeps serving")


async def _warm_up(app: FastAPI) -> None:
    state = app.state
    try:
        stale = await anyio.to_thread.run_sync(_warm_assistant, state.assistant)
        if stale:
            state.tasks.append(asyncio.create_task(_rebuild(app)))
    except Exception as err:  # reported by /readyz and by every request that needs the assistant
        state.warm_error = f"{type(err).__name__}: {err}"
        logs.log.exception("warm-up failed")
    else:
        logs.log.info("ready")
    finally:
        state.warmed.set()


async def _watch_index(app: FastAPI) -> None:
    """Several workers: when another one reindexed (``current`` now names a new build),
    load that build here too, off the event loop. Requests keep using the old one meanwhile."""
    state = app.state
    await state.warmed.wait()
    index = state.assistant.index
    while state.warm_error is None:
        await asyncio.sleep(state.settings.index_watch_s)
        try:
            on_disk = await anyio.to_thread.run_sync(index.manifest)
            if on_disk and on_disk != index.loaded_manifest and not state.reindex_lock.locked():
                await anyio.to_thread.run_sync(index.load)
                logs.log.info("index reloaded from disk", extra={"chunks": on_disk.get("chunk_count")})
        except Exception:  # keep serving the index we have; say why
            logs.log.exception("index watch failed")


@asynccontextmanager
async def lifespan(app: FastAPI):
    from assistant.pipeline import Assistant  # heavy imports stay out of create_app

    state = app.state
    state.store = create_store(state.settings)  # opened during warm-up, off the event loop
    state.assistant = Assistant(state.settings, store=state.store)
    state.warmed = asyncio.Event()
    state.warm_error = None
    state.reindex_lock = asyncio.Lock()
    state.tasks = tasks = [asyncio.create_task(_warm_up(app))]
    if state.settings.index_watch_s > 0:
        tasks.append(asyncio.create_task(_watch_index(app)))
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        with contextlib.suppress(Exception):
            state.store.close()
        with contextlib.suppress(Exception):
            state.bucket.close()


def _offline_docs(app: FastAPI) -> None:
    """OpenAPI docs at /docs with Swagger UI from the swagger-ui-bundle-v2 package, not a CDN."""
    from pathlib import Path

    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs/assets", StaticFiles(directory=Path(str(swagger_ui_path))), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title=f"{app.title}: API",
            swagger_js_url="/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/docs/assets/swagger-ui.css",
            swagger_favicon_url="/docs/assets/favicon-32x32.png",
        )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    logs.configure(settings.log_level)
    app = FastAPI(
        title="Ask VixShield",
        version="1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served below from the bundled Swagger UI: no CDN, works offline
        redoc_url=None,
        strict_content_type=False,  # a JSON body without a Content-Type is still read as JSON
    )
    app.state.settings = settings
    errors.install(app)
    _offline_docs(app)
    for module in (health, chat, openai_compat, search, calculators, glossary, conversations, feedback, admin, pages):
        app.include_router(module.router)
    # Middleware: the last added runs first. Order, outermost first:
    # request id + access log -> CORS -> rate limit -> body limit -> routes.
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes, body_timeout_s=settings.body_timeout_s)
    app.state.bucket = bucket_from_settings(settings) if settings.rate_limit_per_minute > 0 else None
    app.add_middleware(
        RateLimitMiddleware,
        rate_per_minute=settings.rate_limit_per_minute,
        burst=settings.rate_limit_burst,
        bucket=app.state.bucket,
        trusted_proxies=settings.trusted_proxies,
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Content-Type", "X-API-Key", "X-Request-ID", "Authorization"],
        expose_headers=["X-Request-ID", "Retry-After"],
        max_age=600,
    )
    app.add_middleware(RequestContextMiddleware)
    return app
