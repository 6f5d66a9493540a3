"""Facts of the rules that no source gives: whether a list applies by place of registration or
of activity, whether it admits CIIOs, whether an adoption's conditions are met.

Such a fact cannot be guessed. For a list (or an adoption) they come down to one question: does
it apply to this processor? Its readings are those of the fact left open ("by registration",
"by activity"), or, where two are open, "applies" and "does not apply" with the readings named.
The engine runs once per combination of the questions that matter to the request (`explore`),
and `assess` decides only where every reading gives the same pathway. A question whose readings
agree for this request (a processor both registered and exporting in the zone) is not explored
at all: the placement notes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from kuajing.catalog.base import Text
from kuajing.catalog.models import Rule

T = TypeVar("T")
MAX_RUNS = 256  # 8 lists or adoptions whose application is open; beyond, see `explore`


@dataclass(frozen=True)
class Unknown:
    """One fact left open by the rules, with its readings (id, how a person says it)."""

    key: str
    rule: Rule  # the rule the fact belongs to, cited when the readings are reported
    question: Text
    readings: tuple[tuple[str, Text], ...]
    holding: str  # the reading under which the list (or adoption) applies

    def label(self, reading: str) -> Text:
        return next(text for rid, text in self.readings if rid == reading)


@dataclass
class Readings:
    """The reading chosen for each open fact in one run, and the facts the run needed but had
    no reading for (the first reading is used; `explore` then runs the others)."""

    chosen: dict[str, str] = field(default_factory=dict)
    facts: dict[str, Unknown] = field(default_factory=dict)
    open: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)  # every fact asked, in order
    # the facts each transfer's placement asked (its own readings, for the decision)
    by_transfer: dict[str, set[str]] = field(default_factory=dict)

    def pick(self, fact: Unknown) -> str:
        self.facts.setdefault(fact.key, fact)
        self.log.append(fact.key)
        if fact.key in self.chosen:
            return self.chosen[fact.key]
        if fact.key not in self.open:
            self.open.append(fact.key)
        return fact.readings[0][0]


def explore(run: Callable[[Readings], T]) -> tuple[list[tuple[Readings, T]], list[Unknown]]:
    """Every combination of readings of the open facts the runs meet, each with its result, and
    the facts left untried when the combinations exceed `MAX_RUNS` (empty when all were tried).
    A run that meets no open fact is the only one."""
    pending: list[dict[str, str]] = [{}]
    done: list[tuple[Readings, T]] = []
    untried: dict[str, Unknown] = {}
    while pending:
        chosen = pending.pop(0)
        readings = Readings(chosen=dict(chosen))
        result = run(readings)
        if readings.open and len(done) + len(pending) + 2 <= MAX_RUNS:
            fact = readings.facts[readings.open[0]]
            pending += [{**chosen, fact.key: rid} for rid, _ in fact.readings]
            continue
        for key in readings.open:  # taken at their first reading: say so
            untried.setdefault(key, readings.facts[key])
        readings.chosen.update({k: readings.facts[k].readings[0][0] for k in readings.open})
        done.append((readings, result))
    return done, list(untried.values())


# -- the facts -----------------------------------------------------------------------------------
_QUESTIONS = {
    "test": Text(
        zh="按注册地还是按数据出境活动地适用", en="applies by place of registration or of activity"
    ),
    "ciio": Text(
        zh="是否适用于关键信息基础设施运营者",
        en="admits critical information infrastructure operators",
    ),
    "conditions": Text(
        zh="是否可参照适用（跨区参照适用的条件未检索到）",
        en="is available (the conditions of the cross-zone adoption were not retrieved)",
    ),
}
_READINGS = {
    "registration": Text(zh="按注册地", en="by registration"),
    "activity": Text(zh="按出境活动地", en="by activity"),
    "admitted": Text(zh="适用于关键信息基础设施运营者", en="CIIOs admitted"),
    "excluded": Text(zh="不适用于关键信息基础设施运营者", en="CIIOs excluded"),
    "adopted": Text(zh="可参照适用", en="adoption available"),
    "not_adopted": Text(zh="不可参照适用", en="no adoption"),
}
_AGAINST = {  # the other reading of each part
    "registration": "activity",
    "activity": "registration",
    "admitted": "excluded",
    "adopted": "not_adopted",
}
_PART = {"registration": "test", "activity": "test", "admitted": "ciio", "adopted": "conditions"}


def fact(subject: str, rule: Rule, holding: list[str]) -> Unknown:
    """Whether a list (or an adoption) `subject` applies to the processor, where the facts left
    open are those whose reading `holding` makes it apply: "registration" or "activity" (the
    test: whichever place lies in the area), "admitted" (CIIOs), "adopted" (an adoption's
    conditions). One open fact keeps its own readings; two become "applies"/"does not apply"."""
    parts = [_PART[h] for h in holding]
    question = Text(
        zh=f"{subject}" + "；".join(_QUESTIONS[p].zh for p in parts),
        en=f"whether {subject} " + " and ".join(_QUESTIONS[p].en for p in parts),
    )
    key = f"{subject}:{'+'.join(parts)}"
    if len(holding) == 1:
        (yes,) = holding
        no = _AGAINST[yes]
        return Unknown(key, rule, question, ((yes, _READINGS[yes]), (no, _READINGS[no])), yes)
    yes_zh = "，".join(_READINGS[h].zh for h in holding)
    yes_en = ", ".join(_READINGS[h].en for h in holding)
    no_zh = "或".join(_READINGS[_AGAINST[h]].zh for h in holding)
    no_en = " or ".join(_READINGS[_AGAINST[h]].en for h in holding)
    readings = (
        ("applies", Text(zh=f"适用（{yes_zh}）", en=f"applies ({yes_en})")),
        ("not", Text(zh=f"不适用（{no_zh}）", en=f"does not apply ({no_en})")),
    )
    return Unknown(key, rule, question, readings, "applies")
