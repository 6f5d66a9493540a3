"""A submission's page in a test client, for the company and the centre: the persons each
transfer declared (30,000 persons' sensitive PI and no other PI once showed "Persons —"), in
English and in Chinese; and the menus that act (the answer to the centre, the centre's review,
a filing's event, an inspection's step) start on "Choose…", and a form sent unchanged is
refused with the reason and changes nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.filing.store import Filings
from kuajing.services import zone_inspections as inspecting
from kuajing.services import zone_review as review
from kuajing.services.declared_persons import Persons, declared
from tests.web.submission_case import (
    COMPANY,
    COMPANY_ZH,
    REVIEWER,
    REVIEWER_ZH,
    SENSITIVE_TRIAL,
    filings,
    people,
)
from tests.web.support import add_user, form_csrf, sign_in

LIST_USE = "beijing-list-use"


def _as(client: TestClient, email: str) -> str:
    client.cookies.clear()
    sign_in(client, email)
    return form_csrf(client.get("/notifications").text)


def _submitted(client: TestClient, db: str) -> tuple[str, str]:
    """The company submits its list-use filing from the filing's page: (filing, submission)."""
    people(db)
    filing_id = filings(db)[LIST_USE]
    csrf = _as(client, COMPANY)
    sent = client.post("/zone/submissions", data={"csrf": csrf, "filing_id": filing_id})
    assert sent.status_code == 200 and "/zone/submissions/" in str(sent.url)
    return filing_id, str(sent.url).split("/")[-1].split("?")[0]


def _section(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}".*?</(?:section|article)>', html, re.S)
    assert found, testid
    return found.group(0)


def _history(db: str, submission_id: str) -> tuple[str, int]:
    with Accounts.open(db) as store:
        s = review.store(store).submission(store.principal_by_email(REVIEWER), submission_id)
    return s.state, len(s.history)


def test_the_persons_are_read_from_the_counters_the_request_declared() -> None:
    found = declared(SENSITIVE_TRIAL)
    (trial,) = found.transfers
    assert trial.persons == Persons(personal=0, sensitive=30_000, distinct=None)
    assert found.earlier == Persons(5_000, 2_000, None)
    assert trial.fields == ["身份证号", "病历"] and trial.recipient == "Acme GmbH"
    assert declared(None).transfers == [] and declared({"transfers": []}).earlier is None


@pytest.mark.parametrize(
    ("email", "label", "earlier"),
    [
        (COMPANY, "Persons (sensitive PI)", "Earlier exports"),
        (REVIEWER, "Persons (sensitive PI)", "Earlier exports"),
        (COMPANY_ZH, "敏感个人信息人数", "此前出境"),
        (REVIEWER_ZH, "敏感个人信息人数", "此前出境"),
    ],
)
def test_both_sides_see_the_persons_declared(
    client: TestClient, web_db: str, email: str, label: str, earlier: str
) -> None:
    _, submission_id = _submitted(client, web_db)
    _as(client, email)
    page = client.get(f"/zone/submissions/{submission_id}").text
    persons = _section(page, "persons")
    assert label in persons and 'data-testid="persons-sensitive">30,000<' in persons
    assert 'data-testid="persons-personal">0<' in persons
    assert earlier in persons and "5,000" in persons and "2,000" in persons
    row = re.search(r'data-testid="decision-persons">(.*?)</dd>', page, re.S)
    assert row and "30,000" in row.group(1) and "—" not in row.group(1)


