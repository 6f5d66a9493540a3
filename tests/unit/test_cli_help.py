"""`--help` reads as prose: whole sentences in listings, no word split at a hyphen, no `<bool>`."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from kuajing.cli.main import Commands, app


def _paths() -> list[list[str]]:
    """Every command and sub-command, as the words that name it."""
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    ctx = typer.Context(group, info_name="kuajing")
    paths: list[list[str]] = []
    for entry in Commands.lazy:
        cmd = group.get_command(ctx, entry.name)
        paths.append([entry.name])
        subs = getattr(cmd, "commands", {})
        paths += [[entry.name, sub] for sub in subs]
    return paths


PATHS = _paths()


def _help(words: list[str], columns: int) -> str:
    run = CliRunner().invoke(
        app, [*words, "--help"], prog_name="kuajing", env={"COLUMNS": str(columns)}
    )
    assert run.exit_code == 0, run.output
    return run.output


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("words", PATHS, ids=" ".join)
def test_help_is_not_cut_mid_word_or_mid_sentence(words: list[str], columns: int) -> None:
    text = _help(words, columns)
    assert "<bool>" not in text  # a flag takes no value
    options = [line for line in text.splitlines() if line.lstrip().startswith("--")]
    assert not [o for o in options if "<list[" in o], "a repeatable option names what it takes"
    for line in text.split("\n", 1)[1].splitlines():  # after the usage line, which ends "..."
        assert not line.rstrip().endswith("..."), f"listing cut short: {line!r}"
        assert not re.search(r"[A-Za-z]-$", line), f"word split at its hyphen: {line!r}"


def test_group_listing_shows_each_commands_first_paragraph() -> None:
    text = " ".join(_help(["filing"], 80).split())
    assert "Create the filings the decision requires, and the tasks its changes raise." in text


def test_serve_says_it_serves_the_web_application() -> None:
    for text in (_help([], 80), _help(["serve"], 80)):
        flat = " ".join(text.split())
        assert "web application" in flat
        assert "Serve the API (" not in flat
