"""What a processor's counts imply: pathway, headroom, the day a threshold was or will be
crossed. Pure: counts in, status out."""

from __future__ import annotations

import datetime as dt

from kuajing.catalog import default_catalog
from kuajing.catalog.base import Pathway
from kuajing.ledger.models import NATIONAL, CounterCounts
from kuajing.ledger.status import build_status

REGIME = default_catalog().regime_on(dt.date(2026, 4, 10))


def status(personal: int, sensitive: int, series: list[tuple[int, CounterCounts]] | None = None):  # type: ignore[no-untyped-def]
    assert REGIME is not None
    counts = {NATIONAL: CounterCounts(personal=personal, sensitive=sensitive, persons=personal)}
    return build_status("Acme", 2026, dt.date(2026, 4, 10), REGIME, counts, series or [], (3, 1))


def by_rule(s, rule: str, counter: str):  # type: ignore[no-untyped-def]
    return next(t for t in s.thresholds if t.rule == rule and t.counter == counter)


def test_below_every_threshold_is_exempt_by_the_volume_floor() -> None:
    s = status(99_999, 0)
    assert s.pathway == Pathway.EXEMPT and s.pathway_rules == ["CBDF-5-4"]
    assert by_rule(s, "CBDF-8-1", "personal").headroom == 1


def test_nothing_exported_cites_the_no_pi_rule() -> None:
    assert status(0, 0).pathway_rules == ["CBDF-3"]


def test_100000_persons_is_the_standard_contract_band_yi_shang_includes() -> None:
    s = status(100_000, 0)
    assert s.pathway == Pathway.STANDARD_CONTRACT_OR_CERTIFICATION
    assert by_rule(s, "CBDF-8-1", "personal").reached


def test_one_sensitive_person_needs_a_standard_contract() -> None:
    s = status(1, 1)
    assert s.pathway == Pathway.STANDARD_CONTRACT_OR_CERTIFICATION and "CBDF-8-1" in s.pathway_rules


def test_10000_sensitive_persons_need_a_security_assessment() -> None:
    s = status(10_000, 10_000)
    assert s.pathway == Pathway.SECURITY_ASSESSMENT and s.pathway_rules == ["CBDF-7-4"]
    band = by_rule(s, "CBDF-8-1", "sensitive")
    assert not band.reached and band.headroom is None  # passed through: the stricter rule governs


def test_projection_at_the_years_rate_so_far() -> None:
    # 500,000 persons in the first 100 days: 5,000 a day; 500,000 more take 100 days.
    s = status(500_000, 0)
    assert by_rule(s, "CBDF-7-3", "personal").projected == dt.date(2026, 7, 19)
    assert by_rule(s, "CBDF-7-3", "personal").headroom == 500_000


def test_no_projection_beyond_the_year_or_without_exports() -> None:
    s = status(150_000, 0)  # 1,500 a day: 850,000 more take 567 days
    assert by_rule(s, "CBDF-7-3", "personal").projected is None
    assert by_rule(s, "CBDF-7-4", "sensitive").projected is None  # nothing sensitive yet


def test_the_day_a_threshold_was_crossed() -> None:
    series = [
        (10, CounterCounts(personal=60_000, persons=60_000)),
        (41, CounterCounts(personal=40_000, persons=40_000)),
        (50, CounterCounts(personal=5, persons=5)),
    ]
    s = status(100_005, 0, series)
    assert by_rule(s, "CBDF-8-1", "personal").reached_on == dt.date(2026, 2, 10)


def test_every_status_states_the_counting_rule_and_its_caveats() -> None:
    s = status(5, 0)
    # cited by its public basis and the kuajing interpretation, not by a research note
    assert "Arts 7 and 8" in s.rule.en and "kuajing 解读" in s.rule.zh
    assert ".md" not in s.rule.en + s.rule.zh
    assert any("CIIO" in c.en for c in s.caveats)
