"""`kuajing flow whatif`: the zone what-if of the whole register at the command line, as JSON
(the shape of `kuajing whatif`) and as text in both languages; an empty register is one line and
a non-zero exit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kuajing.accounts.store import Accounts
from kuajing.register.store import FlowStore
from kuajing.services import register
from tests.register.test_flow_cli import ROOT, USER, _run
from tests.register.test_store import trial, who


def test_the_whole_register_is_compared_across_zones(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    me = who(url, "pharma", USER)
    with Accounts.open(url) as accounts:
        store = FlowStore(accounts.engine)
        register.add(store, me, trial(personal=0, sensitive=2500))  # 30,000 persons a year
        register.add(store, me, trial(key="hr", exemption="hr"))
        register.add(store, me, trial(key="gone", status="retired"))
    body = json.loads(_run(url, "flow", "whatif", "--date", "2026-03-01", "--format", "json"))
    assert body["date"] == "2026-03-01"
    national = next(o for o in body["options"] if o["basis"] == "national")
    assert national["zone"] is None and national["pathway"] == "security_assessment"
    assert {t["id"] for t in national["transfers"]} == {"trial-data", "hr"}
    beijing = next(o for o in body["options"] if o["zone"] == "beijing" and o["actual"])
    trial_data = next(t for t in beijing["transfers"] if t["id"] == "trial-data")
    assert trial_data["pathway"] == "standard_contract_or_certification"
    assert "仅适用全国规则" in _run(url, "flow", "whatif", "--date", "2026-03-01", "--lang", "zh")


def test_an_empty_register_is_one_line_and_exit_2(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    who(url, "pharma", USER)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "kuajing"), "flow", "whatif", "--user", USER,
         "--database", url, "--lang", "en"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "the register has no planned or active flow" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
