"""How ``vixshield serve`` runs uvicorn: the port opens at once, slow clients are cut off.

- ``GuardedH11Protocol``: uvicorn's h11 protocol with a header deadline. A
  connection that has not finished sending a request's headers within
  ``VIXSHIELD_HEADER_TIMEOUT_S`` (new, or idle-then-partial on keep-alive) gets
  ``408`` and is closed, so half-sent requests cannot pin connections for long.
  Bodies have their own deadline (``BodyLimitMiddleware``, 408), idle keep-alive
  connections close after ``VIXSHIELD_KEEP_ALIVE_S``, and headers are capped at
  ``MAX_HEADER_BYTES`` (h11's incomplete-event limit: 400 beyond it).
- ``run(...)``: uvicorn with that protocol, proxy headers off (the app decides
  whom to believe: ``VIXSHIELD_TRUSTED_PROXIES``), and no index build before
  listening (the app warms up, or rebuilds a stale index, in the background).
"""

from __future__ import annotations

import asyncio
import os

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

MAX_HEADER_BYTES = 16 * 1024
_BODY_408 = b'{"detail": "the request headers did not arrive in time"}'
_RESPONSE_408 = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n"
    b"content-length: " + str(len(_BODY_408)).encode() + b"\r\n\r\n" + _BODY_408
)


def _header_timeout() -> float:
    try:
        return float(os.environ.get("VIXSHIELD_HEADER_TIMEOUT_S", "10"))
    except ValueError:
        return 10.0


class GuardedH11Protocol(H11Protocol):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.header_timeout = _header_timeout()
        self._header_deadline: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        if self._header_deadline is None and self.header_timeout > 0:
            self._header_deadline = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.transport.is_closing():
            self._disarm()
        elif self.conn.their_state is h11.IDLE:
            self._arm()  # waiting for (the rest of) a request's headers
        else:
            self._disarm()  # headers complete; the body has its own deadline

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # An idle keep-alive connection is closed by uvicorn's keep-alive timer; once bytes of a
        # next request arrive, data_received arms the header deadline again.

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if self.transport.is_closing():
            return
        if self.conn.their_state is h11.IDLE and (self.cycle is None or self.cycle.response_complete):
            if self.conn.trailing_data[0]:
                self.transport.write(_RESPONSE_408)  # bytes were sent, but not a whole request head
            self.transport.close()


def run(app: str, host: str, port: int, workers: int, settings) -> None:
    import uvicorn

    os.environ.setdefault("VIXSHIELD_HEADER_TIMEOUT_S", str(settings.header_timeout_s))
    uvicorn.run(
        app,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        http="assistant.api.server:GuardedH11Protocol",
        proxy_headers=False,  # X-Forwarded-For is judged by the app against VIXSHIELD_TRUSTED_PROXIES
        timeout_keep_alive=max(1, int(round(settings.keep_alive_s))),
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        timeout_graceful_shutdown=10,
    )
