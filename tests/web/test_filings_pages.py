"""The filings pages in a test client: a decision's page creates the filings it requires, a
filing's page records events (an event its procedure refuses shows the page again with the
reason), the dashboard lists what is due, another organisation gets 404, a viewer reads only,
and every phrase the pages use exists in both languages."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path
from typing import Any, get_args

import httpx2
import pytest
from fastapi.testclient import TestClient

from kuajing.accounts.models import Role
from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.engine import Request
from kuajing.filing.evidence import default_key_file, public_key_bytes, signing_key, verify
from kuajing.filing.models import DeadlineState
from kuajing.services.decisions import assess_and_log
from kuajing.web.i18n import phrases
from tests.web.support import add_user, form_csrf, sign_in

# 12,000 persons' clinical trial data from Beijing: a standard contract (or certification).
TRIAL: dict[str, Any] = {
    "date": "2026-03-01",
    "processor": {"name": "Pharma", "zone": "beijing"},
    "transfers": [{"id": "t1", "scenario": "临床试验", "personal": 12000}],
}


def _decide(db: str, email: str, request: dict[str, Any] = TRIAL) -> str:
    """A decision logged for the user, as the assess page logs it; its id."""
    with Accounts.open(db) as store:
        who = store.principal_by_email(email)
        _, record = assess_and_log(
            store, who, Request.model_validate(request), default_catalog(), "en"
        )
    return record.id


def _signed_in(client: TestClient, db: str, role: Role = "member", **user: Any) -> str:
    """A user of pharma signed in; their session's CSRF token."""
    add_user(db, "pharma", f"{role}@pharma.example", role, **user)
    sign_in(client, f"{role}@pharma.example")
    return form_csrf(client.get("/filings").text)


def _create(
    client: TestClient, csrf: str, decision_id: str, route: str = "standard_contract"
) -> httpx2.Response:
    return client.post("/filings", data={"csrf": csrf, "decision_id": decision_id, "route": route})


def _filings(html: str) -> dict[str, str]:
    """The filings listed on the page, by procedure id."""
    rows = re.findall(r'data-procedure="([\w-]+)".*?href="/filings/([0-9a-f]{32})"', html, re.S)
    return dict(rows)


def _member_with_filings(client: TestClient, db: str) -> tuple[str, dict[str, str]]:
    csrf = _signed_in(client, db)
    made = _create(client, csrf, _decide(db, "member@pharma.example"))
    return csrf, _filings(made.text)


def test_a_member_creates_the_filings_from_the_decision_page(
    client: TestClient, web_db: str
) -> None:
    csrf = _signed_in(client, web_db)
    decision_id = _decide(web_db, "member@pharma.example")
    shown = client.get(f"/decisions/{decision_id}")
    assert 'data-testid="create-filings"' in shown.text
    assert 'value="certification"' in shown.text  # the contract band offers the route
    made = _create(client, csrf, decision_id)
    assert made.url.path == "/filings" and made.status_code == 200
    assert "Created 2 filings for the decision" in made.text
    assert set(_filings(made.text)) == {"scc-filing", "beijing-list-use"}
    again = _create(client, csrf, decision_id)
    assert "Created 0 filings for the decision; 2 open filings already cover it" in again.text
    assert len(_filings(again.text)) == 2


def test_the_route_menu_starts_on_choose_and_nothing_is_created_without_a_route(
    client: TestClient, web_db: str
) -> None:
    """Standard contract or certification is the company's choice: no route is preset, and
    the button sent without one creates nothing and asks for it, in the user's language."""
    csrf = _signed_in(client, web_db)
    decision_id = _decide(web_db, "member@pharma.example")
    menu = re.search(
        r'<select name="route"[^>]*>(.*?)</select>',
        client.get(f"/decisions/{decision_id}").text,
        re.S,
    )
    assert menu is not None and "required" in menu.group(0)
    first = re.search(r"<option([^>]*)>([^<]*)</option>", menu.group(1))
    assert first is not None and first.group(1) == ' value="" selected'
    assert first.group(2) == "Choose…"
    sent = _create(client, csrf, decision_id, route="")
    assert sent.url.path == f"/decisions/{decision_id}"
    assert "Choose standard contract filing or certification first" in sent.text
    assert 'aria-invalid="true"' in sent.text
    assert _filings(client.get("/filings").text) == {}


