"""A zone list's bands on the forecast's list counters: Beijing's clinical trials (standard
contract from 10,000 persons, security assessment from 50,000) counted and placed as the engine
does, the sum of pools said to be an upper bound, a list known by headers only said to need
review, and the national counters' caveat where batches were exported under a list."""

from __future__ import annotations

import datetime as dt

from kuajing.catalog import default_catalog
from kuajing.catalog.base import Pathway
from kuajing.ledger.forecast import NATIONAL_CAVEAT, CounterForecast, Forecast, build_forecast
from kuajing.ledger.lead_time import Leads
from kuajing.ledger.list_bands import NOT_ENCODED, list_bands
from kuajing.ledger.models import NATIONAL, CounterCounts

CAT = default_catalog()
LEADS = Leads(CAT.procedures)
TRIALS = "beijing-2024/pharmaceuticals/clinical_trial"  # counts on under the 2025 edition
DRUG_RD = "beijing-2024/pharmaceuticals/drug_rd"
FUJIAN = "fujian-2025/pharmaceuticals/*"  # the Fujian list is known by its headers only
Series = list[tuple[int, CounterCounts]]


def every_day(n: int, through: int, start: int = 1) -> Series:
    """`n` new persons with sensitive PI a day (the ledger counts them as personal too)."""
    counts = CounterCounts(personal=n, sensitive=n, persons=n)
    return [(d, counts) for d in range(start, through + 1)]


def make(as_of: dt.date, daily: dict[str, Series]) -> Forecast:
    regime = CAT.regime_on(as_of)
    assert regime is not None
    bands = list_bands(CAT, [s for s in daily if s != NATIONAL], as_of)
    return build_forecast("Acme", as_of, regime, daily, [], "rate", LEADS, bands)


def counter(fc: Forecast, scope: str, name: str) -> CounterForecast:
    return next(c for c in fc.counters if c.scope == scope and c.counter == name)


def test_the_trials_projection_crossing_50000_within_the_assessments_lead_is_due() -> None:
    # 150 a day through 11 September (day 254): 38,100; 50,000 on day 334, 30 November. The
    # assessment needs 7 + 45 working days: apply by 11 September, today.
    today = dt.date(2026, 9, 11)
    series = every_day(150, 254)
    fc = make(today, {NATIONAL: series, TRIALS: series})
    trials = counter(fc, TRIALS, "personal")
    assert trials.name is not None and "Clinical trials" in trials.name.en
    assert "临床试验" in trials.name.zh and trials.notes == []
    sa = next(x for x in trials.crossings if x.bound == 50_000)
    assert sa.rule == "BJ24-PHARMA-PI-SA-1" and sa.entry == "bj24-pharma-pi-sa-1"
    assert sa.pathway == Pathway.SECURITY_ASSESSMENT and sa.earliest == dt.date(2026, 11, 30)
    assert sa.action is not None and sa.action.due and sa.action.apply_by == today
    assert sa.exact and sa.basis is None and sa.count == 38_100
    assert "security assessment must be applied for by 11 Sep" in sa.action.sentence.en


def test_a_trials_count_of_12000_has_crossed_the_10000_band() -> None:
    # 12,000 persons on 10 April 2025 (day 100), under the 2024 edition then in force.
    fc = make(
        dt.date(2025, 6, 30),
        {NATIONAL: every_day(12_000, 100, 100), TRIALS: every_day(12_000, 100, 100)},
    )
    scc = next(x for x in counter(fc, TRIALS, "personal").crossings if x.bound == 10_000)
    assert scc.pathway == Pathway.STANDARD_CONTRACT_OR_CERTIFICATION
    assert scc.rule == "BJ24-PHARMA-PI-SCC-1" and scc.reached_on == dt.date(2025, 4, 10)
    assert scc.action is None and scc.count == 12_000


def test_a_list_known_by_its_headers_only_shows_no_band_and_says_so() -> None:
    fc = make(dt.date(2026, 6, 30), {NATIONAL: every_day(10, 181), FUJIAN: every_day(10, 181)})
    for name in ("personal", "sensitive"):
        fujian = counter(fc, FUJIAN, name)
        assert fujian.crossings == [] and fujian.notes == [NOT_ENCODED]
    assert "not encoded: needs review" in NOT_ENCODED.en and "需人工复核" in NOT_ENCODED.zh


