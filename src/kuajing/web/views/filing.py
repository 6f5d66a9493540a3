"""What the filings pages alone show: one filing with its history (whose names the reader may
see), and the deadlines due soon for the dashboard. The listing the API shares is
`services.filing_list`; the rules are `services.filings`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang
from kuajing.filing.models import DeadlineStatus, Event, Filing
from kuajing.filing.store import Filings
from kuajing.services.filing_list import listing, next_deadline
from kuajing.services.filings import View, view, watched

DUE_WITHIN = 30  # days ahead the dashboard looks (anything overdue is shown too)


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
