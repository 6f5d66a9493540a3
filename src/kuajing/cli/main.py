"""`kuajing` console script."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kuajing.cli import accounts as accounts_cli
from kuajing.cli import audit as audit_cli
from kuajing.cli import catalog as catalog_cli
from kuajing.cli import evidence as evidence_cli
from kuajing.cli import filing as filing_cli
from kuajing.cli import ledger as ledger_cli
from kuajing.cli import state
from kuajing.cli.scan import scan_cmd
from kuajing.cli.serve import sample_cmd, serve_cmd
from kuajing.errors import KuajingError
from kuajing.lang import Lang

app = typer.Typer(
    help="kuajing 跨境: which legal pathway a cross-border data export from China needs.",
    no_args_is_help=True,
    add_completion=False,
)


app.add_typer(catalog_cli.app, name="catalog")
app.add_typer(ledger_cli.app, name="ledger")
app.add_typer(filing_cli.app, name="filing")
app.add_typer(evidence_cli.app, name="evidence")
app.add_typer(accounts_cli.org_app, name="org")
app.add_typer(accounts_cli.user_app, name="user")
app.add_typer(accounts_cli.token_app, name="token")
app.add_typer(audit_cli.app, name="audit")
app.command("serve")(serve_cmd)
app.command("sample")(sample_cmd)
app.command("scan")(scan_cmd)


class Format(StrEnum):
    text = "text"
    json = "json"


class LangOpt(StrEnum):
    zh = "zh"
    en = "en"


@app.callback()
def _root(
    rules: Annotated[
        list[str] | None,
        typer.Option("--rules", help="Overlay directory of lists (repeatable; or KUAJING_RULES)."),
    ] = None,
) -> None:
    """kuajing 跨境."""
    state.OVERLAYS[:] = rules or []


@app.command("assess")
def assess_cmd(
    file: Annotated[str, typer.Argument(help="Request file (YAML or JSON), or - for stdin.")],
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    lang: Annotated[LangOpt | None, typer.Option(help="zh or en (default: locale).")] = None,
    explain: Annotated[bool, typer.Option(help="Show every rule and count used.")] = False,
    ledger: Annotated[
        str | None,
        typer.Option("--ledger", help="Fill 'prior' from the ledger's counts for this processor."),
    ] = None,
    database: Annotated[
        str | None, typer.Option("--database", envvar="KUAJING_DATABASE_URL", help="Ledger URL.")
    ] = None,
) -> None:
    """Assess the exports described in FILE and print the pathway each needs, with citations."""
    from kuajing.cli.render import render  # here, so other commands start faster
    from kuajing.services.assess import assess_text, read_file

    chosen: Lang = state.language(lang.value if lang else None)
    name = "<stdin>" if file == "-" else file
    text = sys.stdin.read() if file == "-" else read_file(Path(file))
    cat = state.catalog()
    if ledger is None:
        decision = assess_text(text, name=name, lang=chosen, explain=explain, catalog=cat)
    else:
        from kuajing.services.ledger import assess_with_ledger

        with ledger_cli.open_ledger(database) as book:
            decision = assess_with_ledger(book, ledger, text, name, chosen, explain, cat)
    if fmt == Format.json:
        exclude = None if explain else {"trace"}
        typer.echo(decision.model_dump_json(indent=2, exclude=exclude))
    else:
        typer.echo(render(decision, chosen, explain))


def main() -> None:
    try:
        code = app(standalone_mode=False)  # returns the code of a typer.Exit
        if isinstance(code, int) and code:
            raise SystemExit(code)
    except KuajingError as exc:
        typer.echo(f"kuajing: error: {exc}", err=True)
        raise SystemExit(2) from None
    except (typer.Abort, KeyboardInterrupt):
        raise SystemExit(130) from None
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.TyperException as exc:  # usage errors: unknown option, missing argument
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"kuajing: error: {exc.format_message()}", err=True)
        raise SystemExit(2) from None
