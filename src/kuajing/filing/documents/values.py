"""The values a form row can name (`value: processor.name`). Each reads the input; a value that
only the request holds is `not_given` for a bare decision, never invented."""

from __future__ import annotations

from collections.abc import Callable

from kuajing.catalog.base import strictest
from kuajing.engine.request import Transfer
from kuajing.filing.documents.context import Ctx
from kuajing.filing.documents.model import Cell
from kuajing.i18n import PATHWAYS, STATUS, number

Value = Callable[[Ctx], Cell]


def _zone(c: Ctx) -> Cell:
    if c.inp.zone is None:
        return c.not_given() if c.bare else c.given(c.say("none"))
    zone = c.catalog.zones.get(c.catalog.zone_id(c.inp.zone) or "")
    return c.given(zone.name.get(c.lang) if zone else c.inp.zone)


def _ciio(c: Ctx) -> Cell:
    ciio = c.inp.ciio
    return c.not_given() if ciio is None else c.given(c.say("yes" if ciio else "no"))


def _pathway(c: Ctx) -> Cell:
    return c.given(PATHWAYS[strictest([t.pathway for t in c.transfers])].get(c.lang))


def _status(c: Ctx) -> Cell:
    review = any(t.status == "needs_review" for t in c.transfers)
    return c.given(STATUS["needs_review" if review else "determined"].get(c.lang))


def _regimes(c: Ctx) -> Cell:
    names = dict.fromkeys(c.regime_name(t.regime) for t in c.transfers)
    return c.given(_join(c, names))


def _scenarios(c: Ctx) -> Cell:
    return c.given(_join(c, dict.fromkeys(c.scenario_name(t.scenario) for t in c.transfers)))


def _requested(c: Ctx) -> list[Transfer]:
    found = [c.requested(t.id) for t in c.transfers]
    return [t for t in found if t is not None]


def persons_text(c: Ctx, items: list[Transfer]) -> str:
    personal = sum(t.personal for t in items)
    sensitive = sum(t.sensitive for t in items)
    total = sum(t.persons if t.persons is not None else t.personal + t.sensitive for t in items)
    text = c.say(
        "persons", total=number(total), personal=number(personal), sensitive=number(sensitive)
    )
    if any(t.persons is None and t.personal and t.sensitive for t in items):
        text += "；" if c.lang == "zh" else "; "
        text += c.say("persons_unknown")
    return text


def _persons(c: Ctx) -> Cell:
    return c.not_given() if c.bare else c.given(persons_text(c, _requested(c)))


def recipient_text(c: Ctx, t: Transfer) -> str:
    name = t.recipient.name or c.say("not_given")
    return c.say("recipient", name=name, country=t.recipient.country or c.say("not_given"))


def _recipients(c: Ctx) -> Cell:
    items = _requested(c)
    if not items or all(t.recipient.name is None for t in items):
        return c.not_given()
    return c.given(_join(c, dict.fromkeys(recipient_text(c, t) for t in items)))


def categories_text(c: Ctx, t: Transfer) -> str:
    return _join(c, dict.fromkeys(_categories_of(c, t))) or c.say("none")


def _categories_of(c: Ctx, t: Transfer) -> list[str]:
    zh = c.lang == "zh"
    parts = []
    if t.personal:
        parts.append("个人信息（非敏感）" if zh else "personal information (non-sensitive)")
    if t.sensitive:
        parts.append("敏感个人信息" if zh else "sensitive personal information")
    if t.important_data:
        label = "重要数据：" if zh else "important data: "
        parts.append(label + ", ".join(t.important_data))
    return parts


def _categories(c: Ctx) -> Cell:
    if c.bare:
        return c.not_given()
    parts = dict.fromkeys(p for t in _requested(c) for p in _categories_of(c, t))
    return c.given(_join(c, parts) or c.say("none"))


def _fields(c: Ctx) -> Cell:
    names = dict.fromkeys(f.field for t in c.transfers for f in t.fields)
    if names:
        return c.given(_join(c, names))
    if c.bare:
        return c.not_given()
    return Cell(text=c.say("fields_none"), state="not_given")


def _important(c: Ctx) -> Cell:
    if c.bare:
        return c.not_given()
    names = dict.fromkeys(n for t in _requested(c) for n in t.important_data)
    return c.given(_join(c, names) or c.say("none"))


def _retention(c: Ctx) -> Cell:
    """The request's retention periods abroad; without one, left for the processor to write."""
    unit = "个月" if c.lang == "zh" else " months"
    given = {
        f"{t.id}: {t.retention_months}{unit}": None for t in _requested(c) if t.retention_months
    }
    return c.given(_join(c, given)) if given else c.blank()


def _filing(attr: str) -> Value:
    def value(c: Ctx) -> Cell:
        f = c.inp.filing
        if f is None:
            return c.not_given()
        if attr == "procedure":
            return c.given(f"{f.procedure_name.get(c.lang)} ({f.procedure})")
        return c.cell(getattr(f, attr))

    return value


def _join(c: Ctx, items: dict[str, None]) -> str:
    return ("；" if c.lang == "zh" else "; ").join(items)


VALUES: dict[str, Value] = {
    "organisation": lambda c: c.given(c.inp.organisation),
    "processor.name": lambda c: c.given(c.inp.processor),
    "processor.zone": _zone,
    "processor.sector": lambda c: c.cell(c.inp.sector),
    "processor.ciio": _ciio,
    "decision.id": lambda c: c.cell(c.inp.decision_id),
    "decision.created_at": lambda c: c.given(c.stamp()),
    "decision.date": lambda c: c.given(c.inp.decision.date.isoformat()),
    "decision.pathway": _pathway,
    "decision.status": _status,
    "decision.regimes": _regimes,
    "decision.window": lambda c: c.given(
        c.say("window", start=c.inp.decision.window_start.isoformat())
    ),
    "catalog.version": lambda c: c.given(f"{c.inp.catalog_version}+{c.inp.catalog_digest}"),
    "transfers.ids": lambda c: c.given(", ".join(t.id for t in c.transfers)),
    "transfers.scenarios": _scenarios,
    "persons": _persons,
    "recipients": _recipients,
    "data.categories": _categories,
    "data.fields": _fields,
    "data.important": _important,
    "data.retention": _retention,
    "filing.id": _filing("id"),
    "filing.procedure": _filing("procedure"),
    "filing.state": _filing("state"),
}