def test_a_decision_with_no_contract_band_needs_no_route(client: TestClient, web_db: str) -> None:
    csrf = _signed_in(client, web_db)
    big = {  # national rules: 20,000 persons' sensitive PI need a security assessment
        "date": "2026-03-01",
        "processor": {"name": "Pharma"},
        "transfers": [{"id": "t1", "sensitive": 20_000}],
    }
    decision_id = _decide(web_db, "member@pharma.example", big)
    assert 'name="route"' not in client.get(f"/decisions/{decision_id}").text
    made = _create(client, csrf, decision_id, route="")
    assert made.url.path == "/filings" and _filings(made.text)


def test_recording_an_event_moves_the_filing_and_starts_its_deadline(
    client: TestClient, web_db: str
) -> None:
    csrf, made = _member_with_filings(client, web_db)
    scc = made["scc-filing"]
    before = client.get(f"/filings/{scc}")
    assert 'data-testid="record-event"' in before.text and "Standard contract takes effect" in (
        before.text
    )
    event = {"csrf": csrf, "event": "contract_effective", "date": "2026-02-12", "note": "signed"}
    moved = client.post(f"/filings/{scc}/events", data=event)
    assert moved.url.path == f"/filings/{scc}" and 'data-testid="filing-done"' in moved.text
    shown = client.get(f"/filings/{scc}", params={"date": "2026-02-20"}).text
    next_deadline = re.search(r'data-testid="next-deadline">(.*?)</dd>', shown, re.S)
    assert next_deadline and "2026-03-04" in next_deadline.group(1)  # SCC-7-1: 10 working days
    assert "12 days left" in next_deadline.group(1) and "SCC-7-1" in next_deadline.group(1)
    history = re.search(r'data-testid="history">(.*?)</section>', shown, re.S)
    assert history and "2026-02-12" in history.group(1) and "signed" in history.group(1)
    assert ">you<" in history.group(1)
    listed = client.get("/filings", params={"date": "2026-02-20"}).text
    assert "2026-03-04" in listed and "Contract in effect; to be filed" in listed
    # The dashboard's panel: overdue since 4 March 2026, or due within 30 days.
    board = client.get("/dashboard").text
    panel = re.search(r'data-testid="due">(.*?)</article>', board, re.S)
    assert panel and f'href="/filings/{scc}"' in panel.group(1) and "SCC-7-1" in panel.group(1)


def test_an_event_the_procedure_refuses_shows_the_page_again_with_the_reason(
    client: TestClient, web_db: str
) -> None:
    csrf, made = _member_with_filings(client, web_db)
    scc = made["scc-filing"]
    event = {"csrf": csrf, "event": "submit", "date": "2026-02-12", "note": "too soon"}
    refused = client.post(f"/filings/{scc}/events", data=event)
    assert refused.status_code == 409
    error = re.search(r'data-testid="filing-error">(.*?)</p>', refused.text, re.S)
    assert error and "Not recorded:" in error.group(1)
    assert "not allowed while preparing" in error.group(1)
    assert 'value="too soon"' in refused.text  # what was typed is kept
    bad = client.post(f"/filings/{scc}/events", data={**event, "date": "12 February"})
    assert bad.status_code == 422 and "is not a date (YYYY-MM-DD)" in bad.text
    assert "No events recorded yet." in client.get(f"/filings/{scc}").text


def test_another_organisation_gets_404_for_the_filings_and_their_forms(
    client: TestClient, web_db: str
) -> None:
    csrf, made = _member_with_filings(client, web_db)
    scc = made["scc-filing"]
    decision_id = _decide(web_db, "member@pharma.example", {**TRIAL, "date": "2026-03-02"})
    crossed = {**TRIAL, "transfers": [{**TRIAL["transfers"][0], "personal": 1_000_000}]}
    tasks = _create(client, csrf, _decide(web_db, "member@pharma.example", crossed))
    [task_id] = re.findall(r'action="/tasks/([0-9a-f]{32})/done"', tasks.text)
    client.post("/logout", data={"csrf": csrf})
    add_user(web_db, "bank", "m@bank.example", "member", zone="shanghai")
    sign_in(client, "m@bank.example")
    bank = form_csrf(client.get("/filings").text)
    assert client.get(f"/filings/{scc}").status_code == 404
    for path, data in (
        (f"/filings/{scc}/events", {"event": "withdraw", "date": "2026-03-02"}),
        (f"/filings/{scc}/events", {"event": "withdraw", "date": "not a date"}),
        ("/filings", {"decision_id": decision_id}),
        (f"/tasks/{task_id}/done", {}),
    ):
        answer = client.post(path, data={**data, "csrf": bank})
        assert answer.status_code == 404, (path, answer.text)
    assert "No filings here." in client.get("/filings", params={"show": "all"}).text


