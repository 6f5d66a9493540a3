"""List editions in the browser, for a zone's staff: the zone's editions and the form that
imports a new one from its official table; one edition's diff against the list it replaces,
the decisions it would change from a chosen effective date, and the forms that publish or
discard it. Everyone on the zone's staff reads; its administrators import, publish and discard
(the service refuses anyone else, and another zone's edition is not found)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuajing.accounts.sessions import Session
from kuajing.catalog import Catalog
from kuajing.catalog.base import Confidence, Text
from kuajing.catalog.importers.formats import SUFFIXES as DOCUMENT_SUFFIXES
from kuajing.errors import Forbidden, InvalidTransition, KuajingError, NotFound, TooLarge
from kuajing.services import edition_review
from kuajing.services import zone_editions as service
from kuajing.services.uploads import saved
from kuajing.web.forms import EARLIEST, LATEST
from kuajing.web.i18n import t
from kuajing.web.render import page
from kuajing.web.session import accounts, checked, signed_in
from kuajing.zone.editions import zone_list

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]
Checked = Annotated[Session, Depends(checked)]
Id = Annotated[str, Path(min_length=1, max_length=64)]
Day = Annotated[dt.date | None, Query(ge=dt.date(1990, 1, 1), le=dt.date(2999, 12, 31))]
Field = Annotated[str, Form(max_length=400)]

_DONE = ("imported", "published", "discarded")
BLANK = {
    "list_id": "",
    "edition": "",
    "title_zh": "",
    "title_en": "",
    "published": "",
    "source": "",
    "source_title": "",
    "source_url": "",
    "confidence": "H",
    "supersedes": "",
    "kind": "negative",
}


def _catalog(request: Request) -> Catalog:
    found: Catalog = request.app.state.catalog
    return found


def _listing(
    request: Request,
    session: Session,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    who = session.principal
    found = service.editions(accounts(request), who)
    zone = who.organisation.zone or ""
    return page(
        request,
        "zone_editions.html",
        session,
        status=status,
        editions=[(e, zone_list(e).title) for e in found],
        lists=[zl for zl in _catalog(request).lists.values() if zone in zl.zones],
        admin=who.may("admin"),
        form=form or BLANK,
        error=error,
    )


@router.get("/zone/editions", response_class=HTMLResponse)
def listing(request: Request, session: Signed) -> Response:
    return _listing(request, session)


def _date(value: str) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None


@router.post("/zone/editions")
def upload(
    request: Request,
    session: Checked,
    file: Annotated[UploadFile, File()],
    list_id: Field = "",
    edition: Field = "",
    title_zh: Field = "",
    title_en: Field = "",
    published: Field = "",
    source: Field = "",
    source_title: Field = "",
    source_url: Annotated[str, Form(max_length=2000)] = "",
    confidence: Annotated[Confidence, Form()] = "H",
    supersedes: Field = "",
    kind: Annotated[Literal["negative", "general"], Form()] = "negative",
) -> Response:
    """Import the table as a draft; a refusal shows the form again with the reason."""
    who, lang = session.principal, session.principal.user.lang
    service.admin_zone(who)  # refused before the upload is read
    form = {
        "list_id": list_id, "edition": edition, "title_zh": title_zh, "title_en": title_en,
        "published": published, "source": source, "source_title": source_title,
        "source_url": source_url, "confidence": confidence, "supersedes": supersedes,
        "kind": kind,
    }  # fmt: skip
    day = _date(published)
    missing = [k for k in ("list_id", "edition", "title_zh", "source") if not form[k].strip()]
    if missing or day is None:
        bad = t("editions_missing", lang, fields=", ".join(missing or ["published"]))
        return _listing(request, session, status=422, error=bad, form=form)
    try:
        name, limit = file.filename or "table.csv", request.app.state.max_upload
        with saved(file.file, name, limit, tuple(DOCUMENT_SUFFIXES)) as path:
            made = service.import_edition(
                accounts(request), who, path, list_id=list_id.strip(), edition=edition.strip(),
                title=Text(zh=title_zh.strip(), en=title_en.strip() or title_zh.strip()),
                published=day, source=source.strip(), source_title=source_title.strip() or None,
                source_url=source_url.strip() or None, confidence=confidence,
                supersedes=supersedes.strip() or None, kind=kind, table_name=path.name,
            )  # fmt: skip
    except TooLarge:
        return _listing(
            request, session, status=413, error=t("editions_too_large", lang), form=form
        )
    except (Forbidden, NotFound):
        raise
    except KuajingError as exc:  # the table, the catalogue's checks, a list id in use
        return _listing(request, session, status=422, error=str(exc), form=form)
    return RedirectResponse(f"/zone/editions/{made.id}?done=imported", status_code=303)


def _edition_page(
    request: Request,
    session: Session,
    edition_id: str,
    effective_from: dt.date | None,
    *,
    status: int = 200,
    error: str | None = None,
    done: str | None = None,
    notified: int | None = None,
) -> Response:
    who, today = session.principal, dt.date.today()
    catalog = service.catalog_for(accounts(request), _catalog(request), who)
    view = service.diff_edition(accounts(request), who, edition_id, catalog, today)
    impacts = None
    day = effective_from or today
    if view.edition.state == "draft" and error is None:
        impacts = service.impact(accounts(request), who, edition_id, catalog, day)
    return page(
        request,
        "zone_edition.html",
        session,
        status=status,
        v=view,
        document=edition_review.review(accounts(request), view.edition),
        lines=view.lines(),
        impacts=impacts,
        effective_from=day.isoformat(),
        admin=who.may("admin"),
        error=error,
        done=done,
        notified=notified,
    )


@router.get("/zone/editions/{edition_id}", response_class=HTMLResponse)
def one(
    edition_id: Id,
    request: Request,
    session: Signed,
    effective_from: Day = None,
    done: str | None = None,
    notified: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
) -> Response:
    shown = done if done in _DONE else None
    return _edition_page(
        request, session, edition_id, effective_from, done=shown, notified=notified
    )


@router.post("/zone/editions/{edition_id}/publish")
def publish(
    edition_id: Id,
    request: Request,
    session: Checked,
    effective_from: Annotated[str, Form(max_length=32)] = "",
    leave_unconfirmed: Annotated[bool, Form()] = False,
) -> Response:
    """Publish from the chosen day; the companies whose decisions change are notified and the
    service's catalogue includes the edition from now on."""
    who, state = session.principal, request.app.state
    day = _date(effective_from)
    if day is None:
        bad = t("editions_bad_date", who.user.lang, value=effective_from)
        return _edition_page(request, session, edition_id, None, status=422, error=bad)
    try:
        _, impacts = service.publish(
            accounts(request), who, edition_id, day,
            service.catalog_for(accounts(request), state.catalog, who),
            leave_unconfirmed=leave_unconfirmed,
        )  # fmt: skip
    except (Forbidden, NotFound):
        raise
    except KuajingError as exc:  # no longer a draft (409), or the date does not fit (422)
        code = 409 if isinstance(exc, InvalidTransition) else 422
        return _edition_page(request, session, edition_id, day, status=code, error=str(exc))
    state.catalog = service.current(accounts(request), state.base_catalog)
    notified = len({i.organisation_id for i in impacts})
    return RedirectResponse(
        f"/zone/editions/{edition_id}?done=published&notified={notified}", status_code=303
    )


