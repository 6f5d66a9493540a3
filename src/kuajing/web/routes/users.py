"""The organisation's users, which its admins manage, and each user's own account: their
profile and API tokens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuajing.accounts.models import KIND_ROLES, Role
from kuajing.accounts.passwords import WeakPassword
from kuajing.accounts.sessions import Session
from kuajing.accounts.store import MIN_PASSWORD, Refused
from kuajing.errors import AccountError, Forbidden
from kuajing.lang import Lang
from kuajing.web.i18n import LANGS, phrases, t
from kuajing.web.render import page
from kuajing.web.session import accounts, checked, lang_of, signed_in

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]
Checked = Annotated[Session, Depends(checked)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]  # an INTEGER column on every database

# What a redirect after a change may announce (`?done=`), and the refusals that are conflicts
# with the organisation's state (409) rather than invalid input (422).
_USERS_DONE = ("added", "role", "disabled")
_ACCOUNT_DONE = ("revoked", "role")
_CONFLICTS = ("email_taken", "last_admin", "self_disable", "disabled")
_BLANK_FORM = {"email": "", "name": "", "role": "member", "lang": "zh"}


def _done(value: str | None, known: tuple[str, ...]) -> str | None:
    return value if value in known else None


def _users_page(
    request: Request,
    session: Session,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
    done: str | None = None,
) -> Response:
    if not session.principal.may("admin"):
        raise Forbidden("only an admin manages users")
    return page(
        request,
        "users.html",
        session,
        status=status,
        people=accounts(request).users(session.principal),
        roles=KIND_ROLES[session.principal.organisation.kind],
        langs=LANGS,
        min_password=MIN_PASSWORD,
        form=form or _BLANK_FORM,
        error=error,
        done=done,
    )


def _refused(request: Request, session: Session, exc: AccountError) -> dict[str, Any]:
    """The status and the message, in the reader's language, of a refusal from the store."""
    reason = exc.reason if isinstance(exc, Refused | WeakPassword) else ""
    key = f"users_refused_{reason}"
    lang = lang_of(request, session)
    message = t(key, lang, min=MIN_PASSWORD) if key in phrases() else str(exc)
    status = 409 if reason in _CONFLICTS or not reason else 422
    return {"status": status, "error": message}


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, session: Signed, done: str | None = None) -> Response:
    return _users_page(request, session, done=_done(done, _USERS_DONE))


@router.post("/users")
def add(
    request: Request,
    session: Checked,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[Role, Form()] = "member",
    lang: Annotated[Lang, Form()] = "zh",
) -> Response:
    try:
        accounts(request).add_user(
            session.principal, email, password, name=name, role=role, lang=lang
        )
    except AccountError as exc:  # shown on the form, filled in again but for the password
        form = {"email": email, "name": name, "role": role, "lang": lang}
        return _users_page(request, session, form=form, **_refused(request, session, exc))
    return RedirectResponse("/users?done=added", status_code=303)


@router.post("/users/{user_id}/role")
def change_role(
    request: Request, session: Checked, user_id: Id, role: Annotated[Role, Form()]
) -> Response:
    try:
        accounts(request).set_role(session.principal, user_id, role)
    except AccountError as exc:
        return _users_page(request, session, **_refused(request, session, exc))
    if user_id == session.principal.user.id and role != "admin":
        return RedirectResponse("/account?done=role", status_code=303)  # /users is closed now
    return RedirectResponse("/users?done=role", status_code=303)


@router.post("/users/{user_id}/disable")
def disable(request: Request, session: Checked, user_id: Id) -> Response:
    try:
        accounts(request).remove_user(session.principal, user_id)
    except AccountError as exc:
        return _users_page(request, session, **_refused(request, session, exc))
    return RedirectResponse("/users?done=disabled", status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, session: Signed, done: str | None = None) -> Response:
    who = session.principal
    # An admin's `tokens` are the whole organisation's: this page shows the user's own.
    mine = [tk for tk in accounts(request).tokens(who) if tk.user_id == who.user.id]
    return page(request, "account.html", session, tokens=mine, done=_done(done, _ACCOUNT_DONE))


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request, session: Checked, name: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    """The secret is on this page only (never in a URL or a redirect): it is not kept."""
    secret, token = accounts(request).create_token(session.principal, name)
    return page(request, "account_token.html", session, secret=secret, token=token)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, session: Checked, token_id: Id) -> Response:
    accounts(request).revoke_token(session.principal, token_id)
    return RedirectResponse("/account?done=revoked", status_code=303)
