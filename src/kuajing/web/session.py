"""Who is browsing: the session cookie, and the checks every page and form relies on.

The session cookie is `Secure`, `HttpOnly` and `SameSite=Lax`; its value is a random secret of
which the database keeps only a hash. Every form that changes something carries the session's
CSRF token (synchronizer pattern); the sign-in form, before any session exists, carries a token
that must match a cookie set with the form (double submit)."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Form, Request, Response

from kuajing.accounts import sessions
from kuajing.accounts.sessions import Session
from kuajing.accounts.store import Accounts
from kuajing.errors import Forbidden, KuajingError
from kuajing.lang import Lang
from kuajing.web.i18n import LANGS, negotiate

COOKIE = "kuajing_session"
LOGIN_COOKIE = "kuajing_login"  # the sign-in form's CSRF token
LANG_COOKIE = "kuajing_lang"  # the language chosen before signing in


class SignInNeeded(KuajingError):
    """The page needs a signed-in user: the handler redirects to the sign-in page."""

    def __init__(self, back_to: str) -> None:
        super().__init__("sign in first")
        self.back_to = back_to


def accounts(request: Request) -> Accounts:
    found: Accounts = request.app.state.accounts
    return found


def current(request: Request) -> Session | None:
    secret = request.cookies.get(COOKIE)
    return sessions.find(accounts(request), secret) if secret else None


def signed_in(request: Request) -> Session:
    """A dependency: the visitor's session, else a redirect to sign in and come back."""
    found = current(request)
    if found is None:
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInNeeded(back)
    return found


def checked(
    session: Annotated[Session, Depends(signed_in)], csrf: Annotated[str, Form()] = ""
) -> Session:
    """A dependency for forms that change something: the session, if the form's CSRF token is
    the session's."""
    if not secrets.compare_digest(csrf.encode(), session.csrf.encode()):
        raise Forbidden("the form has expired or did not come from this site; reload the page")
    return session


def visitor_lang(request: Request) -> Lang:
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGS:
        return chosen
    return negotiate(request.headers.get("accept-language"))


def lang_of(request: Request, session: Session | None) -> Lang:
    return session.principal.user.lang if session else visitor_lang(request)


def set_cookie(response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/", secure=True, httponly=True, samesite="lax"
    )


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return quote(target, safe="/?=&%:-_.~")
