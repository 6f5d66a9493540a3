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


def imported_by(
    argv: list[str], modules: tuple[str, ...], env: dict[str, str] | None = None
) -> tuple[int, list[str]]:
    """Run `kuajing *argv` in a fresh interpreter: its exit status, and which of `modules` it
    imported (an early exit imports less, so callers check the status too)."""
    code = (
        "import contextlib, io, json, sys\n"
        "from kuajing.cli.main import main\n"
        f"sys.argv = ['kuajing', *{argv!r}]\n"
        "status = 0\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as stop:\n"
        "        status = stop.code or 0\n"
        f"print(json.dumps([status, sorted(m for m in {modules!r} if m in sys.modules)]))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    status, found = json.loads(run.stdout.splitlines()[-1])
    return status, found


def _imported_by_help(modules: tuple[str, ...]) -> list[str]:
    status, found = imported_by(["--help"], modules)
    assert status == 0
    return found


def test_top_level_help_imports_no_sub_app() -> None:
    # The listing comes from kuajing.cli.main's table; a sub-app is imported when it is used.
    assert _imported_by_help(SUB_APPS) == []


def test_help_is_plain_text_without_rich() -> None:
    # rich alone costs twice `import typer`: the help is click's plain text.
    assert _imported_by_help(("rich",)) == []
