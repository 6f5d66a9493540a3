"""Cumulative distinct persons in the counting window: prior exports plus the transfers of the
request that count. Each counter is a span [low, high]: exact when the facts give it, a range
when only bounds are known (high None = no upper bound known)."""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from kuajing.catalog.base import Counter
from kuajing.engine.request import Counts, Transfer


class Span(NamedTuple):
    low: int = 0
    high: int | None = 0

    def __add__(self, other: object) -> Span:
        assert isinstance(other, Span)
        high = None if self.high is None or other.high is None else self.high + other.high
        return Span(self.low + other.low, high)

    @property
    def exact(self) -> bool:
        return self.high == self.low


ZERO = Span(0, 0)


def spans(c: Counts) -> dict[Counter, Span]:
    """The counters one set of counts contributes."""
    persons = (
        Span(c.persons, c.persons)
        if c.persons is not None
        else Span(max(c.personal, c.sensitive), c.personal + c.sensitive)
    )
    return {
        "personal": Span(c.personal, c.personal),
        "sensitive": Span(c.sensitive, c.sensitive),
        "persons": persons,
    }


def new_spans(t: Transfer) -> dict[Counter, Span]:
    """What a transfer adds to the counters: its persons less those `already_counted` (in
    `prior` or an earlier transfer). New distinct persons lie between the transfer's persons
    less the most that can already be counted, and the fewest, and never exceed the new
    persons of the two counters together."""
    own, a = spans(t), t.already_counted
    if a is None:
        return own
    before = spans(a)
    personal = t.personal - a.personal
    sensitive = t.sensitive - a.sensitive
    tl, th = own["persons"]
    al, ah = before["persons"]
    low = max(0, tl - (ah if ah is not None else tl))
    high = None if th is None or al is None else min(th - al, personal + sensitive)
    return {
        "personal": Span(personal, personal),
        "sensitive": Span(sensitive, sensitive),
        "persons": Span(low, high if high is None else max(high, low)),
    }


class Tally:
    """Counters keyed by counting pool: 'national', or a list scope key such as
    'beijing-2024/pharmaceuticals/clinical_trial'."""

    def __init__(self) -> None:
        self._pools: dict[str, dict[Counter, Span]] = defaultdict(dict)
        self._totals: dict[tuple[tuple[str, ...], Counter], Span] = {}

    def add(self, pool: str, counts: Counts) -> None:
        self.add_spans(pool, spans(counts))

    def add_spans(self, pool: str, added: dict[Counter, Span]) -> None:
        self._totals.clear()
        bucket = self._pools[pool]
        for counter, span in added.items():
            bucket[counter] = bucket.get(counter, ZERO) + span

    def copy(self) -> Tally:
        twin = Tally()
        twin._pools.update(copy.deepcopy(dict(self._pools)))
        return twin

    def total(self, pools: Iterable[str], counter: Counter) -> Span:
        """Sum over every pool equal to, or under, one of `pools`."""
        wanted = tuple(pools)
        cached = self._totals.get((wanted, counter))
        if cached is not None:
            return cached
        out = ZERO
        for name, bucket in self._pools.items():
            if any(name == w or name.startswith(w + "/") for w in wanted):
                out = out + bucket.get(counter, ZERO)
        self._totals[(wanted, counter)] = out
        return out

    def exact(self, pool: str, counter: Counter) -> int:
        """The (lower) count of one pool alone."""
        return self._pools.get(pool, {}).get(counter, ZERO).low

    def pools(self) -> list[str]:
        return list(self._pools)
