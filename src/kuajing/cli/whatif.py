"""`kuajing whatif FILE`: the zone what-if of a request."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kuajing.cli import state


class Format(StrEnum):
    text = "text"
    json = "json"


def whatif_cmd(
    file: Annotated[str, typer.Argument(help="Request file (YAML or JSON), or - for stdin.")],
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    lang: state.LangOpt = None,
    route: state.RouteOpt = "standard_contract",
) -> None:
    """Compare the pathway and procedures of FILE's exports under national rules only, registered
    in each zone whose list covers them, and under each list usable through adoption."""
    from kuajing.cli.whatif_render import render
    from kuajing.services.assess import read_file
    from kuajing.services.whatif import whatif_text

    chosen = state.language(lang)
    name = "<stdin>" if file == "-" else file
    text = sys.stdin.read() if file == "-" else read_file(Path(file))
    found = whatif_text(text, name, chosen, state.catalog(), state.routed(route))
    typer.echo(found.model_dump_json(indent=2) if fmt == Format.json else render(found, chosen))
