"""The case of the submission-page tests (pages and browser): a Beijing pharmaceutical company's
clinical-trial transfer of 30,000 persons' sensitive PI (no other PI, no distinct total), with
earlier exports in the window, made into filings from its logged decision."""

from __future__ import annotations

from typing import Any

from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.engine import Request
from kuajing.filing.store import Filings
from kuajing.services import filings as filing_service
from kuajing.services.decisions import assess_and_log
from tests import tenants
from tests.web.support import add_user

COMPANY, COMPANY_ZH = "ops@pharma.example", "zh@pharma.example"
REVIEWER, REVIEWER_ZH = "r@bj.example", "zh@bj.example"
SENSITIVE_TRIAL: dict[str, Any] = {
    "date": "2026-05-04",
    "processor": {"name": "Pharma", "zone": "beijing"},
    "prior": {"personal": 5_000, "sensitive": 2_000},
    "transfers": [
        {
            "id": "trial",
            "scenario": "临床试验",
            "sensitive": 30_000,
            "fields": ["身份证号", "病历"],
            "recipient": {"name": "Acme GmbH", "country": "DE"},
        }
    ],
}


def people(db: str) -> None:
    for email, lang in ((COMPANY, "en"), (COMPANY_ZH, "zh")):
        add_user(db, "pharma", email, "member", lang=lang)  # type: ignore[arg-type]
    for email, lang in ((REVIEWER, "en"), (REVIEWER_ZH, "zh")):
        tenants.add_user(
            db,
            "bj-centre",
            email,
            "reviewer",
            zone="beijing",
            kind="zone",
            lang=lang,  # type: ignore[arg-type]
        )


def decision(db: str) -> str:
    """The company's logged decision on the case: its id."""
    with Accounts.open(db) as store:
        who = store.principal_by_email(COMPANY)
        request = Request.model_validate(SENSITIVE_TRIAL)
        _, record = assess_and_log(store, who, request, default_catalog())
    return record.id


def filings(db: str) -> dict[str, str]:
    """The decision's filings, made as its page makes them: {procedure: filing id}."""
    catalog, decision_id = default_catalog(), decision(db)
    with Accounts.open(db) as store:
        who = store.principal_by_email(COMPANY)
        source = filing_service.from_log(store, who, decision_id)
        made = filing_service.create_filings(
            store, Filings(store.engine), who, source, catalog, "en"
        )
    return {f.procedure: f.id for f in made.filings}
