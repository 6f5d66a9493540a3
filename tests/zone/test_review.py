"""Submissions to a zone's service centre, on SQLite and PostgreSQL: a Beijing company applies to
use the list; the Beijing centre asks for more information, the company answers, the centre
approves, and the filing moves with it; each step is in the history and notified. Nobody outside
the zone, and no other company, sees it."""

from __future__ import annotations

import datetime as dt

import pytest

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.engine import Request
from kuajing.errors import Forbidden, InvalidTransition, NotFound
from kuajing.filing.store import Filings
from kuajing.services import filings as filing_service
from kuajing.services import zone_review as review
from kuajing.services.decisions import assess_and_log
from tests.tenants import add_user

D = dt.date


def who(
    db_url: str, org: str, email: str, zone: str, role: str = "member", kind: str = "enterprise"
) -> Principal:
    add_user(db_url, org, email, role, zone=zone, kind=kind)  # type: ignore[arg-type]
    with Accounts.open(db_url) as store:
        return store.principal_by_email(email)


def beijing_filing(store: Accounts, company: Principal) -> str:
    """A Beijing clinical-trial transfer of 12,000 persons: the list-use filing it requires."""
    request = Request.model_validate(
        {
            "date": "2026-03-02",
            "processor": {"name": company.organisation.name, "zone": "beijing"},
            "transfers": [{"id": "t1", "scenario": "临床试验", "personal": 12000}],
        }
    )
    _, record = assess_and_log(store, company, request, default_catalog(), "en")
    source = filing_service.from_log(store, company, record.id)
    made = filing_service.create_filings(
        store, Filings(store.engine), company, source, default_catalog(), "en"
    )
    return next(f.id for f in made.filings if f.procedure == "beijing-list-use")


@pytest.fixture
def people(db_url: str) -> dict[str, Principal]:
    return {
        "company": who(db_url, "pharma", "m@pharma.example", "beijing"),
        "other": who(db_url, "biotech", "m@biotech.example", "beijing"),
        "beijing": who(db_url, "bj-centre", "r@bj.example", "beijing", "reviewer", "zone"),
        "bj_viewer": who(db_url, "bj-centre", "v@bj.example", "beijing", "viewer", "zone"),
        "shanghai": who(db_url, "sh-centre", "r@sh.example", "shanghai", "reviewer", "zone"),
    }


def test_submit_request_information_answer_approve(
    db_url: str, people: dict[str, Principal]
) -> None:
    cat, company, centre = default_catalog(), people["company"], people["beijing"]
    with Accounts.open(db_url) as store:
        filing_id = beijing_filing(store, company)
        s = review.submit(store, company, filing_id, D(2026, 9, 28), cat)
        assert (s.kind, s.state, s.zone) == ("application", "submitted", "beijing")
        # 5 working days from Mon 28 Sep 2026 cross National Day (1-8 Oct): due Fri 9 Oct? The
        # make-up working days of 2026 decide it; the calendar is the State Council's.
        first = review.item(s, cat, D(2026, 9, 28))
        assert first.clock.rule == "BJ24-PROC-1" and first.clock.working_days == 5
        assert first.clock.date is not None and first.clock.date > D(2026, 10, 2)

        asked = review.act(
            store,
            centre,
            s.id,
            "request_info",
            D(2026, 9, 29),
            cat,
            "the past two years' penalties are missing",
        )
        assert asked.state == "info_requested"
        answered = review.act(
            store, company, s.id, "answer", D(2026, 10, 12), cat, "attached: none in two years"
        )
        assert answered.state == "submitted" and answered.clock_from == D(2026, 10, 12)
        restarted = review.item(answered, cat, D(2026, 10, 12))
        assert restarted.clock.restarted and restarted.clock.note is not None
        assert restarted.clock.date is not None and restarted.clock.date > first.clock.date

        done = review.act(store, centre, s.id, "approve", D(2026, 10, 13), cat, "complete")
        assert done.state == "approved" and done.closed
        assert [e.action for e in done.history] == ["submit", "request_info", "answer", "approve"]
        assert [e.zone_side for e in done.history] == [False, True, False, True]
        assert Filings(store.engine).get(company, filing_id).state == "approved"

        told = review.store(store).notifications(company)
        assert any(
            "requested more information" in n.text["en"] and "penalties" in n.text["en"]
            for n in told
        )
        assert any("通过" in n.text["zh"] for n in told)
        assert review.store(store).notifications(centre)  # the submission and the answer


