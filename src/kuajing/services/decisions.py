"""Decisions made for a signed-in user: assessed, then logged with the request and the
catalogue's version, so that each can be shown and reproduced later."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kuajing.accounts.models import DecisionRecord, Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang
from kuajing.engine import Decision, Request, assess


def assess_and_log(
    accounts: Accounts,
    who: Principal,
    request: Request,
    catalog: Catalog,
    lang: Lang = "en",
    explain: bool = False,
) -> tuple[Decision, DecisionRecord]:
    decision = assess(request, catalog, lang=lang, explain=explain)
    record = accounts.log_decision(
        who,
        request.model_dump_json(),
        decision.model_dump_json(),
        catalog.version,
        catalog.digest,
    )
    return decision, record


async def assess_and_log_async(
    accounts: Accounts,
    who: Principal,
    request: Request,
    catalog: Catalog,
    lang: Lang = "en",
    explain: bool = False,
) -> DecisionRecord:
    """`assess_and_log` on an event loop: assessed there, logged without a thread waiting for
    the commit. Its `decision` is the decision's JSON, to answer as it is."""
    decision = assess(request, catalog, lang=lang, explain=explain)
    return await accounts.log_decision_async(
        who, request.model_dump_json(), decision.model_dump_json(), catalog.version, catalog.digest
    )


@dataclass(frozen=True)
class Difference:
    path: str
    a: str
    b: str


@dataclass(frozen=True)
class Comparison:
    """Two logged decisions side by side: what differs in the requests, and per transfer id
    the pathway and status each decision gave."""

    a: DecisionRecord
    b: DecisionRecord
    request: list[Difference]
    transfers: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]]
    same_catalog: bool


def compare(accounts: Accounts, who: Principal, a_id: str, b_id: str) -> Comparison:
    """Both must be the organisation's decisions (else `NotFound`)."""
    a, b = accounts.decision(who, a_id), accounts.decision(who, b_id)
    flat_a, flat_b = _flat(json.loads(a.request)), _flat(json.loads(b.request))
    changed = [
        Difference(p, flat_a.get(p, "—"), flat_b.get(p, "—"))
        for p in sorted(flat_a.keys() | flat_b.keys())
        if flat_a.get(p) != flat_b.get(p)
    ]
    by_a = {t["id"]: t for t in json.loads(a.decision)["transfers"]}
    by_b = {t["id"]: t for t in json.loads(b.decision)["transfers"]}
    ids = [*by_a, *(i for i in by_b if i not in by_a)]
    return Comparison(
        a=a,
        b=b,
        request=changed,
        transfers=[(i, by_a.get(i), by_b.get(i)) for i in ids],
        same_catalog=a.catalog_digest == b.catalog_digest,
    )


def _flat(value: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for key, inner in value.items():
            out.update(_flat(inner, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        out = {}
        for i, inner in enumerate(value):
            out.update(_flat(inner, f"{prefix}[{i}]"))
        return out
    return {prefix: json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value}


def logged_request(accounts: Accounts, who: Principal, decision_id: str) -> Request:
    """The request of one of the organisation's logged decisions."""
    return Request.model_validate_json(
        accounts.decision(who, decision_id).request, context={"logged": True}
    )


def in_language(record: DecisionRecord, catalog: Catalog, lang: Lang) -> dict[str, Any]:
    """The logged decision with its reasons in `lang`. The log keeps the decision in the
    language it was made in; under the same rules (same digest) the engine, a pure function,
    gives the same decision in the other language. Under other rules, the logged one."""
    logged: dict[str, Any] = json.loads(record.decision)
    return shown_in(logged, record.request, record.catalog_digest, catalog, lang)


def shown_in(
    logged: dict[str, Any], request: str, digest: str | None, catalog: Catalog, lang: Lang
) -> dict[str, Any]:
    """`in_language` of a logged decision read elsewhere (a filing's, beside a submission):
    the decision as logged, its request as JSON, the digest of the rules it was made under."""
    if digest != catalog.digest:
        return logged
    asked = Request.model_validate_json(request, context={"logged": True})
    again = assess(asked, catalog, lang=lang)
    shown: dict[str, Any] = again.model_dump(mode="json")
    same = (shown["pathway"], shown["status"]) == (logged["pathway"], logged["status"])
    return shown if same else logged
