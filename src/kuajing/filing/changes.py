"""Changes that need a new or supplementary filing, found by comparing a new decision, or the
ledger's counters, with the organisation's active filings and the decisions they rest on.
Which change matters to which procedure, the task it raises, its rule and its words are
catalogue data (`changes:` of each procedure in `rules/procedures/`); this module only detects
the three kinds of change:

- threshold_crossed: a transfer the filing covers now needs a security assessment;
- facts_changed: the transfer's recipient, scenario or fields differ from the filed request;
- edition_changed: the transfer is now decided under another edition of its zone's list.
A longer retention period abroad (`retention_months`) counts as changed facts; a shorter one
does not, and a period given on one side only is not compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang, Pathway, Text
from kuajing.catalog.procedures import ChangeRule
from kuajing.engine import Decision, Request
from kuajing.filing.models import Filing
from kuajing.ledger.models import Status

LANGS: tuple[Lang, ...] = ("zh", "en")

# What can differ between two requests for one transfer, named in both languages.
_COMPARED = {
    "recipient": Text(zh="境外接收方", en="recipient"),
    "scenario": Text(zh="业务场景", en="scenario"),
    "fields": Text(zh="数据字段", en="fields"),
}

_LONGER = Text(zh="境外保存期限（延长）", en="retention period abroad (longer)")


@dataclass(frozen=True)
class Change:
    kind: str  # the task's kind, from the procedure's change rule
    rule: str
    text: dict[str, str]
    filing_id: str


@dataclass(frozen=True)
class Basis:
    """An active filing and the decision (and request, when known) it was made from."""

    filing: Filing
    decision: Decision
    request: Request | None


@dataclass(frozen=True)
class _Hit:
    transfer: str
    values: dict[str, Text]  # for the rule's text: what, regime, old
    rule: str | None = None  # a more precise rule than the change rule's, when known


def changes(
    decision: Decision, request: Request | None, active: list[Basis], catalog: Catalog
) -> list[Change]:
    """What the new `decision` (on `request`) changes for the `active` filings."""
    found: list[Change] = []
    for basis in active:
        procedure = catalog.procedures.get(basis.filing.procedure)
        for rule in procedure.changes if procedure else []:
            for hit in _detect(rule, decision, request, basis, catalog):
                found.append(_change(rule, basis.filing.id, hit))
    return found


def ledger_changes(status: Status, active: list[Basis], catalog: Catalog) -> list[Change]:
    """What the ledger's counters of this year change: once they reach a security-assessment
    threshold, the nationally governed transfers filed under a contract or certification need
    an assessment. Transfers under a zone list are left alone: the national counters may be
    stricter than the list (the ledger status says so in its caveats)."""
    if status.pathway != Pathway.SECURITY_ASSESSMENT:
        return []
    precise = status.pathway_rules[0] if status.pathway_rules else None
    found = []
    for basis in active:
        procedure = catalog.procedures.get(basis.filing.procedure)
        for rule in procedure.changes if procedure else []:
            if rule.change != "threshold_crossed":
                continue
            for t in basis.decision.transfers:
                national = t.regime not in catalog.lists
                filed = t.id in basis.filing.transfers and t.pathway != Pathway.SECURITY_ASSESSMENT
                if national and filed:
                    found.append(_change(rule, basis.filing.id, _Hit(t.id, {}, precise)))
    return found


Found = Iterator[_Hit]


def _detect(
    rule: ChangeRule, decision: Decision, request: Request | None, basis: Basis, catalog: Catalog
) -> Found:
    if rule.change == "threshold_crossed":
        return _crossed(decision, basis)
    if rule.change == "facts_changed":
        return _facts_changed(request, basis)
    return _edition_changed(decision, basis, set(catalog.lists))


def _change(rule: ChangeRule, filing_id: str, hit: _Hit) -> Change:
    text: dict[str, str] = {
        lang: rule.text.get(lang).format(
            transfer=hit.transfer, **{k: v.get(lang) for k, v in hit.values.items()}
        )
        for lang in LANGS
    }
    return Change(rule.task, hit.rule or rule.rule, text, filing_id)


def _crossed(decision: Decision, basis: Basis) -> Found:
    for t in decision.transfers:
        if t.id in basis.filing.transfers and t.pathway == Pathway.SECURITY_ASSESSMENT:
            # The decision's own threshold rule (e.g. CBDF-7-3) is the most precise citation.
            own = next((r.rule for r in t.reasons if r.pathway == t.pathway), None)
            yield _Hit(t.id, {}, own)


def _facts_changed(request: Request | None, basis: Basis) -> Found:
    if request is None or basis.request is None:
        return
    before = {t.id: t for t in basis.request.transfers}
    for t in request.transfers:
        old = before.get(t.id)
        if old is None or t.id not in basis.filing.transfers:
            continue
        what = [name for attr, name in _COMPARED.items() if getattr(old, attr) != getattr(t, attr)]
        if (
            old.retention_months
            and t.retention_months
            and t.retention_months > old.retention_months
        ):
            what.append(_LONGER)
        if what:
            listed = Text(zh="、".join(w.zh for w in what), en=", ".join(w.en for w in what))
            yield _Hit(t.id, {"what": listed})


def _edition_changed(decision: Decision, basis: Basis, lists: set[str]) -> Found:
    before = {t.id: t.regime for t in basis.decision.transfers}
    for t in decision.transfers:
        old = before.get(t.id)
        covered = t.id in basis.filing.transfers
        if covered and old in lists and t.regime in lists and old != t.regime:
            yield _Hit(
                t.id, {"regime": Text(zh=t.regime, en=t.regime), "old": Text(zh=old, en=old)}
            )
