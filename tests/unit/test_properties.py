"""Properties that must hold for every request, checked on generated ones (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kuajing.catalog import default_catalog
from kuajing.catalog.base import Pathway
from kuajing.engine import Decision, Request, assess

LINES = [1, 10_000, 50_000, 100_000, 1_000_000, 10_000_000]
COUNTS = st.one_of(
    st.just(0),
    st.sampled_from([n + d for n in LINES for d in (-1, 0, 1)]),
    st.integers(min_value=0, max_value=12_000_000),
)
SCENARIOS = [
    None,
    "临床试验",
    "药物研发",
    "药物警戒",
    "医药",
    "汽车",
    "充电站服务",
    "人身险再保险",
    "财产险再保险",
    "船员管理",
    "民航",
    "软件在线升级",
    "种业",
]
ZONES = [None, "beijing", "shanghai", "lingang", "tianjin", "hainan"]
DATES = [
    "2023-06-01",
    "2024-03-21",
    "2024-03-22",
    "2024-09-01",
    "2025-06-01",
    "2025-07-01",
    "2026-06-01",
]

transfer = st.fixed_dictionaries(
    {
        "scenario": st.sampled_from(SCENARIOS),
        "personal": COUNTS,
        "sensitive": COUNTS,
        "exemption": st.sampled_from([None, None, None, "contract", "hr"]),
        "important_data": st.sampled_from([[], [], [], ["notified"]]),
    }
)
request = st.fixed_dictionaries(
    {
        "date": st.sampled_from(DATES),
        "processor": st.fixed_dictionaries(
            {
                "name": st.just("P"),
                "zone": st.sampled_from(ZONES),
                "ciio": st.booleans(),
                "persons_processed": st.sampled_from([None, 0, 999_999, 1_000_000]),
            }
        ),
        "prior": st.fixed_dictionaries({"personal": COUNTS, "sensitive": COUNTS}),
        "transfers": st.lists(transfer, min_size=1, max_size=4),
    }
)


def _run(data: dict[str, Any]) -> Decision:
    data = {**data, "transfers": [{**t, "id": f"t{i}"} for i, t in enumerate(data["transfers"])]}
    return assess(Request.model_validate(data), default_catalog())


def _rank(p: Pathway) -> int:
    return p.rank


@settings(max_examples=150, deadline=None)
@given(
    request,
    st.integers(min_value=0, max_value=3),
    st.sampled_from(["personal", "sensitive"]),
    st.integers(min_value=1, max_value=2_000_000),
)
def test_more_persons_never_lighten(
    data: dict[str, Any], which: int, counter: str, more: int
) -> None:
    i = which % len(data["transfers"])
    before = _run(data)
    grown = [dict(t) for t in data["transfers"]]
    grown[i][counter] += more
    after = _run({**data, "transfers": grown})
    assert _rank(after.pathway) >= _rank(before.pathway)
    for b, a in zip(before.transfers, after.transfers, strict=True):
        assert _rank(a.pathway) >= _rank(b.pathway), (b.id, b.pathway, a.pathway)


@settings(max_examples=150, deadline=None)
@given(
    request,
    st.sampled_from(["personal", "sensitive"]),
    st.integers(min_value=1, max_value=2_000_000),
)
def test_more_prior_persons_never_lighten(data: dict[str, Any], counter: str, more: int) -> None:
    before = _run(data)
    prior = {**data["prior"], counter: data["prior"][counter] + more}
    after = _run({**data, "prior": prior})
    for b, a in zip(before.transfers, after.transfers, strict=True):
        assert _rank(a.pathway) >= _rank(b.pathway)


@settings(max_examples=150, deadline=None)
@given(request, transfer)
def test_adding_a_transfer_never_lightens(data: dict[str, Any], extra: dict[str, Any]) -> None:
    before = _run(data)
    after = _run({**data, "transfers": [*data["transfers"], extra]})
    assert _rank(after.pathway) >= _rank(before.pathway)
    for b, a in zip(before.transfers, after.transfers, strict=False):
        assert _rank(a.pathway) >= _rank(b.pathway)


@settings(max_examples=150, deadline=None)
@given(request)
def test_every_reason_and_obligation_carries_a_source(data: dict[str, Any]) -> None:
    decision = _run(data)
    for t in decision.transfers:
        assert t.reasons, t.id
        for item in [*t.reasons, *t.obligations]:
            src = item.source
            assert src.title and src.confidence in "HMLU"
            assert src.url or src.seed or src.reference


@settings(max_examples=150, deadline=None)
@given(request)
def test_no_exempt_answer_from_missing_knowledge(data: dict[str, Any]) -> None:
    """Under a list whose entries are not encoded, an export without an exemption of its own is
    never answered 'exempt' and 'determined'."""
    decision = _run(data)
    unencoded = {z.id for z in default_catalog().lists.values() if z.encoded == "headers_only"}
    for t, raw in zip(decision.transfers, data["transfers"], strict=True):
        if t.regime in unencoded and raw["exemption"] is None:
            has_pi = raw["personal"] or raw["sensitive"]
            assert not (has_pi and t.pathway == Pathway.EXEMPT and t.status == "determined")


@settings(max_examples=100, deadline=None)
@given(request)
def test_needs_review_names_what_is_missing(data: dict[str, Any]) -> None:
    decision = _run(data)
    for t in decision.transfers:
        assert (t.status == "needs_review") == bool(t.missing), t
    assert decision.date == dt.date.fromisoformat(data["date"])
