"""A zone's statistics on a small known history, on SQLite and PostgreSQL. In September 2026 two
Beijing companies apply to use the list: the pharmaceutical one (sector given) is approved the
next working day; the other (no sector) is rejected after ten working days, past the centre's
five. The first then submits its filing, which is still open, and overdue, at the end of the
month. Three inspections: one closed as consistent, one whose sample has an undeclared
sensitive column and is terminated, one still open."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.errors import Forbidden
from kuajing.ledger.ledger import Ledger
from kuajing.scan.models import ScanReport
from kuajing.services import zone_inspections as inspect
from kuajing.services import zone_review as review
from kuajing.services.scan import scan_datasets
from kuajing.services.zone_stats import Statistics, statistics
from tests.scan.synth import generate
from tests.zone.test_inspections import declared_filing
from tests.zone.test_review import who

D = dt.date
END = D(2026, 9, 30)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> ScanReport:
    data = generate(100, 80, "plain", as_of=D(2026, 6, 1))
    path: Path = tmp_path_factory.mktemp("sample") / "sample.csv"
    data.frame.select("身份证号", "诊断").rename({"诊断": "病历诊断"}).write_csv(path)
    return scan_datasets([str(path)], as_of=D(2026, 6, 1))


def people(db_url: str) -> dict[str, Principal]:
    with Accounts.open(db_url) as store:
        store.create_organisation(
            "pharma", "Pharma Co., Ltd.", zone="beijing", sector="pharmaceuticals"
        )
    return {
        "pharma": who(db_url, "pharma", "m@pharma.example", "beijing"),
        "biotech": who(db_url, "biotech", "m@biotech.example", "beijing"),
        "centre": who(db_url, "bj-centre", "r@bj.example", "beijing", "reviewer", "zone"),
        "shanghai": who(db_url, "sh-centre", "r@sh.example", "shanghai", "reviewer", "zone"),
    }


def history(db_url: str, tmp_path: Path, sample: ScanReport) -> dict[str, Principal]:
    p, cat = people(db_url), default_catalog()
    centre = p["centre"]
    with Accounts.open(db_url) as store, Ledger.open(db_url, tmp_path / "ledger.key") as ledger:
        mine, theirs = declared_filing(store, p["pharma"]), declared_filing(store, p["biotech"])
        fast = review.submit(store, p["pharma"], mine, D(2026, 9, 1), cat)
        review.act(store, centre, fast.id, "approve", D(2026, 9, 2), cat)
        slow = review.submit(store, p["biotech"], theirs, D(2026, 9, 1), cat)
        review.act(store, centre, slow.id, "reject", D(2026, 9, 15), cat, "incomplete")
        review.submit(store, p["pharma"], mine, D(2026, 9, 3), cat)  # the filing step: open

        ok = inspect.open_inspection(store, centre, mine, D(2026, 6, 1), cat)
        inspect.use_records(store, ledger, centre, ok.id, D(2026, 6, 2), cat)
        inspect.act(store, centre, ok.id, "close_consistent", D(2026, 6, 3), cat)
        bad = inspect.open_inspection(store, centre, theirs, D(2026, 6, 1), cat)
        inspect.provide_sample(store, ledger, p["biotech"], bad.id, sample, D(2026, 6, 2), cat)
        inspect.act(store, centre, bad.id, "terminate", D(2026, 6, 3), cat, "serious")
        inspect.open_inspection(store, centre, mine, D(2026, 7, 1), cat)
    return p


def figures(db_url: str, principal: Principal, year: int = 2026) -> Statistics:
    with Accounts.open(db_url) as store:
        return statistics(store, principal, default_catalog(), year, END)


def test_submissions_processing_times_and_inspections(
    db_url: str, tmp_path: Path, sample: ScanReport
) -> None:
    p = history(db_url, tmp_path, sample)
    s = figures(db_url, p["centre"])
    assert (s.zone, s.year, s.submissions) == ("beijing", 2026, 3)
    assert s.by_sector == {"pharmaceuticals": 2, "unspecified": 1}
    assert s.by_scenario == {"临床试验": 3}
    assert s.by_kind == {"application": 2, "filing": 1}
    assert s.by_state == {"approved": 1, "rejected": 1, "submitted": 1}

    t = s.processing
    # 1 Sep 2026 (Tue) + 5 working days = 8 Sep. Approved on 2 Sep: 1 day, on time; rejected on
    # 15 Sep: 10 working days (no holiday before the Mid-Autumn Festival on the 25th), late.
    assert [(x.state, x.working_days, x.due, x.on_time) for x in t.timings] == [
        ("approved", 1, D(2026, 9, 8), True),
        ("rejected", 10, D(2026, 9, 8), False),
    ]
    assert (t.decided, t.on_time, t.late, t.no_limit) == (2, 1, 1, 0)
    assert (t.median_working_days, t.max_working_days) == (5.5, 10)
    assert (t.open, t.overdue) == (1, 1)  # submitted 3 Sep, due 10 Sep, open on 30 Sep

    i = s.inspections
    assert i.opened == 3
    assert i.outcomes == {"consistent": 1, "rectified": 0, "terminated": 1, "open": 1}
    assert i.by_state == {"consistent": 1, "sample_requested": 1, "terminated": 1}
    assert i.findings["undeclared_sensitive_field"] == 1


def test_another_year_another_zone_and_a_company(
    db_url: str, tmp_path: Path, sample: ScanReport
) -> None:
    p = history(db_url, tmp_path, sample)
    empty = figures(db_url, p["centre"], 2025)
    assert empty.submissions == 0 and empty.inspections.opened == 0
    assert empty.processing.median_working_days is None
    shanghai = figures(db_url, p["shanghai"])
    assert (shanghai.zone, shanghai.submissions, shanghai.by_sector) == ("shanghai", 0, {})
    with pytest.raises(Forbidden):
        figures(db_url, p["pharma"])
