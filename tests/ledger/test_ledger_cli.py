"""End to end: `kuajing ledger …` and `kuajing assess --ledger` as a user runs them."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import create_engine, text

from tests.unit.test_startup import imported_by

EXE = shutil.which("kuajing", path=str(Path(sys.executable).parent)) or "kuajing"
IDS = ["11010519491231002X", "110105194912310029", "440524188001010014"]
PHONES = ["+86 138 0013 8000", "13900139000"]
EMAILS = ["Zhang.San@Example.COM"]


class CLI:
    def __init__(self, db_url: str, key_file: Path) -> None:
        self.env = {
            **os.environ,
            "KUAJING_DATABASE_URL": db_url,
            "KUAJING_KEY_FILE": str(key_file),
            "LANG": "en_US.UTF-8",
        }

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [EXE, *args], env=self.env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )

    def __call__(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        run = subprocess.run(
            [EXE, *args], env=self.env, capture_output=True, text=True, check=False
        )
        if ok:
            assert run.returncode == 0, run.stderr
        return run

    def status(self, processor: str = "Acme", year: str = "2026") -> dict:  # type: ignore[type-arg]
        out = self(
            "ledger",
            "status",
            "--processor",
            processor,
            "--as-of",
            f"{year}-12-31",
            "--format",
            "json",
        )
        return json.loads(out.stdout)  # type: ignore[no-any-return]

    @staticmethod
    def record_args(path: Path, date: str, key: str = "id") -> list[str]:
        return ["ledger", "record", "--processor", "Acme", "--date", date, "--file", str(path),
                "--key", key]  # fmt: skip

    def record(
        self, path: Path, *extra: str, date: str = "2026-03-01", key: str = "id", ok: bool = True
    ) -> subprocess.CompletedProcess[str]:
        args = self.record_args(path, date, key)
        return self(*args, *(extra or ("--not-sensitive",)), ok=ok)


@pytest.fixture
def cli(db_url: str, key_file: Path) -> CLI:
    return CLI(db_url, key_file)


def write_csv(
    path: Path, rows: list[list[str]], header: list[str] | None = None, encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header or ["id", "name"])
        writer.writerows(rows)
    return path


def people(start: int, stop: int) -> list[list[str]]:
    return [[f"P{i:07d}", f"name {i}"] for i in range(start, stop)]


def test_record_status_batches_and_export(cli: CLI, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", people(0, 60))
    second = write_csv(tmp_path / "b.csv", people(40, 100))
    out = cli.record(first).stdout
    assert "60 distinct persons" in out
    cli.record(second, "--sensitive", "--recipient", "Parent AG", date="2026-04-01")
    status = cli.status()
    assert status["national"] == {"personal": 100, "sensitive": 60, "persons": 100}
    assert status["pathway"] == "standard_contract_or_certification"
    assert "kuajing interpretation" in status["rule"]["en"]
    again = cli.record(first)
    assert "already recorded" in again.stdout
    assert cli.status()["national"]["personal"] == 100
    listed = json.loads(cli("ledger", "batches", "--format", "json").stdout)
    assert [b["persons"] for b in listed] == [60, 60]
    exported = list(csv.DictReader(cli("ledger", "export").stdout.splitlines()))
    assert [r["recipient"] for r in exported] == ["", "Parent AG"]
    assert {"id", "digest", "date", "persons", "rows"} <= set(exported[0])


def test_status_text_in_both_languages(cli: CLI, tmp_path: Path) -> None:
    cli.record(write_csv(tmp_path / "a.csv", people(0, 10)))
    en = cli("ledger", "status", "--processor", "Acme", "--as-of", "2026-06-30", "--lang", "en")
    zh = cli("ledger", "status", "--processor", "Acme", "--as-of", "2026-06-30", "--lang", "zh")
    assert "Counting rule" in en.stdout and "CBDF-7-3" in en.stdout
    assert "计数规则" in zh.stdout and "CBDF-7-3" in zh.stdout


READERS = ("openpyxl", "numpy", "polars", "fastapi", "jinja2")


def test_status_and_export_load_no_file_readers_or_web(cli: CLI, tmp_path: Path) -> None:
    """Status is the command run most: it pays for the database and the catalogue, not for the
    spreadsheet writer (0.2 s), the readers a recording needs or the web stack."""
    cli.record(write_csv(tmp_path / "a.csv", people(0, 10)))
    for args in (["status", "--processor", "Acme", "--as-of", "2026-06-30"], ["export"]):
        assert imported_by(["ledger", *args], READERS, env=cli.env) == (0, []), args


def test_exempt_batches_are_kept_but_not_counted(cli: CLI, tmp_path: Path) -> None:
    out = cli.record(
        write_csv(tmp_path / "hr.csv", people(0, 30)), "--not-sensitive", "--exemption", "hr"
    ).stdout
    assert "not counted" in out
    status = cli.status()
    assert status["national"]["personal"] == 0 and status["exempt_batches"] == 1


def test_scenarios_are_checked_against_the_catalogue_and_counted(cli: CLI, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "trial.csv", people(0, 25))
    bad = cli.record(path, "--sensitive", "--scenario", "clinical trails", ok=False)
    assert bad.returncode == 2 and "unknown name" in bad.stderr and "Traceback" not in bad.stderr
    cli.record(path, "--sensitive", "--scenario", "临床试验")
    scopes = {s["scope"]: s["counts"] for s in cli.status()["scopes"]}
    assert scopes == {
        "beijing-2024/pharmaceuticals/clinical_trial": {
            "personal": 25,
            "sensitive": 25,
            "persons": 25,
        }
    }


def test_a_scenario_counts_on_across_a_change_of_edition(cli: CLI, tmp_path: Path) -> None:
    """A batch recorded in February under Beijing's 2024 edition counts, in August, toward the
    same scenario of the 2025 edition, which incorporates it (BJ25-CARRY)."""
    cli.record(
        write_csv(tmp_path / "feb.csv", people(0, 40)), "--sensitive", "--scenario", "临床试验",
        date="2026-02-01",
    )  # fmt: skip
    request = tmp_path / "august.yaml"
    request.write_text(
        "date: '2026-08-01'\nprocessor: {name: Acme, zone: beijing}\n"
        "transfers:\n  - {id: trial, scenario: 临床试验, sensitive: 9970}\n",
        encoding="utf-8",
    )
    alone = json.loads(cli("assess", str(request), "--format", "json").stdout)
    assert alone["pathway"] == "exempt"  # 9,970 < 10,000: off the list
    run = cli("assess", str(request), "--ledger", "Acme", "--format", "json")
    decision = json.loads(run.stdout)
    [trial] = decision["transfers"]
    assert trial["regime"] == "beijing-2025"
    assert trial["incorporated_from"] == "beijing-2024/pharmaceuticals/clinical_trial"
    assert trial["pathway"] == "standard_contract_or_certification"  # 40 + 9,970 ≥ 10,000
    assert decision["counts"]["scenarios"]["beijing-2024/pharmaceuticals/clinical_trial"] == {
        "personal": 40,
        "sensitive": 10010,
    }


def test_assess_takes_prior_from_the_ledger(cli: CLI, tmp_path: Path) -> None:
    cli.record(write_csv(tmp_path / "a.csv", people(0, 50)), "--sensitive", date="2026-02-01")
    request = tmp_path / "request.yaml"
    request.write_text(
        "date: '2026-03-01'\nprocessor: {name: Acme}\n"
        "transfers:\n  - {id: next, sensitive: 9950}\n",
        encoding="utf-8",
    )
    plain = json.loads(cli("assess", str(request), "--format", "json").stdout)
    assert plain["pathway"] == "standard_contract_or_certification"
    filled = json.loads(cli("assess", str(request), "--ledger", "Acme", "--format", "json").stdout)
    assert filled["counts"]["sensitive"] == 10_000  # 50 before + 9,950 planned
    assert filled["pathway"] == "security_assessment"
    early = request.read_text(encoding="utf-8").replace("2026-03-01", "2026-01-31")
    request.write_text(early, encoding="utf-8")
    before = json.loads(cli("assess", str(request), "--ledger", "Acme", "--format", "json").stdout)
    assert before["counts"]["sensitive"] == 9_950  # the batch left later


def test_assess_ledger_refuses_an_unknown_processor(cli: CLI, tmp_path: Path) -> None:
    request = tmp_path / "request.yaml"
    request.write_text("processor: {name: X}\ntransfers: [{id: t, personal: 5}]\n", "utf-8")
    run = cli("assess", str(request), "--ledger", "Nobody", ok=False)
    assert run.returncode == 2 and "no processor named 'Nobody'" in run.stderr


def test_remove_and_verify(cli: CLI, tmp_path: Path, db_url: str) -> None:
    cli.record(write_csv(tmp_path / "a.csv", people(0, 10)))
    out = cli.record(write_csv(tmp_path / "b.csv", people(5, 20)), date="2026-03-02").stdout
    batch = out.split("Recorded batch ")[1].split(":")[0]
    cli("ledger", "remove", batch, "--reason", "wrong file")
    assert cli.status()["national"]["personal"] == 10
    assert "OK" in cli("ledger", "verify").stdout
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit SET detail = REPLACE(detail, 'wrong', 'right')"))
    engine.dispose()
    broken = cli("ledger", "verify", ok=False)
    assert broken.returncode == 1 and "altered" in broken.stdout


BAD_FILES = {
    "unknown key column": ("a.csv", b"name,phone\nx,1\n", "unknown key column 'id'"),
    "empty file": ("a.csv", b"", "empty"),
    "header only": ("a.csv", b"id,name\n", "no rows"),
    "not text": ("a.csv", b"id\n\xff\xfe\xfa\xfb\n", "not UTF-8, GBK or GB18030"),
    "empty key": ("a.csv", b"id,name\nA1,x\n,y\n", "no value in the key column"),
    "unsupported": ("a.pdf", b"%PDF", "unsupported file type"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_record_nothing(cli: CLI, tmp_path: Path, case: str) -> None:
    cli.record(write_csv(tmp_path / "good.csv", people(0, 5)))
    name, content, message = BAD_FILES[case]
    path = tmp_path / "bad" / name
    path.parent.mkdir()
    path.write_bytes(content)
    run = cli.record(path, ok=False)
    assert run.returncode == 2, run.stdout
    assert message in run.stderr and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert cli.status()["batches"] == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_real_world_encodings_are_read(cli: CLI, tmp_path: Path, encoding: str) -> None:
    rows = [[IDS[0], "张三"], [IDS[1], "李四"], ["11010519491231002x", "张三"]]
    path = write_csv(tmp_path / "a.csv", rows, header=["身份证号", "姓名"], encoding=encoding)
    out = cli.record(path, key="身份证号").stdout
    assert "3 rows, 2 distinct persons" in out  # lower-case x is the same ID


def test_other_formats_are_read(cli: CLI, tmp_path: Path) -> None:
    frame = pl.DataFrame({"id": ["A1", "A2", "A3"], "n": ["1", "2", "3"]})
    frame.write_parquet(tmp_path / "a.parquet")
    frame.write_ndjson(tmp_path / "b.jsonl")
    cli.record(tmp_path / "a.parquet")
    out = cli.record(tmp_path / "b.jsonl", date="2026-03-02").stdout
    assert "3 distinct persons" in out
    assert cli.status()["national"]["personal"] == 3


def test_future_dates_are_refused(cli: CLI, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", people(0, 5))
    run = cli.record(path, date="2999-01-01", ok=False)
    assert run.returncode == 2 and "future" in run.stderr


def test_the_scanner_decides_key_and_sensitivity(cli: CLI, tmp_path: Path) -> None:
    ids = ["11010519491231002X", "310104197906133412", "350104198001010014"]
    plain = write_csv(tmp_path / "plain.csv", [[i, "张三"] for i in ids], ["身份证号", "姓名"])
    medical = write_csv(tmp_path / "med.csv", [[i, "高血压"] for i in ids[:2]], ["sfzh", "诊断"])
    base = ["ledger", "record", "--processor", "Acme", "--date", "2026-02-01", "--format", "json"]
    first = json.loads(cli(*base, "--file", str(plain)).stdout)
    assert first["scan"]["key"] == ["身份证号"] and first["scan"]["key_detected"]
    assert first["batch"]["sensitive"] is False
    second = json.loads(cli(*base, "--file", str(medical)).stdout)
    assert second["batch"]["sensitive"] is True
    assert second["scan"]["sensitive_columns"] == ["诊断"]
    assert cli.status()["national"] == {"personal": 3, "sensitive": 2, "persons": 3}
    text = cli(
        "ledger",
        "record",
        "--processor",
        "Other",
        "--date",
        "2026-02-01",
        "--file",
        str(medical),
        "--lang",
        "en",
    ).stdout
    assert "Key chosen by the scanner: sfzh" in text
    assert "sensitive PI in: 诊断" in text
    nobody = write_csv(tmp_path / "n.csv", [["x", "1"]], ["备注", "数量"])
    run = cli(*base, "--file", str(nobody), ok=False)
    assert run.returncode == 2 and "name the key column(s) with --key" in run.stderr


def test_the_database_holds_no_raw_identifier(tmp_path: Path, key_file: Path) -> None:
    db = tmp_path / "ledger.sqlite3"
    cli = CLI(f"sqlite:///{db}", key_file)
    rows = [
        [i, p, e]
        for i, p, e in zip(
            IDS, [*PHONES, "010-12345678"], [*EMAILS, "a@b.cn", "c@d.cn"], strict=True
        )
    ]
    path = write_csv(tmp_path / "a.csv", rows, header=["sfzh", "sjhm", "email"])
    cli.record(path, "--sensitive", key="sfzh")
    other = write_csv(tmp_path / "b.csv", rows[::-1], header=["sfzh", "sjhm", "email"])
    cli.record(other, "--sensitive", key="sjhm,email", date="2026-03-02")
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("ledger.sqlite3*"))
    forms = [
        *IDS,
        *PHONES,
        *EMAILS,
        "+8613800138000",
        "+8613900139000",
        "zhang.san@example.com",
        "13800138000",
        "+861012345678",
        "440524188001010014",
        "P000",
    ]
    for value in forms:
        for encoding in ("utf-8", "utf-16-le"):
            assert value.encode(encoding) not in raw, value


def test_an_unusable_ledger_or_key_location_is_a_one_line_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    cases = {
        "cannot create the ledger's folder": (f"sqlite:///{blocked}/sub/l.db", tmp_path / "k"),
        "ledger key": ("sqlite://", blocked / "k"),
    }
    for message, (url, key) in cases.items():
        run = CLI(url, key)("ledger", "batches", ok=False)
        assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
        assert run.stderr.startswith("kuajing: error:") and message in run.stderr


def test_export_never_writes_a_live_formula(cli: CLI, tmp_path: Path) -> None:
    """Issue 20, finding 5: a recipient named =HYPERLINK(...) or a key column named =cmd|...
    lands in the CSV as text a spreadsheet shows, never as a formula it runs."""
    hostile = write_csv(tmp_path / "a.csv", people(0, 5), header=["=cmd|' /C calc'!A0", "name"])
    cli(*cli.record_args(hostile, "2026-03-01", "=cmd|' /C calc'!A0"), "--not-sensitive",
        "--recipient", '=HYPERLINK("http://evil.example","x")')  # fmt: skip
    [row] = list(csv.DictReader(cli("ledger", "export").stdout.splitlines()))
    assert row["recipient"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["key_columns"] == "'=cmd|' /C calc'!A0"
    assert row["persons"] == "5" and row["rows"] == "5"  # numbers stay numbers
