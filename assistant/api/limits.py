"""Request guards as pure ASGI middleware (streaming responses pass through untouched).

- ``RequestContextMiddleware``: a request id (the client's ``X-Request-ID`` when
  it is sane, else a new one) echoed on every response, and one JSON access-log
  line per request.
- ``BodyLimitMiddleware``: bodies over ``max_body_bytes`` get 413, judged on
  ``Content-Length`` when sent and by counting the bytes otherwise (chunked
  uploads); JSON bodies using ``NaN``/``Infinity`` get 422.
- ``RateLimitMiddleware``: a token bucket per client address, 429 with
  ``Retry-After`` when empty. Health probes and CORS preflights are exempt.
- CORS itself is Starlette's ``CORSMiddleware`` with the allow-list from settings.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
import uuid
from collections import OrderedDict

from assistant.api.logs import access_log, request_id_var

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
    def __init__(self, app, max_body_bytes: int):
        self.app = app
        self.max = max_body_bytes

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
        while True:
            message = await receive()
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


def _json_problem(body: bytes) -> str | None:
    """What the JSON parser would choke on without saying so clearly: text that is not
    UTF-8 (or UTF-16/32), and NaN/Infinity, which Python's json accepts and JSON does not."""
    try:
        body.decode(json.detect_encoding(body))
    except (UnicodeDecodeError, LookupError):
        return "the body is not valid JSON: it is not UTF-8 text"
    if b"NaN" not in body and b"Infinity" not in body:
        return None

    def refuse(name: str):
        raise ValueError(name)

    try:
        json.loads(body, parse_constant=refuse)
    except ValueError as err:
        if str(err) in ("NaN", "Infinity", "-Infinity"):
            return f"{err} is not valid JSON: send finite numbers"
    return None


class TokenBucket:
    """Per-key token buckets: ``rate`` tokens a second, at most ``burst`` stored."""

    def __init__(self, rate_per_minute: float, burst: int, max_keys: int = 10_000):
        self.rate = rate_per_minute / 60.0
        self.burst = max(1, int(burst))
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        """Take one token; return 0 when granted, else the seconds until one is available."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate if self.rate > 0 else 60.0
            while len(self._buckets) > self.max_keys:  # forget the least recently seen clients
                self._buckets.popitem(last=False)
            return wait


class RateLimitMiddleware:
    def __init__(self, app, rate_per_minute: float, burst: int):
        self.app = app
        self.enabled = rate_per_minute > 0
        self.bucket = TokenBucket(rate_per_minute, burst)

    async def __call__(self, scope, receive, send):
        if (
            not self.enabled
            or scope["type"] != "http"
            or scope.get("method") == "OPTIONS"
            or scope.get("path") in EXEMPT_PATHS
        ):
            return await self.app(scope, receive, send)
        client = scope.get("client")
        wait = self.bucket.take(client[0] if client else "unknown")
        if wait > 0:
            retry = max(1, math.ceil(wait))
            return await send_json(
                send,
                429,
                {"detail": f"too many requests from this client: retry in {retry} s"},
                [(b"retry-after", str(retry).encode())],
            )
        await self.app(scope, receive, send)
