"""The forecast's maths: cumulative series, the projection and its range, the crossing days, and
the lead time counted back in PRC working days."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from kuajing.catalog import default_catalog
from kuajing.catalog.base import Pathway
from kuajing.ledger.forecast import (
    Expected,
    Forecast,
    Method,
    build_forecast,
    cumulative,
    first_reaching,
    project,
)
from kuajing.ledger.lead_time import Leads
from kuajing.ledger.list_bands import NOT_ENCODED
from kuajing.ledger.models import NATIONAL, CounterCounts

CAT = default_catalog()
LEADS = Leads(CAT.procedures)
SCOPE = "beijing-2024/pharmaceuticals/clinical_trial"


def steady(per_day: int, sensitive: int, through: int) -> list[tuple[int, CounterCounts]]:
    counts = CounterCounts(personal=per_day, sensitive=sensitive, persons=per_day)
    return [(d, counts) for d in range(1, through + 1)]


def make(
    as_of: dt.date,
    daily: dict[str, list[tuple[int, CounterCounts]]],
    method: Method = "rate",
    expected: list[Expected] | None = None,
) -> Forecast:
    regime = CAT.regime_on(as_of)
    assert regime is not None
    return build_forecast("Acme", as_of, regime, daily, expected or [], method, LEADS)


def crossing(fc: Forecast, counter: str, bound: int, scope: str = NATIONAL):  # type: ignore[no-untyped-def]
    c = next(c for c in fc.counters if c.scope == scope and c.counter == counter)
    return next(x for x in c.crossings if x.bound == bound)


def test_the_years_pace_carried_on_reaches_the_band_on_the_day_the_sum_says() -> None:
    # 300 a day through 30 June (181 days): 100,000 on day 334 = 30 November.
    fc = make(dt.date(2026, 6, 30), {NATIONAL: steady(300, 0, 181)})
    x = crossing(fc, "personal", 100_000)
    assert x.earliest == x.mid == x.latest == dt.date(2026, 11, 30)  # a steady year: no range
    national = fc.counters[0]
    assert national.count == 54_300 and national.year_end.mid == 54_300 + 300 * 184


def test_a_recent_lull_widens_the_range_below_the_years_pace() -> None:
    # 600 a day in the first 100 days, then nothing for 81 days.
    fc = make(dt.date(2026, 6, 30), {NATIONAL: steady(600, 0, 100)})
    end = fc.counters[0].year_end
    assert end.low == 60_000 < end.mid == end.high
    x = crossing(fc, "personal", 100_000)
    assert x.earliest is not None and x.latest is None  # at the recent pace: not this year


def test_expected_volumes_project_from_tomorrow_and_the_range_holds_the_recent_pace() -> None:
    flow = Expected(
        flow="trial",
        personal=50_000,
        sensitive=0,
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 12, 31),
    )
    fc = make(dt.date(2026, 6, 30), {NATIONAL: steady(100, 0, 181)}, "expected", [flow])
    end = fc.counters[0].year_end
    assert end.mid == 18_100 + 50_000
    assert end.low == 18_100 + 100 * 184 and end.high == end.mid


def test_list_scopes_are_projected_and_flows_count_where_they_are_scoped() -> None:
    """Without the list's bands (`list_bands`, tests/ledger/test_forecast_lists.py) a list
    counter draws none and says its thresholds need review."""
    flow = Expected(
        flow="trial",
        personal=1_000,
        sensitive=1_000,
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 12, 31),
        scopes=[SCOPE],
    )
    daily = {NATIONAL: steady(10, 10, 181), SCOPE: steady(5, 5, 181)}
    fc = make(dt.date(2026, 6, 30), daily, "expected", [flow])
    listed = [c for c in fc.counters if c.scope == SCOPE]
    assert [c.counter for c in listed] == ["personal", "sensitive"]
    assert all(c.crossings == [] and c.notes == [NOT_ENCODED] for c in listed)
    assert listed[1].year_end.mid == 905 + 1_000


def test_a_threshold_reached_already_says_when_and_asks_for_no_lead() -> None:
    fc = make(dt.date(2026, 6, 30), {NATIONAL: steady(300, 100, 181)})
    x = crossing(fc, "sensitive", 10_000)
    assert x.reached_on == dt.date(2026, 4, 10) and x.action is None  # day 100


def test_lead_time_counts_back_working_days_on_the_prc_calendar() -> None:
    """Standard contract: 10 working days before 15 Oct 2026. Counting back: 14, 13, 12 Oct,
    Saturday 10 Oct (a make-up working day), 9 and 8 Oct, then National Day (1-7 Oct), 30, 29
    and 28 Sep, the Mid-Autumn holiday (25-27 Sep), and 24 Sep. On weekdays alone it would
    be 1 Oct, a holiday."""
    action = LEADS.action(
        Pathway.STANDARD_CONTRACT_OR_CERTIFICATION,
        dt.date(2026, 10, 15),
        None,
        dt.date(2026, 6, 30),
    )
    assert action is not None
    assert action.lead == 10 and action.apply_by == dt.date(2026, 9, 24)
    assert not action.provisional and not action.due
    assert "24 Sep" in action.sentence.en and "9月24日" in action.sentence.zh


def test_the_security_assessment_lead_is_acceptance_and_assessment_from_the_catalogue() -> None:
    action = LEADS.action(
        Pathway.SECURITY_ASSESSMENT, dt.date(2026, 11, 30), None, dt.date(2026, 9, 11)
    )
    assert action is not None and action.lead == 7 + 45
    assert action.apply_by == dt.date(2026, 9, 11) and action.due
    assert action.sentence.en.startswith(
        "security assessment must be applied for by 11 Sep to export past 30 Nov"
    )


def test_a_deadline_in_a_year_without_a_holiday_notice_is_provisional() -> None:
    action = LEADS.action(
        Pathway.SECURITY_ASSESSMENT, dt.date(2027, 3, 1), None, dt.date(2026, 12, 1)
    )
    assert action is not None and action.provisional
    assert action.assumption is not None and "2027" in action.assumption.en
    assert "暂定" in action.sentence.zh and "provisional" in action.sentence.en


def test_first_reaching() -> None:
    assert first_reaching([0, 5, 9, 12], 9) == 2
    assert first_reaching([0, 5], 9) is None


# --- properties --------------------------------------------------------------------------------

days = st.lists(
    st.tuples(st.integers(1, 366), st.integers(0, 5_000), st.integers(0, 500)), max_size=40
)


@settings(max_examples=60, deadline=None)
@given(
    days,
    st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
    st.sampled_from(["rate", "expected"]),
    st.integers(0, 2_000_000),
)
def test_projections_are_monotone_ranged_and_crossings_fall_in_the_year(
    raw: list[tuple[int, int, int]], as_of: dt.date, method: Method, planned: int
) -> None:
    per_day = {d: (p, s) for d, p, s in raw}  # the daily table: one row a day
    series = [
        (d, CounterCounts(personal=p + s, sensitive=s, persons=p + s))
        for d, (p, s) in sorted(per_day.items())
    ]
    flow = Expected(
        flow="f",
        personal=planned,
        sensitive=planned // 10,
        start=as_of,
        end=dt.date(as_of.year, 12, 31),
    )
    fc = make(as_of, {NATIONAL: series}, method, [flow])
    for c in fc.counters:
        measured = [p.count for p in c.points if p.count is not None]
        ahead = [p for p in c.points if p.mid is not None]
        assert measured == sorted(measured) and measured[-1] == c.count
        for p in ahead:
            assert p.low is not None and p.mid is not None and p.high is not None
            assert c.count <= p.low <= p.mid <= p.high
        for a, b in itertools.pairwise(ahead):
            assert a.low <= b.low and a.mid <= b.mid and a.high <= b.high  # type: ignore[operator]
        for x in c.crossings:
            found = [d for d in (x.reached_on, x.earliest, x.mid, x.latest) if d is not None]
            assert all(d.year == as_of.year for d in found)
            assert all(d > as_of for d in (x.earliest, x.mid, x.latest) if d is not None)
            if x.earliest and x.latest:
                assert x.earliest <= (x.mid or x.latest) <= x.latest


@given(
    st.lists(st.integers(0, 1_000), min_size=1, max_size=50), st.sampled_from(["rate", "expected"])
)
def test_project_keeps_low_below_high(added: list[int], method: Method) -> None:
    actual = cumulative(
        [(i + 1, CounterCounts(personal=n)) for i, n in enumerate(added)], "personal", len(added)
    )
    low, mid, high = project(actual, 365, [1.5] * 366, method)
    assert all(lo <= m <= hi for lo, m, hi in zip(low, mid, high, strict=True))
    assert len(low) == 365 - len(added)
