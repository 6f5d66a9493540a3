"""The zone console in the service's database. Who sees what is decided here, once:

- a company's users see their own organisation's submissions, inspections and notices;
- a zone organisation's users see those of the companies registered in the zone it serves.

Anything else is `NotFound`, exactly as for an object that does not exist. Writes happen inside a
transaction the service layer opens (`writing`), so a state change, its history line, the filing
event it records and the notice it sends are kept together or not at all."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    Select,
    Table,
    and_,
    func,
    insert,
    select,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from kuajing.accounts.models import Principal
from kuajing.accounts.schema import organisations, users
from kuajing.db.engine import reading
from kuajing.errors import NotFound
from kuajing.ledger.keys import Keyring
from kuajing.trail.record import record
from kuajing.zone.models import Edition, HistoryEvent, Inspection, Notification, Submission
from kuajing.zone.schema import (
    inspections,
    list_editions,
    notifications,
    review_events,
    submissions,
)

# Notices only an organisation's admins see: a projected threshold crossing asks for a decision
# (declare an assessment, sign a contract) that is theirs to take.
ADMIN_SUBJECTS = ("forecast",)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def new_id() -> str:
    return uuid.uuid4().hex


def visible(table: Table, who: Principal) -> ColumnElement[bool]:
    """The rows of `table` (submissions or inspections) the caller may see."""
    if who.zone_staff:
        return table.c.zone == who.organisation.zone
    return table.c.organisation_id == who.organisation.id


class ZoneStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- submissions and inspections -------------------------------------------------------

    def submission(
        self, who: Principal, submission_id: str, conn: Connection | None = None
    ) -> Submission:
        return _submission(*self._one(conn, submissions, who, submission_id, "submission"))

    def submissions(
        self, who: Principal, *, open_only: bool = False, filing_id: str | None = None
    ) -> list[Submission]:
        found = self._listed(submissions, "submission", who, open_only, filing_id)
        return [_submission(row, history) for row, history in found]

    def inspection(
        self, who: Principal, inspection_id: str, conn: Connection | None = None
    ) -> Inspection:
        return _inspection(*self._one(conn, inspections, who, inspection_id, "inspection"))

    def inspections(
        self, who: Principal, *, open_only: bool = False, filing_id: str | None = None
    ) -> list[Inspection]:
        found = self._listed(inspections, "inspection", who, open_only, filing_id)
        return [_inspection(row, history) for row, history in found]

    def _one(
        self, conn: Connection | None, table: Table, who: Principal, ident: str, what: str
    ) -> tuple[Row[Any], list[HistoryEvent]]:
        """One row the caller may see, inside `conn` (a write transaction) or a read of its own."""
        if conn is None:
            with reading(self.engine) as own:
                return self._one(own, table, who, ident, what)
        row = conn.execute(_named(table).where(table.c.id == ident, visible(table, who))).first()
        if row is None:
            raise NotFound(f"no {what} {ident}")
        return row, _history(conn, what, [ident]).get(ident, [])

    def _listed(
        self, table: Table, what: str, who: Principal, open_only: bool, filing_id: str | None
    ) -> list[tuple[Row[Any], list[HistoryEvent]]]:
        query = _named(table).where(visible(table, who))
        if open_only:
            query = query.where(table.c.closed.is_(False))
        if filing_id is not None:
            query = query.where(table.c.filing_id == filing_id)
        with reading(self.engine) as conn:
            rows = conn.execute(query.order_by(table.c.created_at, table.c.id)).all()
            history = _history(conn, what, [r.id for r in rows])
        return [(r, history.get(r.id, [])) for r in rows]

    # --- notifications -------------------------------------------------------------------

    def notifications(self, who: Principal, *, unread_only: bool = False) -> list[Notification]:
        query = select(notifications).where(_notices_for(who))
        if unread_only:
            query = query.where(notifications.c.read_at.is_(None))
        with reading(self.engine) as conn:
            rows = conn.execute(query.order_by(notifications.c.id.desc()).limit(200)).all()
        return [Notification(**{**r._mapping, "text": json.loads(r.text)}) for r in rows]

    def unread(self, who: Principal) -> int:
        """How many notices the caller's organisation has not read (shown in every page's menu)."""
        with reading(self.engine) as conn:
            return int(
                conn.execute(
                    select(func.count(notifications.c.id)).where(
                        _notices_for(who), notifications.c.read_at.is_(None)
                    )
                ).scalar_one()
            )

    def mark_read(self, conn: Connection, who: Principal, notification_id: int | None) -> int:
        """Mark one notice (or all, with None) of the caller's organisation read."""
        query = update(notifications).where(_notices_for(who), notifications.c.read_at.is_(None))
        if notification_id is not None:
            query = query.where(notifications.c.id == notification_id)
        return int(conn.execute(query.values(read_at=now())).rowcount)

    # --- list editions -------------------------------------------------------------------

    def edition(self, who: Principal, edition_id: str) -> Edition:
        with reading(self.engine) as conn:
            row = conn.execute(
                select(list_editions).where(list_editions.c.id == edition_id, _zone_editions(who))
            ).first()
        if row is None:
            raise NotFound(f"no list edition {edition_id}")
        return _edition(row)

    def editions(self, who: Principal) -> list[Edition]:
        with reading(self.engine) as conn:
            rows = conn.execute(
                select(list_editions)
                .where(_zone_editions(who))
                .order_by(list_editions.c.created_at.desc(), list_editions.c.id)
            ).all()
        return [_edition(r) for r in rows]

    def published(self, organisation_id: int | None = None) -> list[Edition]:
        """Every zone's published editions, which join the service's catalogue; with
        `organisation_id`, that company's own published editions instead."""
        private = list_editions.c.private.is_(organisation_id is not None)
        mine = (
            list_editions.c.organisation_id == organisation_id
            if organisation_id is not None
            else true()
        )
        with reading(self.engine) as conn:
            rows = conn.execute(
                select(list_editions)
                .where(list_editions.c.state == "published", private, mine)
                .order_by(list_editions.c.published_at, list_editions.c.id)
            ).all()
        return [_edition(r) for r in rows]


