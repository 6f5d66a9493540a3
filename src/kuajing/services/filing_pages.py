"""What the filings pages and the API show: the organisation's filings with their next deadline,
one filing with its history, what is due soon, and why an event was refused. Built on
`services.filings`, which keeps the rules; this module only shapes its answers for reading."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang
from kuajing.errors import FilingError
from kuajing.filing.models import DeadlineStatus, Event, Filing, Task
from kuajing.filing.store import Filings
from kuajing.services.filings import View, view, watched

Show = Literal["open", "closed", "all"]
DUE_WITHIN = 30  # days ahead the dashboard looks (anything overdue is shown too)


@dataclass(frozen=True)
class Row:
    view: View
    next: DeadlineStatus | None  # the soonest deadline the company must watch


@dataclass(frozen=True)
class Broken:
    """A filing the catalogue in use cannot show (its procedure or state is not in it)."""

    filing: Filing
    reason: str


@dataclass(frozen=True)
class Listing:
    rows: list[Row]
    broken: list[Broken]
    tasks: list[Task]  # open ones


@dataclass(frozen=True)
class HistoryLine:
    event: Event
    name: str  # the event's name in the procedure (its id if the procedure no longer has it)
    state: str | None  # the name of the state it led to
    by: str | None  # who recorded it, when the reader may know their name


@dataclass(frozen=True)
class Detail:
    view: View
    next: DeadlineStatus | None
    history: list[HistoryLine]
    event_names: dict[str, str]  # every event of the procedure, by id


@dataclass(frozen=True)
class DueLine:
    filing: Filing
    procedure: str  # its name
    deadline: DeadlineStatus


def next_deadline(v: View) -> DeadlineStatus | None:
    """The soonest dated deadline the company must act on or watch (not the authority's)."""
    dated = [d for d in v.deadlines if watched(d)]
    return min(dated, key=lambda d: d.date or dt.date.max) if dated else None


def listing(
    filings: Filings, who: Principal, catalog: Catalog, as_of: dt.date, lang: Lang, show: Show
) -> Listing:
    found = filings.all(who, include_closed=show != "open")
    if show == "closed":
        found = [f for f in found if f.closed]
    rows, broken = [], []
    for f in found:
        try:
            v = view(f, catalog, as_of, lang)
        except FilingError as exc:  # made under another catalogue: listed, not hidden
            broken.append(Broken(f, str(exc)))
            continue
        rows.append(Row(v, next_deadline(v)))
    return Listing(rows, broken, filings.tasks(who))


def detail(
    accounts: Accounts,
    filings: Filings,
    who: Principal,
    catalog: Catalog,
    filing_id: str,
    as_of: dt.date,
    lang: Lang,
) -> Detail:
    v = view(filings.get(who, filing_id), catalog, as_of, lang)
    names = {t.event: t.name.get(lang) for t in v.procedure.transitions}
    states = {s.id: s.name.get(lang) for s in v.procedure.states}
    people = _names(accounts, who)
    history = [
        HistoryLine(
            e,
            names.get(e.event, e.event),
            states.get(e.state, e.state) if e.state else None,
            people.get(e.by or ""),
        )
        for e in v.filing.events
    ]
    return Detail(v, next_deadline(v), history, names)


def _names(accounts: Accounts, who: Principal) -> dict[str, str]:
    """Whose names the reader may see: all of the organisation's for an admin (who manages
    them), else only their own (colleagues' personal data is for admins)."""
    if who.may("admin"):
        return {str(u.id): u.name for u in accounts.users(who)}
    return {str(who.user.id): who.user.name}


def due_soon(
    filings: Filings,
    who: Principal,
    catalog: Catalog,
    as_of: dt.date,
    lang: Lang,
    within: int = DUE_WITHIN,
) -> list[DueLine]:
    """Deadlines within `within` days and overdue ones, soonest first, for the dashboard."""
    out = []
    for row in listing(filings, who, catalog, as_of, lang, "open").rows:
        name = row.view.procedure.name.get(lang)
        out += [DueLine(row.view.filing, name, d) for d in row.view.deadlines if watched(d, within)]
    return sorted(out, key=lambda line: (line.deadline.date or dt.date.max, line.filing.id))


def refusal(exc: FilingError, v: View, lang: Lang) -> str:
    """Why an event was refused, and which events the filing allows now."""
    message = str(exc)
    if "allowed now" in message or "现可记录" in message:
        return message
    if lang == "zh":
        return f"{message}（现可记录：{'、'.join(t.event for t in v.allowed) or '无'}）"
    return f"{message} (allowed now: {', '.join(t.event for t in v.allowed) or 'none'})"
