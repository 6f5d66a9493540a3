"""One company and one zone service centre with something on every main page: a decision that
needs a security assessment (with facts still missing), a standard-contract decision with its
filings, a list-use submission in the centre's queue, a recorded batch, and a register of three
flows, each assessed. The layout tests and
scripts/screenshots.py both start from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import Catalog, default_catalog
from kuajing.engine import Request
from kuajing.filing.store import Filings
from kuajing.lang import Lang
from kuajing.ledger.ledger import Ledger
from kuajing.register.models import Flow
from kuajing.register.store import FlowStore
from kuajing.services import filings as filing_service
from kuajing.services import register, tenant_ledger
from kuajing.services import zone_review as review
from kuajing.services.decisions import assess_and_log
from tests.tenants import PASSWORD
from tests.web.support import SAMPLE
from tests.zone.cases import TRIAL

COMPANY, REVIEWER = "admin@pharma.example", "reviewer@bj.example"

# 1.2 million persons' personal information under a debated exemption: the security assessment,
# and the decision says what a person must still judge.
LARGE: dict[str, Any] = {
    "date": "2026-05-04",
    "processor": {"name": "Pharma", "zone": "beijing"},
    "transfers": [
        {
            "id": "t1",
            "scenario": "临床试验",
            "personal": 1_200_000,
            "exemption": "statutory_duty",
            "recipient": {"name": "Acme Pharmaceuticals International GmbH", "country": "DE"},
        }
    ],
}


# The company's register: a clinical trial's monthly data to its sponsor, pharmacovigilance cases
# to the group's safety database, and staff records under the HR exemption.
FLOWS: list[dict[str, Any]] = [
    {"key": "sponsor-trial", "name": "Clinical trial data to the sponsor", "scenario": "临床试验",
     "source_system": "EDC", "sensitive": 2_500, "frequency": "monthly", "owner": "Clinical ops",
     "recipient": {"name": "Acme Pharmaceuticals International GmbH", "country": "DE"}},
    {"key": "pv-cases", "name": "Adverse event reports to the safety database",
     "scenario": "药物警戒", "source_system": "Argus", "sensitive": 700, "frequency": "monthly",
     "owner": "Pharmacovigilance", "recipient": {"name": "Global Safety Ltd", "country": "GB"}},
    {"key": "hr-records", "name": "Staff records to the parent company", "exemption": "hr",
     "personal": 1_200, "frequency": "yearly", "owner": "HR",
     "recipient": {"name": "Parent AG", "country": "DE"}},
]  # fmt: skip


@dataclass(frozen=True)
class Showcase:
    assessment: str  # a decision: security assessment, needs review
    contract: str  # a decision: standard contract, with filings
    filing: str  # its list-use filing, submitted to the zone
    submission: str


def _people(store: Accounts, lang: Lang) -> None:
    store.create_organisation(
        "pharma",
        "Beijing Pharmaceutical Research and Development Co., Ltd.",
        zone="beijing",
        sector="pharmaceuticals",
    )
    store.create_user("pharma", COMPANY, PASSWORD, role="admin", lang=lang)
    store.create_organisation(
        "bj-centre", "Beijing FTZ Data Service Centre", zone="beijing", kind="zone"
    )
    store.create_user("bj-centre", REVIEWER, PASSWORD, role="reviewer", lang=lang)


def _decide(store: Accounts, data: dict[str, Any]) -> str:
    who = store.principal_by_email(COMPANY)
    _, record = assess_and_log(store, who, Request.model_validate(data), default_catalog())
    return record.id


def seed(db: str, key_file: Path, lang: Lang = "en") -> Showcase:
    """The showcase's people and records in the database at `db` (users see pages in `lang`)."""
    catalog = default_catalog()
    with Accounts.open(db, key_file) as store:
        _people(store, lang)
        assessment, contract = _decide(store, LARGE), _decide(store, TRIAL)
        who = store.principal_by_email(COMPANY)
        source = filing_service.from_log(store, who, contract)
        made = filing_service.create_filings(
            store, Filings(store.engine), who, source, catalog, lang
        )
        filing = next(f for f in made.filings if f.procedure == "beijing-list-use")
        submission = review.submit(store, who, filing.id, dt.date.today(), catalog).id
        _register(store, who, catalog, lang)
    with Ledger.open(db, key_file) as ledger, SAMPLE.open("rb") as sample:
        tenant_ledger.record_upload(
            ledger, catalog, who, sample, SAMPLE.name, date=dt.date.today(), key=["身份证号"]
        )
    return Showcase(assessment, contract, filing.id, submission)


def _register(store: Accounts, who: Principal, catalog: Catalog, lang: Lang) -> None:
    flows = FlowStore(store.engine)
    for data in FLOWS:
        register.add(flows, who, Flow.model_validate(data))
        register.assess(store, flows, who, data["key"], catalog, dt.date.today(), lang)
