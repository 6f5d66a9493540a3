"""Signing in and out, and choosing the language."""

from __future__ import annotations

import ipaddress
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuajing.accounts import sessions
from kuajing.accounts.sessions import Session
from kuajing.lang import Lang
from kuajing.web.render import page
from kuajing.web.session import (
    COOKIE,
    LANG_COOKIE,
    LOGIN_COOKIE,
    accounts,
    checked,
    current,
    safe_next,
    set_cookie,
)

router = APIRouter(include_in_schema=False)


def _form(
    request: Request,
    status: int = 200,
    error: str | None = None,
    email: str = "",
    wait: int = 0,
) -> Response:
    token = secrets.token_urlsafe(32)
    response = page(
        request,
        "login.html",
        None,
        status=status,
        login_csrf=token,
        error=error,
        wait_minutes=max(1, -(-wait // 60)),
        email=email,
        back_to=safe_next(request.query_params.get("next")),
        insecure=_insecure(request),
    )
    set_cookie(response, LOGIN_COOKIE, token, max_age=3600)
    return response


def _insecure(request: Request) -> bool:
    """Plain HTTP to another machine: the browser will not keep the secure session cookie."""
    if request.url.scheme == "https":
        return False
    host = request.url.hostname or ""
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host != "localhost"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    if current(request) is not None:
        return RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    return _form(request)


@router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not secrets.compare_digest(csrf.encode(), expected.encode()):
        return _form(request, 403, "login_expired", email)
    store, address = accounts(request), request.client.host if request.client else "unknown"
    tried = sessions.attempt(store, email, address)
    if not tried.allowed:
        response = _form(request, 429, "login_blocked", email, wait=tried.retry_after)
        response.headers["Retry-After"] = str(tried.retry_after)
        return response
    principal = store.authenticate(email, password)
    if principal is None:  # the attempt's slot stays, as a failure
        return _form(request, 401, "login_failed", email)
    sessions.succeeded(store, email)
    secret, _ = sessions.start(store, principal)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_cookie(response, COOKIE, secret, max_age=sessions.SESSION_HOURS * 3600)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, _: Annotated[Session, Depends(checked)]) -> Response:
    sessions.end(accounts(request), request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.post("/lang")
def choose_lang(
    request: Request,
    lang: Annotated[Lang, Form()],
    csrf: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "/",
) -> Response:
    """Signed in: the user's language from now on (a form, so CSRF-checked). Otherwise the
    visitor's, in a cookie (no CSRF: choosing a language changes nothing of anyone's data)."""
    response = RedirectResponse(safe_next(back), status_code=303)
    session = current(request)
    if session is None:
        set_cookie(response, LANG_COOKIE, lang, max_age=365 * 86400)
        return response
    checked(session, csrf)
    accounts(request).set_lang(session.principal, lang)
    return response
