"""YAML what-if cases: a request and, per option, what a lawyer expects the zone what-if to show.

A file `tests/cases/whatif*.yaml` has an optional `base` request and `cases`; each case's
`request` is deep-merged over the base, as for decision cases (tests/casefile.py). `expect`
names options by key (`national`, `registered:<zone>`, `adopted:<list>`): each with any of
pathway, status, rank, actual, uncertain, the procedures it needs (exactly, by id) and per
transfer pathway, status and regime. `absent` lists keys that must not be offered, and
`lightest` the key that must rank first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field

from kuajing.catalog import default_catalog
from kuajing.catalog.base import Pathway
from kuajing.services.assess import parse_request
from kuajing.services.whatif import whatif_request
from kuajing.whatif.models import Option
from kuajing.yamlio import parse
from tests.casefile import merged


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TransferExpect(_Strict):
    pathway: Pathway | None = None
    status: str | None = None
    regime: str | None = None


class OptionExpect(TransferExpect):
    rank: int | None = None
    actual: bool | None = None
    uncertain: bool | None = None
    procedures: list[str] | None = None
    transfers: dict[str, TransferExpect] = Field(default_factory=dict)


class Expect(_Strict):
    options: dict[str, OptionExpect] = Field(default_factory=dict)
    absent: list[str] = Field(default_factory=list)
    lightest: str | None = None


class Case(_Strict):
    name: str
    basis: str
    request: dict[str, Any]
    expect: Expect


class CaseFile(_Strict):
    base: dict[str, Any] = Field(default_factory=dict)
    cases: list[Case]


def run(case: Case, base: dict[str, Any]) -> list[str]:
    request = parse_request(json.dumps(merged(base, case.request)), name=case.name)
    found = {o.key: o for o in whatif_request(request, default_catalog()).options}
    problems = [f"option {k} should not be offered" for k in case.expect.absent if k in found]
    for key, want in case.expect.options.items():
        if key not in found:
            problems.append(f"no option {key} (offered: {', '.join(found)})")
        else:
            problems += _compare(key, found[key], want)
    lightest = case.expect.lightest
    if lightest is not None and (lightest not in found or found[lightest].rank != 1):
        firsts = [k for k, o in found.items() if o.rank == 1]
        problems.append(f"lightest: expected {lightest}, got {firsts}")
    return problems


def _compare(key: str, got: Option, want: OptionExpect) -> list[str]:
    problems = []
    for attr in ("pathway", "status", "rank", "actual", "uncertain"):
        value = getattr(want, attr)
        if value is not None and getattr(got, attr) != value:
            problems.append(f"{key}.{attr}: expected {value}, got {getattr(got, attr)}")
    ids = [p.id for p in got.procedures]
    if want.procedures is not None and sorted(ids) != sorted(want.procedures):
        problems.append(f"{key}.procedures: expected {want.procedures}, got {ids}")
    by_id = {t.id: t for t in got.transfers}
    for tid, texp in want.transfers.items():
        t = by_id.get(tid)
        for attr in ("pathway", "status", "regime"):
            value = getattr(texp, attr)
            if value is not None and getattr(t, attr, None) != value:
                problems.append(
                    f"{key}.{tid}.{attr}: expected {value}, got {getattr(t, attr, None)}"
                )
    return problems


class WhatIfFile(pytest.File):
    def collect(self) -> Any:
        text = self.path.read_text(encoding="utf-8")
        data = CaseFile.model_validate(parse(text, lambda m, ln: ValueError(f"{ln}: {m}")).data)
        for case in data.cases:
            yield WhatIfItem.from_parent(self, name=case.name, case=case, base=data.base)


class WhatIfItem(pytest.Item):
    def __init__(self, *, case: Case, base: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case, self.base = case, base

    def runtest(self) -> None:
        problems = run(self.case, self.base)
        if problems:
            raise WhatIfFailed(problems)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, WhatIfFailed):
            head = [f"case: {self.case.name}", f"basis: {self.case.basis}"]
            return "\n".join([*head, *excinfo.value.args[0]])
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"what-if case: {self.name}"


class WhatIfFailed(Exception):
    pass
