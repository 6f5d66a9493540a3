"""Errors as JSON with a stable code: `{"error": {"code", "message", "field"}}`. Invalid input is
422 naming the field, another tenant's object 404, never a 500 for what a caller sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.routing import Match

from kuajing.accounts.passwords import WeakPassword
from kuajing.catalog.base import Text
from kuajing.errors import (
    AccountError,
    Conflict,
    Forbidden,
    InvalidTransition,
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

_MEANINGS = {
    400: "The body could not be parsed",
    401: "No API token, or an unknown or revoked one",
    403: "Your role does not allow it",
    404: "No such object, or another organisation's",
    409: "Refused in the object's present state (an event its procedure does not allow now)",
    413: "The upload is over the size limit",
    422: "Invalid input, naming the field, or refused by the catalogue's rules",
}


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error responses an operation documents in the OpenAPI document, with their body (422
    replaces FastAPI's own, whose body is not the one sent)."""
    return {s: {"model": ErrorBody, "description": _MEANINGS[s]} for s in statuses}


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allowed(request: Request) -> str:
    """Every method of the path, for `Allow`: Starlette names only the first route's."""
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in _METHODS
        if any(r.matches({**request.scope, "method": method})[0] == Match.FULL for r in routes)
    )


# A page for an error on the web application's paths: (request, status, code, message); the
# message in both languages when the raiser gave its Chinese.
HtmlError = Callable[[Request, int, str, str | Text], Response]
API_PATHS = ("/v1/", "/openapi.json", "/docs", "/redoc")


def install(app: FastAPI, html: HtmlError | None = None) -> None:
    """Map every error kuajing raises, and FastAPI's own, to the JSON body; on the web pages'
    paths, to the page `html` renders, when given."""

    def answer(request: Request, response: JSONResponse, zh: str | None = None) -> Response:
        if html is None or request.url.path.startswith(API_PATHS):
            return response
        detail = ErrorBody.model_validate_json(bytes(response.body)).error
        message = f"{detail.field}: {detail.message}" if detail.field else detail.message
        said = Text(zh=zh, en=message) if zh and not detail.field else message
        page = html(request, response.status_code, detail.code, said)
        page.headers.update({k: v for k, v in response.headers.items() if k.startswith("www-")})
        return page

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        field = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or None
        return answer(
            request, error(422, "invalid_request", str(first.get("msg", "invalid request")), field)
        )

    @app.exception_handler(HTTPException)
    async def http(request: Request, exc: HTTPException) -> Response:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        response = error(exc.status_code, code, str(exc.detail))
        response.headers.update(exc.headers or {})
        if exc.status_code == 405:
            response.headers["Allow"] = _allowed(request)
        return answer(request, response)

    @app.exception_handler(InvalidTransition)
    async def not_now(request: Request, exc: InvalidTransition) -> Response:
        # The filing's state or dates refuse the event, not its shape: a conflict, said why.
        return answer(request, error(409, "invalid_transition", str(exc)))

    @app.exception_handler(KuajingError)
    async def refused(request: Request, exc: KuajingError) -> Response:
        return answer(request, _refused(exc), exc.zh)


def _refused(exc: KuajingError) -> JSONResponse:
    if isinstance(exc, WeakPassword):  # the input refused, not the state: 422 like a bad field
        exc = LocatedError(str(exc), path="password")
    if isinstance(exc, TooLarge):
        return error(413, "too_large", str(exc), "file")
    if isinstance(exc, NotFound):
        return error(404, "not_found", str(exc))
    if isinstance(exc, Forbidden):
        return error(403, "forbidden", str(exc))
    if isinstance(exc, AccountError | Conflict):
        return error(409, "conflict", str(exc))
    if isinstance(exc, LocatedError):
        return error(422, "invalid_request", exc.message, exc.path or None)
    return error(422, "refused", str(exc))
