"""Where each counter of the ledger is heading by 31 December, and when it reaches each threshold:
the national rules' on the national counters, the zone list's bands on a list's counters
(`ledger.list_bands`). Pure: the service reads the ledger, the register and the catalogue and
hands the figures in.

Two methods project the year's remaining days:
- `rate`: the year's pace so far (persons first counted since 1 January / days elapsed);
- `expected`: the register's expected volumes, spread over the days each flow runs.
The range runs between the method's figure and the pace of the last 30 days, day by day: a
recent burst or lull widens it, a steady year keeps it narrow."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kuajing.catalog.base import Pathway, Text
from kuajing.catalog.models import NationalRegime
from kuajing.ledger.lead_time import Action, Leads
from kuajing.ledger.list_bands import NOT_ENCODED, Band, CounterBands, in_pools
from kuajing.ledger.models import NATIONAL, CounterCounts

Method = Literal["rate", "expected"]
METHODS: tuple[Method, ...] = ("rate", "expected")
Counter = Literal["personal", "sensitive"]
COUNTERS: tuple[Counter, ...] = ("personal", "sensitive")
RECENT_DAYS = 30  # the recent pace the range is drawn against
Daily = dict[str, list[tuple[int, CounterCounts]]]  # scope -> persons first counted per day

METHOD_TEXT: dict[Method, Text] = {
    "rate": Text(
        zh="按今年迄今的日均速度（自1月1日以来首次计入的人数 ÷ 已过天数）推算至12月31日。",
        en="At the year's pace so far (persons first counted since 1 January ÷ days elapsed), "
        "carried on to 31 December.",
    ),
    "expected": Text(
        zh="按出境事项登记册中各事项的预计人数（每期新增人数 × 今日之后的期数，"
        "在事项运行的日子内平均分布）推算至12月31日。",
        en="At the register's expected volumes (each flow's new persons per period × its "
        "periods after today, spread evenly over the days it runs), carried on to 31 December.",
    ),
}
NATIONAL_CAVEAT = Text(
    zh="全国计数器包含按自贸试验区清单出境的批次；在清单管辖贵单位的场景中，适用该清单的门槛"
    "（见清单计数器），全国门槛可能高估所需的手续。",
    en="The national counters include batches exported under a free-trade-zone list; where the "
    "list governs your company, its bands apply instead (see the list's counters), and the "
    "national thresholds may overstate what is needed.",
)


def summed(pools: int) -> Text:
    """Why a list band's count is an upper bound."""
    return Text(
        zh=f"按该门槛合计的 {pools} 个计数范围之和计算（其各场景、按行业或清单整体记录的批次）："
        "这是上限，同一人出现在两个范围中会被计两次。",
        en=f"Counted as the sum of the {pools} counting scopes this threshold adds up (its "
        "scenarios, and batches recorded for the sector or the list as a whole): an upper "
        "bound, as a person in two scopes is counted twice.",
    )


RANGE_TEXT = Text(
    zh="区间：所选方法的预测值与最近30天日均速度推算值之间（逐日取较低与较高者）。",
    en="Range: between the chosen method's figure and the pace of the last 30 days carried "
    "on, the lower and the higher of the two on each day.",
)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Expected(_Out):
    """New persons a flow of the register is expected to add, spread evenly over `start`..`end`
    (both after the forecast's day); `scopes`: the list pools it counts in besides the
    national one."""

    flow: str
    personal: float
    sensitive: float
    start: dt.date
    end: dt.date
    scopes: list[str] = []


class Point(_Out):
    """A day's cumulative count: `count` measured; projected days carry low/mid/high."""

    day: dt.date
    count: int | None = None
    low: int | None = None
    mid: int | None = None
    high: int | None = None


class Crossing(_Out):
    """When the counter reaches a threshold's band: reached already, or the projected day
    (`earliest` on the high curve, `latest` on the low one; None: not this year)."""

    rule: str
    pathway: Pathway
    bound: int
    reached_on: dt.date | None = None
    earliest: dt.date | None = None
    mid: dt.date | None = None
    latest: dt.date | None = None
    action: Action | None = None
    entry: str | None = None  # the list entry whose band this is (None: a national threshold)
    count: int | None = None  # a list band's count through the day (the pools it sums)
    exact: bool = True  # False: `count` adds up pools that may hold the same person
    basis: Text | None = None  # why the count is not exact


class CounterForecast(_Out):
    scope: str  # "*" national, else a list scope key
    counter: Counter
    count: int  # through the forecast's day
    points: list[Point]  # measured days, then the projection's knots to 31 December
    year_end: Point
    crossings: list[Crossing]
    name: Text | None = None  # a list counter's list and scope
    notes: list[Text] = []  # what the thresholds shown cannot say (bands not encoded...)


class Forecast(_Out):
    processor: str
    year: int
    as_of: dt.date
    regime: str
    method: Method
    method_text: Text
    range_text: Text
    counters: list[CounterForecast]
    notes: list[Text] = []


