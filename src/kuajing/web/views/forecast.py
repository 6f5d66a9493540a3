"""What the forecast page shows: each counter's chart and its figures at each month's end, and
the thresholds with the day they would be reached and the action that needs starting by when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from kuajing.catalog import Catalog
from kuajing.catalog.base import Text
from kuajing.i18n import COUNTERS, PATHWAYS
from kuajing.lang import Lang
from kuajing.ledger.forecast import CounterForecast, Crossing, Forecast, Point
from kuajing.ledger.models import NATIONAL
from kuajing.spreadsheet import Cell
from kuajing.web.i18n import t
from kuajing.web.views.forecast_chart import chart


@dataclass(frozen=True)
class Row:
    day: dt.date
    count: int | None  # measured
    low: int | None = None  # projected
    mid: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class Panel:
    ident: str
    title: str
    counter: CounterForecast
    svg: Markup
    rows: list[Row]


@dataclass(frozen=True)
class Line:
    """One threshold of the summary table: a national one, or a list's band."""

    scope: str
    counter: str
    crossing: Crossing


@dataclass(frozen=True)
class Note:
    """What a scope's thresholds cannot say (a list's bands not encoded, the national counters
    counting batches exported under a list), once for the counters it concerns."""

    scope: str
    counters: list[str]
    text: Text


def scope_name(catalog: Catalog, scope: str, lang: Lang) -> str:
    if scope == NATIONAL:
        return t("forecast_national", lang)
    refs = catalog.scopes(scope)
    if not refs:
        return t("forecast_list_scope", lang)
    ref = refs[0]
    item = ref.scenario or ref.sector
    return f"{ref.zone_list.title.get(lang)} · {item.name.get(lang)}"


def counter_scope(c: CounterForecast, catalog: Catalog, lang: Lang) -> str:
    """The counter's scope as the forecast names it (a list counter: the edition in force)."""
    return c.name.get(lang) if c.name else scope_name(catalog, c.scope, lang)


def panels(fc: Forecast, catalog: Catalog, lang: Lang) -> list[Panel]:
    out = []
    for i, c in enumerate(fc.counters):
        title = f"{counter_scope(c, catalog, lang)} · {COUNTERS[c.counter].get(lang)}"
        ident = f"fc{i}"
        out.append(Panel(ident, title, c, chart(c, fc.as_of, lang, ident), month_rows(c, fc)))
    return out


def lines(fc: Forecast, catalog: Catalog, lang: Lang) -> list[Line]:
    return [
        Line(counter_scope(c, catalog, lang), c.counter, x)
        for c in fc.counters
        for x in c.crossings
    ]


def notes(fc: Forecast, catalog: Catalog, lang: Lang) -> list[Note]:
    found: dict[tuple[str, str], Note] = {}
    for c in fc.counters:
        scope = counter_scope(c, catalog, lang)
        for text in c.notes:
            note = found.setdefault((scope, text.en), Note(scope, [], text))
            note.counters.append(COUNTERS[c.counter].get(lang))
    return list(found.values())


def month_rows(c: CounterForecast, fc: Forecast) -> list[Row]:
    """The counter at the forecast's day and at each month's end."""
    ends = [dt.date(fc.year, m + 1, 1) - dt.timedelta(days=1) for m in range(1, 12)]
    days = sorted({*ends, dt.date(fc.year, 12, 31), fc.as_of})
    return [_row(c.points, d, fc.as_of) for d in days]


def _row(points: Sequence[Point], day: dt.date, as_of: dt.date) -> Row:
    if day <= as_of:
        measured = [p.count for p in points if p.count is not None and p.day <= day]
        return Row(day, measured[-1] if measured else 0)
    found = next(p for p in points if p.day == day)  # month ends are the projection's knots
    return Row(day, None, found.low, found.mid, found.high)


def table(fc: Forecast, catalog: Catalog, lang: Lang) -> list[list[Cell]]:
    """The figures as a file: one line per counter and day."""
    head: list[Cell] = [
        t("forecast_scope", lang),
        t("forecast_counter", lang),
        t("forecast_day", lang),
        t("forecast_measured", lang),
        t("forecast_low", lang),
        t("forecast_mid", lang),
        t("forecast_high", lang),
    ]
    grid: list[list[Cell]] = [head]
    for c in fc.counters:
        scope, counter = counter_scope(c, catalog, lang), COUNTERS[c.counter].get(lang)
        for r in month_rows(c, fc):
            grid.append([scope, counter, r.day.isoformat(), r.count, r.low, r.mid, r.high])
    return grid


def crossing_words(x: Crossing, lang: Lang) -> Text:
    """The threshold's name: the counter is said by the table's row."""
    path = PATHWAYS[x.pathway.value]
    if x.bound == 1:  # a band that starts at the first person: any export of this kind
        return Text(zh=f"自第一人起 → {path.zh}", en=f"from the first person → {path.en}")
    return Text(zh=f"{x.bound:,} 人 → {path.zh}", en=f"{x.bound:,} → {path.en}")
