"""The catalogue browser: zones and their lists, one list by sectors and scenarios, any item by
its id, coverage, search and the national rules, each value with its citations and grades. The
catalogue is public data: any signed-in user may read all of it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kuajing.accounts.sessions import Session
from kuajing.catalog import Catalog
from kuajing.i18n import COUNTERS, PATHWAYS, bound
from kuajing.web.render import page
from kuajing.web.session import signed_in
from kuajing.web.views import catalog as pages

router = APIRouter(prefix="/catalog", include_in_schema=False)
SignedIn = Annotated[Session, Depends(signed_in)]
GRADES = ("H", "M", "L", "U")


def _catalog(request: Request) -> Catalog:
    found: Catalog = request.app.state.catalog
    return found


def _show(request: Request, template: str, session: Session, **context: Any) -> Response:
    """A catalogue page, with what every catalogue template uses to show citations."""
    catalog = _catalog(request)
    return page(
        request,
        template,
        session,
        sources=catalog.sources,
        list_grades=pages.list_grades(catalog),
        list_titles={i: zl.title for i, zl in catalog.lists.items()},
        grades=GRADES,
        pathways=PATHWAYS,
        counters=COUNTERS,
        bound=bound,
        drafting=pages.drafting,
        **context,
    )


@router.get("", response_class=HTMLResponse)
def index(request: Request, session: SignedIn) -> Response:
    lang, catalog, today = session.principal.user.lang, _catalog(request), dt.date.today()
    view = pages.overview(catalog, lang, today)
    in_force = pages.in_force_line(catalog, lang, today)
    return _show(request, "catalog.html", session, view=view, in_force=in_force)


@router.get("/lists/{list_id}", response_class=HTMLResponse)
def zone_list(list_id: str, request: Request, session: SignedIn) -> Response:
    lang = session.principal.user.lang
    view = pages.list_page(_catalog(request), list_id, lang, dt.date.today())
    return _show(request, "catalog_list.html", session, view=view)


@router.get("/items/{ident:path}", response_class=HTMLResponse)
def item(ident: str, request: Request, session: SignedIn) -> Response:
    lang = session.principal.user.lang
    found = pages.item(_catalog(request), ident, lang, dt.date.today())
    if found.kind == "list":  # a list has its own page
        return RedirectResponse(f"/catalog/lists/{found.ident}", status_code=303)
    return _show(request, f"catalog_{found.kind}.html", session, view=found)


@router.get("/coverage", response_class=HTMLResponse)
def coverage(request: Request, session: SignedIn) -> Response:
    lang, catalog, today = session.principal.user.lang, _catalog(request), dt.date.today()
    rows = pages.coverage_page(catalog, lang, today)
    in_force = pages.in_force_line(catalog, lang, today)
    return _show(request, "catalog_coverage.html", session, rows=rows, in_force=in_force)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, session: SignedIn, q: Annotated[str, Query()] = "") -> Response:
    lang = session.principal.user.lang
    found = pages.find(_catalog(request), q, lang, dt.date.today())
    return _show(request, "catalog_search.html", session, found=found, max_query=pages.MAX_QUERY)


@router.get("/national", response_class=HTMLResponse)
def national(request: Request, session: SignedIn) -> Response:
    view = pages.national(_catalog(request), dt.date.today())
    return _show(
        request, "catalog_national.html", session, view=view, regime_rules=pages.regime_rules
    )
