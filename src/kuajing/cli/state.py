"""Options shared by the commands: rule overlays, language, database, route and document format."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from kuajing.errors import FilingError

# The catalogue and pydantic are imported when a command runs: `kuajing --help` stays fast.
if TYPE_CHECKING:
    from pydantic import BaseModel
    from sqlalchemy import Engine

    from kuajing.accounts.models import Principal
    from kuajing.accounts.store import Accounts
    from kuajing.catalog import Catalog
    from kuajing.filing.required import Route
    from kuajing.lang import Lang
    from kuajing.services.documents import Format

OVERLAYS: list[str] = []


def overlays() -> tuple[str, ...]:
    """`--rules DIR` options, else the KUAJING_RULES environment variable (path-separated)."""
    if OVERLAYS:
        return tuple(OVERLAYS)
    env = os.environ.get("KUAJING_RULES", "")
    return tuple(p for p in env.split(os.pathsep) if p)


def catalog() -> Catalog:
    from kuajing.catalog.loader import catalog_with

    return catalog_with(overlays())


def language(choice: str | None) -> Lang:
    if choice is None:
        from kuajing.i18n import default_lang

        return default_lang()
    return "zh" if choice == "zh" else "en"


LangOpt = Annotated[str | None, typer.Option("--lang", help="zh or en (default: locale).")]
DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database",
        envvar="KUAJING_DATABASE_URL",
        help="SQLAlchemy URL (default: a SQLite file in the user data directory).",
    ),
]
KeyFileOpt = Annotated[
    str | None,
    typer.Option(
        "--key-file", envvar="KUAJING_KEY_FILE", help="The installation secret (outside the DB)."
    ),
]


RouteOpt = Annotated[
    str, typer.Option(help="For the contract band: standard_contract or certification.")
]
FormatOpt = Annotated[
    list[str] | None,
    typer.Option("--format", metavar="pdf|docx", help="pdf (default) and/or docx (repeat)."),
]


def formats(given: list[str] | None) -> tuple[Format, ...]:
    bad = [f for f in given or [] if f not in ("pdf", "docx")]
    if bad:
        raise FilingError(f"--format {bad[0]!r}: pdf or docx")
    return tuple(dict.fromkeys("docx" if f == "docx" else "pdf" for f in given or ["pdf"]))


def routed(given: str) -> Route:
    if given not in ("standard_contract", "certification"):
        raise FilingError(f"--route {given!r}: standard_contract or certification")
    return "certification" if given == "certification" else "standard_contract"


def echo_json(items: list[BaseModel] | BaseModel | dict[str, object]) -> None:
    from pydantic import BaseModel

    if isinstance(items, list):
        typer.echo(
            json.dumps([i.model_dump(mode="json") for i in items], ensure_ascii=False, indent=2)
        )
    elif isinstance(items, BaseModel):
        typer.echo(items.model_dump_json(indent=2))
    else:
        typer.echo(json.dumps(items, ensure_ascii=False, indent=2))


S = TypeVar("S")


@contextmanager
def as_user(
    database: str | None, user: str, store: Callable[[Engine], S]
) -> Iterator[tuple[Accounts, S, Principal]]:
    """The service's accounts, a package's store on the same database, and the user (by e-mail)
    whose organisation a command acts for; closed when the command is done."""
    from kuajing.services.accounts import open_accounts

    accounts = open_accounts(database)
    try:
        yield accounts, store(accounts.engine), accounts.principal_by_email(user)
    finally:
        accounts.close()
