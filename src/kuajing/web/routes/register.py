"""The transfer register in the browser: the flows with their pathway, open obligations and next
deadline (and the table as a file), one flow with its history, decisions, filings and batches,
the add and edit form, the import of a CSV or XLSX file, a batch recorded against a flow, and
the zone what-if on the whole register. Viewers read; members change (as the API).

A flow's address is `/register/{key}`: the form, import and what-if pages take `new`, `import`
and `whatif`, which the model refuses as keys (`register.models.RESERVED_KEYS`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuajing.accounts.sessions import Session
from kuajing.catalog import Catalog
from kuajing.catalog.models import EXEMPTIONS
from kuajing.engine import countries
from kuajing.errors import Conflict, Forbidden, LocatedError, RegisterError, RegisterInvalid
from kuajing.filing.store import Filings
from kuajing.i18n import PATHWAYS, STATUS
from kuajing.lang import Lang
from kuajing.register.models import FLOW_STATUSES, FREQUENCIES, KEY_PATTERN, FlowStatus
from kuajing.register.store import FlowStore
from kuajing.register.tabular import COLUMNS
from kuajing.services import register
from kuajing.services.whatif import whatif_request
from kuajing.services.zone_editions import catalog_for
from kuajing.web.downloads import Format, table_file
from kuajing.web.forms import form_day
from kuajing.web.i18n import t
from kuajing.web.render import page
from kuajing.web.session import accounts, checked, lang_of, signed_in
from kuajing.web.views import register as views
from kuajing.web.views.assess_form import scenario_choices
from kuajing.web.views.form_errors import FormInvalid, Problem
from kuajing.web.views.scan import size_text
from kuajing.web.views.whatif import readable

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]
Checked = Annotated[Session, Depends(checked)]
Key = Annotated[str, Path(pattern=KEY_PATTERN)]
Show = Literal["current", "all", "planned", "active", "paused", "retired"]
Day = Annotated[dt.date | None, Query(ge=dt.date(1990, 1, 1), le=dt.date(2999, 12, 31))]
Count = Annotated[int | None, Query(ge=0, le=1_000_000)]


def _store(request: Request) -> FlowStore:
    return FlowStore(accounts(request).engine)


def _catalog(request: Request) -> Catalog:
    found: Catalog = request.app.state.catalog
    return found


def _member(session: Session) -> None:
    # Checked before anything is read or written, so that a viewer's post changes nothing.
    if not session.principal.may("member") or session.principal.zone_staff:
        raise Forbidden("a viewer cannot change the register", zh="查看者不能修改登记簿")


def _limit(request: Request) -> str:
    return size_text(request.app.state.max_upload)


def _statuses(show: Show) -> list[FlowStatus] | None:
    if show == "all":
        return None
    if show == "current":
        return [s for s in FLOW_STATUSES if s != "retired"]
    return [show]


# --- the register -----------------------------------------------------------------------------


def _rows(request: Request, session: Session, show: Show, lang: Lang) -> list[views.Row]:
    who, today = session.principal, dt.date.today()
    found = register.summaries(
        accounts(request), _store(request), Filings(accounts(request).engine), who,
        _catalog(request), today, lang, _statuses(show),
    )  # fmt: skip
    return views.rows(found, _catalog(request), today, lang)


@router.get("/register", response_class=HTMLResponse)
def listing(
    request: Request,
    session: Signed,
    show: Show = "current",
    added: Count = None,
    changed: Count = None,
    unchanged: Count = None,
) -> Response:
    lang = lang_of(request, session)
    imported = {"added": added, "changed": changed, "unchanged": unchanged}
    return page(
        request,
        "register.html",
        session,
        rows=_rows(request, session, show, lang),
        show=show,
        shows=("current", *FLOW_STATUSES, "all"),
        imported=imported if added is not None else None,
        any_flow=bool(register.listing(_store(request), session.principal)),
        pathways=PATHWAYS,
    )


@router.get("/register.{fmt}")
def download(request: Request, session: Signed, fmt: Format, show: Show = "current") -> Response:
    lang = lang_of(request, session)
    grid = views.grid(_rows(request, session, show, lang), lang)
    return table_file(grid, fmt, f"kuajing-register-{show}", t("reg_title", lang))


# --- add and edit -----------------------------------------------------------------------------


def _form(
    request: Request,
    session: Session,
    values: dict[str, str],
    *,
    key: str | None = None,
    version: int | None = None,
    error: LocatedError | None = None,
    conflict: bool = False,
    status: int = 200,
) -> Response:
    who, lang = session.principal, lang_of(request, session)
    catalog = catalog_for(accounts(request), _catalog(request), who)
    problems = views.shown(error, lang)
    groups = scenario_choices(catalog, who.organisation.zone, dt.date.today())
    listed = {value for g in groups for value, _ in g.scenarios}
    return page(
        request,
        "register_form.html",
        session,
        status=status,
        values=values,
        key=key,
        flow_version=version,
        groups=groups,
        unlisted=values.get("scenario") if values.get("scenario") not in listed else None,
        exemptions=EXEMPTIONS,
        frequencies=FREQUENCIES,
        statuses=FLOW_STATUSES,
        countries=countries.names(),
        problems=problems,
        problem_at={p.field: p for p in problems},
        conflict=conflict,
    )


async def _values(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}


@router.get("/register/new", response_class=HTMLResponse)
def add_form(request: Request, session: Signed) -> Response:
    _member(session)
    return _form(request, session, {})


@router.post("/register")
async def add(request: Request, session: Checked) -> Response:
    _member(session)
    values = await _values(request)
    try:
        flow = views.flow_from_form(values)
        register.add(_store(request), session.principal, flow)
    except LocatedError as exc:  # the form's fields; a key the store refuses
        return _form(request, session, values, error=exc, status=422)
    except Conflict:
        taken = FormInvalid([Problem("key", "reg_err_key_taken")], "taken")
        return _form(request, session, values, error=taken, status=409)
    return RedirectResponse(f"/register/{flow.key}?done=saved", status_code=303)


@router.get("/register/{key}/edit", response_class=HTMLResponse)
def edit_form(key: Key, request: Request, session: Signed) -> Response:
    _member(session)
    stored = register.get(_store(request), session.principal, key)  # another org's: 404
    values = views.form_values(stored.flow)
    return _form(request, session, values, key=stored.key, version=stored.version)


@router.post("/register/{key}/edit")
async def change(key: Key, request: Request, session: Checked) -> Response:
    """Save the flow if nobody changed it since the form was opened; else say so and keep
    what was typed (nothing is written)."""
    _member(session)
    store, who = _store(request), session.principal
    stored = register.get(store, who, key)
    values = await _values(request)
    version = int(values["version"]) if values.get("version", "").isdigit() else 0
    try:
        flow = views.flow_from_form(values, stored.key)
        register.change(store, who, stored.key, flow, version)
    except LocatedError as exc:
        return _form(request, session, values, key=stored.key, version=version, error=exc,
                     status=422)  # fmt: skip
    except Conflict:
        return _form(request, session, values, key=stored.key, version=version, conflict=True,
                     status=409)  # fmt: skip
    return RedirectResponse(f"/register/{stored.key}?done=saved", status_code=303)


# --- import -----------------------------------------------------------------------------------


def _import_page(
    request: Request,
    session: Session,
    *,
    problems: list[views.ImportProblem] | None = None,
    status: int = 200,
) -> Response:
    return page(
        request,
        "register_import.html",
        session,
        status=status,
        problems=problems or [],
        columns=COLUMNS,
    )


@router.get("/register/import", response_class=HTMLResponse)
def import_form(request: Request, session: Signed) -> Response:
    _member(session)
    return _import_page(request, session)


@router.post("/register/import")
def import_(
    request: Request, session: Checked, file: Annotated[UploadFile | None, File()] = None
) -> Response:
    """All or nothing: each problem of a bad file listed by row, column and reason."""
    _member(session)
    lang = lang_of(request, session)
    if file is None or not file.filename:
        bad = [views.ImportProblem("", "", t("reg_import_empty", lang))]
        return _import_page(request, session, problems=bad, status=422)
    try:
        done = register.import_upload(
            _store(request), session.principal, file.file, file.filename,
            request.app.state.max_upload,
        )  # fmt: skip
    except (RegisterInvalid, RegisterError) as exc:
        return _import_page(request, session, problems=views.import_problems(exc, lang),
                            status=422)  # fmt: skip
    except LocatedError as exc:  # the upload itself: too large, empty
        bad = [views.ImportProblem("", "", views.upload_problem(exc, _limit(request), lang))]
        return _import_page(request, session, problems=bad, status=422)
    counts = f"added={len(done.added)}&changed={len(done.changed)}&unchanged={done.unchanged}"
    return RedirectResponse(f"/register?show=all&{counts}", status_code=303)


# --- the what-if on the whole register --------------------------------------------------------


@router.get("/register/whatif", response_class=HTMLResponse)
def whatif(request: Request, session: Signed, date: Day = None) -> Response:
    who, lang = session.principal, lang_of(request, session)
    day = date or dt.date.today()
    catalog = catalog_for(accounts(request), _catalog(request), who)
    store = _store(request)
    try:
        asked = register.register_request(store, who, day)
    except RegisterError:  # no planned or active flow: nothing to compare
        asked = None
    found = readable(whatif_request(asked, catalog, lang), catalog, lang) if asked else None
    names = {s.key: s.flow.name for s in register.listing(store, who)}
    return page(
        request,
        "register_whatif.html" if found else "register_whatif_empty.html",
        session,
        w=found,
        day=day,
        flows=len(asked.transfers) if asked else 0,
        transfer_names=names,
        home=next((o.zone_name for o in found.options if o.actual and o.zone), None)
        if found
        else None,
        pathways=PATHWAYS,
        statuses=STATUS,
    )


# --- one flow ---------------------------------------------------------------------------------


@router.get("/register/{key}", response_class=HTMLResponse)
def one(
    key: Key,
    request: Request,
    session: Signed,
    done: Annotated[str | None, Query(max_length=32)] = None,
    batch: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    who, lang = session.principal, lang_of(request, session)
    store, catalog = _store(request), _catalog(request)
    stored = register.get(store, who, key)  # another organisation's: 404
    record = register.latest_decision(accounts(request), store, who, key)
    found = register.transfer_of(record, stored.key) if record else None
    filings = register.filings_of(Filings(accounts(request).engine), store, who, key)
    return page(
        request,
        "register_flow.html",
        session,
        stored=stored,
        flow=stored.flow,
        scenario=views.scenario_words(catalog, stored.flow.scenario, lang),
        country=views.country_words(stored.flow.recipient.country, lang),
        year=dt.date.today().year,
        expected=stored.flow.expected_year(dt.date.today().year),
        changes=views.changes(register.history(store, who, key), lang),
        when=views.when,
        record=record,
        latest=found,
        filings=[(f, views.procedure_name(catalog, f, lang)) for f in filings],
        batches=register.batches(request.app.state.ledger, store, who, key),
        done=done if done in ("saved", "retired", "recorded", "linked") else None,
        batch=batch,
        pathways=PATHWAYS,
        today=dt.date.today().isoformat(),
    )


@router.post("/register/{key}/assess")
def assess(
    key: Key,
    request: Request,
    session: Checked,
    date: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Assess the flow, log the decision and show it."""
    _member(session)
    who, state = session.principal, request.app.state
    day, _ = form_day(date, lang_of(request, session))
    catalog = catalog_for(accounts(request), state.catalog, who)
    _, record = register.assess(
        accounts(request), _store(request), who, key, catalog, day or dt.date.today(),
        who.user.lang, state.ledger,
    )  # fmt: skip
    return RedirectResponse(f"/decisions/{record.id}", status_code=303)


