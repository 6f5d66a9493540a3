"""`kuajing flow …` and `kuajing ledger record --flow`: the register at the command line, in
both languages, the organisation picked by --user."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from kuajing.accounts.store import Accounts
from kuajing.cli.main import app
from kuajing.register.store import FlowStore
from tests.register.fixture import write_register
from tests.register.test_store import who

ROOT = Path(__file__).resolve().parents[2]
USER = "a@pharma.example"


def _run(url: str, *args: str) -> str:
    done = CliRunner().invoke(app, [*args, "--user", USER, "--database", url])
    assert done.exit_code == 0, done.output
    return done.output


def test_the_register_at_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    me = who(url, "pharma", USER)
    flow = tmp_path / "flow.yaml"
    flow.write_text(
        "key: trial-data\nname: 临床试验数据\nscenario: 临床试验\n"
        "recipient: {name: Sponsor GmbH, country: DE}\nfrequency: monthly\npersonal: 1000\n",
        encoding="utf-8",
    )
    assert "已添加 trial-data v1" in _run(url, "flow", "add", str(flow), "--lang", "zh")
    flow.write_text(flow.read_text(encoding="utf-8").replace("1000", "2000"), encoding="utf-8")
    assert "changed trial-data v2" in _run(url, "flow", "change", "trial-data", str(flow),
                                           "--lang", "en")  # fmt: skip
    assessed = json.loads(_run(url, "flow", "assess", "trial-data", "--date", "2026-03-01",
                               "--format", "json"))  # fmt: skip
    assert assessed["decision"]["transfers"][0]["id"] == "trial-data"
    shown = _run(url, "flow", "show", "trial-data", "--lang", "zh")
    assert f"最近结论 {assessed['decision_id']}" in shown
    out = tmp_path / "register.xlsx"
    _run(url, "flow", "export", str(out), "--lang", "en")
    assert "unchanged 1" in _run(url, "flow", "import", str(out), "--lang", "en")
    assert "retired" in _run(url, "flow", "retire", "trial-data", "--lang", "en")
    history = json.loads(_run(url, "flow", "history", "trial-data", "--format", "json"))
    assert [v["change"] for v in history["history"]] == ["added", "changed", "retired"]
    assert len(json.loads(_run(url, "flow", "list", "--format", "json"))["flows"]) == 1
    with Accounts.open(url) as accounts:
        assert FlowStore(accounts.engine).get(me, "trial-data").version == 3


def test_a_bad_register_file_is_one_line_a_row_and_exit_2(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    who(url, "pharma", USER)
    bad = tmp_path / "bad.csv"
    bad.write_text("key,name,recipient_country\na,A,DE\nb,B,Germny\n", encoding="utf-8")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "kuajing"), "flow", "import", str(bad), "--user", USER,
         "--database", url, "--lang", "en"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 2
    assert "bad.csv: row 3, column recipient_country: 'Germny' is not a country code" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr


def test_a_batch_is_recorded_against_a_flow(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    who(url, "pharma", USER)
    _run(url, "flow", "import", str(write_register(tmp_path, 12)))
    done = CliRunner().invoke(app, [
        "ledger", "--database", url, "record", "--processor", "pharma Co., Ltd.",
        "--date", "2026-02-10", "--file", str(ROOT / "examples/trial-batch.csv"),
        "--flow", "flow-001", "--user", USER, "--format", "json",
    ])  # fmt: skip
    assert done.exit_code == 0, done.output
    digest = json.loads(done.output)["batch"]["digest"]
    with Accounts.open(url) as accounts:
        me = accounts.principal_by_email(USER)
        assert FlowStore(accounts.engine).batch_digests(me, "flow-001") == [digest]
