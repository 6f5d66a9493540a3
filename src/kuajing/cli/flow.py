"""`kuajing flow …`: the transfer register, the organisation's recurring exports (flows).

The organisation is the one of `--user` (as for `kuajing filing`); the database is `--database`
(or KUAJING_DATABASE_URL). Changes are recorded in each flow's history under that user."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import AbstractContextManager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kuajing.cli.state import (
    DatabaseOpt,
    KeyFileOpt,
    LangOpt,
    RouteOpt,
    as_user,
    catalog,
    echo_json,
    language,
    routed,
)
from kuajing.lang import pick

if TYPE_CHECKING:
    from kuajing.accounts.models import Principal
    from kuajing.accounts.store import Accounts
    from kuajing.lang import Lang
    from kuajing.register.models import Flow
    from kuajing.register.store import FlowStore, Stored

app = typer.Typer(
    help="The transfer register: recurring exports (flows), their history and assessment.",
    no_args_is_help=True,
)


class Fmt(StrEnum):
    text = "text"
    json = "json"


UserOpt = Annotated[
    str,
    typer.Option("--user", envvar="KUAJING_USER", help="Act as this user (e-mail): whose org."),
]
FmtOpt = Annotated[Fmt, typer.Option("--format", help="text or json.")]
KeyArg = Annotated[str, typer.Argument(help="The flow's key, e.g. trial-data.")]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="The day assessed (YYYY-MM-DD; default: today).")
]
STATUS_WORDS = {"planned": "计划中", "active": "进行中", "paused": "暂停", "retired": "已停用"}


def _open(
    database: str | None, user: str
) -> AbstractContextManager[tuple[Accounts, FlowStore, Principal]]:
    from kuajing.register.store import FlowStore

    return as_user(database, user, FlowStore)


def _line(s: Stored, lang: Lang) -> str:
    f = s.flow
    status = STATUS_WORDS[f.status] if lang == "zh" else f.status
    country = f.recipient.country or "—"
    per = pick(lang, "人/期", "persons a period")
    return (
        f"{f.key:<24} v{s.version:<3} {status:<8} {f.scenario or '—':<12} → {country:<3} "
        f"{f.personal:,} {per} ({f.frequency})  {f.name}"
    )


@app.command("list")
def list_cmd(
    user: UserOpt,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", metavar="STATUS", help="Only planned, active, paused or retired."),
    ] = None,
    database: DatabaseOpt = None,
    fmt: FmtOpt = Fmt.text,
    lang: LangOpt = None,
) -> None:
    """The organisation's flows."""
    from kuajing.services import register

    chosen = language(lang)
    with _open(database, user) as (_, store, who):
        found = register.listing(store, who, _statuses(status))
    if fmt == Fmt.json:
        echo_json({"flows": [_json(s) for s in found]})
        return
    for s in found:
        typer.echo(_line(s, chosen))
    if not found:
        typer.echo(pick(chosen, "登记簿中尚无数据流。", "The register has no flow yet."))


@app.command("show")
def show_cmd(
    key: KeyArg, user: UserOpt, database: DatabaseOpt = None, fmt: FmtOpt = Fmt.text,
    lang: LangOpt = None,
) -> None:  # fmt: skip
    """One flow, with its latest decision."""
    from kuajing.services import register

    chosen = language(lang)
    with _open(database, user) as (accounts, store, who):
        stored = register.get(store, who, key)
        record = register.latest_decision(accounts, store, who, key)
    found = register.transfer_of(record, stored.key) if record else None
    if fmt == Fmt.json:
        echo_json({**_json(stored), "decision_id": record.id if record else None,
                   "decision": found})  # fmt: skip
        return
    typer.echo(_line(stored, chosen))
    typer.echo(json.dumps(stored.flow.model_dump(mode="json", exclude_defaults=True),
                          ensure_ascii=False, indent=2))  # fmt: skip
    typer.echo(_decided(found, record.id if record else None, chosen))


def _decided(found: dict[str, Any] | None, decision_id: str | None, lang: Lang) -> str:
    from kuajing.i18n import PATHWAYS, STATUS

    if found is None:
        return pick(lang, "尚未评估。", "Not assessed yet.")
    pathway = PATHWAYS[found["pathway"]].get(lang)
    status = STATUS[found["status"]].get(lang)
    return f"{pick(lang, '最近结论', 'Latest decision')} {decision_id}: {pathway} ({status})"


