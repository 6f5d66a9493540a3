"""The guided assessment form and the decision pages, through the test client: the decision
matches the API's for the same request, bad input names the field, every decision is logged
and can be exported, printed, compared and assessed again; other organisations see nothing. A
transfer names the earlier edition its list incorporates, shows each reading's pathway where a
fact no source states was tried both ways, and the earlier edition's answer as guidance apart
from the decision."""

from __future__ import annotations

import json
import re
from html import unescape

from fastapi.testclient import TestClient
from markupsafe import escape

from kuajing.accounts.store import Accounts
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
    # … and in November the 2025 edition's: the scenarios it incorporates from 2024, and its
    # new sectors, whose scenarios are not encoded, as whole sectors.
    november = {**FORM, "date": "2026-11-21", "action": "refresh", "csrf": csrf}
    later = client.post("/assess", data=november).text
    assert 'value="临床试验"' in later
    assert re.search(r'value="医疗器械"[^>]*>Medical devices \(the whole sector', later)
    # Registered in Beijing outside the FTZ: the city-wide 2025 edition's scenarios, never the
    # FTZ-only 2024 edition's.
    assert 'name="processor.registered.city"' in form
    assert 'name="processor.exports_from.city"' in form
    city = {"processor.zone": "", "processor.registered.city": "beijing"}
    in_city = client.post("/assess", data={**november, **city}).text
    assert 'value="临床试验"' in in_city
    march_city = {**FORM, **city, "action": "refresh", "csrf": csrf}
    in_city = client.post("/assess", data=march_city).text
    assert 'value="临床试验"' not in in_city and "national rules apply" in in_city
    # A zone and a city it does not lie in are one place only in the user's mind.
    both = {**FORM, "processor.registered.city": "shanghai", "csrf": csrf}
    refused = client.post("/assess", data=both)
    assert refused.status_code == 422 and "lies in Beijing" in refused.text
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
    assert "transfers[0].personal" not in answer.text  # the field, not the engine's path
    assert "A number of persons cannot be negative." in answer.text
    field = re.search(r'<input[^>]*name="transfers.0.personal"[^>]*>', answer.text)
    assert field and 'value="-3"' in field.group(0) and 'aria-invalid="true"' in field.group(0)
    assert client.get("/decisions").text.count("/decisions/") == 0  # nothing logged