def build_forecast(
    processor: str,
    as_of: dt.date,
    regime: NationalRegime,
    daily: Daily,
    expected: Sequence[Expected],
    method: Method,
    leads: Leads,
    bands: Mapping[tuple[str, str], CounterBands] | None = None,
) -> Forecast:
    """`bands`: each list counter's bands (`list_bands`); a list counter without them shows no
    band and says its thresholds need review."""
    year = as_of.year
    counters = []
    for scope, series in _scopes(daily):
        for counter in COUNTERS:
            c = _counter(
                scope, counter, series, as_of, _flows(expected, scope), method, regime, leads
            )
            if scope == NATIONAL:
                counters.append(_national(c, daily))
            else:
                found = (bands or {}).get((scope, counter)) or CounterBands(None, [], [NOT_ENCODED])
                counters.append(_listed(c, found, daily, expected, as_of, method, leads))
    return Forecast(
        processor=processor,
        year=year,
        as_of=as_of,
        regime=regime.id,
        method=method,
        method_text=METHOD_TEXT[method],
        range_text=RANGE_TEXT,
        counters=counters,
    )


def _scopes(daily: Daily) -> list[tuple[str, list[tuple[int, CounterCounts]]]]:
    """The national pool first (always, even empty), then each list scope."""
    others = sorted((s, v) for s, v in daily.items() if s != NATIONAL)
    return [(NATIONAL, daily.get(NATIONAL, [])), *others]


def _flows(expected: Sequence[Expected], scope: str) -> list[Expected]:
    return [e for e in expected if scope == NATIONAL or scope in e.scopes]


def _counter(
    scope: str,
    counter: Counter,
    series: list[tuple[int, CounterCounts]],
    as_of: dt.date,
    flows: list[Expected],
    method: Method,
    regime: NationalRegime,
    leads: Leads,
) -> CounterForecast:
    actual = cumulative(series, counter, _doy(as_of))
    low, mid, high = project(actual, _days(as_of.year), _added(flows, counter, as_of), method)
    points = _points(actual, low, mid, high, as_of, flows)
    rules = regime.thresholds if scope == NATIONAL else []  # a list's bands: `_listed`
    crossings = [
        _crossing(r.rule, r.pathway, r.threshold.band()[0], actual, low, mid, high, as_of, leads)
        for r in rules
        if r.threshold.counter == counter
    ]
    end = _days(as_of.year)
    return CounterForecast(
        scope=scope,
        counter=counter,
        count=actual[-1],
        points=points,
        year_end=_point(as_of.year, end, actual, low, mid, high),
        crossings=crossings,
    )


def _national(c: CounterForecast, daily: Daily) -> CounterForecast:
    """The national counters count every batch, those exported under a list too (the ledger
    cannot tell whether the list governs the processor): where it has list scopes, say so."""
    if not any(s != NATIONAL for s in daily):
        return c
    return c.model_copy(update={"notes": [NATIONAL_CAVEAT]})


def _listed(
    c: CounterForecast,
    found: CounterBands,
    daily: Daily,
    expected: Sequence[Expected],
    as_of: dt.date,
    method: Method,
    leads: Leads,
) -> CounterForecast:
    crossings = [_band(b, c.counter, daily, expected, as_of, method, leads) for b in found.bands]
    return c.model_copy(
        update={"crossings": crossings, "name": found.name, "notes": list(found.notes)}
    )


def _band(
    band: Band,
    counter: Counter,
    daily: Daily,
    expected: Sequence[Expected],
    as_of: dt.date,
    method: Method,
    leads: Leads,
) -> Crossing:
    """A list band's crossing, counted as the engine counts it: the sum of every pool its
    threshold adds up, measured and expected (a flow adds to each pool it counts in)."""
    planned = {s for e in expected for s in e.scopes}
    scopes = sorted(s for s in {*daily, *planned} - {NATIONAL} if in_pools(s, band.pools))
    today = _doy(as_of)
    actual = cumulative([x for s in scopes for x in daily.get(s, [])], counter, today)
    flows = [e for s in scopes for e in expected if s in e.scopes]
    low, mid, high = project(actual, _days(as_of.year), _added(flows, counter, as_of), method)
    found = _crossing(band.rule, band.pathway, band.bound, actual, low, mid, high, as_of, leads)
    holding = [s for s in scopes if _holds(s, counter, daily, expected, today)]
    exact = len(holding) <= 1  # one pool's persons are distinct; a sum may count one twice
    return found.model_copy(
        update={
            "entry": band.entry,
            "count": actual[-1],
            "exact": exact,
            "basis": None if exact else summed(len(holding)),
        }
    )


def _holds(
    scope: str, counter: Counter, daily: Daily, expected: Sequence[Expected], today: int
) -> bool:
    """Whether a pool has persons in this counter: counted so far, or expected from a flow."""
    if cumulative(daily.get(scope, []), counter, today)[-1] > 0:
        return True
    return any(scope in e.scopes and getattr(e, counter) > 0 for e in expected)


