"""`kuajing evidence pack|verify|key`: one decision's signed evidence archive."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kuajing.cli.state import (
    DatabaseOpt,
    FormatOpt,
    KeyFileOpt,
    LangOpt,
    RouteOpt,
    catalog,
    echo_json,
    formats,
    language,
    routed,
)
from kuajing.lang import pick

if TYPE_CHECKING:
    from kuajing.filing.evidence import Verification
    from kuajing.filing.required import Route
    from kuajing.lang import Lang
    from kuajing.services.documents import Format
    from kuajing.services.evidence import Contents

app = typer.Typer(help="Evidence: one decision's signed archive.", no_args_is_help=True)

SigningKeyOpt = Annotated[
    Path | None,
    typer.Option(
        "--signing-key",
        help="The installation's Ed25519 key file (default: KUAJING_SIGNING_KEY_FILE, else the"
        " user data directory).",
    ),
]


@app.command("pack")
def pack_cmd(
    decision: Annotated[str, typer.Argument(help="A logged decision's id, or a decision file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The archive (.zip) to write.")],
    user: Annotated[
        str | None,
        typer.Option(
            "--user", envvar="KUAJING_USER", help="Act as this user: its organisation's ledger."
        ),
    ] = None,
    scan: Annotated[
        list[Path] | None,
        typer.Option("--scan", metavar="PATH", help="A dataset to scan and include (repeat)."),
    ] = None,
    fmt: FormatOpt = None,
    route: RouteOpt = "standard_contract",
    signing_key: SigningKeyOpt = None,
    database: DatabaseOpt = None,
    key_file: KeyFileOpt = None,
    lang: LangOpt = None,
) -> None:
    """Write the decision's request, decision, catalogue version, ledger status, scan
    summaries, filings and documents, with a signed manifest of their SHA-256 digests."""
    from kuajing.filing.evidence import signing_key as load_key
    from kuajing.services import evidence

    chosen = language(lang)
    contents = _contents(
        decision, user, scan or [], formats(fmt), routed(route), database, key_file
    )
    key = load_key(signing_key)
    packed = evidence.pack_decision(output, contents, key, dt.datetime.now(dt.UTC))
    typer.echo(
        f"{output}: {len(packed.manifest.members)} {pick(chosen, '个文件', 'files')}"
        f"{pick(chosen, '，', ', ')}"
        f"{len(packed.documents)} {pick(chosen, '份文书', 'documents')}"
    )
    for text in packed.absent:
        typer.echo(f"  - {text.get(chosen)}")


def _contents(
    decision: str,
    user: str | None,
    scan: list[Path],
    formats: tuple[Format, ...],
    route: Route,
    database: str | None,
    key_file: str | None,
) -> Contents:
    from kuajing.ledger.ledger import Ledger
    from kuajing.services import evidence
    from kuajing.services.accounts import open_accounts
    from kuajing.services.filings import source_of

    rules = catalog()
    scanned = evidence.scans(scan, rules)
    if user is None:
        return evidence.offline_contents(decision, rules, scanned, formats=formats, route=route)
    accounts = open_accounts(database)
    try:
        with Ledger.open(database, Path(key_file) if key_file else None) as ledger:
            who = accounts.principal_by_email(user)
            source = source_of(decision, accounts, who)
            return evidence.contents_for(
                accounts, ledger, who, source, rules, scanned, formats=formats, route=route
            )
    finally:
        accounts.close()


@app.command("verify")
def verify_cmd(
    archive: Annotated[Path, typer.Argument(help="The evidence archive.")],
    public_key: Annotated[
        str | None,
        typer.Option("--public-key", help="The signer's public key (hex) to trust."),
    ] = None,
    fingerprint: Annotated[
        str | None,
        typer.Option("--fingerprint", help="The signer's key fingerprint (16 hex) to trust."),
    ] = None,
    signing_key: SigningKeyOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    lang: LangOpt = None,
) -> None:
    """Check every member against the signed manifest and the signer against a trusted key.
    Exit 0: intact and signed by a trusted key (this installation's, --public-key or
    --fingerprint); 1: changed, damaged or signed by another key; 3: intact, but no trusted
    key was at hand, so who signed it is not known (anyone can re-sign a changed pack)."""
    from kuajing.filing.evidence import verify

    chosen = language(lang)
    trusted, whose = _trusted(public_key, signing_key)
    if fingerprint is not None and whose != "given":
        trusted, whose = None, "fingerprint"
    result = verify(archive, trusted, fingerprint if whose == "fingerprint" else None)
    if as_json:
        echo_json(result)
    else:
        typer.echo(_verdict(result, whose, chosen))
    if not result.ok:
        raise typer.Exit(1)
    if result.signed_by_trusted_key is None:
        raise typer.Exit(3)


def _trusted(public_key: str | None, key_file: Path | None) -> tuple[bytes | None, str]:
    """The key to trust: the one given, else this installation's if it has one (never made
    here: verifying must not create a key)."""
    from kuajing.filing.evidence import (
        SigningKeyError,
        default_key_file,
        public_key_bytes,
        signing_key,
    )

    if public_key is not None:
        try:
            raw = bytes.fromhex(public_key)
        except ValueError:
            raw = b""
        if len(raw) != 32:
            raise SigningKeyError(f"--public-key {public_key!r}: need 64 hex digits")
        return raw, "given"
    path = key_file or default_key_file()
    if path.is_file():
        return public_key_bytes(signing_key(path)), "installation"
    return None, "none"


def _verdict(v: Verification, whose: str, lang: Lang) -> str:
    lines = [
        f"{v.path}: "
        + (
            pick(lang, "完好", "intact")
            if v.ok
            else pick(lang, "已被改动或损坏", "CHANGED or damaged")
        )
    ]
    if v.manifest is not None:
        lines.append(
            f"  {len(v.manifest.members)} {pick(lang, '个文件', 'files')}{pick(lang, '，', ', ')}"
            f"{pick(lang, '签名密钥', 'signing key')} {v.fingerprint}{pick(lang, '，', ', ')}"
            f"{pick(lang, '签名', 'signature')} "
            + (pick(lang, "有效", "valid") if v.signature_valid else pick(lang, "无效", "INVALID"))
        )
    if whose == "none":
        lines.append(
            pick(
                lang,
                f"  未与可信密钥比对，不能证明签名方：本包由指纹为 {v.fingerprint} 的密钥签名。"
                "请向签名方索取其密钥指纹（签名方运行 kuajing evidence key 可见），核对一致后用"
                " --fingerprint 或 --public-key 再次校验",
                f"  NOT checked against a trusted key, so who signed it is unknown: the pack is"
                f" signed by the key with fingerprint {v.fingerprint}. Ask the signer for their"
                " fingerprint (`kuajing evidence key` prints it), and verify again with"
                " --fingerprint or --public-key",
            )
        )
    elif v.signed_by_trusted_key:
        lines.append(
            pick(lang, "  由本机安装的密钥签名", "  Signed by this installation's key")
            if whose == "installation"
            else pick(lang, "  由所给的可信密钥签名", "  Signed by the trusted key given")
        )
    lines += [f"  ✗ {p.describe(lang)}" for p in v.problems]
    return "\n".join(lines)


@app.command("key")
def key_cmd(signing_key: SigningKeyOpt = None, lang: LangOpt = None) -> None:
    """Print the installation's public key and its fingerprint, for those who verify."""
    from kuajing.filing.evidence import fingerprint, public_key_bytes
    from kuajing.filing.evidence import signing_key as load_key

    chosen = language(lang)
    raw = public_key_bytes(load_key(signing_key))
    typer.echo(f"{pick(chosen, '公钥', 'public key')}: {raw.hex()}")
    typer.echo(f"{pick(chosen, '指纹', 'fingerprint')}: {fingerprint(raw)}")
