"""Facts of the rules that no source gives: whether a list applies by place of registration or
of activity, whether it admits CIIOs, whether an adoption's conditions are met.

Such a fact cannot be guessed. Each has a few readings; the engine runs once per combination of
the readings that matter to the request (`explore`), and `assess` decides only where every
reading gives the same pathway. A fact whose readings agree for this request (a processor both
registered and exporting in the zone) is not explored at all: the placement notes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from kuajing.catalog.base import Text
from kuajing.catalog.models import Rule
from kuajing.errors import CatalogError, CatalogInvalid

T = TypeVar("T")
MAX_RUNS = 64  # 6 two-way facts; more would mean a catalogue that knows next to nothing


@dataclass(frozen=True)
class Unknown:
    """One fact left open by the rules, with its readings (id, how a person says it)."""

    key: str
    rule: Rule  # the rule the fact belongs to, cited when the readings are reported
    question: Text
    readings: tuple[tuple[str, Text], ...]

    def label(self, reading: str) -> Text:
        return next(text for rid, text in self.readings if rid == reading)


@dataclass
class Readings:
    """The reading chosen for each open fact in one run, and the facts the run needed but had
    no reading for (the first reading is used; `explore` then runs the others)."""

    chosen: dict[str, str] = field(default_factory=dict)
    facts: dict[str, Unknown] = field(default_factory=dict)
    open: list[str] = field(default_factory=list)

    def pick(self, fact: Unknown) -> str:
        self.facts.setdefault(fact.key, fact)
        if fact.key in self.chosen:
            return self.chosen[fact.key]
        if fact.key not in self.open:
            self.open.append(fact.key)
        return fact.readings[0][0]


def explore(run: Callable[[Readings], T]) -> list[tuple[Readings, T]]:
    """Every combination of readings of the open facts the runs meet, each with its result.
    A run that meets no open fact is the only one."""
    pending: list[dict[str, str]] = [{}]
    done: list[tuple[Readings, T]] = []
    while pending:
        chosen = pending.pop(0)
        readings = Readings(chosen=dict(chosen))
        result = run(readings)
        if readings.open:
            fact = readings.facts[readings.open[0]]
            pending += [{**chosen, fact.key: rid} for rid, _ in fact.readings]
        else:
            done.append((readings, result))
        if len(done) + len(pending) > MAX_RUNS:
            # A catalogue that leaves this much open cannot decide anything: say which facts.
            keys = ", ".join(sorted(readings.facts))
            raise CatalogInvalid([CatalogError(f"too many unknown facts to try: {keys}")])
    return done


# -- the facts -----------------------------------------------------------------------------------
_QUESTIONS = {
    "test": Text(
        zh="{subject} 按注册地还是按数据出境活动地适用",
        en="whether {subject} applies by place of registration or of activity",
    ),
    "ciio": Text(
        zh="{subject} 是否适用于关键信息基础设施运营者",
        en="whether {subject} admits critical information infrastructure operators",
    ),
    "conditions": Text(
        zh="跨区参照适用机制（{subject}）的条件是否满足",
        en="whether the conditions of the cross-zone adoption ({subject}) are met",
    ),
}
_READINGS = {
    "test": (
        ("registration", Text(zh="按注册地", en="by registration")),
        ("activity", Text(zh="按出境活动地", en="by activity")),
    ),
    "ciio": (
        ("excluded", Text(zh="不适用于关键信息基础设施运营者", en="CIIOs excluded")),
        ("admitted", Text(zh="适用于关键信息基础设施运营者", en="CIIOs admitted")),
    ),
    "conditions": (
        ("adopted", Text(zh="可参照适用", en="adoption available")),
        ("not_adopted", Text(zh="不可参照适用", en="no adoption")),
    ),
}


def fact(kind: str, subject: str, rule: Rule) -> Unknown:
    """The open fact `kind` ("test", "ciio", "conditions") of a list or an adoption rule."""
    q = _QUESTIONS[kind]
    question = Text(zh=q.zh.format(subject=subject), en=q.en.format(subject=subject))
    return Unknown(f"{subject}:{kind}", rule, question, _READINGS[kind])
