"""`kuajing sample`, which `make run` calls before serving: the sample organisations, users,
ledger batch and decision; loading twice adds nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from kuajing.accounts.store import Accounts
from kuajing.services.sample import PASSWORD
from tests.web.support import ROOT

EXE = shutil.which("kuajing", path=str(Path(sys.executable).parent)) or "kuajing"


def _sample(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "KUAJING_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
        "KUAJING_KEY_FILE": str(tmp_path / "demo.key"),
    }
    return subprocess.run(
        [EXE, "sample", "--examples", str(ROOT / "examples"), *extra],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_sample_loads_once(tmp_path: Path) -> None:
    first = _sample(tmp_path)
    assert first.returncode == 0, first.stderr
    assert "organisation example-pharma" in first.stdout
    assert "ledger batch" in first.stdout and "decision" in first.stdout
    again = _sample(tmp_path)
    assert again.returncode == 0 and "nothing: the sample is loaded already" in again.stdout
    with Accounts.open(f"sqlite:///{tmp_path / 'demo.db'}") as store:
        analyst = store.authenticate("analyst@pharma.example", PASSWORD)
        other = store.authenticate("admin@reinsurance.example", PASSWORD)
        assert analyst is not None and other is not None
        assert len(store.decisions(analyst)) == 1
        assert store.decisions(other) == []  # the reinsurer sees none of the pharma's


def test_a_missing_examples_folder_is_one_line(tmp_path: Path) -> None:
    failed = _sample(tmp_path, "--examples", str(tmp_path / "nowhere"))
    assert failed.returncode != 0
    assert failed.stderr.strip().count("\n") == 0 and "examples/ folder" in failed.stderr
    assert "Traceback" not in failed.stderr
