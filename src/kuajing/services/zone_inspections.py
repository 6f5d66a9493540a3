"""Consistency inspections (一致性抽验), for the CLI, the API and the pages. A zone's reviewer opens
one on a filing of a company registered in the zone; the company provides a sample of the data it
actually exported (scanned in place, never stored), or the reviewer uses the ledger's records;
kuajing compares what was filed with what it finds and reports the findings; the centre then
closes it, or orders rectification by a date, suspends, requires a new application or terminates.
Each step is a state of the `zone-consistency-inspection` procedure, in the history and notified."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, insert, select, update

from kuajing.accounts.models import Principal
from kuajing.accounts.schema import organisations
from kuajing.accounts.store import Accounts
from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang, Text
from kuajing.catalog.procedures import Procedure
from kuajing.db.engine import writing
from kuajing.errors import FilingError, Forbidden, InvalidTransition, NotFound
from kuajing.filing.machine import advance
from kuajing.filing.models import Event
from kuajing.filing.schema import filings
from kuajing.filing.subject import subject_text
from kuajing.i18n import pick
from kuajing.ledger.ledger import Ledger
from kuajing.scan.models import ScanReport
from kuajing.services.zone_review import context_in
from kuajing.workdays import add_working_days, default_calendar
from kuajing.zone.consistency import Basis, Declared, compare, declared_of, observed_of
from kuajing.zone.models import Inspection
from kuajing.zone.schema import inspections
from kuajing.zone.store import ZoneStore, add_event, new_id, notify, now, zone_organisations

PROCEDURE = "zone-consistency-inspection"
# The centre's steps that must say why (a company's are explained by what it provides).
NEEDS_REASON = {
    "order_rectification",
    "suspend",
    "terminate",
    "reject_rectification",
    "require_reapplication",
}


def procedure(catalog: Catalog) -> Procedure:
    found = catalog.procedures.get(PROCEDURE)
    if found is None:  # a catalogue of one's own without rules/procedures/supervision.yaml
        raise FilingError(f"procedure {PROCEDURE!r} is not in the catalogue in use")
    return found


def open_inspection(
    accounts: Accounts,
    who: Principal,
    filing_id: str,
    on: dt.date,
    catalog: Catalog,
    reason: str = "",
) -> Inspection:
    """Open an inspection of a filing of a company in the reviewer's zone; what the filing
    declared is taken from the decision it was made from, as logged."""
    _reviewer(who)
    p = procedure(catalog)
    with writing(accounts.engine) as conn:
        company = _company_of(conn, who, filing_id)
        ctx = context_in(conn, filing_id, company)
        if ctx.request is None or ctx.decision is None:
            raise FilingError(
                f"filing {filing_id} was not made from a logged decision: kuajing does not know"
                " what it declared, so there is nothing to compare"
            )
        declared = declared_of(ctx.request, ctx.decision, ctx.filing.transfers)
        iid = new_id()
        start = p.start or "sample_requested"
        conn.execute(
            insert(inspections).values(
                id=iid,
                filing_id=filing_id,
                organisation_id=company,
                zone=who.organisation.zone,
                state=start,
                declared=declared.model_dump_json(),
                report=None,
                rectify_by=None,
                created_at=now(),
                closed=False,
            )
        )
        add_event(conn, "inspection", iid, "open", on, who, start, reason, keyring=accounts.keyring)
        notify(
            conn,
            company,
            "inspection",
            iid,
            _notice(p, "open", reason, subject_text(ctx.filing, catalog.procedures)),
        )
        return ZoneStore(accounts.engine).inspection(who, iid, conn)


def provide_sample(
    accounts: Accounts,
    ledger: Ledger,
    who: Principal,
    inspection_id: str,
    scan: ScanReport,
    on: dt.date,
    catalog: Catalog,
    lang: Lang = "en",
) -> Inspection:
    """The company's sample of what it exported, scanned: compared with the filing, together
    with the ledger's batches of the year (their recipients and counts)."""
    return _compare(accounts, ledger, who, inspection_id, "provide_sample", scan, on, catalog, lang)


