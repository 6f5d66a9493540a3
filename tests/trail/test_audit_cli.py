"""`kuajing audit show` and `kuajing audit verify`: the operator reads an organisation's trail,
in which their own command-line actions name the operator, and learns when it does not verify."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

from tests.accounts.test_accounts_cli import EXE
from tests.tenants import PASSWORD


def _kuajing(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "LANG": "en_US.UTF-8",
        "KUAJING_DATABASE_URL": f"sqlite:///{tmp_path / 'service.db'}",
        "KUAJING_KEY_FILE": str(tmp_path / "ledger.key"),
    }
    return subprocess.run(
        [EXE, *args], env=env, input=stdin, capture_output=True, text=True, check=False
    )


def test_the_operator_reads_and_verifies_the_trail(tmp_path: Path) -> None:
    assert _kuajing(tmp_path, "org", "create", "pharma", "--name", "Pharma").returncode == 0
    user = ["user", "create", "a@pharma.example", "--org", "pharma", "--role", "admin"]
    assert _kuajing(tmp_path, *user, "--password-stdin", stdin=PASSWORD + "\n").returncode == 0

    shown = _kuajing(tmp_path, "audit", "show", "--org", "pharma")
    assert shown.returncode == 0, shown.stderr
    assert "The operator (command line): added the user a@pharma.example as admin" in shown.stdout
    assert "intact: all 2 entries" in shown.stdout
    entries = json.loads(_kuajing(tmp_path, "audit", "show", "--org", "pharma", "--json").stdout)
    assert [e["actor"]["kind"] for e in entries["entries"]] == ["operator", "operator"]
    assert _kuajing(tmp_path, "audit", "verify", "--org", "pharma").returncode == 0

    with sqlite3.connect(tmp_path / "service.db") as db:
        db.execute(
            """UPDATE audit_trail SET detail = '{"role":"viewer"}' WHERE action = 'user.created'"""
        )
    broken = _kuajing(tmp_path, "audit", "verify", "--org", "pharma", "--lang", "zh")
    assert broken.returncode == 1 and "审计记录核验未通过" in broken.stdout
    unknown = _kuajing(tmp_path, "audit", "verify", "--org", "nope")
    assert unknown.returncode == 2 and unknown.stderr == "kuajing: error: no organisation 'nope'\n"


def test_another_key_is_named_not_taken_for_tampering(tmp_path: Path) -> None:
    """Under another installation secret every entry's MAC differs: verify says the key is
    wrong (exit 2), not that the trail was tampered with."""
    assert _kuajing(tmp_path, "org", "create", "pharma", "--name", "Pharma").returncode == 0
    (tmp_path / "other").mkdir()
    moved = {**os.environ, "KUAJING_KEY_FILE": str(tmp_path / "other" / "ledger.key")}
    wrong = subprocess.run(
        [EXE, "audit", "verify", "--org", "pharma"],
        env={
            **moved,
            "LANG": "en_US.UTF-8",
            "KUAJING_DATABASE_URL": f"sqlite:///{tmp_path / 'service.db'}",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert wrong.returncode == 2, wrong.stdout
    assert "keyed with another secret" in wrong.stderr and "tampered" not in wrong.stdout
