"""The guided assessment form and the decision pages, through the test client: the decision
matches the API's for the same request, bad input names the field, every decision is logged
and can be exported, printed, compared and assessed again; other organisations see nothing."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from kuajing.catalog import default_catalog
from kuajing.engine import Request, assess
from tests.web.support import add_user, form_csrf, sign_in

FORM = {
    "date": "2026-03-01",
    "processor.name": "Example Pharma (Beijing) Co., Ltd.",
    "processor.zone": "beijing",
    "prior_source": "manual",
    "transfers.0.id": "t1",
    "transfers.0.scenario": "临床试验",
    "transfers.0.personal": "12000",
}


def _assess(client: TestClient, **changes: str) -> str:
    csrf = form_csrf(client.get("/assess").text)
    answer = client.post("/assess", data={**FORM, "csrf": csrf, **changes})
    assert answer.url.path.startswith("/decisions/"), answer.text
    return answer.url.path.rsplit("/", 1)[1]


def test_the_form_offers_the_zones_scenarios(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    form = client.get("/assess").text
    assert 'name="processor.zone"' in form and '<option value="beijing" selected>' in form
    csrf = form_csrf(form)
    # The scenarios are those of the lists in force on the export date: the 2024 edition's …
    march = client.post("/assess", data={**FORM, "action": "refresh", "csrf": csrf}).text
    assert 'value="临床试验"' in march and 'value="药物警戒"' in march
    # … and in November the 2025 edition's sectors, whose scenarios are not encoded.
    november = {**FORM, "date": "2026-11-21", "action": "refresh", "csrf": csrf}
    later = client.post("/assess", data=november).text
    assert 'value="临床试验"' not in later
    assert re.search(r'value="医药行业"[^>]*>Pharmaceuticals \(the whole sector', later)
    # No zone: no list scenarios, and the form says national rules apply.
    redrawn = client.post(
        "/assess", data={**FORM, "processor.zone": "", "action": "refresh", "csrf": csrf}
    )
    assert redrawn.status_code == 200 and 'value="临床试验"' not in redrawn.text
    assert "national rules apply" in redrawn.text


def test_a_decision_is_the_engines_and_is_logged(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    decision_id = _assess(client, **{"transfers.0.fields": "姓名\n手机号"})
    page = client.get(f"/decisions/{decision_id}").text
    expected = assess(
        Request.model_validate(
            {
                "date": "2026-03-01",
                "processor": {"name": FORM["processor.name"], "zone": "beijing"},
                "transfers": [
                    {
                        "id": "t1",
                        "scenario": "临床试验",
                        "personal": 12000,
                        "fields": ["姓名", "手机号"],
                    }
                ],
            }
        ),
        default_catalog(),
        lang="en",
    )
    assert expected.pathway == "standard_contract_or_certification"
    assert "standard contract filing or certification" in page
    for reason in expected.transfers[0].reasons:
        assert reason.rule in page
    exported = client.get(f"/decisions/{decision_id}.json")
    assert exported.headers["content-disposition"].startswith("attachment")
    body = exported.json()
    assert body["decision"]["pathway"] == expected.pathway
    assert body["request"]["transfers"][0]["fields"] == ["姓名", "手机号"]
    assert body["catalog_digest"] == default_catalog().digest
    printable = client.get(f"/decisions/{decision_id}", params={"print": 1}).text
    assert "nav_dashboard" not in printable and "<nav" not in printable
    assert "12000" in printable  # the request is printed with the decision


def test_bad_input_names_the_field_and_keeps_the_values(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    csrf = form_csrf(client.get("/assess").text)
    answer = client.post("/assess", data={**FORM, "transfers.0.personal": "-3", "csrf": csrf})
    assert answer.status_code == 422
    assert "transfers[0].personal" in answer.text
    field = re.search(r'<input[^>]*name="transfers.0.personal"[^>]*>', answer.text)
    assert field and 'value="-3"' in field.group(0) and 'aria-invalid="true"' in field.group(0)
    assert client.get("/decisions").text.count("/decisions/") == 0  # nothing logged


def test_prior_counts_from_the_ledger_need_batches(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    csrf = form_csrf(client.get("/assess").text)
    answer = client.post("/assess", data={**FORM, "prior_source": "ledger", "csrf": csrf})
    assert answer.status_code == 422 and "no batch of yours is recorded" in answer.text


def test_more_transfers_and_assess_again(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    csrf = form_csrf(client.get("/assess").text)
    grown = client.post("/assess", data={**FORM, "action": "add_row", "csrf": csrf})
    assert 'data-testid="transfer-1"' in grown.text and 'value="t2"' in grown.text
    first = _assess(client)
    second = _assess(
        client,
        **{"transfers.1.id": "t2", "transfers.1.personal": "5", "transfers.1.exemption": "hr"},
    )
    again = client.get("/assess", params={"from": second}).text
    assert 'name="transfers.1.exemption"' in again and '<option value="hr" selected>' in again
    compared = client.get("/decisions/compare", params={"a": first, "b": second}).text
    assert "transfers[1].id" in compared and "t2" in compared
    listing = client.get("/decisions").text
    assert first in listing and second in listing


def test_chinese_pages(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "zh@pharma.example", "member", lang="zh")
    sign_in(client, "zh@pharma.example")
    assert "出境评估" in client.get("/assess").text
    decision_id = _assess(client)
    page = client.get(f"/decisions/{decision_id}").text
    assert "个人信息出境标准合同备案或个人信息保护认证" in page


def test_a_viewer_cannot_assess(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "v@pharma.example", "viewer")
    sign_in(client, "v@pharma.example")
    csrf = form_csrf(client.get("/assess").text)
    assert client.post("/assess", data={**FORM, "csrf": csrf}).status_code == 403


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    refused = client.post("/assess", data=FORM)
    assert refused.status_code == 403 and "did not come from this site" in refused.text
    assert client.post("/assess", data={**FORM, "csrf": "forged"}).status_code == 403


def test_another_organisation_sees_none_of_it(
    client: TestClient, web_db: str, tmp_path: object
) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    add_user(web_db, "bank", "m@bank.example", "admin", zone="shanghai")
    sign_in(client, "m@pharma.example")
    first, second = _assess(client), _assess(client)
    client.cookies.clear()
    sign_in(client, "m@bank.example")
    for path in (
        f"/decisions/{first}",
        f"/decisions/{first}.json",
        f"/decisions/{first}?print=1",
        f"/assess?from={first}",
        f"/decisions/compare?a={first}&b={second}",
    ):
        seen = client.get(path)
        assert seen.status_code == 404, path
        assert "Example Pharma" not in seen.text and "12000" not in seen.text
    assert first not in client.get("/decisions").text
    assert not re.search(r"/decisions/[0-9a-f]{32}", client.get("/dashboard").text)


def test_the_dashboard_shows_obligations_in_the_readers_language(
    client: TestClient, web_db: str
) -> None:
    add_user(web_db, "pharma", "zh@pharma.example", "member", lang="zh")
    add_user(web_db, "pharma", "en@pharma.example", "member", lang="en")
    sign_in(client, "zh@pharma.example")
    _assess(client)  # made, and logged, in Chinese
    client.cookies.clear()
    sign_in(client, "en@pharma.example")
    obligations = client.get("/dashboard").text.split('data-testid="obligations"')[1]
    assert "SCC-7-1" in obligations and "standard contract" in obligations
    assert not re.search(r"[\u4e00-\u9fff]{6,}", obligations.split("<small>")[0])
