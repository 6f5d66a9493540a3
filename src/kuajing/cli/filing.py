"""`kuajing filing …`: the filings a decision requires, their events and deadlines."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kuajing.cli.state import (
    DatabaseOpt,
    FormatOpt,
    KeyFileOpt,
    LangOpt,
    RouteOpt,
    as_user,
    catalog,
    echo_json,
    formats,
    language,
    routed,
)
from kuajing.lang import pick

if TYPE_CHECKING:
    from kuajing.accounts.models import Principal
    from kuajing.accounts.store import Accounts
    from kuajing.filing.documents import DocumentKind
    from kuajing.filing.models import DeadlineStatus
    from kuajing.filing.store import Filings
    from kuajing.lang import Lang
    from kuajing.services.filings import View

app = typer.Typer(help="Filings: procedures, deadlines and their history.", no_args_is_help=True)

UserOpt = Annotated[
    str,
    typer.Option("--user", envvar="KUAJING_USER", help="Act as this user (e-mail): whose org."),
]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="The day (YYYY-MM-DD; default: today).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]

MARKS = {"overdue": "!!", "due": "→", "open": "◇", "running": "·", "expired": "×", "met": "✓"}


def _day(value: str | None) -> dt.date:
    from kuajing.errors import FilingError

    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FilingError(
            f"--date {value!r}: not a date (YYYY-MM-DD)",
            zh=f"--date {value!r}：不是日期（YYYY-MM-DD）",
        ) from None


def _open(
    database: str | None, user: str
) -> AbstractContextManager[tuple[Accounts, Filings, Principal]]:
    from kuajing.filing.store import Filings

    return as_user(database, user, Filings)


def _due(
    database: str | None, user: str, date: str | None, within: int | None, lang: Lang
) -> list[tuple[View, DeadlineStatus]]:
    from kuajing.services import filings as service

    with _open(database, user) as (_, store, who):
        return service.due(store, who, catalog(), _day(date), within, lang)


@app.command("new")
def new_cmd(
    decision: Annotated[
        str, typer.Option("--decision", help="A logged decision's id, or a decision JSON file.")
    ],
    user: UserOpt,
    route: RouteOpt = "standard_contract",
    database: DatabaseOpt = None,
    lang: LangOpt = None,
) -> None:
    """Create the filings the decision requires, and the tasks its changes raise."""
    from kuajing.services import filings as service

    chosen, chosen_route = language(lang), routed(route)
    with _open(database, user) as (accounts, store, who):
        source = service.source_of(decision, accounts, who)
        made = service.create_filings(accounts, store, who, source, catalog(), chosen, chosen_route)
    for f in made.filings:
        typer.echo(f"{pick(chosen, '新建', 'created')} {f.id}  {f.subject}")
    for f in made.existing:
        typer.echo(f"{pick(chosen, '已有', 'exists')}  {f.id}  {f.subject}")
    for task in made.tasks:
        typer.echo(f"{pick(chosen, '任务', 'task')}  [{task.rule}] {task.text[chosen]}")
    if not (made.filings or made.existing):
        typer.echo(pick(chosen, "该决定无需备案或申报。", "The decision requires no filing."))


@app.command("documents")
def documents_cmd(
    decision: Annotated[str, typer.Argument(help="A logged decision's id, or a decision file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder to write into.")],
    user: UserOpt,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", metavar="KIND", help="Only this document kind (repeat)."),
    ] = None,
    fmt: FormatOpt = None,
    doc_lang: Annotated[
        list[str] | None,
        typer.Option("--doc-lang", metavar="zh|en", help="zh and/or en (repeat; default: both)."),
    ] = None,
    route: RouteOpt = "standard_contract",
    database: DatabaseOpt = None,
    lang: LangOpt = None,
) -> None:
    """Write the documents the decision's filings need, filled from the decision, its request
    and its filings (PDF with the Chinese text embedded, or DOCX)."""
    from kuajing.fileio import write_bytes_atomic
    from kuajing.services import documents
    from kuajing.services.filings import source_of

    chosen = language(lang)
    kinds = _kinds(kind)
    langs = _langs(doc_lang)
    with _open(database, user) as (accounts, store, who):
        source = source_of(decision, accounts, who)
        filings = store.for_decision(who, source.decision_id) if source.decision_id else []
        written = documents.write_all(
            source,
            who.organisation,
            catalog(),
            filings,
            dt.datetime.now(dt.UTC),
            route=routed(route),
            kinds=kinds,
            langs=langs,
            formats=formats(fmt),
        )
    output.mkdir(parents=True, exist_ok=True)
    for name, data in written.items():
        write_bytes_atomic(output / name, data)
        typer.echo(str(output / name))
    if not written:
        typer.echo(pick(chosen, "该决定无需文书。", "The decision calls for no document."))


def _kinds(given: list[str] | None) -> list[DocumentKind] | None:
    from kuajing.errors import FilingError
    from kuajing.filing.documents import DocumentKind

    if not given:
        return None
    known = [k.value for k in DocumentKind]
    for k in given:
        if k not in known:
            raise FilingError(f"--kind {k!r}: one of {', '.join(known)}")
    return [DocumentKind(k) for k in given]


def _langs(given: list[str] | None) -> tuple[Lang, ...]:
    from kuajing.errors import FilingError

    for g in given or []:
        if g not in ("zh", "en"):
            raise FilingError(f"--doc-lang {g!r}: zh or en")
    return tuple(dict.fromkeys("zh" if g == "zh" else "en" for g in given or ["zh", "en"]))


@app.command("check")
def check_cmd(
    user: UserOpt,
    database: DatabaseOpt = None,
    key_file: KeyFileOpt = None,
    lang: LangOpt = None,
) -> None:
    """Raise the tasks this year's ledger counters call for (an assessment threshold reached
    while transfers are filed under a contract or certification)."""
    from kuajing.ledger.ledger import Ledger
    from kuajing.services import filings as service

    chosen = language(lang)
    with (
        _open(database, user) as (accounts, store, who),
        Ledger.open(database, Path(key_file) if key_file else None) as ledger,
    ):
        raised = service.check_ledger(accounts, store, ledger, who, catalog())
    for task in raised:
        typer.echo(f"{pick(chosen, '任务', 'task')}  [{task.rule}] {task.text[chosen]}")
    if not raised:
        typer.echo(pick(chosen, "台账未引起新的任务。", "The ledger raises no new task."))


@app.command("list")
def list_cmd(
    user: UserOpt,
    all_: Annotated[bool, typer.Option("--all", help="Closed filings too.")] = False,
    as_json: JsonOpt = False,
    database: DatabaseOpt = None,
    lang: LangOpt = None,
) -> None:
    """The organisation's filings and open tasks."""
    from pydantic import BaseModel

    chosen = language(lang)
    with _open(database, user) as (_, store, who):
        found = store.all(who, include_closed=all_)
        tasks = store.tasks(who)
    if as_json:
        echo_json(list[BaseModel](found))
        return
    for f in found:
        state = f.state or pick(chosen, "需人工核实", "needs review")
        typer.echo(f"{f.id}  {f.procedure:<28} {state:<20} {f.subject}")
    for task in tasks:
        typer.echo(f"{pick(chosen, '任务', 'task')} {task.id}  [{task.rule}] {task.text[chosen]}")


