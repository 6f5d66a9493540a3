"""What the filings API and pages both show: the organisation's filings with their next deadline
(those the catalogue in use cannot show listed apart), and why an event was refused. Built on
`services.filings`, which keeps the rules; this module only shapes its answers for reading."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from kuajing.accounts.models import Principal
from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang
from kuajing.errors import FilingError
from kuajing.filing.models import DeadlineStatus, Filing, Task
from kuajing.filing.store import Filings
from kuajing.services.filings import View, view, watched

Show = Literal["open", "closed", "all"]


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


def refusal(exc: FilingError, v: View, lang: Lang) -> str:
    """Why an event was refused, and which events the filing allows now."""
    message = str(exc)
    if "allowed now" in message or "现可记录" in message:
        return message
    if lang == "zh":
        return f"{message}（现可记录：{'、'.join(t.event for t in v.allowed) or '无'}）"
    return f"{message} (allowed now: {', '.join(t.event for t in v.allowed) or 'none'})"
