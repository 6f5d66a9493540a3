"""Filings for the CLI and the service: create the filings a decision requires (and the tasks its
changes raise), record events, list what is due, and export deadlines as iCalendar."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import icalendar

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang, Pathway
from kuajing.catalog.procedures import Procedure, Transition
from kuajing.engine import Decision, Request
from kuajing.errors import FilingError, InvalidTransition, NotFound
from kuajing.filing.changes import Basis, Change, changes, ledger_changes
from kuajing.filing.deadlines import statuses
from kuajing.filing.machine import advance, allowed
from kuajing.filing.models import DeadlineStatus, Filing, Task
from kuajing.filing.required import Route, required
from kuajing.filing.store import Filings
from kuajing.filing.subject import made_subject
from kuajing.i18n import pick
from kuajing.ledger.ledger import Ledger
from kuajing.services import tenant_ledger
from kuajing.workdays import WorkCalendar, default_calendar
from kuajing.zone.store import ZoneStore

ACTIVE_DUE = {"due", "overdue", "open", "running", "expired"}


@dataclass(frozen=True)
class Source:
    """The decision filings are made from: a logged one, or a file."""

    decision: Decision
    request: Request | None
    decision_id: str | None


@dataclass(frozen=True)
class Created:
    filings: list[Filing]
    tasks: list[Task]
    existing: list[Filing]  # open filings that already cover what the decision requires


@dataclass(frozen=True)
class View:
    filing: Filing
    procedure: Procedure
    state_name: str | None
    deadlines: list[DeadlineStatus]
    allowed: list[Transition]


def from_log(accounts: Accounts, who: Principal, decision_id: str) -> Source:
    record = accounts.decision(who, decision_id)
    return Source(
        Decision.model_validate_json(record.decision),
        Request.model_validate_json(record.request, context={"logged": True}),
        record.id,
    )


def needs_route(decision: Decision) -> bool:
    """Whether a transfer of `decision` may go by standard contract or by certification: the
    company then chooses the route, and the filings follow it."""
    return any(t.pathway == Pathway.STANDARD_CONTRACT_OR_CERTIFICATION for t in decision.transfers)


def source_of(ref: str, accounts: Accounts | None, who: Principal | None) -> Source:
    """The decision `ref` names: a decision file's path, else a logged decision's id."""
    path = Path(ref)
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.__class__.__name__
            raise FilingError(
                f"{ref}: cannot read ({why})", zh=f"{ref}: 无法读取（{why}）"
            ) from None
        return from_file(accounts, who, text, ref)
    if accounts is None or who is None:
        raise FilingError(
            f"{ref}: no such file (a logged decision's id needs --user)",
            zh=f"{ref}: 文件不存在（已记录结论的编号须同时给出 --user）",
        )
    return from_log(accounts, who, ref)


def from_file(accounts: Accounts | None, who: Principal | None, text: str, name: str) -> Source:
    """A decision exported by the service (`id`, `request`, `decision`) or a bare decision as
    `kuajing assess --format json` writes it."""
    try:
        data: Any = json.loads(text)
        if isinstance(data, dict) and "decision" in data:
            found = _logged(accounts, who, data.get("id"))
            request = (
                Request.model_validate(data["request"], context={"logged": True})
                if data.get("request")
                else None
            )
            return Source(Decision.model_validate(data["decision"]), request, found)
        return Source(Decision.model_validate(data), None, None)
    except ValueError as exc:  # JSON and validation errors alike
        first = str(exc).strip().splitlines()[0]
        raise FilingError(
            f"{name}: not a kuajing decision ({first})",
            zh=f"{name}: 不是 kuajing 的结论文件（{first}）",
        ) from None


def _logged(accounts: Accounts | None, who: Principal | None, decision_id: object) -> str | None:
    if accounts is None or who is None or not isinstance(decision_id, str):
        return None
    try:
        return accounts.decision(who, decision_id).id
    except NotFound:
        return None  # exported from another installation: kept without the link


def create_filings(
    accounts: Accounts,
    filings: Filings,
    who: Principal,
    source: Source,
    catalog: Catalog,
    lang: Lang,
    route: Route = "standard_contract",
) -> Created:
    active = filings.all(who, include_closed=False)
    earlier: list[Filing] = []
    made = []
    for need in required(source.decision, who.organisation.zone, catalog, route):
        # An open filing of the same procedure for these transfers already covers them.
        covering = [
            f
            for f in active
            if f.procedure == need.procedure.id and set(need.transfers) <= set(f.transfers)
        ]
        if covering:
            earlier += covering
            continue
        subject = made_subject(need.procedure, list(need.transfers), lang)
        made.append(
            filings.create(
                who,
                need.procedure.id,
                need.procedure.start if need.procedure.status == "encoded" else None,
                subject,
                source.decision_id,
                list(need.transfers),
            )
        )
    tasks = _tasks(accounts, filings, who, source, catalog, active)
    return Created(made, tasks, earlier)


def _tasks(
    accounts: Accounts,
    filings: Filings,
    who: Principal,
    source: Source,
    catalog: Catalog,
    active: list[Filing],
) -> list[Task]:
    """The tasks the new decision raises for the filings that were open before it."""
    bases = _bases(accounts, who, [f for f in active if f.decision_id != source.decision_id])
    raised = changes(source.decision, source.request, bases, catalog)
    return _raise(filings, who, raised, source.decision_id)


def check_ledger(
    accounts: Accounts, filings: Filings, ledger: Ledger, who: Principal, catalog: Catalog
) -> list[Task]:
    """The tasks this year's ledger counters raise for the open filings (none before the first
    batch is recorded). A task already raised is not raised again."""
    try:
        status = tenant_ledger.status(ledger, catalog, who)
    except NotFound:
        return []
    bases = _bases(accounts, who, filings.all(who, include_closed=False))
    return _raise(filings, who, ledger_changes(status, bases, catalog), None)


def _bases(accounts: Accounts, who: Principal, active: list[Filing]) -> list[Basis]:
    """The open filings with the decisions they rest on (each decision read once)."""
    logged: dict[str, Source] = {}
    bases = []
    for f in active:
        if not f.decision_id:
            continue
        if f.decision_id not in logged:
            logged[f.decision_id] = from_log(accounts, who, f.decision_id)
        basis = logged[f.decision_id]
        bases.append(Basis(f, basis.decision, basis.request))
    return bases


def _raise(
    filings: Filings, who: Principal, raised: list[Change], decision_id: str | None
) -> list[Task]:
    known = {(t.kind, t.filing_id, t.decision_id) for t in filings.tasks(who)}
    out = []
    for c in raised:
        if (c.kind, c.filing_id, decision_id) in known:
            continue
        out.append(filings.add_task(who, c.kind, c.rule, c.text, c.filing_id, decision_id))
    return out


def procedure_of(filing: Filing, catalog: Catalog) -> Procedure:
    found = catalog.procedures.get(filing.procedure)
    if found is None:
        raise FilingError(
            f"filing {filing.id}: procedure {filing.procedure!r} is not in the catalogue"
        )
    if filing.state is not None and filing.state not in {s.id for s in found.states}:
        raise FilingError(
            f"filing {filing.id}: state {filing.state!r} is not a state of {found.id} in this"
            " catalogue (was it made under another version?)"
        )
    return found


def view(
    filing: Filing,
    catalog: Catalog,
    as_of: dt.date,
    lang: Lang,
    calendar: WorkCalendar | None = None,
) -> View:
    procedure = procedure_of(filing, catalog)
    cal = calendar or default_calendar()
    state = procedure.state(filing.state).name.get(lang) if filing.state else None
    return View(
        filing,
        procedure,
        state,
        statuses(procedure, filing.events, filing.closed, as_of, cal, lang),
        allowed(procedure, filing.state),
    )


def record_event(
    filings: Filings,
    who: Principal,
    filing_id: str,
    event: str,
    on: dt.date,
    catalog: Catalog,
    note: str = "",
    lang: Lang = "en",
) -> Filing:
    cal = default_calendar()
    _not_the_zones(filings, who, filing_id, event, catalog, lang)

    def decide(current: Filing) -> tuple[str, bool]:
        procedure = procedure_of(current, catalog)
        state = advance(procedure, current.state, current.events, event, on, cal, lang)
        return state, procedure.state(state).final

    return filings.record(who, filing_id, event, on, decide, note)


def _not_the_zones(
    filings: Filings, who: Principal, filing_id: str, event: str, catalog: Catalog, lang: Lang
) -> None:
    """A zone's answer is the company's to record while the zone is not in kuajing; once the
    company has submitted the step to its zone here, the centre records it (in the console)."""
    move = procedure_of(filings.get(who, filing_id), catalog).transition(event)
    if move is None or move.by != "zone":
        return
    if ZoneStore(filings.engine).submissions(who, open_only=True, filing_id=filing_id):
        raise InvalidTransition(
            pick(
                lang,
                f"“{event}”由自贸区服务中心在审核该提交时记录",
                f"{event!r} is recorded by the zone's centre when it reviews the submission",
            )
        )


def due(
    filings: Filings,
    who: Principal,
    catalog: Catalog,
    as_of: dt.date,
    within: int | None,
    lang: Lang,
) -> list[tuple[View, DeadlineStatus]]:
    """Open filings' deadlines that the company must watch, soonest first: due, overdue, windows
    and validities, within `within` days of `as_of` (all of them when None)."""
    out = []
    for filing in filings.all(who, include_closed=False):
        v = view(filing, catalog, as_of, lang)
        out += [(v, d) for d in v.deadlines if watched(d, within)]
    return sorted(out, key=lambda pair: (pair[1].date or dt.date.max, pair[0].filing.id))


def watched(d: DeadlineStatus, within: int | None = None) -> bool:
    """A dated deadline the company acts on or watches (not the authority's review clock),
    within `within` days ahead when given (overdue ones always)."""
    if d.state not in ACTIVE_DUE or d.kind == "review" or d.days_left is None:
        return False
    return within is None or d.days_left <= within


def ical(items: list[tuple[View, DeadlineStatus]], lang: Lang) -> bytes:
    """An iCalendar file with one all-day event per deadline."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//kuajing//filings//EN")
    cal.add("version", "2.0")
    for v, d in items:
        if d.date is None:
            continue
        event = icalendar.Event()
        event.add("uid", f"{v.filing.id}-{d.id}@kuajing")
        event.add("summary", f"{d.name} ({d.rule})")
        event.add("dtstart", d.date)
        event.add("dtend", d.date + dt.timedelta(days=1))
        event.add("dtstamp", dt.datetime.now(dt.UTC).replace(microsecond=0))
        lines = [v.filing.subject, f"{v.procedure.name.get(lang)} · {d.rule} · {d.confidence}"]
        if d.provisional and d.assumption:
            lines.append(d.assumption)
        event.add("description", "\n".join(lines))
        cal.add_component(event)
    written: bytes = cal.to_ical()
    return written