def use_records(
    accounts: Accounts,
    ledger: Ledger,
    who: Principal,
    inspection_id: str,
    on: dt.date,
    catalog: Catalog,
    lang: Lang = "en",
) -> Inspection:
    """The reviewer compares the filing with the company's ledger records of the year."""
    return _compare(accounts, ledger, who, inspection_id, "use_records", None, on, catalog, lang)


def _compare(
    accounts: Accounts,
    ledger: Ledger,
    who: Principal,
    inspection_id: str,
    event: str,
    scan: ScanReport | None,
    on: dt.date,
    catalog: Catalog,
    lang: Lang,
) -> Inspection:
    p, store = procedure(catalog), ZoneStore(accounts.engine)
    current = store.inspection(who, inspection_id)
    processor = _processor(accounts, current.organisation_id)
    batches = ledger.batches(processor, on.year) if processor else []
    observed = observed_of(scan, batches)
    with writing(accounts.engine) as conn:
        found = store.inspection(who, inspection_id, conn)
        state = _advance(p, found, event, on, who, lang)
        report = compare(_declared(found), observed, Basis.of(p))
        conn.execute(
            update(inspections)
            .where(inspections.c.id == found.id)
            .values(state=state, report=report.model_dump_json())
        )
        detail = {"basis": observed.basis, "findings": len(report.findings)}
        add_event(
            conn, "inspection", found.id, event, on, who, state, None, detail,
            keyring=accounts.keyring,
        )  # fmt: skip
        _tell(conn, who, found, _notice(p, event, "", None, len(report.findings)))
        return store.inspection(who, found.id, conn)


def act(
    accounts: Accounts,
    who: Principal,
    inspection_id: str,
    event: str,
    on: dt.date,
    catalog: Catalog,
    reason: str = "",
    rectify_by: dt.date | None = None,
    lang: Lang = "en",
    working_days: int | None = None,
) -> Inspection:
    """A step after the comparison: the centre's measures, or the company's report that it has
    rectified or re-applied. Ordering rectification needs the date it must be done by, or the
    working days it is given (counted on the PRC calendar from `on`)."""
    if working_days is not None:
        rectify_by = add_working_days(on, working_days).date
    p, store = procedure(catalog), ZoneStore(accounts.engine)
    if event in ("provide_sample", "use_records"):
        raise InvalidTransition(
            pick(lang, "比对须提供样本或使用台账记录", "a comparison needs a sample or the records")
        )
    with writing(accounts.engine) as conn:
        found = store.inspection(who, inspection_id, conn)
        state = _advance(p, found, event, on, who, lang)
        _explained(found, event, on, reason, rectify_by, lang)
        values: dict[str, Any] = {"state": state, "closed": p.state(state).final}
        if event == "order_rectification" and rectify_by is not None:
            values["rectify_by"] = rectify_by.isoformat()
        conn.execute(update(inspections).where(inspections.c.id == found.id).values(**values))
        detail = (
            {"rectify_by": rectify_by.isoformat()}
            if event == "order_rectification" and rectify_by
            else None
        )
        add_event(
            conn, "inspection", found.id, event, on, who, state, reason, detail,
            keyring=accounts.keyring,
        )  # fmt: skip
        _tell(conn, who, found, _notice(p, event, reason, None, None, rectify_by))
        return store.inspection(who, found.id, conn)