# --- writes, inside the caller's transaction ---------------------------------------------


def add_event(
    conn: Connection,
    subject: str,
    subject_id: str,
    action: str,
    on: dt.date,
    who: Principal,
    state: str,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    *,
    keyring: Keyring,
) -> None:
    """A step in a submission's or inspection's history, and in the actor's audit trail
    (`review.*` or `inspection.*`: the step and the state it led to, not the reason's text)."""
    kind = "review" if subject == "submission" else subject
    noted = {"state": state, "on": on.isoformat(), **(detail or {})}
    record(conn, keyring, who, f"{kind}.{action}", subject_id, noted)
    conn.execute(
        insert(review_events).values(
            subject=subject,
            subject_id=subject_id,
            action=action,
            on_date=on.isoformat(),
            recorded_at=now(),
            user_id=who.user.id,
            organisation_id=who.organisation.id,
            reason=reason or None,
            state=state,
            detail=json.dumps(detail, ensure_ascii=False) if detail else None,
        )
    )


def notify(
    conn: Connection, organisation_id: int, subject: str, subject_id: str, text: dict[str, str]
) -> None:
    conn.execute(
        insert(notifications).values(
            organisation_id=organisation_id,
            subject=subject,
            subject_id=subject_id,
            text=json.dumps(text, ensure_ascii=False),
            created_at=now(),
            read_at=None,
        )
    )


def notify_once(
    conn: Connection, organisation_id: int, subject: str, subject_id: str, text: dict[str, str]
) -> bool:
    """`notify`, unless the organisation was told of this subject and id before (read or not):
    a check run again tells nobody twice. True when a notice was added."""
    told = conn.execute(
        select(notifications.c.id).where(
            notifications.c.organisation_id == organisation_id,
            notifications.c.subject == subject,
            notifications.c.subject_id == subject_id,
        )
    ).first()
    if told is not None:
        return False
    try:  # a check at the same moment may have told them first (a unique index, 0011)
        with conn.begin_nested():
            notify(conn, organisation_id, subject, subject_id, text)
    except IntegrityError:
        return False
    return True


