"""Filings kept in the service's database, per organisation (tenant): another organisation's
filing is `NotFound`, a viewer cannot change one, and an event is checked and recorded in one
write transaction, so two people advancing the same filing cannot both succeed from one state."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, select, update

from kuajing.accounts.models import Principal
from kuajing.db.engine import reading, writing
from kuajing.errors import Forbidden, NotFound
from kuajing.filing.models import Event, Filing, Task
from kuajing.filing.schema import filing_events, filings, tasks

# Decides the state after an event, from the filing as it is inside the transaction.
Decide = Callable[[Filing], tuple[str, bool]]  # (new state, closed)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Filings:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(
        self,
        who: Principal,
        procedure: str,
        state: str | None,
        subject: str,
        decision_id: str | None = None,
        transfers: list[str] | None = None,
    ) -> Filing:
        _member(who)
        row = {
            "id": uuid.uuid4().hex,
            "organisation_id": who.organisation.id,
            "procedure": procedure,
            "state": state,
            "decision_id": decision_id,
            "transfers": json.dumps(transfers or []),
            "subject": subject,
            "created_at": _now(),
            "closed": False,
        }
        with writing(self.engine) as conn:
            conn.execute(insert(filings), row)
        return _filing(row, [])

    def get(self, who: Principal, filing_id: str) -> Filing:
        with reading(self.engine) as conn:
            return self._get(conn, who, filing_id)

    def all(self, who: Principal, include_closed: bool = True) -> list[Filing]:
        query = select(filings).where(filings.c.organisation_id == who.organisation.id)
        if not include_closed:
            query = query.where(filings.c.closed.is_(False))
        with reading(self.engine) as conn:
            rows = conn.execute(query.order_by(filings.c.created_at, filings.c.id)).all()
            events = _events(conn, [r.id for r in rows])
        return [_filing(r._mapping, events.get(r.id, [])) for r in rows]

    def for_decision(self, who: Principal, decision_id: str) -> list[Filing]:
        return [f for f in self.all(who) if f.decision_id == decision_id]

    def record(
        self, who: Principal, filing_id: str, event: str, on: dt.date, decide: Decide, note: str
    ) -> Filing:
        """Record `event`: `decide` checks it against the filing as stored (under the write
        lock) and gives the new state, or raises."""
        _member(who)
        with writing(self.engine) as conn:
            self._get(conn, who, filing_id)  # the caller's organisation's, or NotFound
            return record_in(conn, filing_id, event, on, decide, note, who.user.id)

    def _get(self, conn: Connection, who: Principal, filing_id: str) -> Filing:
        return filing_in(conn, filing_id, who.organisation.id)

    # --- tasks -------------------------------------------------------------------------------

    def add_task(
        self,
        who: Principal,
        kind: str,
        rule: str,
        text: dict[str, str],
        filing_id: str | None,
        decision_id: str | None,
    ) -> Task:
        row = {
            "id": uuid.uuid4().hex,
            "organisation_id": who.organisation.id,
            "kind": kind,
            "rule": rule,
            "text": json.dumps(text, ensure_ascii=False),
            "filing_id": filing_id,
            "decision_id": decision_id,
            "created_at": _now(),
            "done_at": None,
        }
        with writing(self.engine) as conn:
            conn.execute(insert(tasks), row)
        return Task(**{**row, "text": text})

    def tasks(self, who: Principal, open_only: bool = True) -> list[Task]:
        query = select(tasks).where(tasks.c.organisation_id == who.organisation.id)
        if open_only:
            query = query.where(tasks.c.done_at.is_(None))
        with reading(self.engine) as conn:
            rows = conn.execute(query.order_by(tasks.c.created_at, tasks.c.id)).all()
        return [_task(r) for r in rows]

    def finish_task(self, who: Principal, task_id: str) -> Task:
        _member(who)
        with writing(self.engine) as conn:
            found = conn.execute(
                select(tasks).where(
                    tasks.c.id == task_id, tasks.c.organisation_id == who.organisation.id
                )
            ).first()
            if found is None:
                raise NotFound(f"no task {task_id}")
            done = found.done_at or _now()
            conn.execute(update(tasks).where(tasks.c.id == task_id).values(done_at=done))
        return _task(found).model_copy(update={"done_at": done})


def filing_in(conn: Connection, filing_id: str, organisation_id: int) -> Filing:
    """The filing, if it is `organisation_id`'s; else NotFound."""
    row = conn.execute(
        select(filings).where(
            filings.c.id == filing_id, filings.c.organisation_id == organisation_id
        )
    ).first()
    if row is None:
        raise NotFound(f"no filing {filing_id}")
    return _filing(row._mapping, _events(conn, [filing_id]).get(filing_id, []))


def record_in(
    conn: Connection,
    filing_id: str,
    event: str,
    on: dt.date,
    decide: Decide,
    note: str,
    user_id: int,
) -> Filing:
    """Record `event` on a filing inside the caller's write transaction, whoever's it is: the
    caller has checked who may (the company, or its zone's centre for the zone's events)."""
    current = conn.execute(select(filings.c.organisation_id).where(filings.c.id == filing_id))
    organisation_id = current.scalar_one()
    state, closed = decide(filing_in(conn, filing_id, organisation_id))
    row = {
        "filing_id": filing_id,
        "event": event,
        "on_date": on.isoformat(),
        "recorded_at": _now(),
        "user_id": user_id,
        "note": note or None,
        "state": state,
    }
    conn.execute(insert(filing_events), row)
    conn.execute(
        update(filings).where(filings.c.id == filing_id).values(state=state, closed=closed)
    )
    return filing_in(conn, filing_id, organisation_id)


def _task(r: Row[Any]) -> Task:
    return Task(**{**r._mapping, "text": json.loads(r.text)})


def _member(who: Principal) -> None:
    if not who.may("member"):
        raise Forbidden("a viewer cannot change filings")


def _events(conn: Connection, ids: list[str]) -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = {}
    if not ids:
        return out
    rows = conn.execute(
        select(filing_events).where(filing_events.c.filing_id.in_(ids)).order_by(filing_events.c.id)
    ).all()
    for r in rows:
        out.setdefault(r.filing_id, []).append(_event(r))
    return out


def _event(r: Row[Any]) -> Event:
    return Event(
        event=r.event,
        on=dt.date.fromisoformat(r.on_date),
        recorded_at=r.recorded_at,
        by=str(r.user_id) if r.user_id is not None else None,
        note=r.note,
        state=r.state,
    )


def _filing(row: Any, events: list[Event]) -> Filing:
    return Filing(
        id=row["id"],
        organisation_id=row["organisation_id"],
        procedure=row["procedure"],
        state=row["state"],
        decision_id=row["decision_id"],
        transfers=json.loads(row["transfers"]),
        subject=row["subject"],
        created_at=row["created_at"],
        closed=bool(row["closed"]),
        events=events,
    )
