"""The transfer register kept in the service's database, per organisation (tenant): another
organisation's flow is `NotFound`, a viewer cannot change one, and every add, change, retirement
and import writes a version to `flow_history` in the same transaction as the flow.

A change names the version it was made from: if someone changed the flow meanwhile, it is a
`Conflict` and nothing is written. A change that leaves the flow as it was writes no version."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, Engine, Row, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from kuajing.accounts.models import Principal
from kuajing.db.engine import reading, writing
from kuajing.errors import Conflict, Forbidden, NotFound
from kuajing.register.models import Flow, FlowStatus
from kuajing.register.schema import flow_batches, flow_decisions, flow_history, flows

Change = Literal["added", "changed", "imported", "retired"]


@dataclass(frozen=True)
class Stored:
    """A flow as the register holds it now."""

    flow: Flow
    version: int
    created_at: str
    updated_at: str

    @property
    def key(self) -> str:
        return self.flow.key


@dataclass(frozen=True)
class Version:
    """One entry of a flow's history: what it became, when, by whom."""

    version: int
    at: str
    actor: str
    change: Change
    flow: Flow


@dataclass(frozen=True)
class Imported:
    """What an import did: keys added, keys changed, and how many were already as given."""

    added: list[str]
    changed: list[str]
    unchanged: int


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def canonical(flow: Flow) -> str:
    """The flow's JSON as stored: the same flow always gives the same text."""
    return json.dumps(flow.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)


def actor_of(who: Principal) -> str:
    """Who made a change, as the history names them: the user, and the API token used."""
    name = who.user.email if who.token is None else f"{who.user.email} ({who.token.name})"
    return name[:320]


class FlowStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- reading -----------------------------------------------------------------------------

    def all(self, who: Principal, status: Iterable[FlowStatus] | None = None) -> list[Stored]:
        query = select(flows).where(flows.c.organisation_id == who.organisation.id)
        if status is not None:
            query = query.where(flows.c.status.in_(list(status)))
        with reading(self.engine) as conn:
            return [_stored(r) for r in conn.execute(query.order_by(flows.c.key)).all()]

    def get(self, who: Principal, key: str) -> Stored:
        with reading(self.engine) as conn:
            return _stored(_row(conn, who, key))

    def history(self, who: Principal, key: str) -> list[Version]:
        with reading(self.engine) as conn:
            row = _row(conn, who, key)
            found = conn.execute(
                select(flow_history)
                .where(flow_history.c.flow_id == row.id)
                .order_by(flow_history.c.version)
            ).all()
        return [
            Version(r.version, r.at, r.actor, r.change, Flow.model_validate_json(r.data))
            for r in found
        ]

    # --- writing -----------------------------------------------------------------------------

    def add(self, who: Principal, flow: Flow) -> Stored:
        _member(who)
        try:
            with writing(self.engine) as conn:
                return _add(conn, who, flow, "added")
        except IntegrityError:  # added by someone else between the check and the insert
            raise _taken(flow.key) from None

    def change(self, who: Principal, key: str, flow: Flow, version: int) -> Stored:
        """Replace the flow made from `version` by `flow` (its key stays `key`)."""
        _member(who)
        flow = flow.model_copy(update={"key": _row_key(key)})
        with writing(self.engine) as conn:
            row = _row(conn, who, key)
            _current(key, row.version, version)
            return _change(conn, who, row, flow, "changed")

    def retire(self, who: Principal, key: str, version: int | None = None) -> Stored:
        """The flow, retired: kept with its history, no longer in the register's request."""
        _member(who)
        with writing(self.engine) as conn:
            row = _row(conn, who, key)
            if version is not None:
                _current(key, row.version, version)
            flow = Flow.model_validate_json(row.data).model_copy(update={"status": "retired"})
            return _change(conn, who, row, flow, "retired")

    def import_all(self, who: Principal, given: list[Flow]) -> Imported:
        """Add or change every flow given, in one transaction; flows as they are stay as they
        are (no new version), flows not given are left alone."""
        _member(who)
        added, changed, same = [], [], 0
        with writing(self.engine) as conn:
            for flow in given:
                row = _find(conn, who, flow.key)
                if row is None:
                    _add(conn, who, flow, "imported")
                    added.append(flow.key)
                elif _change(conn, who, row, flow, "imported").version != row.version:
                    changed.append(flow.key)
                else:
                    same += 1
        return Imported(added, changed, same)

    # --- links: batches and decisions --------------------------------------------------------

    def link_batch(self, who: Principal, key: str, digest: str) -> None:
        """Record that the ledger batch with `digest` was sent by the flow. A batch already
        linked to this flow stays so; one linked to another flow is a `Conflict`."""
        _member(who)
        with writing(self.engine) as conn:
            row = _row(conn, who, key)
            linked = conn.execute(
                select(flow_batches.c.flow_id).where(
                    flow_batches.c.organisation_id == who.organisation.id,
                    flow_batches.c.digest == digest,
                )
            ).scalar()
            if linked == row.id:
                return
            if linked is not None:
                raise Conflict(
                    f"batch {digest[:12]} is already recorded against another flow",
                    zh=f"批次 {digest[:12]} 已记在另一数据流名下",
                )
            conn.execute(
                insert(flow_batches),
                {
                    "flow_id": row.id,
                    "digest": digest,
                    "organisation_id": who.organisation.id,
                    "linked_at": _now(),
                },
            )

    def batch_digests(self, who: Principal, key: str) -> list[str]:
        """The digests of the batches recorded against the flow, in the order linked."""
        with reading(self.engine) as conn:
            row = _row(conn, who, key)
            return list(
                conn.execute(
                    select(flow_batches.c.digest)
                    .where(flow_batches.c.flow_id == row.id)
                    .order_by(flow_batches.c.linked_at, flow_batches.c.digest)
                ).scalars()
            )

    def link_decision(self, who: Principal, keys: list[str], decision_id: str) -> None:
        """Record that the logged decision assessed these flows (as their versions are now)."""
        _member(who)
        at = _now()
        with writing(self.engine) as conn:
            for key in keys:
                row = _row(conn, who, key)
                conn.execute(
                    insert(flow_decisions),
                    {"flow_id": row.id, "decision_id": decision_id, "version": row.version,
                     "at": at},
                )  # fmt: skip

    def latest_decisions(self, who: Principal) -> dict[str, str]:
        """Each assessed flow's key and its newest decision's id."""
        newest = (
            select(flow_decisions.c.flow_id, func.max(flow_decisions.c.at).label("at"))
            .group_by(flow_decisions.c.flow_id)
            .subquery()
        )
        query = (
            select(flows.c.key, flow_decisions.c.decision_id)
            .join(flow_decisions, flow_decisions.c.flow_id == flows.c.id)
            .join(
                newest,
                (newest.c.flow_id == flow_decisions.c.flow_id)
                & (newest.c.at == flow_decisions.c.at),
            )
            .where(flows.c.organisation_id == who.organisation.id)
            .order_by(flow_decisions.c.decision_id)
        )
        with reading(self.engine) as conn:
            return {r.key: r.decision_id for r in conn.execute(query).all()}

    def decision_ids(self, who: Principal, key: str) -> list[str]:
        """The decisions the flow was assessed in, newest first."""
        with reading(self.engine) as conn:
            row = _row(conn, who, key)
            return list(
                conn.execute(
                    select(flow_decisions.c.decision_id)
                    .where(flow_decisions.c.flow_id == row.id)
                    .order_by(flow_decisions.c.at.desc(), flow_decisions.c.decision_id)
                ).scalars()
            )


