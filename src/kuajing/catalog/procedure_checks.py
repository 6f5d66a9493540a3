"""Integrity of the procedures: every state, event and deadline a procedure names exists, the
deadlines' anchors form no cycle, and the zones and lists it applies to are in the catalogue."""

from __future__ import annotations

from string import Formatter

from kuajing.catalog.base import Pathway
from kuajing.catalog.catalog import Catalog
from kuajing.catalog.procedures import Procedure
from kuajing.catalog.reader import Reader

Located = dict[str, tuple[str, int]]  # procedure id -> (file, index in the file)

# The values filing/changes.py gives each kind of change's text.
CHANGE_VALUES = {
    "threshold_crossed": {"transfer"},
    "facts_changed": {"transfer", "what"},
    "edition_changed": {"transfer", "regime", "old"},
}


def check_procedures(catalog: Catalog, reader: Reader, located: Located) -> None:
    for procedure in catalog.procedures.values():
        rel, index = located[procedure.id]
        for path, message in _problems(procedure, catalog):
            reader.error(rel, ("procedures", index, *path), message)


def _problems(p: Procedure, catalog: Catalog) -> list[tuple[tuple[str | int, ...], str]]:
    out: list[tuple[tuple[str | int, ...], str]] = []
    states = {s.id for s in p.states}
    if p.start is not None and p.start not in states:
        out.append((("start",), f"unknown state {p.start!r}"))
    for i, t in enumerate(p.transitions):
        out += [
            (("transitions", i, "from"), f"unknown state {s!r}") for s in _unknown(t.start, states)
        ]
        if t.to is not None and t.to not in states:
            out.append((("transitions", i, "to"), f"unknown state {t.to!r}"))
        if t.not_before is not None and (
            t.not_before not in {d.id for d in p.deadlines}
            or p.deadline(t.not_before).kind != "opens"
        ):
            out.append((("transitions", i, "not_before"), "must name a deadline of kind 'opens'"))
        if t.not_after is not None and t.not_after not in {d.id for d in p.deadlines}:
            out.append((("transitions", i, "not_after"), f"unknown deadline {t.not_after!r}"))
    out += _deadline_problems(p)
    out += _change_problems(p)
    out += _review_problems(p)
    if p.role == "supervision" and p.rule is None:
        out.append((("rule",), "a supervision procedure names the rule its findings cite"))
    for z in p.applies.zones:
        if z not in catalog.zones:
            out.append((("applies", "zones"), f"unknown zone {z!r}"))
    for r in p.applies.regimes:
        if r not in catalog.lists:
            out.append((("applies", "regimes"), f"unknown list {r!r}"))
    scc = Pathway.STANDARD_CONTRACT_OR_CERTIFICATION
    if p.applies.route is not None and p.applies.pathways != [scc]:
        out.append((("applies", "route"), f"a route goes with pathways: [{scc}] only"))
    return out


def _change_problems(p: Procedure) -> list[tuple[tuple[str | int, ...], str]]:
    out: list[tuple[tuple[str | int, ...], str]] = []
    for i, change in enumerate(p.changes):
        for lang in ("zh", "en"):
            text = getattr(change.text, lang)
            named = {field for _, field, _, _ in Formatter().parse(text) if field is not None}
            for name in sorted(named - CHANGE_VALUES[change.change]):
                out.append(
                    (("changes", i, "text", lang), f"{{{name}}} is not given for {change.change}")
                )
    return out


def _review_problems(p: Procedure) -> list[tuple[tuple[str | int, ...], str]]:
    out: list[tuple[tuple[str | int, ...], str]] = []
    for i, step in enumerate(p.review):
        for key in ("submit", "approve", "reject"):
            event = getattr(step, key)
            if event is not None and event not in p.events:
                out.append((("review", i, key), f"unknown event {event!r}"))
        submit = p.transition(step.submit)
        if submit is not None and submit.by != "company":
            out.append((("review", i, "submit"), "the company submits: the event must be its own"))
        if step.clock is not None and (
            step.clock not in {d.id for d in p.deadlines} or p.deadline(step.clock).kind != "review"
        ):
            out.append((("review", i, "clock"), "must name a deadline of kind 'review'"))
    return out


def _unknown(names: list[str], known: set[str]) -> list[str]:
    return [n for n in names if n != "*" and n not in known]


def _deadline_problems(p: Procedure) -> list[tuple[tuple[str | int, ...], str]]:
    out: list[tuple[tuple[str | int, ...], str]] = []
    events, ids = p.events, [d.id for d in p.deadlines]
    if len(set(ids)) != len(ids):
        out.append((("deadlines",), "a deadline id is used twice"))
    for i, d in enumerate(p.deadlines):
        for key, names in (
            ("after", d.after.event),
            ("met_by", d.met_by),
            ("requires", d.requires),
        ):
            out += [
                ((("deadlines", i, key)), f"unknown event {e!r}") for e in names if e not in events
            ]
        if d.after.deadline is not None and d.after.deadline not in ids:
            out.append((("deadlines", i, "after"), f"unknown deadline {d.after.deadline!r}"))
        elif _cycle(p, d.id):
            out.append((("deadlines", i, "after"), "deadlines anchored on each other in a cycle"))
    return out


def _cycle(p: Procedure, start: str) -> bool:
    seen, current = {start}, p.deadline(start).after.deadline
    while current is not None and current in {d.id for d in p.deadlines}:
        if current in seen:
            return True
        seen.add(current)
        current = p.deadline(current).after.deadline
    return False