def test_a_list_counter_without_its_bands_is_never_silent() -> None:
    regime = CAT.regime_on(dt.date(2026, 6, 30))
    assert regime is not None
    daily = {NATIONAL: every_day(10, 181), TRIALS: every_day(10, 181)}
    fc = build_forecast("Acme", dt.date(2026, 6, 30), regime, daily, [], "rate", LEADS)
    assert counter(fc, TRIALS, "personal").notes == [NOT_ENCODED]


def test_a_band_summing_several_pools_is_an_upper_bound() -> None:
    """The trials' bands count clinical trials and drug R&D together (and the sector as a whole):
    a person in both pools is counted twice, and the crossing says so."""
    today = dt.date(2026, 6, 30)
    daily = {
        NATIONAL: every_day(100, 181),
        TRIALS: every_day(60, 181),
        DRUG_RD: every_day(40, 181),
    }
    fc = make(today, daily)
    sa = next(x for x in counter(fc, TRIALS, "personal").crossings if x.bound == 50_000)
    assert sa.count == 100 * 181 and not sa.exact
    assert sa.basis is not None and "upper bound" in sa.basis.en and "上限" in sa.basis.zh
    assert counter(fc, TRIALS, "personal").count == 60 * 181  # the chart stays the pool's own


def test_only_this_pool_holding_persons_is_exact() -> None:
    daily = {NATIONAL: every_day(60, 181), TRIALS: every_day(60, 181), DRUG_RD: []}
    fc = make(dt.date(2026, 6, 30), daily)
    assert all(x.exact for x in counter(fc, TRIALS, "personal").crossings)


def test_the_national_counters_carry_the_caveat_where_batches_were_under_a_list() -> None:
    today = dt.date(2026, 6, 30)
    listed = make(today, {NATIONAL: every_day(10, 181), TRIALS: every_day(10, 181)})
    alone = make(today, {NATIONAL: every_day(10, 181)})
    for name in ("personal", "sensitive"):
        assert counter(listed, NATIONAL, name).notes == [NATIONAL_CAVEAT]
        assert counter(alone, NATIONAL, name).notes == []
    assert "free-trade-zone list" in NATIONAL_CAVEAT.en and "自贸试验区清单" in NATIONAL_CAVEAT.zh


def test_another_zones_list_shows_no_band_for_a_company_whose_zone_is_known() -> None:
    """The ledger counts a batch in every list scope its scenario names, Fujian's too; a
    Beijing company may use neither Fujian's list nor adopt it, so its counter shows the trend
    only, no band and no notice. Beijing's own list keeps its bands. A Shanghai company could
    adopt the Beijing 2024 edition in 2025 (SH-ADOPT-2025), not the 2025 edition in force in
    mid-2026 (SH-ADOPT-2026 takes the lists released by 2026-04-30)."""
    from kuajing.ledger.list_bands import NOT_YOURS  # noqa: PLC0415
    from kuajing.services.forecast import _governs  # noqa: PLC0415

    day = dt.date(2026, 6, 30)
    scopes = [TRIALS, FUJIAN]
    beijing = list_bands(CAT, scopes, day, _governs(CAT, "beijing", day))
    assert beijing[(FUJIAN, "sensitive")].notes == [NOT_YOURS]
    assert not beijing[(FUJIAN, "sensitive")].bands
    assert beijing[(TRIALS, "sensitive")].bands
    shanghai = list_bands(CAT, scopes, day, _governs(CAT, "shanghai", day))
    assert shanghai[(TRIALS, "sensitive")].notes == [NOT_YOURS]
    earlier = dt.date(2025, 6, 1)
    assert list_bands(CAT, [TRIALS], earlier, _governs(CAT, "shanghai", earlier))[
        (TRIALS, "sensitive")
    ].bands
    unknown = list_bands(CAT, scopes, day)  # the company's zone is not known: every list shown
    assert NOT_YOURS not in unknown[(FUJIAN, "sensitive")].notes