@router.post("/zone/editions/{edition_id}/discard")
def discard(edition_id: Id, request: Request, session: Checked) -> Response:
    service.discard(accounts(request), session.principal, edition_id)
    return RedirectResponse(f"/zone/editions/{edition_id}?done=discarded", status_code=303)


# --- the review of a document's rows --------------------------------------------------------

_REVIEW_DONE = ("saved", "confirmed")


@router.get("/zone/editions/{edition_id}/review", response_class=HTMLResponse)
def review_page(
    edition_id: Id, request: Request, session: Signed, done: str | None = None
) -> Response:
    who = session.principal
    found = service.edition(accounts(request), who, edition_id)
    return page(
        request,
        "zone_edition_review.html",
        session,
        e=found,
        title=zone_list(found).title,
        r=edition_review.review(accounts(request), found),
        admin=who.may("admin") and found.state == "draft",
        done=done if done in _REVIEW_DONE else None,
    )


@router.get("/zone/editions/{edition_id}/review/{idx}/image")
def row_image(
    edition_id: Id, idx: Annotated[int, Path(ge=0, le=1_000_000)], request: Request, session: Signed
) -> Response:
    found = service.edition(accounts(request), session.principal, edition_id)
    png = edition_review.row_image(accounts(request), found, idx)
    if png is None:
        raise NotFound("this document has no page image / 该文件没有版面图像")
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})


@router.post("/zone/editions/{edition_id}/review/{idx}")
async def correct_row(
    edition_id: Id,
    idx: Annotated[int, Path(ge=0, le=1_000_000)],
    request: Request,
    session: Checked,
) -> Response:
    """Save the row's cells as corrected; with action=confirm, confirm the row too."""
    who = session.principal
    service.admin_zone(who)
    found = service.edition(accounts(request), who, edition_id)
    form = await request.form()
    cells = {str(k)[5:]: str(v)[:4000] for k, v in form.items() if str(k).startswith("cell:")}
    edition_review.correct(accounts(request), who, found, idx, cells)
    done = "saved"
    if form.get("action") == "confirm":
        edition_review.confirm(accounts(request), who, found, [idx])
        done = "confirmed"
    return RedirectResponse(
        f"/zone/editions/{edition_id}/review?done={done}#row-{idx}", status_code=303
    )


@router.post("/zone/editions/{edition_id}/review-confirm-read")
def confirm_read(edition_id: Id, request: Request, session: Checked) -> Response:
    who = session.principal
    service.admin_zone(who)
    found = service.edition(accounts(request), who, edition_id)
    edition_review.confirm_read(accounts(request), who, found)
    return RedirectResponse(f"/zone/editions/{edition_id}/review?done=confirmed", status_code=303)
