"""Consistency inspections through the service, on SQLite and PostgreSQL: the Beijing centre
inspects a company's list-use filing; the sample the company provides has a medical-record column
the filing never declared; the centre orders rectification by a working-day date; the company
reports it done and the centre accepts it. Each step is a state of the supervision procedure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.engine import Request
from kuajing.errors import Forbidden, InvalidTransition, NotFound
from kuajing.filing.store import Filings
from kuajing.ledger.ledger import Ledger
from kuajing.scan.models import ScanReport
from kuajing.services import filings as filing_service
from kuajing.services import zone_inspections as inspect
from kuajing.services.decisions import assess_and_log
from kuajing.services.scan import scan_datasets
from tests.zone.cases import TRIAL, undeclared_sample
from tests.zone.test_review import who

D = dt.date
AS_OF = D(2026, 6, 1)


def declared_filing(store: Accounts, company: Principal) -> str:
    """A Beijing clinical trial of 200 persons: ID numbers and phone numbers to Acme GmbH."""
    request = Request.model_validate(
        {**TRIAL, "processor": {"name": company.organisation.name, "zone": "beijing"}}
    )
    _, record = assess_and_log(store, company, request, default_catalog(), "en")
    source = filing_service.from_log(store, company, record.id)
    made = filing_service.create_filings(
        store, Filings(store.engine), company, source, default_catalog(), "en"
    )
    return next(f.id for f in made.filings if f.procedure == "beijing-list-use")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> ScanReport:
    path = undeclared_sample(tmp_path_factory.mktemp("sample") / "sample.csv", AS_OF)
    return scan_datasets([str(path)], as_of=AS_OF)


def test_an_undeclared_sensitive_column_leads_to_rectification(
    db_url: str, tmp_path: Path, sample: ScanReport
) -> None:
    company = who(db_url, "pharma", "m@pharma.example", "beijing")
    centre = who(db_url, "bj-centre", "r@bj.example", "beijing", "reviewer", "zone")
    cat = default_catalog()
    with Accounts.open(db_url) as store, Ledger.open(db_url, tmp_path / "ledger.key") as ledger:
        filing_id = declared_filing(store, company)
        opened = inspect.open_inspection(store, centre, filing_id, D(2026, 6, 1), cat, "sampling")
        assert opened.state == "sample_requested"
        assert opened.declared["fields"] == ["身份证号", "手机号"]

        compared = inspect.provide_sample(
            store, ledger, company, opened.id, sample, D(2026, 6, 3), cat
        )
        assert compared.state == "compared" and compared.report is not None
        kinds = [(f["kind"], f["subject"]) for f in compared.report["findings"]]
        # The filing declared no sensitive persons: the medical records are both an undeclared
        # sensitive column and sensitive persons beyond the filed scale (0).
        assert kinds == [
            ("undeclared_sensitive_field", "病历诊断"),
            ("sensitive_volume_beyond_scale", "sensitive"),
        ]

        with pytest.raises(InvalidTransition, match="reason"):
            inspect.act(
                store,
                centre,
                opened.id,
                "order_rectification",
                D(2026, 6, 4),
                cat,
                "",
                working_days=10,
            )
        ordered = inspect.act(
            store, centre, opened.id, "order_rectification", D(2026, 6, 4), cat,
            "declare the medical-record column or stop exporting it", working_days=10,
        )  # fmt: skip
        # 10 working days from Thu 4 June 2026: the Dragon Boat Festival (19 June) is after.
        assert ordered.state == "rectifying" and ordered.rectify_by == D(2026, 6, 18)

        done = inspect.act(
            store, company, opened.id, "report_rectified", D(2026, 6, 15), cat, "column removed"
        )
        closed = inspect.act(store, centre, opened.id, "accept_rectification", D(2026, 6, 16), cat)
        assert (
            closed.state == "rectified" and closed.closed and done.state == "rectification_reported"
        )
        assert [e.action for e in closed.history] == [
            "open",
            "provide_sample",
            "order_rectification",
            "report_rectified",
            "accept_rectification",
        ]
        told = [n.text["en"] for n in inspect.ZoneStore(store.engine).notifications(company)]
        assert any("rectify by 2026-06-18" in t for t in told)


def test_only_the_zone_inspects_and_each_side_records_its_own_steps(
    db_url: str, tmp_path: Path, sample: ScanReport
) -> None:
    company = who(db_url, "pharma", "m@pharma.example", "beijing")
    other = who(db_url, "biotech", "m@biotech.example", "beijing")
    centre = who(db_url, "bj-centre", "r@bj.example", "beijing", "reviewer", "zone")
    shanghai = who(db_url, "sh-centre", "r@sh.example", "shanghai", "reviewer", "zone")
    cat = default_catalog()
    with Accounts.open(db_url) as store, Ledger.open(db_url, tmp_path / "ledger.key") as ledger:
        filing_id = declared_filing(store, company)
        with pytest.raises(NotFound):  # not a filing of a company in Shanghai
            inspect.open_inspection(store, shanghai, filing_id, AS_OF, cat)
        with pytest.raises(Forbidden):
            inspect.open_inspection(store, company, filing_id, AS_OF, cat)
        opened = inspect.open_inspection(store, centre, filing_id, AS_OF, cat)
        for outsider in (shanghai, other):
            with pytest.raises(NotFound):
                inspect.provide_sample(store, ledger, outsider, opened.id, sample, AS_OF, cat)
        with pytest.raises(InvalidTransition, match="company"):
            inspect.provide_sample(store, ledger, centre, opened.id, sample, AS_OF, cat)
        compared = inspect.use_records(store, ledger, centre, opened.id, AS_OF, cat)
        assert compared.report is not None and not compared.report["consistent"]  # nothing recorded
        assert compared.report["missing"]
        with pytest.raises(InvalidTransition, match="centre"):
            inspect.act(store, company, opened.id, "close_consistent", AS_OF, cat, "fine")
