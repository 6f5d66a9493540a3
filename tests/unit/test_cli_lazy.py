"""The top-level command table (kuajing.cli.lazy) lists exactly the real commands; each works."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import kuajing.cli
from kuajing.cli.lazy import Placeholder
from kuajing.cli.main import Commands, app

NAMES = [e.name for e in Commands.lazy]


def test_top_level_help_lists_exactly_the_registered_commands() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    ctx = typer.Context(group, info_name="kuajing")
    listed = group.get_help(ctx)
    stubs = dict(group.commands)
    assert all(isinstance(c, Placeholder) for c in stubs.values())  # listing imported nothing
    assert list(stubs) == NAMES
    lines = listed.split("Commands:\n")[1].splitlines()
    assert [line.split()[0] for line in lines if line[2] != " "] == NAMES  # each once, in order
    for name, stub in stubs.items():
        real = group.get_command(ctx, name)
        assert real is not None and not isinstance(real, Placeholder)
        first = real.short_help or inspect.cleandoc(real.help or "").split("\n\n")[0]
        first = " ".join(first.split())  # as the plain help wraps it
        assert stub.help == first, f"{name}: the table's help differs from the command's"
        assert (real.name, real.hidden, real.deprecated) == (name, False, False)
        assert first in " ".join(listed.split())  # in full, not cut short


def test_every_sub_app_is_in_the_table() -> None:
    # Read, not imported: a sub-app added to a module but not to the table fails here.
    found = set()
    for path in Path(kuajing.cli.__file__).parent.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and "typer.Typer(" in ast.unparse(node.value):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                found |= {f"kuajing.cli.{path.stem}:{name}" for name in names}
    found.discard("kuajing.cli.main:app")
    assert found, "no sub-app found: has the way they are declared changed?"
    assert found <= {e.target for e in Commands.lazy}


@pytest.mark.parametrize("name", NAMES)
def test_each_command_shows_its_own_help(name: str) -> None:
    run = CliRunner().invoke(app, [name, "--help"], prog_name="kuajing")
    assert run.exit_code == 0, run.output
    assert f"Usage: kuajing {name} [OPTIONS]" in run.output


def test_a_mistyped_command_gets_a_suggestion() -> None:
    run = CliRunner().invoke(app, ["ledgr"], prog_name="kuajing")
    assert run.exit_code == 2
    assert "Did you mean 'ledger'?" in run.output
