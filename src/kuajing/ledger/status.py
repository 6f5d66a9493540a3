"""What a processor's counts mean under the national rules: the pathway they imply, the headroom
to each threshold, and when each threshold will be crossed at the year's rate so far."""

from __future__ import annotations

import datetime as dt
import math

from kuajing.catalog.base import Pathway, Text, strictest
from kuajing.catalog.models import NationalRegime, ThresholdRule
from kuajing.ledger.models import (
    COUNTING_RULE,
    NATIONAL,
    CounterCounts,
    ScopeCounts,
    Status,
    ThresholdStatus,
)

Series = list[tuple[int, CounterCounts]]  # persons first counted per day of the year

ZONE_CAVEAT = Text(
    zh="全国计数器包含按自贸试验区清单出境的批次，在清单管辖的场景中可能偏严；"
    "自贸区清单下的路径，请评估该项出境并以出境台账中的此前出境人数计算。",
    en="The national counters include batches exported under a free-trade-zone list, which "
    "may be stricter than needed where the list governs; for the pathway under a zone's list, "
    "assess the transfer with its earlier exports taken from the ledger.",
)


def _caveats(regime: NationalRegime) -> list[Text]:
    """The facts the counts cannot show, with the catalogue's rules they would bring in."""
    rules = f"{regime.ciio.rule}, {regime.important_data.rule}"
    assumed = Text(
        zh="假定处理者不是关键信息基础设施运营者、且未向境外提供重要数据"
        f"（否则适用 {rules}，与人数无关）。",
        en=f"Assumes the processor is not a CIIO and exports no important data (otherwise {rules} "
        "apply, whatever the counts).",
    )
    return [assumed, ZONE_CAVEAT]


def build_status(
    processor: str,
    year: int,
    as_of: dt.date,
    regime: NationalRegime,
    counts: dict[str, CounterCounts],
    series: Series,
    batches: tuple[int, int],
) -> Status:
    national = counts.get(NATIONAL, CounterCounts())
    rules = [t for t in regime.thresholds if t.threshold.counter in ("personal", "sensitive")]
    reached = [t for t in rules if t.threshold.reached(_count(national, t))]
    if reached:
        pathway = strictest([t.pathway for t in reached])
        pathway_rules = [t.rule for t in reached if t.pathway == pathway]
    else:
        pathway, pathway_rules = _floor(regime, national)
    elapsed = (as_of - dt.date(year, 1, 1)).days + 1
    return Status(
        processor=processor,
        year=year,
        as_of=as_of,
        regime=regime.id,
        rule=COUNTING_RULE,
        national=national,
        scopes=[ScopeCounts(scope=s, counts=c) for s, c in sorted(counts.items()) if s != NATIONAL],
        pathway=pathway,
        pathway_rules=pathway_rules,
        thresholds=[_threshold(t, national, series, year, elapsed) for t in rules],
        batches=batches[0],
        exempt_batches=batches[1],
        caveats=_caveats(regime),
    )


def _floor(regime: NationalRegime, national: CounterCounts) -> tuple[Pathway, list[str]]:
    if national.personal or national.sensitive:
        return regime.floor.pathway, [regime.floor.rule]
    return regime.no_pi.pathway, [regime.no_pi.rule]


def _count(counts: CounterCounts, rule: ThresholdRule) -> int:
    return int(getattr(counts, rule.threshold.counter))


def _threshold(
    rule: ThresholdRule, national: CounterCounts, series: Series, year: int, elapsed: int
) -> ThresholdStatus:
    counter = rule.threshold.counter
    low, _high = rule.threshold.band()
    count = _count(national, rule)
    reached = rule.threshold.reached(count)
    base = {"rule": rule.rule, "counter": counter, "pathway": rule.pathway, "bound": low}
    if count >= low:
        return ThresholdStatus(
            **base, reached=reached, reached_on=_crossed(series, counter, low, year)
        )
    headroom = low - count
    projected = None
    if count > 0:
        rate = count / elapsed  # persons a day, over the year so far
        offset = elapsed - 1 + math.ceil(headroom / rate)
        if offset < 366:
            day = dt.date(year, 1, 1) + dt.timedelta(days=offset)
            projected = day if day.year == year else None
    return ThresholdStatus(**base, reached=False, headroom=headroom, projected=projected)


def _crossed(series: Series, counter: str, bound: int, year: int) -> dt.date | None:
    total = 0
    for day, counts in series:
        total += int(getattr(counts, counter))
        if total >= bound:
            return dt.date(year, 1, 1) + dt.timedelta(days=day - 1)
    return None
