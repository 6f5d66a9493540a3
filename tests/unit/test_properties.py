"""Properties that must hold for every request, checked on generated ones (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kuajing.catalog import default_catalog
from kuajing.catalog.base import Pathway
from kuajing.engine import Decision, Request, assess
from kuajing.engine.placement import Placement
from kuajing.errors import RequestError

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
    "银行卡清算",
    "跨境电商平台",
    "智能网联汽车",
    "医疗器械",
]
ZONES = [None, "beijing", "shanghai", "lingang", "tianjin", "hainan", "zhejiang", "chongqing"]
CITIES = [None, "beijing", "shanghai", "tianjin"]
DATES = [
    "2023-06-01",
    "2024-03-21",
    "2024-03-22",
    "2024-09-01",
    "2025-06-01",
    "2025-07-01",
    "2026-05-01",
    "2026-06-01",
    "2026-08-01",
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
# Where the processor is: a zone (registered and exporting there), or a city of registration
# and, sometimes, another city of export.
place = st.one_of(
    st.fixed_dictionaries({"zone": st.sampled_from(ZONES)}),
    st.fixed_dictionaries(
        {
            "registered": st.fixed_dictionaries({"city": st.sampled_from(CITIES)}),
            "exports_from": st.fixed_dictionaries({"city": st.sampled_from(CITIES)}),
        }
    ),
)
processor = st.builds(
    lambda where, ciio, processed: {
        "name": "P",
        "ciio": ciio,
        "persons_processed": processed,
        **where,
    },
    place,
    st.booleans(),
    st.sampled_from([None, 0, 999_999, 1_000_000]),
)
request = st.fixed_dictionaries(
    {
        "date": st.sampled_from(DATES),
        "processor": processor,
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
    """Under a list whose entries for a kind of PI are not fully encoded, an export of that kind
    without an exemption of its own is never answered 'exempt' and 'determined'."""
    decision = _run(data)
    for t, raw in zip(decision.transfers, data["transfers"], strict=True):
        if t.regime == "national" or raw["exemption"] is not None:
            continue
        unknown = _unknown_kinds(t.regime, t.scenario)
        carried = {k for k in ("personal", "sensitive") if raw[k]}
        if carried & unknown:
            assert not (t.pathway == Pathway.EXEMPT and t.status == "determined"), t


def _unknown_kinds(list_id: str, scope: str | None) -> set[str]:
    """The kinds of PI whose entries the governing scope does not fully encode."""
    catalog = default_catalog()
    zl = catalog.lists[list_id]
    refs = [r for r in catalog.scopes(scope) if r.zone_list.id == list_id] if scope else []
    ref = refs[0] if refs else None
    placement = Placement(zl, ref.sector if ref else None, ref)
    return {
        kind
        for kind, what in (("personal", "personal_information"), ("sensitive", "sensitive_pi"))
        if placement.coverage(what) != "complete"
    }


@settings(max_examples=150, deadline=None)
@given(request)
def test_readings_that_disagree_give_the_strictest_and_need_review(data: dict[str, Any]) -> None:
    """Where a fact no source states was tried both ways, the answer is never lighter than the
    strictest reading, and readings that disagree always need review."""
    for t in _run(data).transfers:
        if not t.readings:
            continue
        assert t.pathway == max((r.pathway for r in t.readings), key=_rank)
        if len({r.pathway for r in t.readings}) > 1:
            assert t.status == "needs_review" and t.missing


@settings(max_examples=150, deadline=None)
@given(request, st.integers(min_value=0, max_value=3), st.floats(min_value=0, max_value=1))
def test_persons_already_counted_never_make_it_stricter(
    data: dict[str, Any], which: int, share: float
) -> None:
    """Saying that some of a transfer's persons were counted in `prior` never makes any answer
    stricter (the same persons are not counted twice)."""
    i = which % len(data["transfers"])
    t = data["transfers"][i]
    n = min(t["personal"], data["prior"]["personal"])
    already = int(n * share)
    if already == 0:
        return
    before = _run(data)
    said = [dict(x) for x in data["transfers"]]
    said[i]["already_counted"] = {"personal": already}
    try:
        after = _run({**data, "transfers": said})
    except RequestError:
        return  # counted under a list scope that prior does not name: refused, as it should be
    for b, a in zip(before.transfers, after.transfers, strict=True):
        assert _rank(a.pathway) <= _rank(b.pathway), (b.id, b.pathway, a.pathway)


@settings(max_examples=100, deadline=None)
@given(request)
def test_needs_review_names_what_is_missing(data: dict[str, Any]) -> None:
    decision = _run(data)
    for t in decision.transfers:
        assert (t.status == "needs_review") == bool(t.missing), t
    assert decision.date == dt.date.fromisoformat(data["date"])
