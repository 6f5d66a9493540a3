"""The sample organisations `make run` loads, so that a fresh installation has something to
show: a Beijing pharmaceutical company with a recorded trial batch and a logged decision, a
Shanghai reinsurer that must not see any of it, and the Beijing FTZ's data service centre (a zone
organisation) whose reviewer sees what the Beijing company submits. Loading twice changes
nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kuajing.accounts.models import OrgKind, Role
from kuajing.accounts.store import Accounts
from kuajing.catalog import Catalog
from kuajing.errors import KuajingError, NotFound
from kuajing.lang import Lang
from kuajing.ledger.ledger import Ledger
from kuajing.services.assess import parse_request, read_file
from kuajing.services.decisions import assess_and_log
from kuajing.services.recording import record_file

# A password everyone can read: the sample is for a demonstration database only.
PASSWORD = "kuajing-demo-only"
PHARMA = "Example Pharma (Beijing) Co., Ltd."


@dataclass(frozen=True)
class SampleUser:
    organisation: str
    email: str
    role: Role
    lang: Lang


USERS = [
    SampleUser("example-pharma", "admin@pharma.example", "admin", "en"),
    SampleUser("example-pharma", "analyst@pharma.example", "member", "zh"),
    SampleUser("example-re", "admin@reinsurance.example", "admin", "en"),
    SampleUser("beijing-centre", "admin@bj-centre.example", "admin", "zh"),
    SampleUser("beijing-centre", "reviewer@bj-centre.example", "reviewer", "zh"),
]


def load_sample(accounts: Accounts, ledger: Ledger, catalog: Catalog, examples: Path) -> list[str]:
    """Load the sample; returns what was added (empty when everything was there already)."""
    csv, request = examples / "trial-batch.csv", examples / "beijing-pharma.yaml"
    for needed in (csv, request):
        if not needed.is_file():
            raise KuajingError(f"{needed}: the sample needs the repository's examples/ folder")
    added = _organisations(accounts) + _users(accounts)
    recorded = record_file(
        ledger,
        catalog,
        who=None,
        processor=PHARMA,
        date=dt.date(2026, 2, 10),
        path=csv,
        scenario="临床试验",
        recipient="Sponsor GmbH",
    )
    if recorded.new:
        added.append(f"ledger batch {recorded.batch.id} ({recorded.batch.persons} persons)")
    analyst = accounts.authenticate("analyst@pharma.example", PASSWORD)
    if analyst is not None and not accounts.decisions(analyst, 1):
        _, record = assess_and_log(
            accounts, analyst, parse_request(read_file(request), str(request)), catalog, "zh"
        )
        added.append(f"decision {record.id}")
    return added


def _organisations(accounts: Accounts) -> list[str]:
    wanted: list[tuple[str, str, str, str | None, OrgKind]] = [
        ("example-pharma", PHARMA, "beijing", "pharmaceuticals", "enterprise"),
        (
            "example-re",
            "Example Reinsurance (Shanghai) Co., Ltd.",
            "shanghai",
            "reinsurance",
            "enterprise",
        ),
        ("beijing-centre", "北京自贸区数据跨境服务中心（示例）", "beijing", None, "zone"),
    ]
    added = []
    for slug, name, zone, sector, kind in wanted:
        try:
            accounts.organisation(slug)
        except NotFound:
            accounts.create_organisation(slug, name, zone=zone, sector=sector, kind=kind)
            added.append(f"organisation {slug}")
    return added


def _users(accounts: Accounts) -> list[str]:
    added = []
    for u in USERS:
        if accounts.authenticate(u.email, PASSWORD) is None:
            accounts.create_user(u.organisation, u.email, PASSWORD, role=u.role, lang=u.lang)
            added.append(f"user {u.email} ({u.role})")
    return added
