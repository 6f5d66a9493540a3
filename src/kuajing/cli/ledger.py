"""`kuajing ledger …`: record export batches and follow the year's distinct persons."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kuajing.cli.spark_opts import ConfOpt, Engine, EngineOpt, MasterOpt, RemoteOpt, cluster
from kuajing.cli.state import DatabaseOpt, KeyFileOpt, LangOpt, catalog, echo_json, language
from kuajing.errors import LedgerError
from kuajing.fileio import write_text_atomic

if TYPE_CHECKING:
    from kuajing.ledger.forecast import Forecast
    from kuajing.ledger.ledger import Ledger
    from kuajing.ledger.models import Batch
    from kuajing.register.models import Flow

app = typer.Typer(
    help="The export ledger: distinct persons exported per processor and year.",
    no_args_is_help=True,
)

_DB: dict[str, str | None] = {"url": None, "key": None}


class Exempt(StrEnum):
    contract = "contract"
    hr = "hr"
    emergency = "emergency"
    overseas_collected = "overseas_collected"


class Fmt(StrEnum):
    text = "text"
    json = "json"


FmtOpt = Annotated[Fmt, typer.Option("--format", help="text or json.")]
ProcessorOpt = Annotated[str, typer.Option("--processor", help="The exporting legal entity.")]


@app.callback()
def _options(
    database: DatabaseOpt = None,
    key_file: KeyFileOpt = None,
) -> None:
    _DB["url"], _DB["key"] = database, key_file


# Commands import what they need when they run: `kuajing` starts in a fraction of a second,
# and `ledger status` does not pay for the file readers that `ledger record` needs.


def open_ledger(url: str | None = None, key: str | None = None) -> Ledger:
    from kuajing.ledger.ledger import Ledger

    key = key or _DB["key"]
    return Ledger.open(url or _DB["url"], Path(key) if key else None)


@app.command("record")
def record_cmd(
    processor: ProcessorOpt,
    date: Annotated[str, typer.Option("--date", help="Export date, YYYY-MM-DD.")],
    file: Annotated[
        Path,
        typer.Option(
            "--file",
            help="CSV, XLSX, Parquet or JSON Lines, or a directory of Parquet or CSV files"
            " (with --engine spark, also a table of the Spark catalog).",
        ),
    ],
    key: Annotated[
        list[str] | None,
        typer.Option(
            "--key",
            metavar="COLUMN",
            help="Column(s) naming the person: A[,B] (default: scanner's).",
        ),
    ] = None,
    sensitive: Annotated[
        bool | None,
        typer.Option(
            "--sensitive/--not-sensitive",
            help="Whether the batch carries sensitive PI (default: the scanner decides).",
        ),
    ] = None,
    scenario: Annotated[str | None, typer.Option(help="Catalogue scenario (zone lists).")] = None,
    exemption: Annotated[Exempt | None, typer.Option(help="Exemption the batch relies on.")] = None,
    recipient: Annotated[str | None, typer.Option(help="Overseas recipient.")] = None,
    flow: Annotated[
        str | None,
        typer.Option(
            "--flow",
            help="Record it against this flow of the register (needs --user): the flow's"
            " scenario, exemption and recipient unless given.",
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", envvar="KUAJING_USER", help="With --flow: whose register."),
    ] = None,
    engine: EngineOpt = Engine.local,
    spark_master: MasterOpt = None,
    spark_remote: RemoteOpt = None,
    spark_conf: ConfOpt = None,
    fmt: FmtOpt = Fmt.text,
    lang: LangOpt = None,
) -> None:
    """Record one export batch. The same file recorded twice changes nothing."""
    from kuajing.cli import ledger_render as show
    from kuajing.services.recording import record_file

    day = _date(date, "--date")
    exempt = exemption.value if exemption else None
    linked = _flow_of(flow, user, processor) if flow else None
    if linked is not None:
        scenario = scenario or linked.scenario
        exempt = exempt or linked.exemption
        recipient = recipient or linked.recipient.name
    on = cluster(engine, spark_master, spark_remote, spark_conf)
    batch: dict[str, Any] = {
        "who": None,  # the operator: the audit trail says so
        "processor": processor,
        "date": day,
        "key": key or (),
        "sensitive": sensitive,
        "scenario": scenario,
        "exemption": exempt,  # an Exemption: the option's, or the flow's
        "recipient": recipient,
    }
    with open_ledger() as ledger:
        if on is None:
            result = record_file(ledger, catalog(), path=file, **batch)
        else:
            from kuajing.cli.spark_progress import shown
            from kuajing.services.spark_jobs import record_on_cluster

            with shown(language(lang)) as report:
                result = record_on_cluster(
                    ledger, catalog(), on, location=str(file), report=report, **batch
                )
    if flow and user:
        _link(flow, user, result.batch)
    if fmt == Fmt.json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        typer.echo(show.recorded(result, language(lang)))


@app.command("status")
def status_cmd(
    processor: ProcessorOpt,
    year: Annotated[int | None, typer.Option(help="Calendar year (default: this year).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Count through this date.")] = None,
    fmt: FmtOpt = Fmt.text,
    lang: LangOpt = None,
) -> None:
    """Distinct persons per counter and scope, the pathway they imply, headroom, projections."""
    from kuajing.cli import ledger_render as show
    from kuajing.services import ledger as svc

    today = _date(as_of, "--as-of") if as_of else None
    if today is not None and year is None:
        year = today.year
    with open_ledger() as ledger:
        report = svc.status(ledger, catalog(), processor, year, today)
    if fmt == Fmt.json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        typer.echo(show.status(report, catalog(), language(lang)))


class ForecastMethod(StrEnum):
    rate = "rate"
    expected = "expected"


@app.command("forecast")
def forecast_cmd(
    processor: ProcessorOpt,
    date: Annotated[
        str | None, typer.Option("--date", help="Forecast from this day (default: today).")
    ] = None,
    method: Annotated[
        ForecastMethod | None,
        typer.Option(
            help="rate (the year's pace so far) or expected (the flows' expected volumes; "
            "default when --flows is given)."
        ),
    ] = None,
    flows: Annotated[
        Path | None,
        typer.Option("--flows", help="The register as exported (CSV or XLSX): expected volumes."),
    ] = None,
    notify: Annotated[
        bool,
        typer.Option(
            "--notify",
            help="Tell the admins of the organisations keeping this ledger name when a "
            "projected crossing is within its action's lead time (once per threshold).",
        ),
    ] = False,
    fmt: FmtOpt = Fmt.text,
    lang: LangOpt = None,
) -> None:
    """Each counter to date, projected to 31 December with a range, when each threshold would
    be reached, and by when its procedure must start (PRC working days)."""
    from kuajing.cli import forecast_render as show
    from kuajing.services import forecast as svc

    day = _date(date, "--date") if date else None
    expected = _flows(flows) if flows else []
    with open_ledger() as ledger:
        orgs = _notified(ledger, processor) if notify else []
        report = svc.forecast(
            ledger,
            catalog(),
            processor,
            today=day,
            method=method.value if method else None,
            flows=expected,
        )
        told = _notify(ledger, orgs, report) if notify else None
    if fmt == Fmt.json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        typer.echo(show.forecast(report, catalog(), language(lang), told))


def _flows(path: Path) -> list[Flow]:
    from kuajing.register.tabular import read_flows

    return read_flows(path)


def _notified(ledger: Ledger, processor: str) -> list[int]:
    """The organisations to tell: those of the service keeping `processor` as their ledger."""
    from kuajing.accounts.store import Accounts

    found = Accounts(ledger.engine).organisations_of(processor)
    if not found:
        raise LedgerError(
            f"--notify: no organisation of the service keeps its ledger as {processor!r}",
            zh=f"--notify：服务中没有以 {processor!r} 为台账名称的组织",
        )
    return [o.id for o in found]


def _notify(ledger: Ledger, orgs: list[int], report: Forecast) -> int:
    from kuajing.services.forecast_notices import notify_due

    return sum(notify_due(ledger.engine, org, report) for org in orgs)


@app.command("batches")
def batches_cmd(
    processor: Annotated[str | None, typer.Option("--processor")] = None,
    year: Annotated[int | None, typer.Option()] = None,
    fmt: FmtOpt = Fmt.text,
    lang: LangOpt = None,
) -> None:
    """The recorded batches: date, file, rows, persons, scenario, exemption."""
    from kuajing.cli import ledger_render as show

    with open_ledger() as ledger:
        found = ledger.batches(processor, year)
    if fmt == Fmt.json:
        echo_json(list(found))
    else:
        typer.echo(show.batches(found, language(lang)))


@app.command("remove")
def remove_cmd(
    batch: Annotated[str, typer.Argument(help="Batch id (at least 6 hex digits).")],
    processor: Annotated[str | None, typer.Option("--processor")] = None,
    reason: Annotated[str, typer.Option(help="Why, for the audit log.")] = "",
    lang: LangOpt = None,
) -> None:
    """Remove a batch (recorded by mistake); the counts are rebuilt and the audit log says so."""
    from kuajing.cli import ledger_render as show
    from kuajing.services import ledger as svc

    with open_ledger() as ledger:
        removed = svc.remove_batch(ledger, batch, processor, reason)
    typer.echo(show.removed(removed, language(lang)))


@app.command("export")
def export_cmd(
    processor: Annotated[str | None, typer.Option("--processor")] = None,
    year: Annotated[int | None, typer.Option()] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default: stdout).")
    ] = None,
) -> None:
    """Batch metadata as CSV. Identifiers are never stored, so never exported."""
    from kuajing.services import ledger as svc

    with open_ledger() as ledger:
        text = svc.export_batches(ledger, processor, year)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text_atomic(output, text)


@app.command("verify")
def verify_cmd(
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            help="A chain head an earlier verify printed: fail if the chain no longer holds it "
            "(its newest entries were cut off or rewritten).",
        ),
    ] = None,
    fmt: FmtOpt = Fmt.text,
    lang: LangOpt = None,
) -> None:
    """Check the audit chain, that the batches match it and the counters match the batches.
    Exit 1 on any problem."""
    from kuajing.cli import ledger_render as show
    from kuajing.ledger.audit import parse_head

    if head is not None:
        try:
            head = parse_head(head)
        except LedgerError:
            raise LedgerError(
                f"--head: expected the 64 hex digits of a chain head that `kuajing ledger verify` "
                f"printed, got {head!r}"
            ) from None
    with open_ledger() as ledger:
        report = ledger.verify(head)
    if fmt == Fmt.json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        typer.echo(show.verified(report, language(lang)))
    if not report.ok:
        raise typer.Exit(1)


def _flow_of(flow: str, user: str | None, processor: str) -> Flow:
    """The running flow of the user's register a batch is recorded against."""
    from kuajing.register.store import FlowStore
    from kuajing.services import register
    from kuajing.services.accounts import open_accounts

    if user is None:
        raise LedgerError(
            "--flow needs --user: the flow is in that user's organisation's register",
            zh="--flow 须同时给出 --user：数据流在该用户所属组织的登记簿中",
        )
    with open_accounts(_DB["url"]) as accounts:
        who = accounts.principal_by_email(user)
        if who.organisation.processor != processor:
            raise LedgerError(
                f"--processor {processor!r} is not the processor of {user}'s organisation"
                f" ({who.organisation.processor!r}): its flows are recorded under that name",
                zh=f"--processor {processor!r} 不是 {user} 所属组织的处理者"
                f"（{who.organisation.processor!r}）",
            )
        store = FlowStore(accounts.engine)
        register.batch_options(store, who, flow)  # running, else refused before recording
        return register.get(store, who, flow).flow


def _link(flow: str, user: str, batch: Batch) -> None:
    from kuajing.register.store import FlowStore
    from kuajing.services import register
    from kuajing.services.accounts import open_accounts

    with open_accounts(_DB["url"]) as accounts:
        who = accounts.principal_by_email(user)
        register.link_batch(FlowStore(accounts.engine), who, flow, batch)


def _date(value: str | None, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        raise LedgerError(
            f"{option}: expected a date YYYY-MM-DD, got {value!r}",
            zh=f"{option}: 应为日期 YYYY-MM-DD，收到 {value!r}",
        ) from None
