"""The zone what-if page of a logged decision: reached from the decision, the options side by
side with names and plain statuses in both languages; another organisation gets a 404."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.support import add_user, form_csrf, sign_in

FORM = {
    "date": "2026-03-01",
    "processor.name": "Example Pharma (Beijing) Co., Ltd.",
    "processor.zone": "beijing",
    "prior_source": "manual",
    "transfers.0.id": "trial-data",
    "transfers.0.scenario": "临床试验",
    "transfers.0.sensitive": "30000",
}


def _decide(client: TestClient) -> str:
    csrf = form_csrf(client.get("/assess").text)
    answer = client.post("/assess", data={**FORM, "csrf": csrf})
    assert answer.url.path.startswith("/decisions/"), answer.text
    return answer.url.path.rsplit("/", 1)[1]


def _lang(client: TestClient, lang: str) -> None:
    client.post("/lang", data={"lang": lang, "csrf": form_csrf(client.get("/account").text)})


def test_the_decision_links_to_its_zone_options(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    sign_in(client, "m@pharma.example")
    decision = _decide(client)
    shown = client.get(f"/decisions/{decision}").text
    assert f'href="/decisions/{decision}/whatif"' in shown and "比较自贸区选项" in shown
    page = client.get(f"/decisions/{decision}/whatif")
    assert page.status_code == 200
    html = page.text
    assert html.count('data-testid="option"') >= 3
    assert "National rules only" in html and "security assessment" in html
    assert "Registered in China (Beijing) Pilot Free Trade Zone" in html
    assert "Your situation today" in html and "standard contract filing or certification" in html
    assert "10 working days" in html and "How the options are ranked" in html
    assert "beijing-2024" not in html and "sa-declaration" not in html  # names, not ids
    _lang(client, "zh")
    zh = client.get(f"/decisions/{decision}/whatif").text
    assert "仅适用全国规则" in zh and "数据出境安全评估" in zh and "贵司现状" in zh


def test_another_organisation_gets_404(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    add_user(web_db, "bank", "m@bank.example", "member")
    sign_in(client, "m@pharma.example")
    decision = _decide(client)
    client.cookies.clear()
    sign_in(client, "m@bank.example")
    assert client.get(f"/decisions/{decision}/whatif").status_code == 404