def test_a_viewer_sees_no_forms_and_is_refused(client: TestClient, web_db: str) -> None:
    _, made = _member_with_filings(client, web_db)
    scc = made["scc-filing"]
    crossed = {**TRIAL, "transfers": [{**TRIAL["transfers"][0], "personal": 1_000_000}]}
    decision_id = _decide(web_db, "member@pharma.example", crossed)
    client.cookies.clear()
    csrf = _signed_in(client, web_db, "viewer")
    shown = client.get(f"/filings/{scc}")
    assert shown.status_code == 200 and 'data-testid="record-event"' not in shown.text
    assert 'data-testid="create-filings"' not in client.get(f"/decisions/{decision_id}").text
    for path, data in (
        (f"/filings/{scc}/events", {"event": "contract_effective", "date": "2026-02-12"}),
        (f"/filings/{scc}/events", {"event": "contract_effective", "date": "bad"}),
        ("/filings", {"decision_id": decision_id}),
        ("/tasks/check", {}),
    ):
        answer = client.post(path, data={**data, "csrf": csrf})
        assert answer.status_code == 403, (path, answer.text)
    assert 'data-testid="check-ledger"' not in client.get("/filings").text
    assert "No events recorded yet." in client.get(f"/filings/{scc}").text
    assert "No open tasks." in client.get("/filings").text  # the decision raised none


def test_a_form_without_the_session_token_is_refused(client: TestClient, web_db: str) -> None:
    _, made = _member_with_filings(client, web_db)
    scc = made["scc-filing"]
    answer = client.post(f"/filings/{scc}/events", data={"event": "contract_effective"})
    assert answer.status_code == 403
    assert "No events recorded yet." in client.get(f"/filings/{scc}").text


def test_a_task_is_marked_done(client: TestClient, web_db: str) -> None:
    csrf, _ = _member_with_filings(client, web_db)
    crossed = {**TRIAL, "transfers": [{**TRIAL["transfers"][0], "personal": 1_000_000}]}
    listed = _create(client, csrf, _decide(web_db, "member@pharma.example", crossed))
    assert "now needs a security assessment" in listed.text
    [task_id] = re.findall(r'action="/tasks/([0-9a-f]{32})/done"', listed.text)
    done = client.post(f"/tasks/{task_id}/done", data={"csrf": csrf})
    assert 'data-testid="filings-done"' in done.text and "No open tasks." in done.text


def test_a_closed_filing_is_listed_under_closed(client: TestClient, web_db: str) -> None:
    csrf, made = _member_with_filings(client, web_db)
    scc = made["scc-filing"]
    client.post(f"/filings/{scc}/events", data={"csrf": csrf, "event": "withdraw"})
    assert set(_filings(client.get("/filings").text)) == {"beijing-list-use"}
    assert set(_filings(client.get("/filings", params={"show": "closed"}).text)) == {"scc-filing"}
    assert len(_filings(client.get("/filings", params={"show": "all"}).text)) == 2
    closed = client.get(f"/filings/{scc}").text
    assert "This filing is closed." in closed and 'data-testid="record-event"' not in closed


def test_a_procedure_the_reference_does_not_give_shows_what_is_missing(
    client: TestClient, web_db: str
) -> None:
    add_user(web_db, "zj", "m@zj.example", "member", zone="zhejiang")
    sign_in(client, "m@zj.example")
    csrf = form_csrf(client.get("/filings").text)
    request = {
        "date": "2026-03-01",
        "processor": {"name": "ZJ", "zone": "zhejiang"},
        "transfers": [{"id": "t1", "scenario": "跨境电商平台", "personal": 5_000}],
    }
    made = _create(client, csrf, _decide(web_db, "m@zj.example", request))
    [filing_id] = _filings(made.text).values()
    assert "needs review" in made.text
    shown = client.get(f"/filings/{filing_id}").text
    banner = re.search(r'data-testid="needs-review">(.*?)</section>', shown, re.S)
    assert banner and "Needs review: what is missing" in banner.group(1)
    assert 'data-testid="record-event"' not in shown


