"""Downloads of the table pages and of a decision: each table as CSV or XLSX at the page's address
with the suffix (`/filings.csv?show=closed`), with the page's filters, its tenant checks and
its language; a decision as a PDF (`/decisions/{id}.pdf`). Registered before the pages' routes,
so that `/decisions/{id}` does not take the PDF's address."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from kuajing.accounts.sessions import Session
from kuajing.catalog import Catalog
from kuajing.catalog.models import EXEMPTIONS
from kuajing.filing.documents.pdf import to_pdf
from kuajing.filing.store import Filings
from kuajing.lang import Lang
from kuajing.services import filing_list, zone_stats
from kuajing.services import zone_review as review
from kuajing.services.decisions import in_language
from kuajing.web.downloads import Format, attachment, table_file
from kuajing.web.i18n import t
from kuajing.web.routes.zone import Show as QueueShow
from kuajing.web.routes.zone import _staff
from kuajing.web.routes.zone_stats import charts
from kuajing.web.session import accounts, lang_of, signed_in
from kuajing.web.views import decision_report, tables
from kuajing.web.views.scan import batch_lines

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]
Fmt = Annotated[Format, Path()]
Day = Annotated[dt.date | None, Query(ge=dt.date(1990, 1, 1), le=dt.date(2999, 12, 31))]
Show = Annotated[filing_list.Show, Query()]
PAGE = 200  # the decisions page lists the latest 200: so does its file


def _catalog(request: Request) -> Catalog:
    found: Catalog = request.app.state.catalog
    return found


def _lang(request: Request, session: Session) -> Lang:
    return lang_of(request, session)


@router.get("/ledger/batches.{fmt}")
def batches(
    request: Request,
    session: Signed,
    fmt: Fmt,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    chosen = year or dt.date.today().year
    lines = batch_lines(request.app.state.ledger, _catalog(request), session.principal, chosen)
    lang = _lang(request, session)
    grid = tables.batches(lines, EXEMPTIONS, lang)
    return table_file(grid, fmt, f"kuajing-batches-{chosen}", t("nav_ledger", lang))


@router.get("/decisions.{fmt}")
def decisions(request: Request, session: Signed, fmt: Fmt) -> Response:
    records = accounts(request).decisions(session.principal, PAGE)
    items = [
        {"record": r, "asked": json.loads(r.request), "decision": json.loads(r.decision)}
        for r in records
    ]
    lang = _lang(request, session)
    return table_file(
        tables.decisions(items, lang), fmt, "kuajing-decisions", t("nav_decisions", lang)
    )


@router.get("/filings.{fmt}")
def filings(
    request: Request, session: Signed, fmt: Fmt, show: Show = "open", date: Day = None
) -> Response:
    who, lang = session.principal, _lang(request, session)
    found = filing_list.listing(
        Filings(accounts(request).engine),
        who,
        _catalog(request),
        date or dt.date.today(),
        lang,
        show,
    )
    return table_file(
        tables.filings(found, lang), fmt, f"kuajing-filings-{show}", t("filings_title", lang)
    )


@router.get("/zone/queue.{fmt}")
def queue(
    request: Request, session: Signed, fmt: Fmt, show: QueueShow = "open", date: Day = None
) -> Response:
    who = session.principal
    _staff(who)
    items = review.queue(
        accounts(request), who, _catalog(request), date or dt.date.today(), open_only=show == "open"
    )
    lang = _lang(request, session)
    grid = tables.submissions(items, lang, company=True)
    name = f"kuajing-zone-queue-{'open' if show == 'open' else 'all'}"
    return table_file(grid, fmt, name, t("zone_queue_title", lang))


@router.get("/zone/submissions.{fmt}")
def submissions(request: Request, session: Signed, fmt: Fmt) -> Response:
    who = session.principal
    if who.zone_staff:  # the centre's list is its queue, as on the page
        return RedirectResponse(f"/zone/queue.{fmt}?show=all", status_code=303)
    items = review.queue(
        accounts(request), who, _catalog(request), dt.date.today(), open_only=False
    )
    lang = _lang(request, session)
    grid = tables.submissions(items, lang, company=False)
    return table_file(grid, fmt, "kuajing-zone-submissions", t("zone_submissions_title", lang))


@router.get("/zone/statistics.{fmt}")
def statistics(
    request: Request,
    session: Signed,
    fmt: Fmt,
    year: Annotated[int | None, Query(ge=1990, le=2999)] = None,
) -> Response:
    who, today, lang = session.principal, dt.date.today(), _lang(request, session)
    figures = zone_stats.statistics(
        accounts(request), who, _catalog(request), year or today.year, today
    )
    grid = tables.statistics(charts(figures, _catalog(request), lang), lang)
    return table_file(grid, fmt, f"kuajing-zone-statistics-{figures.year}", t("stats_title", lang))


@router.get("/decisions/{decision_id}.pdf")
def decision_pdf(
    decision_id: Annotated[str, Path(min_length=1, max_length=64)],
    request: Request,
    session: Signed,
) -> Response:
    """The decision as its page shows it, as a PDF in the reader's language."""
    who, lang = session.principal, _lang(request, session)
    record = accounts(request).decision(who, decision_id)
    shown = in_language(record, _catalog(request), lang)
    zones = {k: z.name.get(lang) for k, z in _catalog(request).zones.items()}
    asked = json.loads(record.request)
    doc = decision_report.report(record, asked, shown, who.organisation.name, lang, zones)
    return attachment(to_pdf(doc), f"kuajing-decision-{record.id}.pdf", "application/pdf")
