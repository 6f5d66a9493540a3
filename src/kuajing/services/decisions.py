"""Decisions made for a signed-in user: assessed, then logged with the request and the
catalogue's version, so that each can be shown and reproduced later."""

from __future__ import annotations

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
