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


SUB_APPS = tuple(
    f"kuajing.cli.{m}"
    for m in ("accounts", "audit", "catalog", "evidence", "filing", "ledger", "scan", "serve")
)


def _imported_by_help(modules: tuple[str, ...]) -> list[str]:
    code = (
        "import json, sys, contextlib, io\n"
        "from kuajing.cli.main import main\n"
        "sys.argv = ['kuajing', '--help']\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main()\n"
        f"print(json.dumps(sorted(m for m in {modules!r} if m in sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def test_top_level_help_imports_no_sub_app() -> None:
    # The listing comes from kuajing.cli.main's table; a sub-app is imported when it is used.
    assert _imported_by_help(SUB_APPS) == []


def test_help_is_plain_text_without_rich() -> None:
    # rich alone costs twice `import typer`: the help is click's plain text.
    assert _imported_by_help(("rich",)) == []
