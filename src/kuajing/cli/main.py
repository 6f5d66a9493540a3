"""`kuajing` console script."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kuajing.cli import state
from kuajing.cli.lazy import Lazy, LazyGroup
from kuajing.errors import KuajingError
from kuajing.lang import Lang, pick


class Commands(LazyGroup):
    """The command tree, in the help's order: each module is imported when its command is used."""

    lazy = (
        Lazy("serve", "kuajing.cli.serve:serve_cmd",
             "Serve the web application and its API (pages at /, OpenAPI document at"
             " /openapi.json, interactive docs at /docs)."),
        Lazy("sample", "kuajing.cli.serve:sample_cmd",
             "Load the sample organisations, users, ledger batch and decision (for a demo database:"
             " the sample users' password is public)."),
        Lazy("scan", "kuajing.cli.scan:scan_cmd",
             "Scan datasets about to leave China: each column's kind, sensitivity and list entries,"
             " and the number of distinct persons."),
        Lazy("assess", "kuajing.cli.main:assess_cmd",
             "Assess the exports described in FILE and print the pathway each needs, with"
             " citations."),
        Lazy("whatif", "kuajing.cli.whatif:whatif_cmd",
             "Compare the pathway and procedures of FILE's exports under national rules only,"
             " registered in each zone whose list covers them, and under each list usable through"
             " adoption."),
        Lazy("catalog", "kuajing.cli.catalog:app", "Browse and check the rules catalogue."),
        Lazy("ledger", "kuajing.cli.ledger:app",
             "The export ledger: distinct persons exported per processor and year."),
        Lazy("filing", "kuajing.cli.filing:app",
             "Filings: procedures, deadlines and their history."),
        Lazy("flow", "kuajing.cli.flow:app",
             "The transfer register: recurring exports (flows), their history and assessment."),
        Lazy("evidence", "kuajing.cli.evidence:app", "Evidence: one decision's signed archive."),
        Lazy("org", "kuajing.cli.accounts:org_app", "Organisations: the service's tenants."),
        Lazy("user", "kuajing.cli.accounts:user_app", "Users of an organisation."),
        Lazy("token", "kuajing.cli.accounts:token_app",
             "API tokens for scripts and other systems."),
        Lazy("audit", "kuajing.cli.audit:app", "The audit trail: who did what in an organisation."),
    )  # fmt: skip


app = typer.Typer(
    help="kuajing 跨境: which legal pathway a cross-border data export from China needs.",
    no_args_is_help=True,
    add_completion=False,
    cls=Commands,
    rich_markup_mode=None,  # click's plain help, for every command: rich costs 2x `import typer`
)


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
        typer.Option(
            "--rules",
            metavar="DIR",
            help="Overlay directory of lists (repeatable; or KUAJING_RULES).",
        ),
    ] = None,
) -> None:
    """kuajing 跨境."""
    state.OVERLAYS[:] = rules or []


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
        from kuajing.cli.ledger import open_ledger
        from kuajing.services.ledger import assess_with_ledger

        with open_ledger(database) as book:
            decision = assess_with_ledger(book, ledger, text, name, chosen, explain, cat)
    if fmt == Format.json:
        exclude = None if explain else {"trace"}
        typer.echo(decision.model_dump_json(indent=2, exclude=exclude))
    else:
        typer.echo(render(decision, chosen, explain))


def error_lang(argv: list[str]) -> Lang:
    """The language of an error: the command's --lang, else the locale's."""
    words = argv[: argv.index("--")] if "--" in argv else argv
    for arg, after in zip(words, [*words[1:], None], strict=True):
        if arg.startswith("--lang="):
            return state.language(arg.removeprefix("--lang="))
        if arg == "--lang" and after is not None:
            return state.language(after)
    return state.language(None)


def main() -> None:
    try:
        code = app(standalone_mode=False)  # returns the code of a typer.Exit
        if isinstance(code, int) and code:
            raise SystemExit(code)
    except KuajingError as exc:
        lang = error_lang(sys.argv[1:])
        typer.echo(f"kuajing: {pick(lang, '错误', 'error')}: {exc.in_lang(lang)}", err=True)
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
