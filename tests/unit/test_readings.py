"""Facts no source states: each list's question read both ways, combinations explored, and what
happens when there are too many to try."""

from __future__ import annotations

import pytest

from kuajing.catalog import default_catalog
from kuajing.catalog.base import Pathway
from kuajing.engine import Request, assess, readings
from kuajing.engine.readings import Readings, explore, fact

RULE = default_catalog().lists["beijing-2025"].applicability.registered_in_zone


def test_one_open_fact_keeps_its_own_readings() -> None:
    test = fact("beijing-2025", RULE, ["activity"])
    assert [r for r, _ in test.readings] == ["activity", "registration"]
    assert test.holding == "activity"
    assert test.question.en == (
        "whether beijing-2025 applies by place of registration or of activity"
    )
    assert test.label("registration").en == "by registration"


def test_two_open_facts_of_one_list_are_one_question() -> None:
    both = fact("beijing-2025", RULE, ["registration", "admitted"])
    assert both.key == "beijing-2025:test+ciio"
    assert [r for r, _ in both.readings] == ["applies", "not"]
    assert both.label("applies").en == "applies (by registration, CIIOs admitted)"
    assert both.label("not").en == "does not apply (by activity or CIIOs excluded)"


def _facts(n: int) -> list[readings.Unknown]:
    return [fact(f"list-{i}", RULE, ["registration"]) for i in range(n)]


def test_every_combination_is_explored_once() -> None:
    facts, seen = _facts(3), []

    def run(r: Readings) -> str:
        picked = "".join(r.pick(f)[0] for f in facts)
        seen.append(picked)
        return picked

    runs, untried = explore(run)
    assert untried == []
    assert sorted(result for _, result in runs) == sorted(
        a + b + c for a in "ra" for b in "ra" for c in "ra"
    )
    assert all(len(r.chosen) == 3 for r, _ in runs)


def test_too_many_combinations_are_cut_and_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readings, "MAX_RUNS", 4)
    facts = _facts(4)

    def run(r: Readings) -> str:
        return "".join(r.pick(f)[0] for f in facts)

    runs, untried = explore(run)
    assert len(runs) <= 4 and untried
    assert all(len(r.chosen) == 4 for r, _ in runs)  # each run says every reading it took


SPLIT = {
    "date": "2026-08-01",
    "processor": {
        "name": "P",
        "ciio": True,
        "registered": {"city": "beijing"},
        "exports_from": {"city": "shanghai"},
    },
    "transfers": [
        {"id": "t1", "scenario": "临床试验", "sensitive": 5000},
        {"id": "t2", "scenario": "人身险再保险", "personal": 2000000},
        {"id": "t3", "scenario": "种业", "personal": 500},
        {"id": "t4", "scenario": "银行卡清算", "personal": 600000},
    ],
}


def test_a_request_spanning_many_lists_is_decided_without_error() -> None:
    """A CIIO registered in Beijing exporting from Shanghai, with scenarios of four zones' lists
    (found by hypothesis: it once exceeded the combinations the engine would try)."""
    decision = assess(Request.model_validate(SPLIT), default_catalog())
    assert decision.status == "needs_review"
    for t in decision.transfers:
        assert t.missing  # every open question is named


def test_combinations_not_all_tried_need_review(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readings, "MAX_RUNS", 1)
    request = {**SPLIT, "transfers": [{"id": "t1", "scenario": "临床试验", "sensitive": 60000}]}
    decision = assess(Request.model_validate(request), default_catalog())
    [t] = decision.transfers
    assert t.status == "needs_review" and t.pathway == Pathway.SECURITY_ASSESSMENT
    assert any("too many facts no source states" in m for m in t.missing)