def test_prior_counts_from_the_ledger_need_batches(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    csrf = form_csrf(client.get("/assess").text)
    answer = client.post("/assess", data={**FORM, "prior_source": "ledger", "csrf": csrf})
    assert answer.status_code == 422 and "No batch of yours is recorded" in answer.text


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
    # Fields by the form's labels, never by their paths in the request.
    assert "Transfer 2 · Id" in compared
    assert "transfers[1]" not in compared, re.findall(r"(?s).{200}transfers\[1\].{60}", compared)
    assert "t2" in compared
    assert "Transfer 2 · Exemption" in compared
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


# -- what the engine adds to a transfer: incorporation, readings, guidance -------------------------
AUGUST = {
    **FORM,
    "date": "2026-08-01",  # beijing-2025 and shanghai-2025 in force
    "transfers.0.personal": "",
}


def _transfer_card(page: str) -> str:
    """The first transfer's section of a decision page."""
    return page.split('data-testid="transfer-decision"', 1)[1].split("</section>", 1)[0]


def _part(html: str, testid: str, tag: str) -> str:
    """The element `<tag … data-testid="testid">…</tag>` (not nested in its own kind)."""
    found = re.search(rf'<{tag}[^>]*data-testid="{testid}".*?</{tag}>', html, re.S)
    assert found, testid
    return found.group(0)


BJ24, BJ25 = (default_catalog().lists[i].title for i in ("beijing-2024", "beijing-2025"))


def test_a_decision_names_both_editions_where_one_incorporates_the_other(
    client: TestClient, web_db: str
) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    add_user(web_db, "pharma", "zh@pharma.example", "member", lang="zh")
    sign_in(client, "m@pharma.example")
    trial = {**AUGUST, "transfers.0.sensitive": "30000"}
    decision_id = _assess(client, **trial)
    card = _transfer_card(client.get(f"/decisions/{decision_id}").text)
    incorporated = _part(card, "incorporated", "p")
    # By the editions' titles and the scope's names, not their ids.
    assert (
        f"Governed by {BJ25.en}, incorporating {BJ24.en} · Pharmaceuticals · Clinical trials"
        in unescape(incorporated)
    )
    printable = client.get(f"/decisions/{decision_id}", params={"print": 1}).text
    assert f"incorporating {BJ24.en} · Pharmaceuticals · Clinical trials" in unescape(printable)
    client.cookies.clear()
    sign_in(client, "zh@pharma.example")
    chinese = _transfer_card(client.get(f"/decisions/{decision_id}").text)
    assert f"适用 {BJ25.zh}，纳入 {BJ24.zh} · 医药行业 · 临床试验" in unescape(chinese)
    # Under the 2024 edition itself nothing is incorporated, and the page says nothing of it.
    march = _assess(client, **{**trial, "date": "2026-03-01"})
    assert 'data-testid="incorporated"' not in client.get(f"/decisions/{march}").text


def _readings(card: str) -> list[list[str]]:
    """[reading, pathway, status] of each row of the readings table."""
    rows = re.findall(r'<tr data-testid="reading">(.*?)</tr>', _part(card, "readings", "div"))
    return [re.findall(r"<td[^>]*>(.*?)</td>", row)[:3] for row in rows]


def test_a_decision_shows_each_readings_pathway_where_they_differ(
    client: TestClient, web_db: str
) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    add_user(web_db, "pharma", "zh@pharma.example", "member", lang="zh")
    sign_in(client, "m@pharma.example")
    # Registered in Beijing, exporting from Shanghai: whether beijing-2025 applies by place of
    # registration or of activity is stated nowhere, and the two readings disagree.
    split = {
        **AUGUST,
        "processor.zone": "",
        "processor.registered.city": "beijing",
        "processor.exports_from.city": "shanghai",
        "transfers.0.sensitive": "9999",
    }
    decision_id = _assess(client, **split)
    card = _transfer_card(client.get(f"/decisions/{decision_id}").text)
    assert 'class="status-needs_review">needs review<' in card
    assert _readings(card) == [
        [f"{BJ25.en} by registration", "exempt", "determined"],
        [f"{BJ25.en} by activity", "standard contract filing or certification", "determined"],
    ]
    assert "The readings give different pathways" in _part(card, "readings", "div")
    client.cookies.clear()
    sign_in(client, "zh@pharma.example")
    chinese = _transfer_card(client.get(f"/decisions/{decision_id}").text)
    assert _readings(chinese) == [
        [f"{BJ25.zh}按注册地", "免予申报（可自由出境）", "已确定"],
        [f"{BJ25.zh}按出境活动地", "个人信息出境标准合同备案或个人信息保护认证", "已确定"],
    ]
    # Where the processor is registered and exports in Beijing, there is one reading only.
    whole = _assess(client, **{**AUGUST, "transfers.0.sensitive": "9999"})
    assert 'data-testid="readings"' not in client.get(f"/decisions/{whole}").text


def test_guidance_from_the_earlier_edition_is_shown_apart_from_the_decision(
    client: TestClient, web_db: str
) -> None:
    add_user(web_db, "reinsurer", "m@reinsurer.example", "member", zone="shanghai")
    sign_in(client, "m@reinsurer.example")
    reinsurance = {
        **AUGUST,
        "processor.name": "Example Reinsurance (Shanghai) Co., Ltd.",
        "processor.zone": "shanghai",
        "transfers.0.scenario": "人身险再保险",
        "transfers.0.personal": "2000000",
    }
    decision_id = _assess(client, **reinsurance)
    page = client.get(f"/decisions/{decision_id}").text
    expected = assess(
        Request.model_validate(
            {
                "date": "2026-08-01",
                "processor": {"name": reinsurance["processor.name"], "zone": "shanghai"},
                "transfers": [{"id": "t1", "scenario": "人身险再保险", "personal": 2_000_000}],
            }
        ),
        default_catalog(),
        lang="en",
    )
    guidance = expected.transfers[0].guidance
    assert guidance is not None and guidance.edition == "shanghai-2024"
    # The decision stays the engine's: the 2025 edition's rows are unknown, so it needs review.
    verdict = _part(page, "verdict", "section")
    assert "security assessment" in verdict and "standard contract" not in verdict
    box = _part(_transfer_card(page), "guidance", "aside")
    assert "Guidance, not the decision: what the earlier edition shanghai-2024 said" in box
    assert str(escape(guidance.title)) in box
    assert f'data-testid="guidance-until">{guidance.in_force_until}<' in box
    assert "standard contract filing or certification" in _part(box, "guidance-pathway", "dd")
    assert guidance.reasons and all(r.rule in box for r in guidance.reasons)
    assert all(str(escape(r.facts)) in box for r in guidance.reasons if r.facts)
    printable = client.get(f"/decisions/{decision_id}", params={"print": 1}).text
    assert 'data-testid="guidance"' in printable
    # A decision the edition in force decides has no guidance.
    decided = _assess(client, **{**reinsurance, "date": "2026-03-01"})
    assert 'data-testid="guidance"' not in client.get(f"/decisions/{decided}").text


def test_a_decision_logged_before_these_fields_is_still_shown(
    client: TestClient, web_db: str
) -> None:
    """A decision logged under other rules is shown as logged, and one logged before the engine
    gave incorporated_from, readings and guidance has none of them."""
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    request = Request.model_validate(
        {
            "date": "2026-03-01",
            "processor": {"name": FORM["processor.name"], "zone": "beijing"},
            "transfers": [{"id": "t1", "scenario": "临床试验", "personal": 12000}],
        }
    )
    decision = assess(request, default_catalog(), lang="en").model_dump(mode="json")
    for transfer in decision["transfers"]:
        for key in ("incorporated_from", "readings", "guidance"):
            del transfer[key]
    with Accounts.open(web_db) as store:
        who = store.principal_by_email("m@pharma.example")
        record = store.log_decision(
            who, request.model_dump_json(), json.dumps(decision), "old", "0" * 64
        )
    for params in ({}, {"print": 1}):
        page = client.get(f"/decisions/{record.id}", params=params)
        assert page.status_code == 200, page.text
        assert "standard contract filing or certification" in page.text
        assert 'data-testid="readings"' not in page.text


def test_the_printable_decision_ends_with_the_facts_not_a_json_dump(
    client: TestClient, web_db: str
) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    printed = client.get(f"/decisions/{_assess(client)}", params={"print": "1"}).text
    assert 'data-testid="facts"' in printed or "The facts assessed" in printed
    outside = re.sub(r"(?s)<details class=\"tech[^\"]*\">.*?</details>", "", printed)
    assert '"transfers"' not in outside and "<pre" not in outside


def test_the_fields_table_links_list_entries_without_showing_their_ids(
    client: TestClient, web_db: str
) -> None:
    add_user(web_db, "auto", "m@auto.example", "member")
    sign_in(client, "m@auto.example")
    decision_id = _assess(
        client,
        **{
            "date": "2025-03-01",  # beijing-2024 in force
            "transfers.0.scenario": "汽车研发",
            "transfers.0.personal": "",
            "transfers.0.sensitive": "9999",
            "transfers.0.fields": "车辆行踪轨迹",
        },
    )
    card = _transfer_card(client.get(f"/decisions/{decision_id}").text)
    links = re.findall(r'<a href="/catalog/items/([\w-]+)" title="[\w-]+">([^<]*)</a>', card)
    assert links and links[0][1] == "list entry 1"
    assert client.get(f"/catalog/items/{links[0][0]}").status_code == 200
    shown = re.sub(r"<[^>]+>", " ", card)  # the text a reader sees, without attributes
    assert not re.search(r"\bbj24-auto-", shown)