# --- the maths: day-indexed lists, index 0 = 31 December of the year before -------------------


def cumulative(
    series: list[tuple[int, CounterCounts]], counter: Counter, through: int
) -> list[int]:
    """The counter's running total at the end of each day 0..`through`."""
    added = [0] * (through + 1)
    for day, counts in series:
        if 1 <= day <= through:
            added[day] += int(getattr(counts, counter))
    total, out = 0, []
    for n in added:
        total += n
        out.append(total)
    return out


def project(
    actual: list[int], days: int, added: list[float], method: Method
) -> tuple[list[int], list[int], list[int]]:
    """Low, mid and high running totals for the days after the last measured one, to `days`.
    `added`: the register's expected new persons on each day (index as `actual`)."""
    today = len(actual) - 1
    count = actual[-1]
    year_rate = count / today if today else 0.0
    recent_days = min(RECENT_DAYS, today)
    recent = (count - actual[today - recent_days]) / recent_days if recent_days else 0.0
    low, mid, high = [], [], []
    planned = 0.0
    for step, day in enumerate(range(today + 1, days + 1), start=1):
        planned += added[day] if day < len(added) else 0.0
        central = count + (year_rate * step if method == "rate" else planned)
        other = count + recent * step
        mid.append(_whole(central))
        low.append(_whole(min(central, other)))
        high.append(_whole(max(central, other)))
    return low, mid, high


def _whole(x: float) -> int:
    """Persons reached: a fraction of a person has not arrived yet (the epsilon absorbs float
    error in sums of fractions)."""
    return math.floor(x + 1e-9)


def _added(flows: list[Expected], counter: Counter, as_of: dt.date) -> list[float]:
    """Expected new persons per day of the year from the flows (index 0 unused)."""
    days = _days(as_of.year)
    out = [0.0] * (days + 1)
    for e in flows:
        first = max(_doy(e.start), _doy(as_of) + 1)
        last = min(_doy(e.end), days)
        if e.start.year != as_of.year or last < first:
            continue
        total = float(getattr(e, counter))
        # Spread over the flow's days, so the whole volume falls after today.
        span = _doy(e.end) - _doy(e.start) + 1
        share = total / span
        for day in range(first, last + 1):
            out[day] += share
    return out


def first_reaching(curve: list[int], bound: int) -> int | None:
    """The index of the first value ≥ bound (None: never)."""
    return next((i for i, n in enumerate(curve) if n >= bound), None)


def _crossing(
    rule: str,
    pathway: Pathway,
    bound: int,
    actual: list[int],
    low: list[int],
    mid: list[int],
    high: list[int],
    as_of: dt.date,
    leads: Leads,
) -> Crossing:
    year, today = as_of.year, len(actual) - 1
    done = first_reaching(actual, bound)
    if done is not None and done >= 1:
        return Crossing(rule=rule, pathway=pathway, bound=bound, reached_on=_date(year, done))

    def when(curve: list[int]) -> dt.date | None:
        i = first_reaching(curve, bound)
        return None if i is None else _date(year, today + 1 + i)

    earliest, latest = when(high), when(low)
    return Crossing(
        rule=rule,
        pathway=pathway,
        bound=bound,
        earliest=earliest,
        mid=when(mid),
        latest=latest,
        action=leads.action(pathway, earliest, latest, as_of) if earliest else None,
    )


# --- points for the chart and the table ------------------------------------------------------


def _points(
    actual: list[int],
    low: list[int],
    mid: list[int],
    high: list[int],
    as_of: dt.date,
    flows: list[Expected],
) -> list[Point]:
    """Measured days where the count moved (and the forecast's day), then the projection at
    its knots: the curves are straight between the forecast's day, each flow's start and end,
    and each month's end, so drawing straight lines between these points is exact."""
    year, today = as_of.year, len(actual) - 1
    measured = [
        Point(day=_date(year, d), count=actual[d])
        for d in range(1, today + 1)
        if d == today or actual[d] != actual[d - 1] or d == 1
    ]
    knots = {_doy(dt.date(year, m, 1)) - 1 for m in range(2, 13)} | {_days(year)}
    for e in flows:
        knots |= {_doy(e.start) - 1, _doy(e.start), _doy(e.end)}
    ahead = sorted(k for k in knots if today < k <= _days(year))
    return measured + [_point(year, k, actual, low, mid, high) for k in ahead]


def _point(
    year: int, day: int, actual: list[int], low: list[int], mid: list[int], high: list[int]
) -> Point:
    today = len(actual) - 1
    if day <= today:
        return Point(day=_date(year, day), count=actual[day])
    i = day - today - 1
    return Point(day=_date(year, day), low=low[i], mid=mid[i], high=high[i])


def _doy(day: dt.date) -> int:
    return day.timetuple().tm_yday


def _days(year: int) -> int:
    return _doy(dt.date(year, 12, 31))


def _date(year: int, doy: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=doy - 1)
