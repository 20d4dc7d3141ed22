"""Request guards as pure ASGI middleware (streaming responses pass through untouched).

- ``RequestContextMiddleware``: a request id (the client's ``X-Request-ID`` when
  it is sane, else a new one) echoed on every response, and one JSON access-log
  line per request.
- ``BodyLimitMiddleware``: bodies over ``max_body_bytes`` get 413, judged on
  ``Content-Length`` when sent and by counting the bytes otherwise (chunked
  uploads); a body not received within ``body_timeout_s`` gets 408; JSON bodies
  using ``NaN``/``Infinity``, nested deeper than ``MAX_JSON_DEPTH`` or holding a
  lone UTF-16 surrogate (``\ud800``) get 422 with a sentence.
- ``RateLimitMiddleware``: a token bucket per client (``ratelimit.client_key``:
  the peer, or the X-Forwarded-For hop a trusted proxy names), kept in Redis or a
  SQLite file so every worker and replica counts the same bucket; 429 with
  ``Retry-After`` when empty. Health probes and CORS preflights are exempt.
- CORS itself is Starlette's ``CORSMiddleware`` with the allow-list from settings.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import time
import uuid

import anyio

from assistant.api.logs import access_log, request_id_var
from assistant.api.ratelimit import MemoryBucket, client_key, parse_networks

MAX_JSON_DEPTH = 64
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
EXEMPT_PATHS = ("/healthz", "/readyz")


async def send_json(send, status: int, body: dict, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    raw = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(raw)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": raw})


def _header(scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value
    return None


class RequestContextMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        given = (_header(scope, b"x-request-id") or b"").decode("latin-1")
        rid = given if _SANE_ID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(rid)
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        status_holder = {"status": None, "bytes": 0}

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode()))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                status_holder["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            client = scope.get("client")
            access_log.info(
                "request",
                extra={
                    "request_id": rid,
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status_holder["status"],
                    "bytes": status_holder["bytes"],
                    "duration_ms": round(1000 * (time.perf_counter() - started), 2),
                    "client": client[0] if client else None,
                },
            )
            request_id_var.reset(token)


class BodyLimitMiddleware:
    def __init__(self, app, max_body_bytes: int, body_timeout_s: float = 10.0):
        self.app = app
        self.max = max_body_bytes
        self.timeout = body_timeout_s

    async def _too_large(self, send, size: str) -> None:
        await send_json(
            send,
            413,
            {"detail": f"request body is {size} bytes; the limit is {self.max} bytes"},
            [(b"connection", b"close")],
        )

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        length = _header(scope, b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                return await send_json(send, 400, {"detail": "Content-Length is not a number"})
            if declared > self.max:
                return await self._too_large(send, str(declared))
        # Read the whole (small) body now, counting as we go; then replay it.
        chunks, total = [], 0
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                message = await asyncio.wait_for(receive(), max(0.01, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                return await send_json(
                    send, 408,
                    {"detail": f"the request body did not arrive within {self.timeout:g} s"},
                    [(b"connection", b"close")],
                )
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.max:
                return await self._too_large(send, f"more than {self.max}")
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body and _is_json(_header(scope, b"content-type")):
            bad = _json_problem(body)
            if bad:
                return await send_json(send, 422, {"detail": bad})
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _is_json(content_type: bytes | None) -> bool:
    """Bodies the routes read as JSON: no Content-Type, application/json or application/*+json."""
    if content_type is None:
        return True
    media = content_type.split(b";", 1)[0].strip().lower()
    return media == b"application/json" or (media.startswith(b"application/") and media.endswith(b"+json"))


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON text (brackets inside strings do not count)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _has_lone_surrogate(value) -> bool:
    if isinstance(value, str):
        return bool(_LONE_SURROGATE.search(value))
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def _json_problem(body: bytes) -> str | None:
    """What the JSON parser would choke on without saying so clearly: text that is not
    UTF-8 (or UTF-16/32); nesting deep enough to exhaust the parser's recursion; a lone
    UTF-16 surrogate escape (``\\ud800``), which decodes to a string no one can encode;
    and NaN/Infinity, which Python's json accepts and JSON does not."""
    try:
        text = body.decode(json.detect_encoding(body))
    except (UnicodeDecodeError, LookupError):
        return "the body is not valid JSON: it is not UTF-8 text"
    if (text.count("[") + text.count("{")) > MAX_JSON_DEPTH and json_depth(text) > MAX_JSON_DEPTH:
        return f"the body nests arrays or objects more than {MAX_JSON_DEPTH} levels deep"
    if _SURROGATE_ESCAPE.search(body) or _LONE_SURROGATE.search(text):
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):
            parsed = None  # not JSON at all: the route says so
        if _has_lone_surrogate(parsed):
            return "the body holds a lone UTF-16 surrogate (such as \\ud800): send valid Unicode text"
    if b"NaN" not in body and b"Infinity" not in body:
        return None

    def refuse(name: str):
        raise ValueError(name)

    try:
        json.loads(body, parse_constant=refuse)
    except RecursionError:
        return f"the body nests arrays or objects more than {MAX_JSON_DEPTH} levels deep"
    except ValueError as err:
        if str(err) in ("NaN", "Infinity", "-Infinity"):
            return f"{err} is not valid JSON: send finite numbers"
    return None


class RateLimitMiddleware:
    """429 with Retry-After once a client's bucket is empty; the bucket lives where ``bucket`` keeps it."""

    def __init__(self, app, rate_per_minute: float, burst: int, bucket=None, trusted_proxies=()):
        self.app = app
        self.enabled = rate_per_minute > 0
        self.bucket = bucket if bucket is not None else MemoryBucket(rate_per_minute, burst)
        self.trusted = parse_networks(trusted_proxies)
        self._local = isinstance(self.bucket, MemoryBucket)

    def key(self, scope) -> str:
        client = scope.get("client")
        forwarded = [v for k, v in scope.get("headers", ()) if k == b"x-forwarded-for"] if self.trusted else []
        return client_key(client[0] if client else None, forwarded, self.trusted)

    async def __call__(self, scope, receive, send):
        if (
            not self.enabled
            or scope["type"] != "http"
            or scope.get("method") == "OPTIONS"
            or scope.get("path") in EXEMPT_PATHS
        ):
            return await self.app(scope, receive, send)
        key = self.key(scope)
        if self._local:
            wait = self.bucket.take(key)
        else:
            wait = await anyio.to_thread.run_sync(self.bucket.take, key)
        if wait > 0:
            retry = max(1, math.ceil(wait))
            return await send_json(
                send,
                429,
                {"detail": f"too many requests from this client: retry in {retry} s"},
                [(b"retry-after", str(retry).encode())],
            )
        await self.app(scope, receive, send)