@app.command("show")
def show_cmd(
    filing_id: Annotated[str, typer.Argument(help="The filing's id.")],
    user: UserOpt,
    date: DateOpt = None,
    as_json: JsonOpt = False,
    database: DatabaseOpt = None,
    lang: LangOpt = None,
) -> None:
    """A filing: its state, deadlines, materials, allowed events and history."""
    from kuajing.services import filings as service

    chosen = language(lang)
    with _open(database, user) as (_, store, who):
        v = service.view(store.get(who, filing_id), catalog(), _day(date), chosen)
    if as_json:
        echo_json(
            {
                "filing": v.filing.model_dump(mode="json"),
                "deadlines": [d.model_dump(mode="json") for d in v.deadlines],
            }
        )
        return
    typer.echo(_show(v, chosen))


def _show(v: View, lang: Lang) -> str:
    p = v.procedure
    lines = [f"{v.filing.subject}", f"{p.name.get(lang)} — {p.authority.get(lang)}"]
    if p.note:
        lines.append(f"⚠ {p.note.get(lang)}")
    state = v.state_name or pick(
        lang, "程序未编码：需人工核实", "procedure not encoded: needs review"
    )
    lines.append(f"{pick(lang, '状态', 'State')}: {state}")
    lines.append(pick(lang, "期限：", "Deadlines:"))
    for d in v.deadlines:
        when = d.date.isoformat() if d.date else pick(lang, "未开始", "not started")
        flag = f"  ⚠ {d.assumption}" if d.provisional and d.assumption else ""
        mark = MARKS.get(d.state, " ")
        lines.append(f"  {mark} {when}  {d.state:<12} {d.name} [{d.rule}, {d.confidence}]{flag}")
    lines.append(pick(lang, "材料：", "Materials:"))
    lines += [f"  - {m.name.get(lang)} [{m.confidence}]" for m in p.materials]
    events = ", ".join(t.event for t in v.allowed) or "—"
    lines.append(f"{pick(lang, '可记录的事件', 'Events allowed now')}: {events}")
    lines.append(pick(lang, "历史：", "History:"))
    lines += [f"  {e.on}  {e.event} → {e.state}" for e in v.filing.events]
    return "\n".join(lines)