def _add(conn: Connection, who: Principal, flow: Flow, change: Change) -> Stored:
    if _find(conn, who, flow.key) is not None:
        raise _taken(flow.key)
    now, data = _now(), canonical(flow)
    row = {
        "organisation_id": who.organisation.id,
        "key": flow.key,
        "version": 1,
        "status": flow.status,
        "data": data,
        "created_at": now,
        "updated_at": now,
    }
    flow_id = conn.execute(insert(flows).returning(flows.c.id), row).scalar_one()
    _log(conn, who, flow_id, 1, now, change, data)
    return Stored(flow, 1, now, now)


def _change(conn: Connection, who: Principal, row: Row[Any], flow: Flow, change: Change) -> Stored:
    data = canonical(flow)
    if data == row.data:  # nothing to record
        return _stored(row)
    now, version = _now(), row.version + 1
    done = conn.execute(
        update(flows)
        .where(flows.c.id == row.id, flows.c.version == row.version)
        .values(version=version, status=flow.status, data=data, updated_at=now)
    )
    if done.rowcount != 1:  # pragma: no cover - the write lock makes this unreachable
        raise _stale(flow.key)
    _log(conn, who, row.id, version, now, change, data)
    return Stored(flow, version, row.created_at, now)


def _log(
    conn: Connection, who: Principal, flow_id: int, version: int, at: str, change: Change, data: str
) -> None:
    conn.execute(
        insert(flow_history),
        {"flow_id": flow_id, "version": version, "at": at, "actor": actor_of(who),
         "change": change, "data": data},
    )  # fmt: skip


def _row_key(key: str) -> str:
    return key.strip().lower()


def _find(conn: Connection, who: Principal, key: str) -> Row[Any] | None:
    return conn.execute(
        select(flows).where(
            flows.c.organisation_id == who.organisation.id, flows.c.key == _row_key(key)
        )
    ).first()


def _row(conn: Connection, who: Principal, key: str) -> Row[Any]:
    found = _find(conn, who, key)
    if found is None:
        raise NotFound(f"no flow {key!r} in the register", zh=f"登记簿中没有数据流 {key!r}")
    return found


def _stored(r: Row[Any]) -> Stored:
    return Stored(Flow.model_validate_json(r.data), r.version, r.created_at, r.updated_at)


def _current(key: str, stored: int, given: int) -> None:
    if stored != given:
        raise _stale(key, stored, given)


def _stale(key: str, stored: int | None = None, given: int | None = None) -> Conflict:
    now = f" (now version {stored}, the change was made from {given})" if stored else ""
    now_zh = f"（现为第 {stored} 版，修改基于第 {given} 版）" if stored else ""
    return Conflict(
        f"flow {key!r} was changed meanwhile{now}: read it again and redo the change",
        zh=f"数据流 {key!r} 已被他人修改{now_zh}：请重新读取后再修改",
    )


def _taken(key: str) -> Conflict:
    return Conflict(
        f"flow {key!r} is already in the register: change it instead",
        zh=f"数据流 {key!r} 已在登记簿中：请修改该数据流",
    )


def _member(who: Principal) -> None:
    if not who.may("member") or who.zone_staff:
        raise Forbidden("a viewer cannot change the register", zh="查看者不能修改登记簿")
