"""End to end: the installed `kuajing` console script, as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "beijing-pharma.yaml"


def kuajing(*args: str, stdin: str | None = None, env: dict[str, str] | None = None):
    exe = shutil.which("kuajing", path=str(Path(sys.executable).parent)) or "kuajing"
    return subprocess.run(
        [exe, *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_json_output_follows_the_contract() -> None:
    run = kuajing("assess", str(EXAMPLE), "--format", "json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert set(out) >= {"pathway", "status", "date", "rules_version", "counts", "transfers"}
    assert out["pathway"] == "standard_contract_or_certification"
    assert out["status"] == "determined"
    assert "trace" not in out
    trial = next(t for t in out["transfers"] if t["id"] == "trial-data")
    assert trial["regime"] == "beijing-2024"
    assert set(trial) >= {"id", "pathway", "status", "regime", "reasons", "obligations", "missing"}
    for reason in trial["reasons"]:
        assert set(reason["source"]) >= {"title", "article", "url", "confidence"}
    assert out["counts"]["scenarios"]["beijing-2024/pharmaceuticals/clinical_trial"] == {
        "personal": 0,
        "sensitive": 30000,
    }


def test_text_report_in_both_languages() -> None:
    en = kuajing("assess", str(EXAMPLE), "--lang", "en")
    zh = kuajing("assess", str(EXAMPLE), "--lang", "zh")
    assert en.returncode == zh.returncode == 0
    assert "Overall pathway: standard contract filing or certification" in en.stdout
    assert "总体结论: 个人信息出境标准合同备案或个人信息保护认证" in zh.stdout
    assert "第6条" in zh.stdout  # the article of the off-list exemption is cited


def test_language_follows_the_locale() -> None:
    run = kuajing(
        "assess", str(EXAMPLE), env={"LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}
    )
    assert "总体结论" in run.stdout
    run = kuajing("assess", str(EXAMPLE), env={"LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"})
    assert "Overall pathway" in run.stdout


def test_stdin_and_explain() -> None:
    run = kuajing("assess", "-", "--explain", "--format", "json", stdin=EXAMPLE.read_text())
    assert run.returncode == 0
    trace = json.loads(run.stdout)["trace"]
    assert any("BJ24-PHARMA-PI-SCC-1" in line for line in trace)


BAD = [
    (
        "transfers:\n  - id: a\n    personal: -5\nprocessor: {name: X}\n",
        "transfers[0].personal",
        "3",
    ),
    ("processor: {name: X, zone: atlantis}\ntransfers: [{id: a}]\n", "processor.zone", "1"),
    ("processor: {name: X}\ntransfers:\n  - {id: a, scenario: nowhere}\n", "scenario", "3"),
    ("processor: {name: X}\ntransfers: []\n", "transfers", None),
    ("processor: {name: X}\n", "transfers: is required", None),
    ("date: 2026-13-01\nprocessor: {name: X}\ntransfers: [{id: a}]\n", "date", "1"),
    ("processor: {name: X}\ntransfers: [{id: a}, {id: a}]\n", "duplicate transfer id", None),
    ("processor: {name: X}\ntransfers: [{id: a, persnal: 3}]\n", "transfers[0].persnal", "2"),
    ("processor: {name: X\ntransfers: []\n", "YAML syntax error", None),
    ("processor:\n  name: X\n  name: Y\ntransfers: [{id: a}]\n", "duplicate key", "3"),
]


@pytest.mark.parametrize(("text", "needle", "line"), BAD)
def test_bad_input_is_one_line_exit_2(
    tmp_path: Path, text: str, needle: str, line: str | None
) -> None:
    f = tmp_path / "req.yaml"
    f.write_text(text, encoding="utf-8")
    run = kuajing("assess", str(f))
    assert run.returncode == 2
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert needle in run.stderr
    if line:
        assert f"req.yaml:{line}:" in run.stderr


def test_missing_file_is_a_clean_error() -> None:
    run = kuajing("assess", "/nonexistent/req.yaml")
    assert run.returncode == 2 and "no such file" in run.stderr and "Traceback" not in run.stderr