def _notices_for(who: Principal) -> ColumnElement[bool]:
    """The caller's organisation's notices that their role may see: subjects for admins only
    (`ADMIN_SUBJECTS`) are left out for the other roles."""
    mine = notifications.c.organisation_id == who.organisation.id
    if who.may("admin"):
        return mine
    return and_(mine, notifications.c.subject.not_in(ADMIN_SUBJECTS))


def zone_organisations(conn: Connection, zone: str) -> list[int]:
    """The zone organisations serving `zone`: they are told what companies submit."""
    rows = conn.execute(
        select(organisations.c.id).where(
            organisations.c.kind == "zone", organisations.c.zone == zone
        )
    ).all()
    return [r.id for r in rows]


def _zone_editions(who: Principal) -> ColumnElement[bool]:
    """A zone's staff see their zone's editions; a company sees its own private ones only."""
    if who.zone_staff:
        return and_(
            list_editions.c.zone == who.organisation.zone, list_editions.c.private.is_(False)
        )
    return and_(
        list_editions.c.organisation_id == who.organisation.id, list_editions.c.private.is_(True)
    )


# --- rows to values ------------------------------------------------------------------------


def _history(conn: Connection, subject: str, ids: list[str]) -> dict[str, list[HistoryEvent]]:
    out: dict[str, list[HistoryEvent]] = {}
    if not ids:
        return out
    rows = conn.execute(
        select(
            review_events,
            users.c.name.label("user_name"),
            organisations.c.name.label("org_name"),
            organisations.c.kind.label("org_kind"),
        )
        .join(users, users.c.id == review_events.c.user_id)
        .join(organisations, organisations.c.id == review_events.c.organisation_id)
        .where(review_events.c.subject == subject, review_events.c.subject_id.in_(ids))
        .order_by(review_events.c.id)
    ).all()
    for r in rows:
        out.setdefault(r.subject_id, []).append(
            HistoryEvent(
                action=r.action,
                on=dt.date.fromisoformat(r.on_date),
                recorded_at=r.recorded_at,
                by=r.user_name,
                organisation=r.org_name,
                zone_side=r.org_kind == "zone",
                reason=r.reason,
                state=r.state,
                detail=json.loads(r.detail) if r.detail else {},
            )
        )
    return out


def _named(table: Table) -> Select[Any]:
    """The rows of `table` with their company's name (`org_name`)."""
    return select(table, organisations.c.name.label("org_name")).join(
        organisations, organisations.c.id == table.c.organisation_id
    )


def _submission(row: Row[Any], history: list[HistoryEvent]) -> Submission:
    r = row._mapping
    return Submission(
        id=r["id"],
        filing_id=r["filing_id"],
        organisation_id=r["organisation_id"],
        organisation=r["org_name"],
        zone=r["zone"],
        procedure=r["procedure"],
        step=r["step"],
        kind=r["kind"],
        state=r["state"],
        clock_from=dt.date.fromisoformat(r["clock_from"]),
        opinion=r["opinion"],
        created_at=r["created_at"],
        closed=bool(r["closed"]),
        history=history,
    )


def _inspection(row: Row[Any], history: list[HistoryEvent]) -> Inspection:
    r = row._mapping
    return Inspection(
        id=r["id"],
        filing_id=r["filing_id"],
        organisation_id=r["organisation_id"],
        organisation=r["org_name"],
        zone=r["zone"],
        state=r["state"],
        declared=json.loads(r["declared"]),
        report=json.loads(r["report"]) if r["report"] else None,
        rectify_by=dt.date.fromisoformat(r["rectify_by"]) if r["rectify_by"] else None,
        created_at=r["created_at"],
        closed=bool(r["closed"]),
        history=history,
    )


def _edition(row: Row[Any]) -> Edition:
    r = row._mapping
    return Edition(
        **{
            **r,
            "sources": json.loads(r["sources"]),
            "effective_from": dt.date.fromisoformat(r["effective_from"])
            if r["effective_from"]
            else None,
        }
    )