@app.command("advance")
def advance_cmd(
    filing_id: Annotated[str, typer.Argument(help="The filing's id.")],
    event: Annotated[str, typer.Argument(help="The event (see `filing show`).")],
    user: UserOpt,
    date: DateOpt = None,
    note: Annotated[str, typer.Option(help="A note kept with the event.")] = "",
    database: DatabaseOpt = None,
    lang: LangOpt = None,
) -> None:
    """Record an event: the filing moves to the state the procedure gives, or the event is
    refused with the reason."""
    from kuajing.services import filings as service

    chosen = language(lang)
    with _open(database, user) as (_, store, who):
        f = service.record_event(store, who, filing_id, event, _day(date), catalog(), note, chosen)
    typer.echo(f"{f.id}: {event} → {f.state}")


@app.command("due")
def due_cmd(
    user: UserOpt,
    within: Annotated[int | None, typer.Option(help="Only deadlines within N days.")] = None,
    date: DateOpt = None,
    database: DatabaseOpt = None,
    lang: LangOpt = None,
) -> None:
    """Deadlines to watch, soonest first (PRC working days; provisional ones flagged)."""
    chosen = language(lang)
    items = _due(database, user, date, within, chosen)
    for v, d in items:
        flag = f"  ⚠ {d.assumption}" if d.provisional and d.assumption else ""
        typer.echo(
            f"{MARKS.get(d.state, ' ')} {d.date}  {d.days_left:>5}d  {d.name} [{d.rule}]  "
            f"{v.filing.id}{flag}"
        )
    if not items:
        typer.echo(pick(chosen, "没有需要关注的期限。", "Nothing due."))


@app.command("calendar")
def calendar_cmd(
    user: UserOpt,
    output: Annotated[Path, typer.Option("--output", "-o", help="The .ics file to write.")],
    within: Annotated[int | None, typer.Option(help="Only deadlines within N days.")] = None,
    date: DateOpt = None,
    database: DatabaseOpt = None,
    lang: LangOpt = None,
) -> None:
    """Export the deadlines as an iCalendar file (one all-day event each)."""
    from kuajing.fileio import write_text_atomic
    from kuajing.services import filings as service

    chosen = language(lang)
    items = _due(database, user, date, within, chosen)
    write_text_atomic(output, service.ical(items, chosen).decode("utf-8"))
    typer.echo(f"{output}: {len(items)} {pick(chosen, '个期限', 'deadlines')}")
