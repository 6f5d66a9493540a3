"""Errors on the web pages: a page in the visitor's language instead of the API's JSON."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from kuajing.catalog.base import Text
from kuajing.web.render import page
from kuajing.web.session import SignInNeeded, current


def html_error(request: Request, status: int, code: str, message: str | Text) -> Response:
    return page(request, "error.html", current(request), status=status, code=code, message=message)


async def sign_in_first(_: Request, exc: Exception) -> Response:
    back = exc.back_to if isinstance(exc, SignInNeeded) else "/"
    return RedirectResponse(f"/login?next={back}", status_code=303)
