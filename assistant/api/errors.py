"""Error responses: every 4xx is JSON ``{"detail": ...}``.

One handler maps the project's error tree (``VixShieldError.status_code``);
one turns request-validation errors into 422 with a readable sentence.
A bug is never dressed up as a 4xx: it stays a 500, logged with its traceback
and request id (and re-raised to uvicorn by Starlette), and the client gets
JSON naming the request id, never a stack trace.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from assistant.api.logs import log, request_id_var
from assistant.errors import VixShieldError


def _where(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    if not parts:
        return {"query": "query", "path": "path", "header": "header"}.get(loc[0] if loc else "", "body")
    return ".".join(parts)


def _sentence(err: dict) -> str:
    kind = err.get("type", "")
    where = _where(tuple(err.get("loc", ())))
    msg = str(err.get("msg", "invalid value"))
    if msg.startswith("Value error, "):
        return msg[len("Value error, "):]
    if msg.startswith("Assertion failed, "):
        msg = msg[len("Assertion failed, "):]
    if kind == "json_invalid":
        return f"the body is not valid JSON ({err.get('ctx', {}).get('error', 'decode error')})"
    if kind == "missing":
        return f"{where} is required"
    if where == "body" and kind in ("model_attributes_type", "dict_type", "model_type"):
        return "the body must be a JSON object (Content-Type: application/json)"
    return f"{where}: {msg[0].lower() + msg[1:] if msg else msg}"


def validation_detail(errors: list[dict]) -> str:
    sentences = []
    for err in errors:
        s = _sentence(err)
        if s not in sentences:
            sentences.append(s)
    return "; ".join(sentences) or "invalid request"


async def vixshield_error_handler(request: Request, exc: VixShieldError) -> JSONResponse:
    status = int(getattr(exc, "status_code", 400))
    headers = {"Retry-After": "2"} if status == 503 else None
    return JSONResponse({"detail": str(exc) or type(exc).__name__}, status_code=status, headers=headers)


async def validation_error_handler(request: Request, exc: RequestValidationError) -> JSONResponse:
    return JSONResponse({"detail": validation_detail(list(exc.errors()))}, status_code=422)


async def server_error_handler(request: Request, exc: Exception) -> JSONResponse:
    rid = request_id_var.get() or request.scope.get("state", {}).get("request_id")
    log.error("unhandled error", exc_info=exc, extra={"path": request.url.path})
    return JSONResponse(
        {"detail": f"internal error ({type(exc).__name__}); request id {rid}"},
        status_code=500,
        headers={"X-Request-ID": rid} if rid else None,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(VixShieldError, vixshield_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(Exception, server_error_handler)  # 500 stays 500; see the docstring


# For the OpenAPI schema: what every error body looks like.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}


def responses(*codes: int) -> dict:
    text = {
        401: "API key missing",
        403: "API key wrong, or the endpoint is disabled",
        404: "Not found",
        413: "Request body too large",
        422: "Invalid input",
        429: "Rate limit exceeded (see Retry-After)",
        503: "The assistant is still warming up (see Retry-After)",
    }
    return {
        c: {"description": text.get(c, "Error"), "content": {"application/json": {"schema": ERROR_SCHEMA}}}
        for c in codes
    }
