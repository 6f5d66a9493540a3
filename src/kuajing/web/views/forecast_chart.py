"""A counter's year as a server-side SVG chart: the measured count, the projection's range as a
band with its central line, each threshold as a labelled line, and the forecast's day. No script;
every text is escaped; the chart has a title and a description for screen readers, and the page
shows the same figures in a table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from markupsafe import Markup, escape

from kuajing.i18n import COUNTERS, PATHWAYS
from kuajing.lang import Lang
from kuajing.ledger.forecast import CounterForecast, Point
from kuajing.ledger.lead_time import day_en, day_zh
from kuajing.web.i18n import t

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 20, 26
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


class _Axes:
    def __init__(self, year: int, top: float) -> None:
        self.first = dt.date(year, 1, 1)
        self.days = (dt.date(year, 12, 31) - self.first).days
        self.top = top

    def x(self, day: dt.date) -> float:
        return round(LEFT + PLOT_W * (day - self.first).days / self.days, 1)

    def y(self, value: float) -> float:
        return round(TOP + PLOT_H * (1 - min(value, self.top) / self.top), 1)


def chart(c: CounterForecast, as_of: dt.date, lang: Lang, ident: str) -> Markup:
    axes = _Axes(as_of.year, _top(c))
    measured = [p for p in c.points if p.count is not None]
    ahead = [p for p in c.points if p.mid is not None]
    title = t("forecast_chart_title", lang, counter=COUNTERS[c.counter].get(lang))
    desc = t(
        "forecast_chart_desc",
        lang,
        count=f"{c.count:,}",
        day=_day(as_of, lang),
        low=f"{c.year_end.low if c.year_end.low is not None else c.count:,}",
        high=f"{c.year_end.high if c.year_end.high is not None else c.count:,}",
    )
    parts = [
        f'<svg class="forecast-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="{ident}-t {ident}-d" '
        f'data-testid="forecast-chart">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(desc)}</desc>',
        *_grid(axes, lang),
        *_band(axes, measured, ahead, c.count, as_of),
        _line(axes, _steps(measured), "actual"),
        *_thresholds(axes, c, lang),
        *_today(axes, as_of, lang),
        "</svg>",
    ]
    return Markup("\n".join(parts))  # every text above is escaped


def _top(c: CounterForecast) -> float:
    """The value axis reaches the year's high end and the next threshold not reached yet (a
    farther one would flatten the lines; the table lists it)."""
    high = max(c.count, c.year_end.high or 0)
    ahead = [x.bound for x in c.crossings if x.reached_on is None and x.bound > high]
    return max(10.0, 1.1 * max(high, min(ahead, default=0)))


def _grid(axes: _Axes, lang: Lang) -> list[str]:
    out = [f'<rect class="plot" x="{LEFT}" y="{TOP}" width="{PLOT_W}" height="{PLOT_H}"/>']
    for month in range(1, 13):
        x = axes.x(dt.date(axes.first.year, month, 1))
        out.append(f'<line class="tick" x1="{x}" y1="{TOP}" x2="{x}" y2="{TOP + PLOT_H}"/>')
        label = escape(t(f"forecast_month_{month}", lang))
        out.append(f'<text class="month" x="{x + 2}" y="{HEIGHT - 8}">{label}</text>')
    for share in (0.0, 0.5, 1.0):
        value = int(axes.top * share)
        y = axes.y(value)
        out.append(f'<text class="value" x="{LEFT - 4}" y="{y + 4}">{value:,}</text>')
    return out


def _steps(measured: list[Point]) -> list[tuple[dt.date, float]]:
    """The measured count as steps: flat until the day the next persons were counted."""
    out: list[tuple[dt.date, float]] = []
    for p in measured:
        if out and p.count != out[-1][1]:
            out.append((p.day - dt.timedelta(days=1), out[-1][1]))
        out.append((p.day, float(p.count or 0)))
    return out


def _band(
    axes: _Axes, measured: list[Point], ahead: list[Point], count: int, as_of: dt.date
) -> list[str]:
    if not ahead:
        return []
    start = (as_of, float(count))
    high = [start, *((p.day, float(p.high or 0)) for p in ahead)]
    low = [start, *((p.day, float(p.low or 0)) for p in ahead)]
    mid = [start, *((p.day, float(p.mid or 0)) for p in ahead)]
    outline = _coords(axes, high + low[::-1])
    return [f'<polygon class="range" points="{outline}"/>', _line(axes, mid, "projected")]


def _line(axes: _Axes, points: list[tuple[dt.date, float]], kind: str) -> str:
    return f'<polyline class="{kind}" points="{_coords(axes, points)}"/>'


def _coords(axes: _Axes, points: Iterable[tuple[dt.date, float]]) -> str:
    return " ".join(f"{axes.x(d)},{axes.y(v)}" for d, v in points)


def _thresholds(axes: _Axes, c: CounterForecast, lang: Lang) -> list[str]:
    out = []
    for x in c.crossings:
        if x.bound > axes.top or x.bound == 1:  # a band from the first person: no line to draw
            continue
        y = axes.y(x.bound)
        label = t(
            "forecast_threshold_label",
            lang,
            pathway=PATHWAYS[x.pathway.value].get(lang),
            bound=f"{x.bound:,}",
        )
        out.append(
            f'<line class="threshold {x.pathway.value}" x1="{LEFT}" y1="{y}" '
            f'x2="{LEFT + PLOT_W}" y2="{y}"/>'
        )
        out.append(
            f'<text class="threshold-label" x="{LEFT + PLOT_W - 4}" y="{y - 4}">'
            f"{escape(label)}</text>"
        )
    return out


def _today(axes: _Axes, as_of: dt.date, lang: Lang) -> list[str]:
    x = axes.x(as_of)
    label = escape(t("forecast_as_of", lang, day=_day(as_of, lang)))
    return [
        f'<line class="today" x1="{x}" y1="{TOP}" x2="{x}" y2="{TOP + PLOT_H}"/>',
        f'<text class="today-label" x="{x}" y="{TOP - 6}">{label}</text>',  # above the plot
    ]


def _day(day: dt.date, lang: Lang) -> str:
    return day_zh(day) if lang == "zh" else day_en(day)