def test_the_pages_in_chinese(client: TestClient, web_db: str) -> None:
    _, made = _member_with_filings(client, web_db)
    client.cookies.clear()
    _signed_in(client, web_db, "admin", lang="zh")
    listed = client.get("/filings").text
    assert "<h1>备案与申报</h1>" in listed and "个人信息出境标准合同备案" in listed
    shown = client.get(f"/filings/{made['scc-filing']}").text
    assert "期限" in shown and "材料清单" in shown and "合同生效后10个工作日内备案" in shown
    assert "Deadlines" not in shown and "Materials" not in shown
    assert "近期期限" in client.get("/dashboard").text


def test_the_deadlines_download_as_icalendar(client: TestClient, web_db: str) -> None:
    csrf, made = _member_with_filings(client, web_db)
    event = {"csrf": csrf, "event": "contract_effective", "date": "2026-02-12"}
    client.post(f"/filings/{made['scc-filing']}/events", data=event)
    ics = client.get("/filings/calendar.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "attachment" in ics.headers["content-disposition"]
    assert "DTSTART;VALUE=DATE:20260304" in ics.text and "SCC-7-1" in ics.text


FILINGS_TEMPLATES = ("filings.html", "filing.html", "dashboard.html", "decision.html", "base.html")


@pytest.mark.parametrize("template", FILINGS_TEMPLATES)
def test_every_phrase_the_filings_pages_use_exists(template: str) -> None:
    text = files("kuajing.web").joinpath("templates", template).read_text(encoding="utf-8")
    used = set(re.findall(r"t\('([a-z_]+)'[,)]", text))
    used |= {f"filing_dl_{s}" for s in get_args(DeadlineState)}
    used |= {f"filings_show_{s}" for s in ("open", "closed", "all")}
    used |= {f"filings_route_{r}" for r in ("standard_contract", "certification")}
    used |= {"filings_done_task", "filing_done_recorded", "nav_filings"}
    assert not used - set(phrases())


def test_the_decision_page_gives_its_documents_and_a_verifiable_evidence_pack(
    client: TestClient, web_db: str, tmp_path: Path
) -> None:
    csrf = _signed_in(client, web_db)
    decision_id = _decide(web_db, "member@pharma.example")
    shown = client.get(f"/decisions/{decision_id}").text
    links = re.findall(rf'href="/decisions/{decision_id}/documents/([\w.-]+)"', shown)
    assert "scc-filing-pipia.zh.pdf" in links and "beijing-list-use-zone_list_use.en.docx" in links
    # Offered by what they are, never by file name.
    texts = re.findall(
        rf'href="/decisions/{decision_id}/documents/[\w.-]+" download>([^<]*)</a>', shown
    )
    assert texts and not [x for x in texts if ".pdf" in x or ".docx" in x or "-" in x]
    assert "Personal information protection impact assessment report" in texts
    pdf = client.get(f"/decisions/{decision_id}/documents/scc-filing-pipia.zh.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    packed = client.get(f"/decisions/{decision_id}/evidence.zip")
    assert packed.status_code == 200 and packed.headers["content-type"] == "application/zip"
    archive = tmp_path / "evidence.zip"
    archive.write_bytes(packed.content)
    assert verify(archive, public_key_bytes(signing_key(default_key_file()))).ok

    client.post("/logout", data={"csrf": csrf})
    add_user(web_db, "bank", "m@bank.example", "member", zone="shanghai")
    sign_in(client, "m@bank.example")
    for path in ("documents/scc-filing-pipia.zh.pdf", "evidence.zip"):
        assert client.get(f"/decisions/{decision_id}/{path}").status_code == 404, path


def test_a_member_checks_the_filings_against_the_ledger(client: TestClient, web_db: str) -> None:
    csrf, _ = _member_with_filings(client, web_db)
    checked = client.post("/tasks/check", data={"csrf": csrf})
    assert checked.url.path == "/filings" and "ledger counters were compared" in checked.text
    assert "No open tasks." in checked.text  # no batch recorded: nothing to raise
