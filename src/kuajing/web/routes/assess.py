"""The guided assessment form: exporter, date and prior exports, then each transfer with its
scenario chosen from the zone's lists. Buttons that add a row or change the zone re-draw the
form with what was typed (no JavaScript needed); assessing logs the decision and shows it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuajing.accounts.sessions import Session
from kuajing.catalog.models import EXEMPTIONS
from kuajing.engine import countries
from kuajing.errors import Forbidden, RequestError
from kuajing.services.decisions import assess_and_log, logged_request
from kuajing.services.ledger import prior_from_ledger
from kuajing.services.zone_editions import catalog_for
from kuajing.web.render import page
from kuajing.web.session import accounts, checked, lang_of, signed_in
from kuajing.web.views import form_errors
from kuajing.web.views.assess_form import build_request, form_values, scenario_choices

router = APIRouter(include_in_schema=False)
MAX_ROWS = 20


def _defaults(session: Session) -> dict[str, str]:
    org = session.principal.organisation
    return {
        "date": dt.date.today().isoformat(),
        "processor.name": org.processor,
        "processor.zone": org.zone or "",
        "processor.ciio": "on" if org.ciio else "",
        "processor.sector": org.sector or "",
        "prior_source": "ledger",
        "transfers.0.id": "t1",
    }


def _rows(values: dict[str, str]) -> int:
    used = [
        int(k.split(".")[1]) for k in values if k.startswith("transfers.") and k[10:11].isdigit()
    ]
    return min(MAX_ROWS, max(used, default=0) + 1)


def _form(
    request: Request,
    session: Session,
    values: dict[str, str],
    rows: int,
    *,
    error: RequestError | None = None,
    status: int = 200,
) -> Response:
    try:
        day = dt.date.fromisoformat(values.get("date", ""))
    except ValueError:
        day = dt.date.today()
    catalog = catalog_for(accounts(request), request.app.state.catalog, session.principal)
    problems = form_errors.shown(error, lang_of(request, session))
    return page(
        request,
        "assess.html",
        session,
        status=status,
        values=values,
        rows=rows,
        zones=sorted(catalog.zones.values(), key=lambda z: z.id),
        cities=sorted(catalog.cities.values(), key=lambda c: c.id),
        groups=scenario_choices(
            catalog,
            values.get("processor.zone") or values.get("processor.registered.zone"),
            day,
            values.get("processor.registered.city"),
        ),
        exemptions=EXEMPTIONS,
        countries=countries.names(),
        problems=problems,
        problem_at={p.field: p for p in problems},
    )


@router.get("/assess", response_class=HTMLResponse)
def form(
    request: Request,
    session: Annotated[Session, Depends(signed_in)],
    again: Annotated[str | None, Query(alias="from", max_length=64)] = None,
) -> Response:
    """The form, blank with the organisation's profile, or filled from a logged decision."""
    values = _defaults(session)
    if again:
        logged = logged_request(accounts(request), session.principal, again)
        values = {**form_values(logged), "prior_source": "manual"}
    return _form(request, session, values, _rows(values))


@router.post("/assess")
async def submit(request: Request, session: Annotated[Session, Depends(checked)]) -> Response:
    if not session.principal.may("member"):
        raise Forbidden("a viewer cannot make assessments")
    fields = [(k, v) for k, v in (await request.form()).multi_items() if isinstance(v, str)]
    values = dict(fields)
    action = values.pop("action", "assess")
    if action in ("add_row", "refresh"):
        rows = _rows(values) + (1 if action == "add_row" else 0)
        values.setdefault(f"transfers.{rows - 1}.id", f"t{rows}")
        return _form(request, session, values, min(rows, MAX_ROWS))
    try:
        decision_id = _assess(request, session, values)
    except RequestError as exc:
        return _form(request, session, values, _rows(values), error=exc, status=422)
    return RedirectResponse(f"/decisions/{decision_id}", status_code=303)


def _assess(request: Request, session: Session, values: dict[str, str]) -> str:
    from_ledger = values.get("prior_source") == "ledger"
    skip = ("csrf", "prior_source") + (("prior.",) if from_ledger else ())
    built = build_request((k, v) for k, v in values.items() if not k.startswith(skip))
    state, who = request.app.state, session.principal
    if from_ledger:
        processor = who.organisation.processor
        # Checked here: the ledger's own message would name other organisations' processors.
        if processor not in state.ledger.processors():
            raise form_errors.FormInvalid(
                [form_errors.Problem("prior_source", "err_no_ledger")],
                "no batch of yours is recorded in the ledger yet: enter the prior counts by hand",
            )
    catalog = catalog_for(accounts(request), state.catalog, who)
    if from_ledger:
        prior = prior_from_ledger(state.ledger, catalog, processor, built)
        built = built.model_copy(update={"prior": prior})
    _, record = assess_and_log(accounts(request), who, built, catalog, who.user.lang, explain=False)
    return record.id
