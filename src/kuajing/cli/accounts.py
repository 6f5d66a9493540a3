"""`kuajing org create` and `kuajing user create`: set up the service's tenants and users."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kuajing.cli.state import DatabaseOpt, LangOpt, language

PasswordStdinOpt = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]

org_app = typer.Typer(help="Organisations: the service's tenants.", no_args_is_help=True)
user_app = typer.Typer(help="Users of an organisation.", no_args_is_help=True)


@org_app.command("create")
def org_create(
    slug: Annotated[str, typer.Argument(help="Short name in URLs: lower-case, digits, hyphens.")],
    name: Annotated[str, typer.Option("--name", help="The legal entity's name.")],
    processor: Annotated[
        str | None, typer.Option(help="Its name in the export ledger (default: --name).")
    ] = None,
    zone: Annotated[
        str | None, typer.Option(help="Pilot free trade zone it is registered in.")
    ] = None,
    ciio: Annotated[bool, typer.Option("--ciio/--not-ciio", help="A CIIO operator?")] = False,
    sector: Annotated[str | None, typer.Option(help="Its sector.")] = None,
    kind: Annotated[
        str, typer.Option(help="enterprise (a company), or zone (a zone's service centre).")
    ] = "enterprise",
    database: DatabaseOpt = None,
    lang: LangOpt = None,
) -> None:
    """Create an organisation: a company, or a zone's service centre (--kind zone --zone Z)."""
    from kuajing.catalog import default_catalog
    from kuajing.errors import RequestError
    from kuajing.i18n import fmt
    from kuajing.services.accounts import open_accounts

    if kind == "zone" and zone not in default_catalog().zones:
        raise RequestError(f"a zone organisation serves a known zone, not {zone!r}", path="--zone")
    org = open_accounts(database).create_organisation(
        slug, name, processor=processor, zone=zone, ciio=ciio, sector=sector,
        kind=kind,  # type: ignore[arg-type]  # checked by the store
    )  # fmt: skip
    typer.echo(fmt("org_created", slug=org.slug, name=org.name).get(language(lang)))


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Argument(help="The user's e-mail address (their sign-in).")],
    org: Annotated[str, typer.Option("--org", help="The organisation's slug.")],
    role: Annotated[
        str | None,
        typer.Option(
            help="A company's admin, member or viewer; a zone's admin, reviewer or viewer"
            " (default: member, or reviewer in a zone)."
        ),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    user_lang: Annotated[str, typer.Option("--user-lang", help="zh or en, for the web.")] = "zh",
    password_stdin: PasswordStdinOpt = False,
    database: DatabaseOpt = None,
    lang: LangOpt = None,
) -> None:
    """Create a user. The password is asked for (twice), or read from standard input."""
    from kuajing.errors import RequestError
    from kuajing.i18n import fmt
    from kuajing.services.accounts import open_accounts

    if user_lang not in ("zh", "en"):
        raise RequestError(f"zh or en, not {user_lang!r}", path="--user-lang")
    password = _password(password_stdin, confirm=True)
    user = open_accounts(database).create_user(
        org,
        email,
        password,
        name=name,
        role=role,  # type: ignore[arg-type]  # checked by the store
        lang="zh" if user_lang == "zh" else "en",
    )
    typer.echo(fmt("user_created", email=user.email, role=user.role, org=org).get(language(lang)))


token_app = typer.Typer(help="API tokens for scripts and other systems.", no_args_is_help=True)


@token_app.command("create")
def token_create(
    email: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "cli",
    password_stdin: PasswordStdinOpt = False,
    database: DatabaseOpt = None,
) -> None:
    """Create an API token (the user's password is asked for). The secret is printed once."""
    from kuajing.errors import AccountError
    from kuajing.services.accounts import open_accounts

    password = _password(password_stdin, confirm=False)
    store = open_accounts(database)
    who = store.authenticate(email, password)
    if who is None:
        raise AccountError("wrong e-mail or password", zh="电子邮箱或密码错误")
    secret, _ = store.create_token(who, name)
    typer.echo(secret)


def _password(from_stdin: bool, *, confirm: bool) -> str:
    """From standard input (for scripts), else asked for without echo (twice to set one)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    answer: str = typer.prompt("Password / 密码", hide_input=True, confirmation_prompt=confirm)
    return answer
