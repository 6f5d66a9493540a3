"""Forecast notices, on SQLite and PostgreSQL: a projected crossing within its action's lead
time tells the organisation's admins once, in both languages, with the apply-by day; a crossing
further off tells nobody; a member does not see the notice; another organisation never does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.db.engine import writing
from kuajing.ledger.ledger import Ledger
from kuajing.services import forecast as forecasting
from kuajing.services.forecast_notices import after_batch, notify_due
from kuajing.services.recording import record_file
from kuajing.zone.store import ZoneStore
from tests.tenants import add_user

from .helpers import put

CAT = default_catalog()
PROCESSOR = "pharma Co., Ltd."
ADMIN, MEMBER, OTHER = "a@pharma.example", "m@pharma.example", "a@bank.example"


@pytest.fixture
def book(db_url: str, tmp_path: Path) -> Iterator[Ledger]:
    for org, email, role in (("pharma", ADMIN, "admin"), ("pharma", MEMBER, "member")):
        add_user(db_url, org, email, role)
    add_user(db_url, "bank", OTHER, "admin")
    with Ledger.open(db_url, tmp_path / "ledger.key") as ledger:
        yield ledger


def person(db_url: str, email: str) -> Principal:
    with Accounts.open(db_url) as store:
        return store.principal_by_email(email)


def every_ten_days(ledger: Ledger, through: dt.date) -> None:
    """300 new persons with sensitive PI every ten days from 1 January: about 30 a day."""
    day = dt.date(through.year, 1, 1)
    n = 0
    while day <= through:
        put(ledger, [f"p{n + i}" for i in range(300)], day.isoformat(), sensitive=True,
            processor=PROCESSOR)  # fmt: skip
        n, day = n + 300, day + dt.timedelta(days=10)


def check(ledger: Ledger, who: Principal, today: dt.date) -> int:
    fc = forecasting.tenant_forecast(ledger, CAT, who, today=today)
    return notify_due(ledger.engine, who.organisation.id, fc)


def test_a_crossing_within_the_lead_time_tells_the_admins_once(book: Ledger, db_url: str) -> None:
    today = dt.date(2026, 9, 11)
    every_ten_days(book, today)  # 10,000 sensitive persons late in November: 52 WD ahead
    admin = person(db_url, ADMIN)
    assert check(book, admin, today) == 1
    assert check(book, admin, today) == 0  # run again: nobody told twice
    assert check(book, admin, today + dt.timedelta(days=3)) == 0
    zone = ZoneStore(book.engine)
    [notice] = zone.notifications(admin)
    assert notice.subject == "forecast" and len(notice.subject_id) <= 32
    assert "10,000" in notice.text["en"] and "security assessment must be applied for by" in (
        notice.text["en"].lower()
    )
    assert "10,000" in notice.text["zh"] and "数据出境安全评估" in notice.text["zh"]
    assert zone.unread(admin) == 1


def test_a_member_and_another_organisation_do_not_see_it(book: Ledger, db_url: str) -> None:
    today = dt.date(2026, 9, 11)
    every_ten_days(book, today)
    assert check(book, person(db_url, ADMIN), today) == 1
    zone = ZoneStore(book.engine)
    member, other = person(db_url, MEMBER), person(db_url, OTHER)
    assert zone.notifications(member) == [] and zone.unread(member) == 0
    assert zone.notifications(other) == [] and zone.unread(other) == 0
    with writing(book.engine) as conn:  # "mark all read" by a member leaves the admins' notice
        assert zone.mark_read(conn, member, None) == 0
    assert zone.unread(person(db_url, ADMIN)) == 1
    # the other organisation's own forecast shows its own (empty) ledger, not this one
    theirs = forecasting.tenant_forecast(book, CAT, other, today=today)
    assert theirs.processor == "bank Co., Ltd." and all(c.count == 0 for c in theirs.counters)


def test_a_crossing_beyond_the_lead_time_tells_nobody(book: Ledger, db_url: str) -> None:
    today = dt.date(2026, 6, 30)  # the same pace: the declaration is due only in late August
    every_ten_days(book, today)
    admin = person(db_url, ADMIN)
    fc = forecasting.tenant_forecast(book, CAT, admin, today=today)
    sa = next(x for c in fc.counters for x in c.crossings if x.bound == 10_000)
    assert sa.action is not None and sa.action.apply_by > today and not sa.action.due
    assert notify_due(book.engine, admin.organisation.id, fc) == 0
    assert ZoneStore(book.engine).notifications(admin) == []


def test_recording_a_batch_checks_the_forecast(book: Ledger, db_url: str, tmp_path: Path) -> None:
    today = dt.date(2026, 9, 11)
    every_ten_days(book, dt.date(2026, 9, 1))
    member = person(db_url, MEMBER)
    batch = tmp_path / "batch.csv"
    batch.write_text("id\n" + "\n".join(f"x{i}" for i in range(300)) + "\n", encoding="utf-8")
    record_file(
        book, CAT, who=member, processor=PROCESSOR, date=today, path=batch, key=["id"],
        sensitive=True, today=today,
    )  # fmt: skip
    admin = person(db_url, ADMIN)
    assert [n.subject for n in ZoneStore(book.engine).notifications(admin)] == ["forecast"]
    assert after_batch(book, CAT, member, today) == 0  # already told


def test_two_checks_at_the_same_moment_still_tell_once(book: Ledger, db_url: str) -> None:
    """The second of two racing checks finds the unique index (0011) and adds nothing; other
    subjects still repeat (a submission is told at each step)."""
    from sqlalchemy.exc import IntegrityError  # noqa: PLC0415

    from kuajing.zone.store import notify, notify_once  # noqa: PLC0415

    org = person(db_url, ADMIN).organisation.id
    text = {"zh": "预测", "en": "forecast"}
    with writing(book.engine) as conn:
        notify(conn, org, "forecast", "2026-abc", text)  # what the other check inserted
    with pytest.raises(IntegrityError), writing(book.engine) as conn:
        notify(conn, org, "forecast", "2026-abc", text)  # as if its own check had missed it
    with writing(book.engine) as conn:
        assert notify_once(conn, org, "forecast", "2026-abc", text) is False
        notify(conn, org, "submission", "s1", text)
        notify(conn, org, "submission", "s1", text)


# --- a zone list's bands ------------------------------------------------------------------------

TRIALS = "beijing-2024/pharmaceuticals/clinical_trial"  # the Beijing list's clinical trials


def trials_every_ten_days(ledger: Ledger, through: dt.date, n: int) -> None:
    """`n` new trial subjects with sensitive PI every ten days from 1 January, under the list."""
    day, first = dt.date(through.year, 1, 1), 0
    while day <= through:
        put(ledger, [f"t{first + i}" for i in range(n)], day.isoformat(), sensitive=True,
            processor=PROCESSOR, scopes=[TRIALS])  # fmt: skip
        first, day = first + n, day + dt.timedelta(days=10)


def test_a_list_band_within_its_lead_tells_the_admins_once(book: Ledger, db_url: str) -> None:
    """39,000 subjects by 11 September, about 150 a day: the list's 50,000 (security assessment)
    late in November, within the assessment's 52 working days. The national counters hold the
    same persons: their sensitive 10,000 was reached in March (nothing left to start), and the
    list's 10,000 (standard contract) too; so the one notice is the list's."""
    today = dt.date(2026, 9, 11)
    trials_every_ten_days(book, today, 1_500)
    admin = person(db_url, ADMIN)
    fc = forecasting.tenant_forecast(book, CAT, admin, today=today)
    trials = next(c for c in fc.counters if c.scope == TRIALS and c.counter == "personal")
    sa = next(x for x in trials.crossings if x.bound == 50_000)
    assert sa.rule == "BJ24-PHARMA-PI-SA-1" and sa.action is not None and sa.action.due
    assert sa.action.apply_by <= today
    assert notify_due(book.engine, admin.organisation.id, fc) == 1
    assert check(book, admin, today) == 0
    [notice] = ZoneStore(book.engine).notifications(admin)
    en, zh = notice.text["en"], notice.text["zh"]
    assert "50,000" in en and "BJ24-PHARMA-PI-SA-1" in en and "Clinical trials" in en
    assert "security assessment must be applied for by" in en.lower()
    assert "50,000" in zh and "临床试验" in zh and "申报数据出境安全评估" in zh


def test_a_national_notice_says_the_list_may_govern(book: Ledger, db_url: str) -> None:
    """Every batch was exported under the list, and the national sensitive 10,000 is due: the
    notice still goes out (the ledger cannot know the list governs), with the caveat."""
    today = dt.date(2026, 9, 11)
    trials_every_ten_days(book, today, 300)
    admin = person(db_url, ADMIN)
    assert check(book, admin, today) == 1
    [notice] = ZoneStore(book.engine).notifications(admin)
    assert "10,000" in notice.text["en"] and "free-trade-zone list" in notice.text["en"]
    assert "its bands apply instead" in notice.text["en"]
    assert "自贸试验区清单" in notice.text["zh"] and "适用该清单的门槛" in notice.text["zh"]