@router.post("/register/{key}/retire")
def retire(
    key: Key,
    request: Request,
    session: Checked,
    version: Annotated[int | None, Form(ge=1)] = None,
) -> Response:
    _member(session)
    stored = register.retire(_store(request), session.principal, key, version)
    return RedirectResponse(f"/register/{stored.key}?done=retired", status_code=303)


# --- a batch recorded against the flow --------------------------------------------------------


def _batch_page(
    request: Request,
    session: Session,
    key: str,
    *,
    form: dict[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    stored = register.get(_store(request), session.principal, key)
    blank = {"date": dt.date.today().isoformat(), "keys": "", "sensitive": "detected"}
    return page(
        request,
        "register_batch.html",
        session,
        status=status,
        flow=stored.flow,
        form=form or blank,
        error=error,
    )


@router.get("/register/{key}/batch", response_class=HTMLResponse)
def batch_form(key: Key, request: Request, session: Signed) -> Response:
    _member(session)
    return _batch_page(request, session, key)


@router.post("/register/{key}/batch")
def record_batch(
    key: Key,
    request: Request,
    session: Checked,
    file: Annotated[UploadFile | None, File()] = None,
    date: Annotated[str, Form(max_length=32)] = "",
    keys: Annotated[str, Form(max_length=2000)] = "",
    sensitive: Annotated[Literal["detected", "yes", "no"], Form()] = "detected",
) -> Response:
    """Record the upload in the ledger with the flow's scenario, exemption and recipient, and
    link it to the flow; a refusal shows the form again with the reason."""
    _member(session)
    lang = lang_of(request, session)
    form = {"date": date, "keys": keys, "sensitive": sensitive}
    day, bad = form_day(date, lang, "reg_batch_bad_date")
    if file is None or not file.filename:
        bad = t("reg_import_empty", lang)
    if file is None or day is None or bad:
        return _batch_page(request, session, key, form=form, error=bad, status=422)
    state = request.app.state
    columns = [c.strip() for c in keys.split(",") if c.strip()] or None
    try:
        recorded = register.record_batch(
            state.ledger, state.catalog, _store(request), session.principal, key, file.file,
            file.filename or "upload", date=day, columns=columns,
            sensitive={"yes": True, "no": False}.get(sensitive), max_bytes=state.max_upload,
        )  # fmt: skip
    except LocatedError as exc:  # the file, its columns, a retired flow
        return _batch_page(request, session, key, form=form, status=422,
                           error=views.upload_problem(exc, _limit(request), lang))  # fmt: skip
    except Conflict as exc:
        return _batch_page(request, session, key, form=form, status=409, error=exc.in_lang(lang))
    done = "recorded" if recorded.new else "linked"
    return RedirectResponse(
        f"/register/{key}?done={done}&batch={recorded.batch.id}", status_code=303
    )
