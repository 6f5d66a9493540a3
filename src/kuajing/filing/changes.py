"""Changes that need a new or supplementary filing, found by comparing a new decision with the
organisation's active filings and the decisions they rest on.

- A transfer now needing a security assessment while a standard contract or certification
  covers it (a threshold crossed): a new assessment (CBDF-7; SCC-4-2 forbids splitting).
- A transfer whose recipient, scenario or fields changed: a supplementary filing (SCC-8) or a
  re-declaration (SAM-14-1).
- A transfer now decided under another edition of its zone's list: update the list-use filing.
Retention periods abroad are not in kuajing's request yet, so their extension is not detected.
"""

from __future__ import annotations

from dataclasses import dataclass

from kuajing.catalog.base import Pathway
from kuajing.engine import Decision, Request
from kuajing.filing.models import Filing

SCC_LIKE = {"scc-filing", "certification"}
ASSESSMENT = "sa-declaration"


@dataclass(frozen=True)
class Change:
    kind: str  # new_assessment, supplementary_filing, redeclaration, list_edition_changed
    rule: str
    text: dict[str, str]
    filing_id: str


@dataclass(frozen=True)
class Basis:
    """An active filing and the decision (and request, when known) it was made from."""

    filing: Filing
    decision: Decision
    request: Request | None


def changes(
    decision: Decision, request: Request | None, active: list[Basis], lists: set[str]
) -> list[Change]:
    """What the new `decision` (on `request`) changes for the `active` filings; `lists` are the
    catalogue's zone list ids (the regimes that have editions)."""
    found: list[Change] = []
    for basis in active:
        found += _crossed(decision, basis)
        found += _facts_changed(request, basis)
        found += _edition_changed(decision, basis, lists)
    return found


def _crossed(decision: Decision, basis: Basis) -> list[Change]:
    if basis.filing.procedure not in SCC_LIKE:
        return []
    covered = set(basis.filing.transfers)
    hits = [
        t
        for t in decision.transfers
        if t.id in covered and t.pathway == Pathway.SECURITY_ASSESSMENT
    ]
    return [
        Change(
            "new_assessment",
            next((r.rule for r in t.reasons if r.pathway == t.pathway), "CBDF-7"),
            {
                "zh": f"传输 {t.id} 现已达到安全评估标准：标准合同或认证不再适用，须申报安全评估"
                "（不得拆分数量规避）。",
                "en": f"Transfer {t.id} now needs a security assessment: the standard contract or"
                " certification no longer suffices; declare an assessment (no splitting).",
            },
            basis.filing.id,
        )
        for t in hits
    ]


def _facts_changed(request: Request | None, basis: Basis) -> list[Change]:
    if (
        request is None
        or basis.request is None
        or basis.filing.procedure not in (SCC_LIKE | {ASSESSMENT})
    ):
        return []
    before = {t.id: t for t in basis.request.transfers}
    out = []
    for t in request.transfers:
        old = before.get(t.id)
        if old is None or t.id not in basis.filing.transfers:
            continue
        what = _differences(old, t)
        if what:
            out.append(_supplement(basis, t.id, what))
    return out


def _differences(old: object, new: object) -> list[str]:
    keys = {"recipient": "recipient", "scenario": "scenario", "fields": "fields"}
    return [
        label
        for attr, label in keys.items()
        if getattr(old, attr, None) != getattr(new, attr, None)
    ]


def _supplement(basis: Basis, transfer: str, what: list[str]) -> Change:
    listed = ", ".join(what)
    if basis.filing.procedure == ASSESSMENT:
        return Change(
            "redeclaration",
            "SAM-14-1",
            {
                "zh": f"传输 {transfer} 的{listed}已变化：有效期内影响出境安全的变化须重新申报。",
                "en": f"Transfer {transfer}: {listed} changed; a change affecting export security"
                " during the validity needs a new declaration.",
            },
            basis.filing.id,
        )
    return Change(
        "supplementary_filing",
        "SCC-8",
        {
            "zh": f"传输 {transfer} 的{listed}已变化：重新开展影响评估，补充或重新订立标准合同，"
            "并办理相应备案。",
            "en": f"Transfer {transfer}: {listed} changed; redo the impact assessment, supplement"
            " or re-sign the contract, and file accordingly.",
        },
        basis.filing.id,
    )


def _edition_changed(decision: Decision, basis: Basis, lists: set[str]) -> list[Change]:
    before = {t.id: t.regime for t in basis.decision.transfers}
    out = []
    for t in decision.transfers:
        old = before.get(t.id)
        editions = old in lists and t.regime in lists
        if t.id in basis.filing.transfers and editions and old != t.regime:
            out.append(
                Change(
                    "list_edition_changed",
                    t.reasons[0].rule if t.reasons else t.regime,
                    {
                        "zh": f"传输 {t.id} 现适用 {t.regime}（原为 {old}）："
                        "核对并更新清单使用备案。",
                        "en": f"Transfer {t.id} now falls under {t.regime} (was {old}): check and"
                        " update the list-use filing.",
                    },
                    basis.filing.id,
                )
            )
    return out
