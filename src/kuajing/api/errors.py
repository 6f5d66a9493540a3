"""Errors as JSON with a stable code: `{"error": {"code", "message", "field"}}`. Invalid input is
422 naming the field, another tenant's object 404, never a 500 for what a caller sent."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from kuajing.errors import (
    AccountError,
    Forbidden,
    KuajingError,
    LocatedError,
    NotFound,
    TooLarge,
)


class ErrorDetail(BaseModel):
    code: str  # stable: callers may branch on it
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def error(status: int, code: str, message: str, field: str | None = None) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message=message, field=field))
    return JSONResponse(body.model_dump(), status_code=status)


_HTTP_CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}


def install(app: FastAPI) -> None:
    """Map every error kuajing raises, and FastAPI's own, to the JSON body."""

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        field = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or None
        return error(422, "invalid_request", str(first.get("msg", "invalid request")), field)

    @app.exception_handler(HTTPException)
    async def http(_: Request, exc: HTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        response = error(exc.status_code, code, str(exc.detail))
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(KuajingError)
    async def refused(_: Request, exc: KuajingError) -> JSONResponse:
        return _refused(exc)


def _refused(exc: KuajingError) -> JSONResponse:
    if isinstance(exc, TooLarge):
        return error(413, "too_large", str(exc), "file")
    if isinstance(exc, NotFound):
        return error(404, "not_found", str(exc))
    if isinstance(exc, Forbidden):
        return error(403, "forbidden", str(exc))
    if isinstance(exc, AccountError):
        return error(409, "conflict", str(exc))
    if isinstance(exc, LocatedError):
        return error(422, "invalid_request", exc.message, exc.path or None)
    return error(422, "refused", str(exc))