def _explained(
    found: Inspection,
    event: str,
    on: dt.date,
    reason: str,
    rectify_by: dt.date | None,
    lang: Lang,
) -> None:
    """The centre's measures say why; an order to rectify says by when (after `on`)."""
    if event in NEEDS_REASON and not reason.strip():
        raise InvalidTransition(pick(lang, f"“{event}”须说明理由", f"{event!r} needs a reason"))
    found_something = bool(found.report and found.report["findings"])
    if event == "close_consistent" and found_something and not reason.strip():
        raise InvalidTransition(
            pick(
                lang,
                "比对有发现：认定一致须说明理由",
                "the comparison found something: closing it as consistent needs a reason",
            )
        )
    if event == "order_rectification" and (rectify_by is None or rectify_by <= on):
        raise InvalidTransition(
            pick(lang, "请给出晚于今日的整改期限", "give a rectification date after today")
        )


def _advance(
    p: Procedure, found: Inspection, event: str, on: dt.date, who: Principal, lang: Lang
) -> str:
    if who.zone_staff and not who.may("reviewer"):
        raise Forbidden("a zone's viewer cannot act on inspections")
    if not who.zone_staff and not who.may("member"):
        raise Forbidden("a viewer cannot answer an inspection")
    move = p.transition(event)
    side = "zone" if who.zone_staff else "company"
    if move is not None and move.by != side:
        raise InvalidTransition(
            pick(
                lang,
                f"“{event}”由{'企业' if move.by == 'company' else '服务中心'}记录",
                f"{event!r} is the {'company' if move.by == 'company' else 'centre'}'s to record",
            )
        )
    events = [
        Event(event=e.action, on=e.on, recorded_at=e.recorded_at, state=e.state)
        for e in found.history
    ]
    return advance(p, found.state, events, event, on, default_calendar(), lang)


def _reviewer(who: Principal) -> None:
    if not who.zone_staff or not who.may("reviewer"):
        raise Forbidden("only a zone's reviewers open inspections")


def _company_of(conn: Connection, who: Principal, filing_id: str) -> int:
    """The company whose filing it is, if registered in the reviewer's zone (else NotFound)."""
    row = conn.execute(
        select(filings.c.organisation_id)
        .join(organisations, organisations.c.id == filings.c.organisation_id)
        .where(
            filings.c.id == filing_id,
            organisations.c.kind == "enterprise",
            organisations.c.zone == who.organisation.zone,
        )
    ).first()
    if row is None:
        raise NotFound(f"no filing {filing_id}")
    return int(row.organisation_id)


def _processor(accounts: Accounts, organisation_id: int) -> str | None:
    with accounts.engine.connect() as conn:
        found = conn.execute(
            select(organisations.c.processor).where(organisations.c.id == organisation_id)
        ).scalar_one_or_none()
    return str(found) if found else None


def _declared(found: Inspection) -> Declared:
    return Declared.model_validate(found.declared)


def _tell(conn: Connection, who: Principal, found: Inspection, text: dict[str, str]) -> None:
    targets = [found.organisation_id] if who.zone_staff else zone_organisations(conn, found.zone)
    for org in targets:
        notify(conn, org, "inspection", found.id, text)


def _notice(
    p: Procedure,
    event: str,
    reason: str,
    subject: Text | None = None,
    findings: int | None = None,
    rectify_by: dt.date | None = None,
) -> dict[str, str]:
    move = p.transition(event)
    name = move.name if move else None
    zh = name.zh if name else "已启动一致性抽验，请提供出境数据样本"
    en = name.en if name else "Consistency inspection opened: provide a sample of the exported data"
    if subject:
        zh, en = f"{zh}（{subject.zh}）", f"{en} ({subject.en})"
    if findings is not None:
        zh += f"：比对发现 {findings} 项问题" if findings else "：比对未发现问题"
        en += f": {findings} finding(s)" if findings else ": nothing found"
    if rectify_by:
        zh += f"；整改期限 {rectify_by.isoformat()}"
        en += f"; rectify by {rectify_by.isoformat()}"
    if reason.strip():
        zh += f"。理由：{reason.strip()}"
        en += f". Reason: {reason.strip()}"
    return {"zh": zh, "en": en}
