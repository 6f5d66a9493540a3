"""`kuajing scan` as a user runs it, and scan reports feeding `kuajing assess`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXE = shutil.which("kuajing", path=str(Path(sys.executable).parent)) or "kuajing"
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "trial-batch.csv"


def kuajing(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": "en_US.UTF-8"}
    run = subprocess.run([EXE, *args], env=env, capture_output=True, text=True, check=False)
    if ok:
        assert run.returncode == 0, run.stderr
    return run


def test_json_contract() -> None:
    report = json.loads(kuajing("scan", str(SAMPLE), "--format", "json").stdout)
    assert report["sources"] == [str(SAMPLE)]
    assert isinstance(report["rows"], int) and report["rows"] > 0
    for column in report["columns"]:
        assert {"name", "kind", "sensitive", "confidence", "matched", "checked", "entries"} <= set(
            column
        )
        assert 0 <= column["confidence"] <= 1
        assert column["matched"] <= column["checked"] <= report["rows"]
    kinds = {c["name"]: c["kind"] for c in report["columns"]}
    assert kinds["身份证号"] == "resident_id"
    assert kinds["手机号"] == "mobile_phone"
    assert kinds["不良事件描述"] == "medical"
    assert kinds["受试者编号"] == "none"
    assert report["persons"]["key"] == ["身份证号"]
    ids = SAMPLE.read_text(encoding="utf-8").splitlines()[1:]
    assert report["persons"]["distinct"] == len({line.split(",")[1] for line in ids})


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["resident ID number", "Persons:", "sensitive personal information"]),
        ("zh", ["居民身份证号码", "人数：", "敏感个人信息"]),
    ],
)
def test_text_report_in_both_languages(lang: str, words: list[str]) -> None:
    out = kuajing("scan", str(SAMPLE), "--lang", lang).stdout
    for word in words:
        assert word in out


def test_zone_and_scenario_name_list_entries() -> None:
    report = json.loads(
        kuajing(
            "scan",
            str(SAMPLE),
            "--zone",
            "beijing",
            "--scenario",
            "药物警戒",
            "--date",
            "2026-03-01",
            "--format",
            "json",
        ).stdout
    )
    entries = {c["name"]: c["entries"] for c in report["columns"]}
    assert entries["不良事件描述"]
    run = kuajing("scan", str(SAMPLE), "--zone", "beijing", ok=False)
    assert run.returncode == 2 and "--zone and --scenario together" in run.stderr


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a,b\n1,2\n3,4,5\n")
    run = kuajing("scan", str(bad), ok=False)
    assert run.returncode == 2
    assert run.stderr.strip() == f"kuajing: error: {bad}:3: 3 fields, but the header has 2"
    run = kuajing("scan", str(tmp_path / "none.csv"), ok=False)
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_assess_takes_a_scan_report(tmp_path: Path) -> None:
    report = tmp_path / "trial-scan.json"
    kuajing("scan", str(SAMPLE), "-o", str(report))
    scanned = json.loads(report.read_text(encoding="utf-8"))
    request = tmp_path / "request.yaml"
    head = (
        'date: "2026-03-01"\nprocessor: {name: Example Pharma, zone: beijing, sector: '
        "pharmaceuticals}\ntransfers:\n  - id: trial\n    scenario: 临床试验\n"
    )
    request.write_text(head + "    scan: trial-scan.json\n", encoding="utf-8")
    by_scan = json.loads(kuajing("assess", str(request), "--format", "json").stdout)
    persons = scanned["persons"]
    by_hand = tmp_path / "by-hand.yaml"
    by_hand.write_text(
        head
        + f"    personal: {persons['distinct']}\n    sensitive: {persons['sensitive']}\n"
        + f"    persons: {persons['distinct']}\n"
        + "    fields: ["
        + ", ".join(c["name"] for c in scanned["columns"])
        + "]\n",
        encoding="utf-8",
    )
    expected = json.loads(kuajing("assess", str(by_hand), "--format", "json").stdout)
    assert by_scan["transfers"] == expected["transfers"]
    assert by_scan["counts"] == expected["counts"]
    assert persons["sensitive"] > 0


def test_assess_refuses_counts_beside_a_scan(tmp_path: Path) -> None:
    request = tmp_path / "r.yaml"
    request.write_text(
        "processor: {name: A}\ntransfers:\n  - id: t\n    scan: missing.json\n    personal: 5\n",
        encoding="utf-8",
    )
    run = kuajing("assess", str(request), ok=False)
    assert run.returncode == 2
    assert "r.yaml:5: transfers[0].personal: give either counts or 'scan'" in run.stderr
    request.write_text("processor: {name: A}\ntransfers:\n  - id: t\n    scan: missing.json\n")
    run = kuajing("assess", str(request), ok=False)
    assert run.returncode == 2 and "cannot read" in run.stderr
