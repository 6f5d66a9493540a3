"""YAML decision cases: a lawyer-readable file of requests and the answers the law gives.

A case file has an optional `base` request and a list of `cases`; each case's `request` is
deep-merged over the base. `expect` names the overall pathway and status, and optionally per
transfer pathway, status, regime, rules that must be among the reasons, and text that must
appear among the open questions, warnings that must appear, the edition a scope is incorporated
from, each reading's pathway where a fact no source states was tried both ways, and what the
earlier edition said (guidance). `error` instead expects an input error containing that text."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from kuajing.catalog import default_catalog
from kuajing.catalog.base import Pathway
from kuajing.engine import Decision, assess
from kuajing.errors import RequestError
from kuajing.services.assess import parse_request
from kuajing.yamlio import parse


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GuidanceExpect(_Strict):
    edition: str
    pathway: Pathway


class TransferExpect(_Strict):
    pathway: Pathway | None = None
    status: str | None = None
    regime: str | None = None
    rules: list[str] = Field(default_factory=list)
    not_rules: list[str] = Field(default_factory=list)
    obligations: list[str] = Field(default_factory=list)
    not_obligations: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    incorporated_from: str | None = None
    readings: dict[str, Pathway] = Field(default_factory=dict)  # "beijing-2025 by activity"
    guidance: GuidanceExpect | None = None


class Expect(TransferExpect):
    transfers: dict[str, TransferExpect] = Field(default_factory=dict)
    counts: dict[str, int] = Field(default_factory=dict)


class Case(_Strict):
    name: str
    basis: str
    request: dict[str, Any]
    expect: Expect | None = None
    error: str | None = None


class CaseFile(_Strict):
    base: dict[str, Any] = Field(default_factory=dict)
    cases: list[Case]


def load(path: Path) -> CaseFile:
    doc = parse(path.read_text(encoding="utf-8"), lambda m, ln: ValueError(f"{path}:{ln}: {m}"))
    return CaseFile.model_validate(doc.data)


def merged(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def run(case: Case, base: dict[str, Any]) -> list[str]:
    """Mismatches between what the engine answers and what the case expects (empty = pass)."""
    data = merged(base, case.request)
    try:
        request = parse_request(json.dumps(data), name=case.name)
        decision = assess(request, default_catalog())
    except RequestError as exc:
        if case.error and case.error in str(exc):
            return []
        return [f"unexpected input error: {exc}"]
    if case.error:
        return [f"expected an input error containing {case.error!r}, got a decision"]
    assert case.expect is not None, "a case needs 'expect' or 'error'"
    return _compare(decision, case.expect)


def _compare(decision: Decision, expect: Expect) -> list[str]:
    problems = _compare_one("overall", decision, expect)
    for key, value in expect.counts.items():
        actual = getattr(decision.counts, key)
        if actual != value:
            problems.append(f"counts.{key}: expected {value}, got {actual}")
    by_id = {t.id: t for t in decision.transfers}
    for tid, texp in expect.transfers.items():
        if tid not in by_id:
            problems.append(f"no transfer {tid!r} in the decision")
        else:
            problems += _compare_one(tid, by_id[tid], texp)
    return problems


def _compare_one(label: str, got: Any, exp: TransferExpect) -> list[str]:
    problems = []
    for attr in ("pathway", "status", "regime", "incorporated_from"):
        want = getattr(exp, attr)
        if want is not None and getattr(got, attr, None) != want:
            problems.append(f"{label}.{attr}: expected {want}, got {getattr(got, attr, None)}")
    transfers = got.transfers if isinstance(got, Decision) else [got]
    rules = {r.rule for t in transfers for r in t.reasons}
    obligations = {o.rule for t in transfers for o in t.obligations}
    missing = " | ".join(m for t in transfers for m in t.missing)
    warnings = " | ".join(w for t in transfers for w in t.warnings)
    problems += [f"{label}: rule {r} not among the reasons" for r in exp.rules if r not in rules]
    problems += [f"{label}: rule {r} should not apply" for r in exp.not_rules if r in rules]
    problems += [
        f"{label}: obligation {o} missing" for o in exp.obligations if o not in obligations
    ]
    problems += [
        f"{label}: obligation {o} should not apply" for o in exp.not_obligations if o in obligations
    ]
    problems += [f"{label}: open questions lack {m!r}" for m in exp.missing if m not in missing]
    problems += [f"{label}: warnings lack {w!r}" for w in exp.warnings if w not in warnings]
    return problems + _readings(label, transfers, exp)


def _readings(label: str, transfers: list[Any], exp: TransferExpect) -> list[str]:
    problems = []
    got = {r.reading: r.pathway for t in transfers for r in t.readings}
    if exp.readings and got != exp.readings:
        problems.append(f"{label}.readings: expected {exp.readings}, got {got}")
    if exp.guidance is not None:
        found = [t.guidance for t in transfers if t.guidance is not None]
        seen = [(g.edition, g.pathway) for g in found]
        if (exp.guidance.edition, exp.guidance.pathway) not in seen:
            problems.append(f"{label}.guidance: expected {exp.guidance}, got {seen}")
    return problems