@pytest.mark.parametrize(
    ("email", "choose", "error"),
    [
        (COMPANY, "Choose…", "choose an action from the menu first"),
        (REVIEWER, "Choose…", "choose an action from the menu first"),
        (COMPANY_ZH, "请选择…", "请先在菜单中选择一项操作"),
        (REVIEWER_ZH, "请选择…", "请先在菜单中选择一项操作"),
    ],
)
def test_the_answer_menus_start_on_choose_and_refuse_it(
    client: TestClient, web_db: str, email: str, choose: str, error: str
) -> None:
    _, submission_id = _submitted(client, web_db)
    csrf = _as(client, email)
    page = client.get(f"/zone/submissions/{submission_id}").text
    menu = re.search(r'<select name="action".*?</select>', page, re.S)
    assert menu and re.findall(r"<option[^>]*selected[^>]*>([^<]*)<", menu.group(0)) == [choose]
    act = f"/zone/submissions/{submission_id}/actions"
    sent = client.post(act, data={"csrf": csrf, "action": "", "reason": "typed", "date": ""})
    assert (
        sent.status_code == 422 and error in sent.text and 'data-testid="zone-error"' in sent.text
    )
    assert ">typed</textarea>" in sent.text  # what was typed is kept
    assert _history(web_db, submission_id) == ("submitted", 1)


def test_a_viewer_sending_the_unchanged_menu_is_refused(client: TestClient, web_db: str) -> None:
    _, submission_id = _submitted(client, web_db)
    add_user(web_db, "pharma", "v@pharma.example", "viewer")
    csrf = _as(client, "v@pharma.example")
    sent = client.post(f"/zone/submissions/{submission_id}/actions", data={"csrf": csrf})
    assert sent.status_code == 403
    assert _history(web_db, submission_id) == ("submitted", 1)


@pytest.mark.parametrize(
    ("email", "error"),
    [(COMPANY, "choose an event from the menu first"), (COMPANY_ZH, "请先在菜单中选择一个事件")],
)
def test_the_filing_event_menu_starts_on_choose(
    client: TestClient, web_db: str, email: str, error: str
) -> None:
    people(web_db)
    made = filings(web_db)
    csrf = _as(client, email)
    pages = {f: client.get(f"/filings/{f}").text for f in made.values()}
    with_menu = {f: p for f, p in pages.items() if 'data-testid="event"' in p}
    assert with_menu
    for filing_id, page in with_menu.items():
        menu = re.search(r'<select name="event".*?</select>', page, re.S)
        assert menu and re.findall(r'<option value="([^"]*)"[^>]*selected', menu.group(0)) == [""]
        sent = client.post(f"/filings/{filing_id}/events", data={"csrf": csrf, "event": ""})
        assert sent.status_code == 422 and error in sent.text
        with Accounts.open(web_db) as store:
            who = store.principal_by_email(COMPANY)
            assert Filings(store.engine).get(who, filing_id).events == []


@pytest.mark.parametrize(
    ("email", "error"),
    [(REVIEWER, "choose a step from the menu first"), (REVIEWER_ZH, "请先在菜单中选择一个步骤")],
)
def test_the_inspection_step_menu_starts_on_choose(
    client: TestClient, web_db: str, email: str, error: str
) -> None:
    people(web_db)
    filing_id = filings(web_db)[LIST_USE]
    with Accounts.open(web_db) as store:
        who = store.principal_by_email(REVIEWER)
        inspection = inspecting.open_inspection(
            store, who, filing_id, dt.date(2026, 6, 1), default_catalog()
        )
    csrf = _as(client, email)
    path = f"/zone/inspections/{inspection.id}"
    client.post(f"{path}/records", data={"csrf": csrf, "date": "2026-06-02"})
    page = client.get(path).text
    menu = re.search(r'<select name="event".*?</select>', page, re.S)
    assert menu and re.findall(r'<option value="([^"]*)"[^>]*selected', menu.group(0)) == [""]
    sent = client.post(f"{path}/events", data={"csrf": csrf, "event": "", "reason": "x"})
    assert sent.status_code == 422 and error in sent.text
    with Accounts.open(web_db) as store:
        found = review.store(store).inspection(store.principal_by_email(REVIEWER), inspection.id)
    assert (found.state, len(found.history)) == ("compared", 2)
