"""The assessment form's errors as sentences next to the field at fault (aria-invalid,
aria-describedby, a summary linking to each), in Chinese and English; the recipient's country
chosen from ISO 3166 names in both languages; earlier exports typed by hand are ignored when
the ledger is chosen; and the decision page repeats each transfer's facts."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.support import add_user, form_csrf, sign_in

FORM = {
    "date": "2026-03-01",
    "processor.name": "Example Pharma (Beijing) Co., Ltd.",
    "processor.zone": "beijing",
    "prior_source": "manual",
    "transfers.0.id": "t1",
    "transfers.0.scenario": "临床试验",
    "transfers.0.personal": "30000",
}


def _post(client: TestClient, **changes: str) -> str:
    csrf = form_csrf(client.get("/assess").text)
    answer = client.post("/assess", data={**FORM, "csrf": csrf, **changes})
    assert answer.status_code == 422, answer.text
    return answer.text


def _control(html: str, name: str) -> str:
    found = re.search(rf'<(?:input|select)[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert found, name
    return found.group(0)


def _described(html: str, name: str) -> str:
    """The text of the message the field's aria-describedby points at."""
    control = _control(html, name)
    assert 'aria-invalid="true"' in control
    ref = re.search(r'aria-describedby="([^"]+)"', control)
    assert ref
    message = re.search(rf'id="{ref.group(1)}"[^>]*>([^<]+)<', html)
    assert message
    return message.group(1)


def test_the_persons_range_in_words_next_to_the_field(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    html = _post(client, **{"transfers.0.persons": "25000"})
    said = _described(html, "transfers.0.persons")
    assert "25,000" in said and "30,000" in said and "at least" in said
    assert "between" not in html and "transfers[0]" not in html
    assert 'aria-invalid="true"' not in _control(html, "transfers.0.personal")
    summary = re.search(r'data-testid="form-errors".*?</div>', html, re.S)
    assert summary and 'href="#f-transfers-0-persons"' in summary.group(0)
    assert 'id="f-transfers-0-persons"' in _control(html, "transfers.0.persons")


def test_errors_in_chinese(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "zh@pharma.example", "member", lang="zh")
    sign_in(client, "zh@pharma.example")
    html = _post(client, **{"transfers.0.persons": "25000", "prior.sensitive": "-3"})
    assert "至少" in _described(html, "transfers.0.persons")
    assert "不能为负数" in _described(html, "prior.sensitive")
    summary = re.search(r'data-testid="form-errors".*?</div>', html, re.S)
    assert summary and summary.group(0).count("<li") == 2


def test_an_unknown_country_is_refused_at_the_field(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    html = _post(client, **{"transfers.0.recipient.country": "Deutschland"})
    said = _described(html, "transfers.0.recipient.country")
    assert "Deutschland" in said and "list" in said


def test_the_country_is_chosen_with_both_names(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    form = client.get("/assess").text
    assert re.search(r'<select name="transfers\.0\.recipient\.country"', form)
    assert '<option value="DE">Germany · 德国</option>' in form


def test_hand_typed_earlier_exports_are_ignored_with_the_ledger(
    client: TestClient, web_db: str
) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    html = _post(client, prior_source="ledger", **{"prior.personal": "-5"})
    assert 'aria-invalid="true"' not in _control(html, "prior.personal")
    assert "No batch of yours is recorded" in html
    assert 'class="prior-manual"' in html  # hidden by the stylesheet while the ledger is chosen


def test_the_decision_repeats_each_transfers_facts(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "zh@pharma.example", "member", lang="zh")
    sign_in(client, "zh@pharma.example")
    csrf = form_csrf(client.get("/assess").text)
    facts = {
        "transfers.0.sensitive": "800",
        "transfers.0.recipient.name": "Sponsor GmbH",
        "transfers.0.recipient.country": "DE",
        "prior.personal": "1500",
    }
    answer = client.post("/assess", data={**FORM, "csrf": csrf, **facts})
    assert answer.url.path.startswith("/decisions/"), answer.text
    for params in ({}, {"print": 1}):
        page = client.get(answer.url.path, params=params).text
        row = re.search(r'data-testid="transfer-facts".*?</section>', page, re.S)
        assert row, page
        echoed = row.group(0)
        for expected in ("Sponsor GmbH", "德国", "30,000", "800", "1,500"):
            assert expected in echoed, expected


def test_an_error_names_the_forms_row_when_a_row_is_left_blank(
    client: TestClient, web_db: str
) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    third = {"transfers.2.id": "t1", "transfers.2.personal": "5"}
    html = _post(client, **{"transfers.1.id": "", **third})
    assert "already used by an earlier transfer" in _described(html, "transfers.2.id")
    assert "Transfer 3 · Id" in html


def test_assessing_again_keeps_the_country(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    csrf = form_csrf(client.get("/assess").text)
    answer = client.post(
        "/assess", data={**FORM, "csrf": csrf, "transfers.0.recipient.country": "sg"}
    )
    again = client.get("/assess", params={"from": answer.url.path.rsplit("/", 1)[1]}).text
    assert '<option value="SG" selected>' in again
