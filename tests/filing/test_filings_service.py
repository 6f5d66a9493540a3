"""Filings made from logged decisions, per organisation: the filings a decision requires, a
threshold crossing that turns a standard contract into an assessment task, unknown zone
procedures that need review, and the command line."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.engine import Request
from kuajing.errors import NotFound
from kuajing.filing.schema import filing_events, filings, tasks
from kuajing.filing.store import Filings
from kuajing.ledger.ledger import Ledger
from kuajing.services import filings as service
from kuajing.services.decisions import assess_and_log
from kuajing.services.recording import record_file
from tests.tenants import add_user

EXE = shutil.which("kuajing", path=str(Path(sys.executable).parent)) or "kuajing"


def _request(personal: int, date: str = "2026-03-01", zone: str = "beijing") -> Request:
    return Request.model_validate(
        {
            "date": date,
            "processor": {"name": "Pharma", "zone": zone},
            "transfers": [{"id": "t1", "scenario": "临床试验", "personal": personal}],
        }
    )


def _who(db_url: str, org: str, email: str, zone: str) -> Principal:
    add_user(db_url, org, email, "member", zone=zone)
    with Accounts.open(db_url) as store:
        return store.principal_by_email(email)


def _decide(store: Accounts, who: Principal, request: Request) -> service.Source:
    _, record = assess_and_log(store, who, request, default_catalog(), "en")
    return service.from_log(store, who, record.id)


def test_a_threshold_crossing_turns_the_contract_into_an_assessment_task(db_url: str) -> None:
    who = _who(db_url, "pharma", "m@pharma.example", "beijing")
    with Accounts.open(db_url) as store:
        filings, cat = Filings(store.engine), default_catalog()
        first = service.create_filings(
            store, filings, who, _decide(store, who, _request(12_000)), cat, "en"
        )
        assert sorted(f.procedure for f in first.filings) == ["beijing-list-use", "scc-filing"]
        again = service.create_filings(
            store, filings, who, _decide(store, who, _request(12_000)), cat, "en"
        )
        assert again.tasks == []  # nothing changed
        crossed = service.create_filings(
            store, filings, who, _decide(store, who, _request(1_000_000)), cat, "en"
        )
        assert "sa-declaration" in {f.procedure for f in crossed.filings}
        tasks = [t for t in crossed.tasks if t.kind == "new_assessment"]
        scc = next(f for f in first.filings if f.procedure == "scc-filing")
        assert [t.filing_id for t in tasks] == [scc.id]
        assert "security assessment" in tasks[0].text["en"] and "安全评估" in tasks[0].text["zh"]


def test_another_organisation_cannot_see_or_advance_a_filing(db_url: str) -> None:
    who = _who(db_url, "pharma", "m@pharma.example", "beijing")
    other = _who(db_url, "bank", "m@bank.example", "shanghai")
    with Accounts.open(db_url) as store:
        filings = Filings(store.engine)
        made = service.create_filings(
            store, filings, who, _decide(store, who, _request(12_000)), default_catalog(), "en"
        )
        target = made.filings[0].id
        with pytest.raises(NotFound):
            filings.get(other, target)
        with pytest.raises(NotFound):
            service.record_event(
                filings, other, target, "withdraw", dt.date(2026, 3, 2), default_catalog()
            )
        assert filings.all(other) == []


def test_a_zone_without_an_encoded_procedure_gets_a_filing_that_needs_review(db_url: str) -> None:
    who = _who(db_url, "zj", "m@zj.example", "zhejiang")
    request = Request.model_validate(
        {
            "date": "2026-03-01",
            "processor": {"name": "ZJ", "zone": "zhejiang"},
            "transfers": [{"id": "t1", "scenario": "跨境电商平台", "personal": 5_000}],
        }
    )
    with Accounts.open(db_url) as store:
        filings = Filings(store.engine)
        source = _decide(store, who, request)
        made = service.create_filings(store, filings, who, source, default_catalog(), "en")
    assert [t.regime for t in source.decision.transfers] == ["zhejiang-2024"]
    assert [(f.procedure, f.state) for f in made.filings] == [("zhejiang-list-use", None)]
    shown = service.view(made.filings[0], default_catalog(), dt.date(2026, 3, 2), "en")
    assert shown.procedure.note is not None and shown.deadlines == [] and shown.allowed == []


def test_a_changed_recipient_raises_a_supplementary_filing_task(db_url: str) -> None:
    who = _who(db_url, "pharma", "m@pharma.example", "beijing")
    first, changed = _request(12_000), _request(12_000)
    changed.transfers[0].recipient.name = "Another Sponsor GmbH"
    with Accounts.open(db_url) as store:
        filings, cat = Filings(store.engine), default_catalog()
        made = service.create_filings(store, filings, who, _decide(store, who, first), cat, "en")
        after = service.create_filings(store, filings, who, _decide(store, who, changed), cat, "zh")
    by_procedure = {f.id: f.procedure for f in made.filings}
    raised = {(by_procedure[t.filing_id or ""], t.kind, t.rule) for t in after.tasks}
    assert raised == {
        ("scc-filing", "supplementary_filing", "SCC-8"),
        ("beijing-list-use", "update_list_filing", "BJ24-PROC-1"),
    }
    scc = next(t for t in after.tasks if t.kind == "supplementary_filing")
    assert "境外接收方" in scc.text["zh"] and "recipient" in scc.text["en"]


def _cli(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": "en_US.UTF-8", "KUAJING_DATABASE_URL": db}
    env["KUAJING_USER"] = "m@pharma.example"
    return subprocess.run([EXE, *args], env=env, capture_output=True, text=True, check=False)


def test_the_command_line_walks_a_filing_to_its_deadline(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'service.db'}"
    who = _who(db, "pharma", "m@pharma.example", "beijing")
    with Accounts.open(db) as store:
        decision_id = _decide(store, who, _request(12_000)).decision_id or ""
    made = _cli(db, "filing", "new", "--decision", decision_id, "--lang", "en")
    assert made.returncode == 0, made.stderr
    scc = next(line.split()[1] for line in made.stdout.splitlines() if "Standard contract" in line)
    refused = _cli(db, "filing", "advance", scc, "submit", "--date", "2026-02-12")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert refused.stderr.count("\n") == 1 and "allowed now" in refused.stderr
    moved = _cli(db, "filing", "advance", scc, "contract_effective", "--date", "2026-02-12")
    assert moved.returncode == 0, moved.stderr
    due = _cli(db, "filing", "due", "--date", "2026-02-20", "--within", "30", "--lang", "en")
    assert "2026-03-04" in due.stdout and "SCC-7-1" in due.stdout
    ics = tmp_path / "due.ics"
    assert _cli(db, "filing", "calendar", "-o", str(ics), "--date", "2026-02-20").returncode == 0
    assert "DTSTART;VALUE=DATE:20260304" in ics.read_text(encoding="utf-8")
    shown = _cli(db, "filing", "show", scc, "--date", "2026-02-20", "--lang", "zh")
    assert "合同生效后10个工作日内备案" in shown.stdout
    env_key = ("--key-file", str(tmp_path / "ledger.key"))
    checked = _cli(db, "filing", "check", *env_key, "--lang", "en")
    assert checked.returncode == 0 and "The ledger raises no new task." in checked.stdout


def test_the_migration_creates_the_filing_tables(db_url: str) -> None:
    with Accounts.open(db_url) as store:
        found = sa.inspect(store.engine)
        for table in (filings, filing_events, tasks):
            assert {c["name"] for c in found.get_columns(table.name)} == set(table.columns.keys())


@pytest.mark.parametrize(
    ("filed", "now", "tasks"),
    [(12, 36, 2), (36, 12, 0), (None, 36, 0)],
    ids=["longer: SCC-8 and the list filing", "shorter: nothing", "not filed: not compared"],
)
def test_a_longer_retention_abroad_needs_a_supplementary_filing(
    tmp_path: Path, filed: int | None, now: int, tasks: int
) -> None:
    db = f"sqlite:///{tmp_path / 'service.db'}"
    who = _who(db, "pharma", "m@pharma.example", "beijing")
    first, later = _request(12_000), _request(12_000)
    first.transfers[0].retention_months = filed
    later.transfers[0].retention_months = now
    with Accounts.open(db) as store:
        filings, cat = Filings(store.engine), default_catalog()
        service.create_filings(store, filings, who, _decide(store, who, first), cat, "en")
        after = service.create_filings(store, filings, who, _decide(store, who, later), cat, "en")
    assert len(after.tasks) == tasks
    for task in after.tasks:
        assert "retention period abroad (longer)" in task.text["en"]
        assert "境外保存期限（延长）" in task.text["zh"]
    assert {t.rule for t in after.tasks} <= {"SCC-8", "BJ24-PROC-1"}


def _batch(tmp_path: Path, name: str, first: int, count: int) -> Path:
    path = tmp_path / name
    rows = "\n".join(f"P{n:06d},2" for n in range(first, first + count))
    path.write_text(f"subject_id,diagnosis_code\n{rows}\n", encoding="utf-8")
    return path


def test_the_ledger_reaching_ten_thousand_sensitive_persons_raises_an_assessment_task(
    db_url: str, tmp_path: Path
) -> None:
    """CBDF Art 7: sensitive PI of 10,000 persons or more (以上) since 1 January needs a security
    assessment, so a contract filed for 5,000 no longer suffices once the ledger counts 10,000."""
    add_user(db_url, "trading", "m@trading.example", "member", processor="Trading")
    with Accounts.open(db_url) as store:
        who = store.principal_by_email("m@trading.example")
    today = dt.date.today()
    request = Request.model_validate(
        {
            "date": today.isoformat(),
            "processor": {"name": "Trading"},
            "transfers": [{"id": "crm", "sensitive": 5_000}],
        }
    )
    cat = default_catalog()
    with Accounts.open(db_url) as store, Ledger.open(db_url, tmp_path / "ledger.key") as ledger:
        filings = Filings(store.engine)
        made = service.create_filings(store, filings, who, _decide(store, who, request), cat, "en")
        assert [f.procedure for f in made.filings] == ["scc-filing"]

        def record(first: int, count: int) -> list[str]:
            path = _batch(tmp_path, f"b{first}.csv", first, count)
            record_file(
                ledger, cat, who=None, processor="Trading", date=today, path=path,
                key=["subject_id"],
                sensitive=True,
            )  # fmt: skip
            return [t.rule for t in service.check_ledger(store, filings, ledger, who, cat)]

        assert service.check_ledger(store, filings, ledger, who, cat) == []  # no batch yet
        assert record(0, 9_999) == []  # 不满 10,000
        assert record(9_999, 1) == ["CBDF-7-4"]  # 10,000: reached
        assert record(10_000, 5) == []  # raised once
        task = next(t for t in filings.tasks(who) if t.kind == "new_assessment")
    assert task.filing_id == made.filings[0].id and "crm" in task.text["en"]