def test_the_filing_step_needs_an_opinion_before_approval(
    db_url: str, people: dict[str, Principal]
) -> None:
    cat, company, centre = default_catalog(), people["company"], people["beijing"]
    with Accounts.open(db_url) as store:
        filing_id = beijing_filing(store, company)
        s = review.submit(store, company, filing_id, D(2026, 9, 1), cat)
        review.act(store, centre, s.id, "approve", D(2026, 9, 2), cat)
        f = review.submit(store, company, filing_id, D(2026, 9, 3), cat)
        assert f.kind == "filing"
        with pytest.raises(InvalidTransition, match="opinion"):
            review.act(store, centre, f.id, "approve", D(2026, 9, 4), cat)
        with pytest.raises(InvalidTransition, match="reason"):
            review.act(store, centre, f.id, "opinion", D(2026, 9, 4), cat, "", "not_on_list")
        review.act(
            store,
            centre,
            f.id,
            "opinion",
            D(2026, 9, 4),
            cat,
            "clinical data within limits",
            "not_on_list",
        )
        done = review.act(store, centre, f.id, "approve", D(2026, 9, 4), cat)
        assert done.opinion == "not_on_list"
        assert Filings(store.engine).get(company, filing_id).state == "filed"


def test_who_sees_and_does_what(db_url: str, people: dict[str, Principal]) -> None:
    cat = default_catalog()
    with Accounts.open(db_url) as store:
        s = review.submit(
            store, people["company"], beijing_filing(store, people["company"]), D(2026, 9, 1), cat
        )
        zs = review.store(store)
        for outsider in (people["shanghai"], people["other"]):
            with pytest.raises(NotFound):
                zs.submission(outsider, s.id)
            assert zs.submissions(outsider) == []
            with pytest.raises(NotFound):
                review.act(store, outsider, s.id, "approve", D(2026, 9, 2), cat)
        assert zs.submission(people["bj_viewer"], s.id).id == s.id  # a zone's viewer reads
        with pytest.raises(Forbidden):
            review.act(store, people["bj_viewer"], s.id, "approve", D(2026, 9, 2), cat)
        with pytest.raises(InvalidTransition, match="company"):
            review.act(store, people["company"], s.id, "approve", D(2026, 9, 2), cat)
        with pytest.raises(InvalidTransition, match="centre"):
            review.act(store, people["beijing"], s.id, "answer", D(2026, 9, 2), cat, "x")


def test_the_queue_is_ordered_by_the_working_day_due(
    db_url: str, people: dict[str, Principal]
) -> None:
    cat = default_catalog()
    with Accounts.open(db_url) as store:
        late = review.submit(
            store, people["company"], beijing_filing(store, people["company"]), D(2026, 9, 10), cat
        )
        early = review.submit(
            store, people["other"], beijing_filing(store, people["other"]), D(2026, 9, 3), cat
        )
        order = [
            i.submission.id for i in review.queue(store, people["beijing"], cat, D(2026, 9, 10))
        ]
        assert order == [early.id, late.id]
        assert review.queue(store, people["shanghai"], cat, D(2026, 9, 10)) == []


def test_once_submitted_the_centre_records_its_own_answer(
    db_url: str, people: dict[str, Principal]
) -> None:
    cat, company = default_catalog(), people["company"]
    with Accounts.open(db_url) as store:
        filing_id = beijing_filing(store, company)
        filings = Filings(store.engine)
        review.submit(store, company, filing_id, D(2026, 9, 1), cat)
        with pytest.raises(InvalidTransition, match="zone's centre"):
            filing_service.record_event(filings, company, filing_id, "approve", D(2026, 9, 2), cat)
        # A company whose zone is not in kuajing records the centre's answer itself.
        other = beijing_filing(store, people["other"])
        done = filing_service.record_event(
            filings, people["other"], other, "apply", D(2026, 9, 1), cat
        )
        done = filing_service.record_event(
            filings, people["other"], other, "approve", D(2026, 9, 2), cat
        )
        assert done.state == "approved"
