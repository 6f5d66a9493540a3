"""Telling an organisation's admins that a projected threshold crossing has come within the
lead time of the action it triggers. One notice per year, scope, threshold and counter, in the
organisation's inbox (the zone store's notices, subject `forecast`, shown to admins only);
checking again, after each batch or each time the forecast is looked at, tells nobody twice."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from kuajing.accounts.models import Principal
from kuajing.catalog import Catalog
from kuajing.db.engine import writing
from kuajing.errors import KuajingError
from kuajing.i18n import COUNTERS, PATHWAYS
from kuajing.ledger.forecast import CounterForecast, Crossing, Forecast
from kuajing.ledger.lead_time import day_en, day_zh
from kuajing.ledger.ledger import Ledger
from kuajing.services import forecast as forecasting
from kuajing.zone.store import notify_once

SUBJECT = "forecast"
log = logging.getLogger(__name__)


def notice_key(year: int, scope: str, rule: str, counter: str, bound: int) -> str:
    """A short stable id (the notices' subject ids hold 32 characters): the year, then a digest
    of what the notice is about."""
    about = f"{scope}|{rule}|{counter}|{bound}".encode()
    return f"{year}-{hashlib.sha256(about).hexdigest()[:20]}"


def due(fc: Forecast) -> list[tuple[CounterForecast, Crossing]]:
    """The crossings whose action is due: the earliest projected crossing is within its lead,
    a list's bands and the national thresholds alike.

    A national crossing is told even when every batch behind it was exported under a zone list
    whose bands are fully encoded. The ledger records the scenario a batch names, not whether
    that list governs the processor: the list's test (registration or activity, CIIOs) is the
    engine's to apply to facts the ledger does not hold, and a person in several list scopes
    cannot be told apart from the daily counts. Staying silent would assume the list governs;
    so the notice goes out and says, with the caveat, that the list's bands apply instead
    where it does."""
    return [
        (c, x) for c in fc.counters for x in c.crossings if x.action is not None and x.action.due
    ]


def notify_due(engine: Engine, organisation_id: int, fc: Forecast) -> int:
    """Notify the organisation of each due crossing it was not told of yet; how many now."""
    told = 0
    with writing(engine) as conn:
        for counter, crossing in due(fc):
            key = notice_key(fc.year, counter.scope, crossing.rule, counter.counter, crossing.bound)
            told += notify_once(conn, organisation_id, SUBJECT, key, text(fc, counter, crossing))
    return told


def after_batch(ledger: Ledger, catalog: Catalog, who: Principal, today: dt.date) -> int:
    """The check after a batch is recorded through the service. The service keeps its ledger
    and its accounts in one database, so the ledger's engine reaches the inbox. A forecast that
    cannot be made (no regime in force) tells nobody and never fails the recording."""
    try:
        flows = forecasting.flows_of(ledger.engine, who)
        fc = forecasting.tenant_forecast(ledger, catalog, who, today=today, flows=flows)
    except KuajingError as exc:
        log.info("no forecast after the batch: %s", exc)
        return 0
    try:
        return notify_due(ledger.engine, who.organisation.id, fc)
    except SQLAlchemyError as exc:  # the batch is recorded: a notice not sent must not undo that
        log.warning("forecast notice not sent after the batch: %s", exc)
        return 0


def text(fc: Forecast, counter: CounterForecast, crossing: Crossing) -> dict[str, str]:
    action = crossing.action
    assert action is not None and crossing.earliest is not None  # only due crossings are told
    what = COUNTERS[counter.counter]
    path = PATHWAYS[crossing.pathway.value]
    end = counter.year_end
    count = counter.count if crossing.count is None else crossing.count
    # The year's end is the counter's own: said only when the band counts that counter alone.
    own = count == counter.count
    end_zh = f"年底预计 {end.low or 0:,}–{end.high or 0:,} 人。" if own else "。"
    end_en = f"; {end.low or 0:,}–{end.high or 0:,} expected by 31 December. " if own else ". "
    where = counter.name
    shaky = action.assumption
    after = [t for t in (crossing.basis, shaky, *counter.notes) if t is not None]
    zh = (
        f"出境人数预测：{where.zh + '，' if where else ''}{what.zh}今年迄今 {count:,} 人，"
        f"预计最早于{day_zh(crossing.earliest)}达到 {crossing.bound:,} 人（{crossing.rule}，"
        f"{path.zh}）{'；' if own else ''}{end_zh}{action.sentence.zh}。"
        + "".join(t.zh for t in after)
    )
    en = (
        f"Forecast: {where.en + ', ' if where else ''}{what.en}, {count:,} so far this year, "
        f"may reach {crossing.bound:,} as early as {day_en(crossing.earliest)} ({crossing.rule}, "
        f"{path.en}){end_en}"
        f"{action.sentence.en[0].upper()}{action.sentence.en[1:]}."
        + "".join(" " + t.en for t in after)
    )
    return {"zh": zh, "en": en}
