"""The year's forecast of the organisation's counters (`/forecast`), and its figures as a file
(`/forecast.csv`, `/forecast.xlsx`). Looking at it also checks whether a projected crossing has
come within its action's lead time, and tells the admins once if so."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from kuajing.accounts.models import Principal
from kuajing.accounts.sessions import Session
from kuajing.ledger.forecast import Forecast, Method
from kuajing.services import forecast as forecasting
from kuajing.services.forecast_notices import notify_due
from kuajing.web.downloads import Format, table_file
from kuajing.web.i18n import t
from kuajing.web.render import page
from kuajing.web.session import accounts, lang_of, signed_in
from kuajing.web.views import forecast as view

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]
MethodQ = Annotated[Method | None, Query()]


def _forecast(request: Request, who: Principal, method: Method | None) -> tuple[Forecast, bool]:
    """The forecast, and whether the register holds flows to forecast from."""
    state = request.app.state
    flows = forecasting.flows_of(accounts(request).engine, who)
    fc = forecasting.tenant_forecast(state.ledger, state.catalog, who, method=method, flows=flows)
    return fc, bool(flows)


@router.get("/forecast", response_class=HTMLResponse)
def show(request: Request, session: Signed, method: MethodQ = None) -> Response:
    who = session.principal
    fc, has_flows = _forecast(request, who, method)
    notify_due(accounts(request).engine, who.organisation.id, fc)
    lang = lang_of(request, session)
    catalog = request.app.state.catalog
    return page(
        request,
        "forecast.html",
        session,
        fc=fc,
        panels=view.panels(fc, catalog, lang),
        lines=view.lines(fc, catalog, lang),
        notes=view.notes(fc, catalog, lang),
        crossing_words=view.crossing_words,
        has_flows=has_flows,
    )


@router.get("/forecast.{fmt}")
def download(
    request: Request, session: Signed, fmt: Annotated[Format, Path()], method: MethodQ = None
) -> Response:
    fc, _ = _forecast(request, session.principal, method)
    lang = lang_of(request, session)
    grid = view.table(fc, request.app.state.catalog, lang)
    return table_file(grid, fmt, f"kuajing-forecast-{fc.year}", t("forecast_title", lang))