@app.command("add")
def add_cmd(
    user: UserOpt,
    file: Annotated[
        Path | None, typer.Argument(help="A YAML or JSON file of one flow (else the options).")
    ] = None,
    key: Annotated[str | None, typer.Option("--key", help="The flow's key.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="What the flow is.")] = None,
    scenario: Annotated[str | None, typer.Option("--scenario", help="e.g. 临床试验.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Recipient, ISO code.")] = None,
    recipient: Annotated[str | None, typer.Option("--recipient", help="Recipient's name.")] = None,
    frequency: Annotated[
        str, typer.Option("--frequency", help="daily … yearly, once.")
    ] = "monthly",
    personal: Annotated[int, typer.Option("--personal", help="New persons a period.")] = 0,
    sensitive: Annotated[int, typer.Option("--sensitive", help="Of them, sensitive PI.")] = 0,
    exemption: Annotated[str | None, typer.Option("--exemption", help="e.g. hr.")] = None,
    status: Annotated[
        str, typer.Option("--status", metavar="STATUS", help="planned or active.")
    ] = "active",
    database: DatabaseOpt = None,
    fmt: FmtOpt = Fmt.text,
    lang: LangOpt = None,
) -> None:
    """Add a flow to the register, from a file or from the options."""
    from kuajing.services import register

    data: dict[str, Any] = _read(file) if file else {
        "key": key, "name": name, "scenario": scenario, "frequency": frequency,
        "personal": personal, "sensitive": sensitive, "exemption": exemption, "status": status,
        "recipient": {"name": recipient, "country": country},
    }  # fmt: skip
    flow = _flow(data, str(file) if file else "options")
    chosen = language(lang)
    with _open(database, user) as (_, store, who):
        stored = register.add(store, who, flow)
    _done(stored, pick(chosen, "已添加", "added"), fmt, chosen)


@app.command("change")
def change_cmd(
    key: KeyArg,
    file: Annotated[Path, typer.Argument(help="A YAML or JSON file of the flow as it becomes.")],
    user: UserOpt,
    version: Annotated[
        int | None,
        typer.Option("--version", help="The version changed (default: the current one)."),
    ] = None,
    database: DatabaseOpt = None,
    fmt: FmtOpt = Fmt.text,
    lang: LangOpt = None,
) -> None:
    """Replace a flow by the one in FILE (its key stays). With --version, refused if the flow
    was changed since that version."""
    from kuajing.services import register

    chosen = language(lang)
    data = {"key": key, **_read(file)}
    with _open(database, user) as (_, store, who):
        current = register.get(store, who, key)
        flow = _flow(data, str(file))
        stored = register.change(store, who, key, flow, version or current.version)
    _done(stored, pick(chosen, "已修改", "changed"), fmt, chosen)


@app.command("retire")
def retire_cmd(
    key: KeyArg, user: UserOpt, database: DatabaseOpt = None, fmt: FmtOpt = Fmt.text,
    lang: LangOpt = None,
) -> None:  # fmt: skip
    """Retire a flow: it stays, with its history, out of the register's request."""
    from kuajing.services import register

    chosen = language(lang)
    with _open(database, user) as (_, store, who):
        stored = register.retire(store, who, key)
    _done(stored, pick(chosen, "已停用", "retired"), fmt, chosen)


@app.command("history")
def history_cmd(
    key: KeyArg, user: UserOpt, database: DatabaseOpt = None, fmt: FmtOpt = Fmt.text,
    lang: LangOpt = None,
) -> None:  # fmt: skip
    """Every version of a flow: when, by whom, what changed."""
    from kuajing.services import register

    chosen = language(lang)
    words = {"added": "添加", "changed": "修改", "imported": "导入", "retired": "停用"}
    with _open(database, user) as (_, store, who):
        versions = register.history(store, who, key)
    if fmt == Fmt.json:
        rows = [{"version": v.version, "at": v.at, "actor": v.actor, "change": v.change,
                 "flow": v.flow.model_dump(mode="json")} for v in versions]  # fmt: skip
        echo_json({"history": rows})
        return
    for v in versions:
        change = words[v.change] if chosen == "zh" else v.change
        typer.echo(f"v{v.version:<3} {v.at}  {change:<8} {v.actor}")


@app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="A CSV or XLSX file, one row per flow.")],
    user: UserOpt,
    database: DatabaseOpt = None,
    fmt: FmtOpt = Fmt.text,
    lang: LangOpt = None,
) -> None:
    """Add or change the flows of FILE, all or none: a bad row refuses the file, each bad row
    and column named. Flows as they already are get no new version."""
    from kuajing.services import register

    chosen = language(lang)
    _exists(file)
    with _open(database, user) as (_, store, who):
        done = register.import_file(store, who, file)
    if fmt == Fmt.json:
        echo_json({"added": done.added, "changed": done.changed, "unchanged": done.unchanged})
        return
    typer.echo(pick(
        chosen,
        f"新增 {len(done.added)}，修改 {len(done.changed)}，未变 {done.unchanged}",
        f"added {len(done.added)}, changed {len(done.changed)}, unchanged {done.unchanged}",
    ))  # fmt: skip


@app.command("export")
def export_cmd(
    file: Annotated[Path, typer.Argument(help="The file to write: .csv or .xlsx.")],
    user: UserOpt,
    header: Annotated[str, typer.Option("--header", help="Column names: en or zh.")] = "en",
    database: DatabaseOpt = None,
    lang: LangOpt = None,
) -> None:
    """Write the register to FILE (CSV or XLSX, by its suffix), as `flow import` reads it."""
    from kuajing.fileio import write_bytes_atomic
    from kuajing.register.tabular import format_of
    from kuajing.services import register

    chosen = language(lang)
    fmt = format_of(file.name)
    with _open(database, user) as (_, store, who):
        body = register.export(store, who, fmt, "zh" if header == "zh" else "en")
        count = len(register.listing(store, who))
    write_bytes_atomic(file, body)
    typer.echo(pick(chosen, f"已写出 {count} 条数据流：{file}", f"wrote {count} flows: {file}"))


