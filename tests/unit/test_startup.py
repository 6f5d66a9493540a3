"""`kuajing --help` starts fast: the CLI's modules import the heavy stack only inside commands."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    "fastapi",
    "starlette",
    "sqlalchemy",
    "polars",
    "jinja2",
    "kuajing.catalog.models",
    "kuajing.engine",
    "kuajing.web",
    "kuajing.api",
)


def test_cli_main_does_not_import_the_web_stack() -> None:
    # A fresh interpreter: the test session itself has imported everything already.
    code = (
        "import json, sys; import kuajing.cli.main; "
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []
