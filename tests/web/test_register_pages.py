"""The transfer register's pages: the flows with their pathway, open obligations and deadline
in both languages and as a file; the add and edit form with its errors beside each field and a
plain message when someone changed the flow meanwhile; the import, all or nothing, listing each
bad row and column; a batch recorded against a flow; assessing and retiring; the what-if on the
whole register. Viewers read, members change, another organisation gets 404."""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient

from kuajing.accounts.store import Accounts
from kuajing.register.models import Flow
from kuajing.register.store import FlowStore
from kuajing.services import register
from tests.web.support import SAMPLE, add_user, form_csrf, sign_in

FORM = {
    "key": "trial-data",
    "name": "Clinical trial data to the sponsor",
    "source_system": "EDC",
    "scenario": "临床试验",
    "recipient.name": "Sponsor GmbH",
    "recipient.country": "Germany",
    "frequency": "monthly",
    "personal": "1,000",
    "sensitive": "1000",
    "owner": "Wang Li",
    "status": "active",
    "fields": "基本个人信息\n诊疗信息",
}


def _member(client: TestClient, db: str, lang: str = "en") -> str:
    add_user(db, "pharma", "m@pharma.example", "member", lang="en")
    sign_in(client, "m@pharma.example")
    if lang != "en":
        _lang(client, lang)
    return form_csrf(client.get("/register/new").text)


def _lang(client: TestClient, lang: str) -> None:
    client.post("/lang", data={"lang": lang, "csrf": form_csrf(client.get("/account").text)})


def _add(client: TestClient, csrf: str, **changes: str) -> str:
    answer = client.post("/register", data={**FORM, **changes, "csrf": csrf})
    assert answer.url.path.startswith("/register/"), answer.text
    return answer.url.path


def _store_flow(db: str, email: str, key: str = "trial-data") -> None:
    with Accounts.open(db) as store:
        who = store.principal_by_email(email)
        flow = Flow(key=key, name="HR data", frequency="yearly", personal=50, exemption="hr")
        register.add(FlowStore(store.engine), who, flow)


def test_a_flow_added_and_assessed_shows_its_pathway_in_both_languages(
    client: TestClient, web_db: str
) -> None:
    csrf = _member(client, web_db)
    assert "Register" in client.get("/dashboard").text  # the menu entry
    empty = client.get("/register").text
    assert 'data-testid="register-empty"' in empty and 'href="/register/new"' in empty
    assert _add(client, csrf) == "/register/trial-data"
    shown = client.get("/register/trial-data").text
    assert "Clinical trial data to the sponsor" in shown and "Germany" in shown
    assert "Saved." not in shown and "not been assessed yet" in shown
    listing = client.get("/register").text
    assert "Clinical trials" in listing and "Sponsor GmbH" in listing and "Wang Li" in listing
    assert "in the year about 12,000 non-sensitive" in listing and "not assessed yet" in listing
    decided = client.post("/register/trial-data/assess", data={"csrf": csrf, "date": "2026-03-01"})
    assert decided.url.path.startswith("/decisions/"), decided.text
    decision_id = decided.url.path.rsplit("/", 1)[1]
    listing = client.get("/register").text
    # 12,000 persons a year of trial data in Beijing: the list's contract band, in words.
    assert 'class="pathway-standard_contract_or_certification"' in listing
    assert "standard contract filing or certification" in listing
    flow_page = client.get("/register/trial-data").text
    assert f'href="/decisions/{decision_id}"' in flow_page
    _lang(client, "zh")
    zh = client.get("/register").text
    assert "数据出境登记册" in zh and "个人信息出境标准合同备案或个人信息保护认证" in zh
    assert "临床试验" in zh and "德国" in zh and "每月" in zh and "进行中" in zh


def test_the_table_downloads_with_the_pages_filter(client: TestClient, web_db: str) -> None:
    csrf = _member(client, web_db)
    _add(client, csrf)
    _add(client, csrf, key="old", name="An old export", status="retired")
    page = client.get("/register").text
    assert 'href="/register.csv"' in page and "An old export" not in page
    got = client.get("/register.csv")
    assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Flow", "Scenario"] and len(rows) == 2
    assert rows[1][:5] == ["trial-data", FORM["name"], "Pharmaceuticals · Clinical trials",
                           "Sponsor GmbH", "Germany"]  # fmt: skip
    assert client.get("/register.xlsx?show=all").status_code == 200
    every = client.get("/register.csv?show=all").content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(every)))) == 3 and "retired" in every


def test_the_form_says_each_problem_beside_its_field_in_the_readers_language(
    client: TestClient, web_db: str
) -> None:
    csrf = _member(client, web_db)
    bad = {**FORM, "key": "Trial Data!", "recipient.country": "Germny", "personal": "many",
           "frequency": "", "csrf": csrf}  # fmt: skip
    answer = client.post("/register", data=bad)
    assert answer.status_code == 422
    html = answer.text
    assert 'data-testid="form-errors"' in html and "Please correct 4 thing(s)" in html
    assert "A reference is lower-case letters" in html
    assert "“Germny” is not a country or region in the list" in html
    assert "Enter a whole number of persons" in html and "Choose one from the menu." in html
    assert 'id="f-recipient-country"' in html and 'aria-invalid="true"' in html
    assert 'value="Germny"' in html  # what was typed is kept
    with Accounts.open(web_db) as store:
        who = store.principal_by_email("m@pharma.example")
        assert register.listing(FlowStore(store.engine), who) == []
    _lang(client, "zh")
    zh = client.post("/register", data={**bad, "persons": "5"}).text
    assert "请更正以下 4 项后再保存" in zh and "请从菜单中选择一项" in zh
    assert "去重总人数（5）少于" not in zh  # the count itself is not a number yet
    assert _add(client, csrf) == "/register/trial-data"
    again = client.post("/register", data={**FORM, "csrf": csrf})
    assert again.status_code == 409 and "登记册中已有此编号的数据流" in again.text


def test_the_menus_start_on_choose(client: TestClient, web_db: str) -> None:
    _member(client, web_db)
    html = client.get("/register/new").text
    for name in ("frequency", "status"):
        menu = re.search(rf'<select name="{name}"[^>]*>\s*<option value="">([^<]*)</option>', html)
        assert menu and menu.group(1) == "Choose…", name
    assert "selected" not in re.search(r'<select name="frequency".*?</select>', html, re.S).group(0)


def test_an_edit_made_from_an_old_version_is_refused_plainly(
    client: TestClient, web_db: str
) -> None:
    csrf = _member(client, web_db)
    _add(client, csrf)
    form = client.get("/register/trial-data/edit").text
    assert 'name="version" value="1"' in form and 'value="Germany"' not in form
    assert 'value="DE"' in form and "Clinical trial data to the sponsor" in form
    with Accounts.open(web_db) as store:  # someone else changes it meanwhile
        who = store.principal_by_email("m@pharma.example")
        flows = FlowStore(store.engine)
        changed = register.get(flows, who, "trial-data").flow.model_copy(update={"personal": 5})
        register.change(flows, who, "trial-data", changed, 1)
    edited = {**FORM, "version": "1", "owner": "Zhang San", "csrf": csrf}
    answer = client.post("/register/trial-data/edit", data=edited)
    assert answer.status_code == 409 and 'data-testid="conflict"' in answer.text
    assert "Someone changed this flow after you opened the form" in answer.text
    assert 'value="Zhang San"' in answer.text  # kept, not saved
    saved = client.post("/register/trial-data/edit", data={**edited, "version": "2"})
    assert saved.url.path == "/register/trial-data" and "Saved." in saved.text
    history = saved.text.split('data-testid="history"')[1]
    assert history.count('data-testid="version-row"') == 3
    assert "Owner" in history and "m@pharma.example" in history


def test_a_bad_file_lists_each_problem_and_writes_nothing(client: TestClient, web_db: str) -> None:
    csrf = _member(client, web_db)
    text = "key,名称,recipient_country,personal\na,A,DE,10\nb,B,Germny,10\nc,,US,lots\n"
    answer = client.post(
        "/register/import", data={"csrf": csrf}, files={"file": ("flows.csv", text.encode())}
    )
    assert answer.status_code == 422
    rows = re.findall(
        r'data-testid="import-problem" data-row="(\d*)"><td>[^<]*</td><td>([^<]*)</td>', answer.text
    )
    assert rows == [("3", "recipient_country · 接收方国家"), ("4", "personal · 个人信息人数")]
    assert "nothing in the register changed" in answer.text
    assert "flows.csv" not in answer.text  # no file name on the page
    assert 'data-testid="register-empty"' in client.get("/register").text
    wrong = client.post(
        "/register/import", data={"csrf": csrf}, files={"file": ("flows.pdf", b"%PDF")}
    )
    assert wrong.status_code == 422 and "a register file is .csv or .xlsx" in wrong.text
    _lang(client, "zh")
    zh = client.post(
        "/register/import", data={"csrf": csrf}, files={"file": ("flows.csv", text.encode())}
    ).text
    assert "文件未导入，共发现 2 处问题" in zh and "不是人数（非负整数）" in zh


def test_an_import_says_what_it_added_changed_and_left(client: TestClient, web_db: str) -> None:
    csrf = _member(client, web_db)
    _add(client, csrf)
    exported = client.get("/v1/register/export")  # the pages' session is no API token
    assert exported.status_code == 401
    text = (
        "key,name,scenario,recipient_country,frequency,personal,sensitive,owner,status,"
        "recipient_name,source_system,fields\n"
        "trial-data,Clinical trial data to the sponsor,临床试验,DE,monthly,1000,1000,Wang Li,"
        "active,Sponsor GmbH,EDC,基本个人信息; 诊疗信息\n"
        "hr,HR data,,SG,yearly,300,0,HR,active,,,\n"
    )
    answer = client.post(
        "/register/import", data={"csrf": csrf}, files={"file": ("r.csv", text.encode())}
    )
    assert answer.url.path == "/register", answer.text
    assert "Imported: 1 added, 0 changed, 1 unchanged." in answer.text
    assert "HR data" in answer.text


def test_a_batch_is_recorded_against_the_flow(client: TestClient, web_db: str) -> None:
    csrf = _member(client, web_db)
    _add(client, csrf)
    form = client.get("/register/trial-data/batch").text
    assert 'data-testid="batch-form"' in form
    with SAMPLE.open("rb") as sample:
        answer = client.post(
            "/register/trial-data/batch",
            data={"csrf": csrf, "date": "2026-02-10", "sensitive": "detected"},
            files={"file": ("trial-batch.csv", sample.read())},
        )
    assert answer.url.path == "/register/trial-data", answer.text
    assert "is recorded in the ledger against this flow" in answer.text
    batches = answer.text.split('data-testid="batches"')[1].split("</section>")[0]
    assert batches.count('data-testid="batch-row"') == 1 and "2026-02-10" in batches
    bad = client.post(
        "/register/trial-data/batch",
        data={"csrf": csrf, "date": "yesterday"},
        files={"file": ("trial-batch.csv", b"a\n1\n")},
    )
    assert bad.status_code == 422 and "“yesterday” is not a valid date" in bad.text


def test_retiring_asks_first_and_keeps_the_history(client: TestClient, web_db: str) -> None:
    csrf = _member(client, web_db)
    _add(client, csrf)
    shown = client.get("/register/trial-data").text
    assert 'data-testid="retire"' in shown and "Retire it?" in shown
    done = client.post("/register/trial-data/retire", data={"csrf": csrf, "version": "1"})
    assert done.url.path == "/register/trial-data" and "is retired" in done.text
    assert 'data-testid="record-batch"' not in done.text
    assert "Clinical trial data" not in client.get("/register").text
    assert "Clinical trial data" in client.get("/register?show=retired").text


def test_the_whole_register_is_compared_across_zones(client: TestClient, web_db: str) -> None:
    csrf = _member(client, web_db)
    assert 'data-testid="whatif-empty"' in client.get("/register/whatif").text
    _add(client, csrf, sensitive="2500")  # 30,000 a year
    _add(client, csrf, key="hr", name="Employee records to HQ", scenario="", exemption="hr")
    page = client.get("/register/whatif", params={"date": "2026-03-01"})
    assert page.status_code == 200
    html = page.text
    assert html.count('data-testid="option"') >= 3 and "2 flow(s)" in html
    assert "National rules only" in html and "security assessment" in html
    assert "Registered in China (Beijing) Pilot Free Trade Zone" in html
    assert "Clinical trial data to the sponsor:" in html and "Employee records to HQ:" in html
    assert 'value="2026-03-01"' in html
    _lang(client, "zh")
    zh = client.get("/register/whatif", params={"date": "2026-03-01"}).text
    assert "整个登记册的自贸区比较" in zh and "仅适用全国规则" in zh


def test_a_viewer_reads_and_cannot_change(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "v@pharma.example", "viewer")
    add_user(web_db, "pharma", "m@pharma.example", "member")
    _store_flow(web_db, "m@pharma.example")
    sign_in(client, "v@pharma.example")
    listing = client.get("/register").text
    assert "HR data" in listing and 'href="/register/new"' not in listing
    shown = client.get("/register/trial-data").text
    assert "HR data" in shown and 'data-testid="flow-actions"' not in shown
    csrf = form_csrf(shown)
    assert client.get("/register/new").status_code == 403
    assert client.get("/register/trial-data/edit").status_code == 403
    assert client.post("/register", data={**FORM, "key": "x", "csrf": csrf}).status_code == 403
    assert client.post("/register/trial-data/retire", data={"csrf": csrf}).status_code == 403
    assert client.post("/register/trial-data/assess", data={"csrf": csrf}).status_code == 403
    assert client.get("/register/whatif").status_code == 200


def test_another_organisations_flow_is_not_found(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "m@pharma.example", "member")
    add_user(web_db, "bank", "m@bank.example", "member")
    _store_flow(web_db, "m@pharma.example")
    sign_in(client, "m@bank.example")
    csrf = form_csrf(client.get("/register").text)
    assert "HR data" not in client.get("/register").text
    for path in ("/register/trial-data", "/register/trial-data/edit", "/register/trial-data/batch"):
        assert client.get(path).status_code == 404, path
    for path in ("/register/trial-data/assess", "/register/trial-data/retire"):
        assert client.post(path, data={"csrf": csrf}).status_code == 404, path
    edit = {**FORM, "version": "1", "csrf": csrf}
    assert client.post("/register/trial-data/edit", data=edit).status_code == 404
    assert "HR data" not in client.get("/register.csv").text
    with Accounts.open(web_db) as store:
        who = store.principal_by_email("m@pharma.example")
        assert register.get(FlowStore(store.engine), who, "trial-data").version == 1


def test_the_register_shows_each_flows_open_filings_and_next_deadline(
    client: TestClient, web_db: str
) -> None:
    csrf = _member(client, web_db)
    _add(client, csrf)
    decided = client.post("/register/trial-data/assess", data={"csrf": csrf, "date": "2026-03-01"})
    decision_id = decided.url.path.rsplit("/", 1)[1]
    made = client.post(
        "/filings", data={"csrf": csrf, "decision_id": decision_id, "route": "standard_contract"}
    )
    assert made.status_code == 200, made.text
    filing = re.search(
        r'href="/filings/(\w+)">Standard contract filing<', client.get("/register").text
    )
    assert filing is not None
    event = {"csrf": csrf, "event": "contract_effective", "date": "2026-02-12"}
    assert client.post(f"/filings/{filing.group(1)}/events", data=event).status_code == 200
    row = client.get("/register").text.split('data-testid="flow-row"')[1].split("</tr>")[0]
    opened = row.split('data-testid="open-filings"')[1].split("</td>")[0]
    assert 'href="/filings/' in opened and "Standard contract filing" in opened
    deadline = row.split('data-testid="next-deadline"')[1].split("</td>")[0]
    # The contract took effect on 12 Feb: due ten PRC working days later (after the holiday).
    assert 'class="dl dl-' in deadline and "2026-03-04" in deadline
    flow_page = client.get("/register/trial-data").text
    assert flow_page.split('data-testid="filings"')[1].count('href="/filings/') >= 1