@app.command("assess")
def assess_cmd(
    key: KeyArg,
    user: UserOpt,
    date: DateOpt = None,
    ledger: Annotated[
        bool, typer.Option("--ledger", help="Prior counts from the ledger's batches this year.")
    ] = False,
    key_file: KeyFileOpt = None,
    database: DatabaseOpt = None,
    fmt: FmtOpt = Fmt.text,
    lang: LangOpt = None,
) -> None:
    """Assess a flow: one transfer with the persons it is expected to export this year, for
    the organisation's processor. The decision is logged and linked to the flow."""
    from kuajing.cli.render import render
    from kuajing.services import register

    chosen = language(lang)
    day = _day(date)
    with _open(database, user) as (accounts, store, who):
        book = _ledger(database, key_file) if ledger else None
        try:
            decision, record = register.assess(
                accounts, store, who, key, catalog(), day, chosen, book
            )
        finally:
            if book is not None:
                book.close()
    if fmt == Fmt.json:
        echo_json({"decision_id": record.id, "decision": decision.model_dump(mode="json")})
        return
    typer.echo(render(decision, chosen))
    typer.echo(f"\n{pick(chosen, '结论编号', 'Decision')}: {record.id}")


@app.command("whatif")
def whatif_cmd(
    user: UserOpt,
    date: DateOpt = None,
    route: RouteOpt = "standard_contract",
    database: DatabaseOpt = None,
    fmt: FmtOpt = Fmt.text,
    lang: LangOpt = None,
) -> None:
    """Compare zones for the whole register: every planned or active flow one export, with the
    persons it is expected to send in the date's year, under national rules only, registered in
    each zone whose list covers them, and under each list usable through adoption."""
    from kuajing.cli.whatif_render import render
    from kuajing.services import register
    from kuajing.services.whatif import whatif_request

    chosen = language(lang)
    with _open(database, user) as (_, store, who):
        asked = register.register_request(store, who, _day(date))
    found = whatif_request(asked, catalog(), chosen, routed(route))
    typer.echo(found.model_dump_json(indent=2) if fmt == Fmt.json else render(found, chosen))


# --- helpers ----------------------------------------------------------------------------------


def _ledger(database: str | None, key_file: str | None) -> Any:
    from kuajing.ledger.ledger import Ledger

    return Ledger.open(database, Path(key_file) if key_file else None)


def _json(s: Stored) -> dict[str, Any]:
    return {"version": s.version, "created_at": s.created_at, "updated_at": s.updated_at,
            "flow": s.flow.model_dump(mode="json")}  # fmt: skip


def _done(stored: Stored, what: str, fmt: Fmt, lang: Lang) -> None:
    if fmt == Fmt.json:
        echo_json(_json(stored))
    else:
        typer.echo(f"{what} {stored.key} v{stored.version}")


def _statuses(given: list[str] | None) -> Any:
    from kuajing.errors import RegisterError
    from kuajing.register.models import FLOW_STATUSES

    bad = [s for s in given or [] if s not in FLOW_STATUSES]
    if bad:
        raise RegisterError(
            f"--status {bad[0]!r}: planned, active, paused or retired",
            zh=f"--status {bad[0]!r}：应为 planned、active、paused 或 retired",
        )
    return given or None


def _exists(path: Path) -> None:
    from kuajing.errors import RegisterError

    if not path.is_file():
        raise RegisterError("no such file", zh="文件不存在", file=str(path))


def _read(path: Path) -> dict[str, Any]:
    """A flow's fields from a YAML or JSON file (JSON is YAML)."""
    from kuajing.errors import RegisterError
    from kuajing.services.assess import read_file
    from kuajing.yamlio import parse

    doc = parse(read_file(path), lambda msg, line: RegisterError(msg, file=str(path), line=line))
    if not isinstance(doc.data, dict):
        raise RegisterError("a flow is a mapping of its fields", zh="数据流应为字段映射",
                            file=str(path))  # fmt: skip
    return doc.data


def _flow(data: dict[str, Any], name: str) -> Flow:
    from pydantic import ValidationError

    from kuajing.errors import RegisterError
    from kuajing.register.models import Flow
    from kuajing.services.field_errors import field_error_zh

    try:
        return Flow.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        path = ".".join(str(p) for p in err["loc"]) or "flow"
        message = err["msg"].removeprefix("Value error, ")
        raise RegisterError(message, zh=field_error_zh(err["type"], err.get("ctx") or {}),
                            file=name, path=path) from None  # fmt: skip


def _day(value: str | None) -> dt.date:
    from kuajing.errors import RegisterError

    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RegisterError(f"--date {value!r}: not a date (YYYY-MM-DD)",
                            zh=f"--date {value!r}：不是日期（YYYY-MM-DD）") from None  # fmt: skip
