"""`kuajing audit show|verify --org SLUG`: an organisation's audit trail, for the operator (who
holds the database and the installation secret)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kuajing.cli.state import DatabaseOpt, KeyFileOpt, LangOpt, language
from kuajing.lang import Lang

if TYPE_CHECKING:
    from kuajing.trail.models import ChainCheck

app = typer.Typer(help="The audit trail: who did what in an organisation.", no_args_is_help=True)

OrgOpt = Annotated[str, typer.Option("--org", help="The organisation's slug.")]


@app.command("show")
def show_cmd(
    org: OrgOpt,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Newest entries shown.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="The entries as JSON.")] = False,
    database: DatabaseOpt = None,
    key_file: KeyFileOpt = None,
    lang: LangOpt = None,
) -> None:
    """The organisation's newest entries in plain words, and whether its trail verifies."""
    from kuajing.services import audit_trail
    from kuajing.services.accounts import open_accounts
    from kuajing.services.audit_lines import lines
    from kuajing.web.i18n import phrases

    chosen = language(lang)
    with open_accounts(database, Path(key_file) if key_file else None) as store:
        found = store.organisation(org)
        page = audit_trail.organisation_page(store, found.id, limit)
        people = audit_trail.people(store, found.id)
    if as_json:
        typer.echo(page.model_dump_json(indent=2))
        return
    for line in lines(page.entries, chosen, phrases(), people):
        typer.echo(f"{line.id:>6}  {line.when}  {line.who}: {line.what}")
    typer.echo(_verdict(page.chain, chosen))


@app.command("verify")
def verify_cmd(
    org: OrgOpt, database: DatabaseOpt = None, key_file: KeyFileOpt = None, lang: LangOpt = None
) -> None:
    """Check the organisation's whole trail; exit 1 if an entry was altered, removed or moved."""
    from kuajing.services import audit_trail
    from kuajing.services.accounts import open_accounts

    with open_accounts(database, Path(key_file) if key_file else None) as store:
        page = audit_trail.organisation_page(store, store.organisation(org).id, 1)
    chain = page.chain
    typer.echo(_verdict(chain, language(lang)))
    if chain.ok:
        typer.echo(f"head {chain.head}")
    else:
        raise typer.Exit(1)


def _verdict(chain: ChainCheck, lang: Lang) -> str:
    """The page's words for the chain (web/phrases/audit.yaml)."""
    from kuajing.web.i18n import t

    if chain.problem is None:
        return t("audit_chain_ok", lang, n=chain.entries)
    why = t(f"audit_why_{chain.problem.kind}", lang)
    return t("audit_chain_broken", lang, entry=chain.problem.entry, why=why)
