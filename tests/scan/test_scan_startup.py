"""`kuajing scan FILE` pays only for what a scan uses: without `--zone` it reads the personal-data
rules alone, so the whole catalogue's models, the engine and the database stack stay unloaded;
and the garbage collector does not walk the objects of its imports over and over."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "trial-batch.csv"
UNUSED = (
    "kuajing.catalog.catalog",
    "kuajing.catalog.loader",
    "kuajing.catalog.models",
    "kuajing.catalog.procedures",
    "kuajing.engine",
    "phonenumbers",  # only for "+" or "00" numbers used as person keys
    "sqlalchemy",
    "openpyxl",
    "jinja2",
    "rich",
)


def _scan(args: list[str], after: str) -> Any:
    """Run `kuajing scan SAMPLE *args` in a fresh interpreter (the test session has imported
    everything already); the JSON value of the expression `after` evaluated there after it."""
    code = (
        "import gc, json, sys; from kuajing.cli.main import main; "
        f"sys.argv = ['kuajing', 'scan', {str(SAMPLE)!r}, *{args!r}]; main(); "
        f"print(json.dumps({after}), file=sys.stderr)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "身份证号" in run.stdout  # the scan ran
    return json.loads(run.stderr.splitlines()[-1])


@pytest.mark.parametrize("args", [["--format", "json"], ["--lang", "en"]])
def test_scan_without_zone_loads_no_catalogue_models(args: list[str]) -> None:
    assert _scan(args, f"sorted(m for m in {UNUSED!r} if m in sys.modules)") == []


def test_scan_freezes_what_its_imports_loaded() -> None:
    # Frozen objects are left out of every collection, the one at exit included.
    enabled, frozen = _scan(["--format", "json"], "[gc.isenabled(), gc.get_freeze_count()]")
    assert enabled and frozen > 0
