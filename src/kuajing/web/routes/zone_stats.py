"""A zone's statistics in the browser (zone staff only): its submissions by sector, scenario, kind
and state, the centre's processing times against its clock, and its inspections' outcomes and
findings, each as a bar chart drawn server-side in SVG and as a table for screen readers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from kuajing.accounts.sessions import Session
from kuajing.catalog import Catalog
from kuajing.lang import Lang
from kuajing.services import zone_inspections as inspecting
from kuajing.services import zone_review as review
from kuajing.services import zone_stats as service
from kuajing.web.i18n import phrases, t
from kuajing.web.render import page
from kuajing.web.session import accounts, signed_in

router = APIRouter(include_in_schema=False)

Signed = Annotated[Session, Depends(signed_in)]
Year = Annotated[int | None, Query(ge=1990, le=2999)]
LABEL_CHARS = 16  # a longer name is cut in the chart (the table beside it has it whole)


@dataclass(frozen=True)
class Bar:
    label: str  # whole, for the table
    short: str  # as drawn in the chart
    count: int
    width: float  # of the longest bar's 100
    tone: str = "plain"  # a css class: plain, good, bad, muted


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return 20 * len(self.bars) + 4


def _catalog(request: Request) -> Catalog:
    found: Catalog = request.app.state.catalog
    return found


def chart(
    ident: str,
    title: str,
    counts: Mapping[str, int],
    name: Callable[[str], str],
    tones: Mapping[str, str] | None = None,
) -> Chart:
    if not any(counts.values()):  # nothing to draw: the page says so instead
        return Chart(ident, title, [])
    top = max(counts.values())
    bars = [
        Bar(
            label=name(key),
            short=_cut(name(key)),
            count=n,
            width=round(100 * n / top, 2),
            tone=(tones or {}).get(key, "plain"),
        )
        for key, n in counts.items()
    ]
    return Chart(ident, title, bars)


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _phrase(prefix: str, lang: Lang) -> Callable[[str], str]:
    """A key's phrase `<prefix><key>` when there is one, else the key itself."""
    known = phrases()
    return lambda key: t(prefix + key, lang) if prefix + key in known else key


def charts(s: service.Statistics, catalog: Catalog, lang: Lang) -> list[Chart]:
    p, steps = s.processing, inspecting.procedure(catalog)
    none = t("stats_unspecified", lang)

    def unspecified(key: str) -> str:  # sectors and scenarios are shown as the data names them
        return none if key == service.UNSPECIFIED else key

    states = {st.id: st.name.get(lang) for st in steps.states}
    timing = {"on_time": p.on_time, "late": p.late, "no_limit": p.no_limit, "overdue": p.overdue}
    return [
        chart("sector", t("stats_by_sector", lang), s.by_sector, unspecified),
        chart("scenario", t("stats_by_scenario", lang), s.by_scenario, unspecified),
        chart(
            "kind",
            t("stats_by_kind", lang),
            s.by_kind,
            lambda k: review.KIND_NAMES[k][lang] if k in review.KIND_NAMES else k,
        ),
        chart("state", t("stats_by_state", lang), s.by_state, _phrase("stats_state_", lang)),
        chart(
            "timing",
            t("stats_processing", lang),
            timing,
            _phrase("stats_timing_", lang),
            {"on_time": "good", "late": "bad", "no_limit": "muted", "overdue": "bad"},
        ),
        chart(
            "outcome",
            t("stats_outcomes", lang),
            s.inspections.outcomes,
            _phrase("stats_outcome_", lang),
            {"consistent": "good", "rectified": "good", "terminated": "bad", "open": "muted"},
        ),
        chart(
            "inspection-state",
            t("stats_inspection_states", lang),
            s.inspections.by_state,
            lambda k: states.get(k, k),
        ),
        chart(
            "findings",
            t("stats_findings", lang),
            s.inspections.findings,
            _phrase("stats_finding_", lang),
        ),
    ]


@router.get("/zone/statistics", response_class=HTMLResponse)
def show(request: Request, session: Signed, year: Year = None) -> Response:
    who, today = session.principal, dt.date.today()
    lang: Lang = who.user.lang
    figures = service.statistics(
        accounts(request), who, _catalog(request), year or today.year, today
    )
    return page(
        request,
        "zone_stats.html",
        session,
        stats=figures,
        charts=charts(figures, _catalog(request), lang),
        kinds=review.KIND_NAMES,
        zone=_catalog(request).zones.get(figures.zone),
    )
