"""A zone's statistics for its service centre: what the companies submitted in a year (by sector,
scenario, kind and state), how long the centre took to decide against its clock (PRC working
days), what is overdue now, and the inspections opened in the year with their outcomes and
findings. Read only; zone staff only (a company has no zone-wide view)."""

from __future__ import annotations

import datetime as dt
import statistics as stats
from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import Connection, select

from kuajing.accounts.models import Principal
from kuajing.accounts.schema import organisations
from kuajing.accounts.store import Accounts
from kuajing.catalog import Catalog
from kuajing.db.engine import reading
from kuajing.errors import Forbidden, KuajingError
from kuajing.services import zone_review as review
from kuajing.workdays import WorkCalendar, default_calendar, working_days_between
from kuajing.zone.models import Inspection, Submission
from kuajing.zone.store import ZoneStore

UNSPECIFIED = "unspecified"  # a company with no sector, a filing with no logged scenario
Outcome = Literal["consistent", "rectified", "terminated", "open"]
OUTCOMES: tuple[Outcome, ...] = ("consistent", "rectified", "terminated", "open")
DECIDED = ("approved", "rejected")


class Timing(BaseModel):
    """A decided submission: working days from its first submission to the centre's decision."""

    submission_id: str
    organisation: str
    kind: str
    state: str  # approved or rejected
    submitted: dt.date
    decided: dt.date
    working_days: int
    due: dt.date | None  # the clock when decided (restarted by an answer); None: no limit known
    on_time: bool | None  # None: no time limit known


class Processing(BaseModel):
    decided: int
    on_time: int
    late: int
    no_limit: int  # decided, with no time limit known
    median_working_days: float | None
    max_working_days: int | None
    open: int
    overdue: int  # open and past their clock on the as-of date
    overdue_ids: list[str]
    timings: list[Timing]  # oldest submission first (then the first decided)


class Inspections(BaseModel):
    opened: int
    by_state: dict[str, int]
    outcomes: dict[str, int]  # each of OUTCOMES, in that order
    findings: dict[str, int]  # by finding kind, over every report


class Statistics(BaseModel):
    zone: str
    year: int
    as_of: dt.date
    submissions: int
    by_sector: dict[str, int]  # largest first
    by_scenario: dict[str, int]  # a submission counts once under each scenario it covers
    by_kind: dict[str, int]
    by_state: dict[str, int]
    processing: Processing
    inspections: Inspections


def statistics(
    accounts: Accounts,
    who: Principal,
    catalog: Catalog,
    year: int,
    as_of: dt.date,
    cal: WorkCalendar | None = None,
) -> Statistics:
    """The caller's zone's statistics for `year` (by the day each submission or inspection was
    first made); what is overdue is counted on `as_of`."""
    if not who.zone_staff or who.organisation.zone is None:
        raise Forbidden(
            "statistics are for a zone's service centre", zh="统计数据仅供自贸区服务中心查看"
        )
    cal = cal or default_calendar()
    store = ZoneStore(accounts.engine)
    subs = [s for s in store.submissions(who) if _first(s, "submit").year == year]
    found = [i for i in store.inspections(who) if _first(i, "open").year == year]
    with reading(accounts.engine) as conn:
        sectors = _sectors(conn)
        scenarios = [_scenarios(conn, s) for s in subs]
    return Statistics(
        zone=who.organisation.zone,
        year=year,
        as_of=as_of,
        submissions=len(subs),
        by_sector=_ranked(sectors.get(s.organisation_id) or UNSPECIFIED for s in subs),
        by_scenario=_ranked(name for names in scenarios for name in names),
        by_kind=_ranked(s.kind for s in subs),
        by_state=_ranked(s.state for s in subs),
        processing=processing(subs, catalog, as_of, cal),
        inspections=inspection_stats(found),
    )


def processing(
    subs: list[Submission], catalog: Catalog, as_of: dt.date, cal: WorkCalendar
) -> Processing:
    timings = [timing(s, catalog, cal) for s in subs if s.state in DECIDED]
    still = [s for s in subs if not s.closed]
    overdue = [
        s.id
        for s in still
        if (due := review.item(s, catalog, as_of, cal).clock.date) is not None and due < as_of
    ]
    days = [t.working_days for t in timings]
    return Processing(
        decided=len(timings),
        on_time=sum(t.on_time is True for t in timings),
        late=sum(t.on_time is False for t in timings),
        no_limit=sum(t.on_time is None for t in timings),
        median_working_days=float(stats.median(days)) if days else None,
        max_working_days=max(days, default=None),
        open=len(still),
        overdue=len(overdue),
        overdue_ids=overdue,
        timings=sorted(timings, key=lambda t: (t.submitted, t.decided, t.submission_id)),
    )


def timing(s: Submission, catalog: Catalog, cal: WorkCalendar) -> Timing:
    submitted = _first(s, "submit")
    decided = next(e.on for e in reversed(s.history) if e.action in ("approve", "reject"))
    due = review.item(s, catalog, decided, cal).clock.date
    return Timing(
        submission_id=s.id,
        organisation=s.organisation,
        kind=s.kind,
        state=s.state,
        submitted=submitted,
        decided=decided,
        working_days=working_days_between(submitted, decided, calendar=cal),
        due=due,
        on_time=None if due is None else decided <= due,
    )


def inspection_stats(found: list[Inspection]) -> Inspections:
    outcomes: Counter[Outcome] = Counter(_outcome(i) for i in found)
    kinds = (
        str(f.get("kind"))
        for i in found
        for f in ((i.report or {}).get("findings") or [])
        if isinstance(f, dict)
    )
    return Inspections(
        opened=len(found),
        by_state=_ranked(i.state for i in found),
        outcomes={o: outcomes[o] for o in OUTCOMES},
        findings=_ranked(kinds),
    )


def _outcome(i: Inspection) -> Outcome:
    finals: dict[str, Outcome] = {o: o for o in OUTCOMES if o != "open"}
    return finals.get(i.state, "open")


def _first(thing: Submission | Inspection, action: str) -> dt.date:
    """The day it was first made (the business date recorded, not the time it was typed in)."""
    for e in thing.history:
        if e.action == action:
            return e.on
    return dt.date.fromisoformat(thing.created_at[:10])


def _sectors(conn: Connection) -> dict[int, str | None]:
    rows = conn.execute(select(organisations.c.id, organisations.c.sector)).all()
    return {r.id: (r.sector or "").strip() or None for r in rows}


def _scenarios(conn: Connection, s: Submission) -> list[str]:
    """The scenarios of the filing's transfers, as its decision's request gave them."""
    try:
        ctx = review.context_in(conn, s.filing_id, s.organisation_id)
    except KuajingError:  # the filing is gone: counted, under no scenario
        return [UNSPECIFIED]
    transfers: list[Any] = list((ctx.request or {}).get("transfers") or [])
    chosen = set(ctx.filing.transfers)
    names = {
        str(t["scenario"]).strip()
        for t in transfers
        if isinstance(t, dict) and t.get("scenario") and (not chosen or t.get("id") in chosen)
    }
    return sorted(names) or [UNSPECIFIED]


def _ranked(items: Iterable[str]) -> dict[str, int]:
    """Counts, largest first, then by name: the order the charts draw them in."""
    counted = Counter(items)
    return dict(sorted(counted.items(), key=lambda kv: (-kv[1], kv[0])))
