"""The zone console's pages in a test client: a company submits its filing from the filing's
page, the Beijing centre asks for information and approves, the company answers; an inspection
finds an undeclared sensitive column in an uploaded sample and rectification is ordered; notices
are read. And who may see and do what, through every page and form: another zone's reviewer and
another company get 404, a company is refused the centre's forms and queue, viewers read only."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.engine import Request
from kuajing.filing.store import Filings
from kuajing.services import filings as filing_service
from kuajing.services import zone_inspections as inspecting
from kuajing.services import zone_review as review
from kuajing.services.decisions import assess_and_log
from kuajing.web.i18n import phrases
from kuajing.zone.models import SubmissionState
from tests import tenants
from tests.tenants import PASSWORD
from tests.web.support import add_user, form_csrf, web_client
from tests.zone.cases import TRIAL, undeclared_sample

D = dt.date
CAT = default_catalog()
BEIJING = TRIAL
# Shanghai reinsurance (tests/cases/shanghai-2024.yaml): the post-export report.
SHANGHAI: dict[str, Any] = {
    "date": "2025-06-01",
    "processor": {"name": "Bank", "zone": "shanghai"},
    "transfers": [
        {
            "id": "life",
            "scenario": "人身险再保险",
            "personal": 1_000_000,
            "fields": ["姓名", "保单号"],
            "recipient": {"name": "Global Re AG", "country": "CH"},
        }
    ],
}


@dataclass(frozen=True)
class World:
    bj_filing: str  # pharma's Beijing list-use filing
    bj_submission: str  # its application, submitted
    bj_inspection: str  # the Beijing centre's inspection of it
    sh_filing: str
    sh_submission: str
    sh_inspection: str


def _people(db: str) -> None:
    add_user(db, "pharma", "m@pharma.example", "member")
    add_user(db, "pharma", "v@pharma.example", "viewer")
    add_user(db, "biotech", "m@biotech.example", "member")
    add_user(db, "bank", "m@bank.example", "member", zone="shanghai")
    tenants.add_user(db, "bj-centre", "r@bj.example", "reviewer", zone="beijing", kind="zone")
    tenants.add_user(db, "bj-centre", "v@bj.example", "viewer", zone="beijing", kind="zone")
    tenants.add_user(db, "sh-centre", "r@sh.example", "reviewer", zone="shanghai", kind="zone")


def _filing(store: Accounts, email: str, request: dict[str, Any], procedure: str) -> str:
    who = store.principal_by_email(email)
    _, record = assess_and_log(store, who, Request.model_validate(request), CAT, "en")
    source = filing_service.from_log(store, who, record.id)
    made = filing_service.create_filings(store, Filings(store.engine), who, source, CAT, "en")
    return next(f.id for f in made.filings if f.procedure == procedure)


def _world(db: str) -> World:
    _people(db)
    with Accounts.open(db) as store:
        person = store.principal_by_email
        bj = _filing(store, "m@pharma.example", BEIJING, "beijing-list-use")
        bj_s = review.submit(store, person("m@pharma.example"), bj, D(2026, 6, 1), CAT)
        bj_i = inspecting.open_inspection(store, person("r@bj.example"), bj, D(2026, 6, 1), CAT)
        sh = _filing(store, "m@bank.example", SHANGHAI, "shanghai-post-export-report")
        bank = person("m@bank.example")
        filing_service.record_event(Filings(store.engine), bank, sh, "exported", D(2025, 6, 2), CAT)
        sh_s = review.submit(store, bank, sh, D(2025, 6, 3), CAT)
        sh_i = inspecting.open_inspection(store, person("r@sh.example"), sh, D(2025, 6, 4), CAT)
    return World(bj, bj_s.id, bj_i.id, sh, sh_s.id, sh_i.id)


@pytest.fixture
def world(client: TestClient, web_db: str) -> World:
    return _world(web_db)


def _as(client: TestClient, email: str) -> str:
    """Sign `email` in (signing out whoever was); their session's CSRF token."""
    client.cookies.clear()
    form = client.get("/login")
    signed = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf": form_csrf(form.text)}
    )
    assert signed.url.path in ("/dashboard", "/zone/queue"), signed.text
    return form_csrf(client.get("/notifications").text)


def _state(db: str, submission_id: str) -> tuple[SubmissionState, int]:
    with Accounts.open(db) as store:
        s = review.store(store).submission(store.principal_by_email("r@bj.example"), submission_id)
    return s.state, len(s.history)


def _sample(tmp_path: Path) -> Path:
    """300 rows about 200 persons: ID and phone numbers, and medical records the filing never
    declared (the column renamed from 诊断 to 病历诊断)."""
    return undeclared_sample(tmp_path / "sample.csv")


# --- the loop, page by page ------------------------------------------------------------------


def _submitted_from_the_filing_page(client: TestClient, db: str) -> tuple[str, str]:
    """A Beijing company's list-use filing, submitted from its page: (filing, submission)."""
    _people(db)
    with Accounts.open(db) as store:
        filing_id = _filing(store, "m@pharma.example", BEIJING, "beijing-list-use")
    csrf = _as(client, "m@pharma.example")
    shown = client.get(f"/filings/{filing_id}").text
    assert 'data-testid="submit-to-zone"' in shown and "list-use application" in shown
    ready = client.get("/zone/submissions").text
    assert f'data-filing="{filing_id}"' in ready
    sent = client.post("/zone/submissions", data={"csrf": csrf, "filing_id": filing_id})
    assert sent.status_code == 200 and "/zone/submissions/" in str(sent.url)
    submission_id = str(sent.url).split("/")[-1].split("?")[0]
    assert "Submitted to the zone&#39;s service centre." in sent.text
    assert 'data-testid="company-form"' in sent.text and 'value="withdraw"' in sent.text
    after = client.get(f"/filings/{filing_id}").text
    assert 'data-testid="zone-submission"' in after and 'data-testid="submit-to-zone"' not in after
    assert "Application submitted; cluster reviewing" in after
    return filing_id, submission_id


def test_a_company_submits_its_filing_and_the_centre_reviews_it(
    client: TestClient, web_db: str
) -> None:
    filing_id, submission_id = _submitted_from_the_filing_page(client, web_db)
    csrf = _as(client, "r@bj.example")
    queue = client.get("/zone/queue").text
    row = re.search(rf'data-submission="{submission_id}">(.*?)</tr>', queue, re.S)
    assert row and "Pharma Co., Ltd." in row.group(1) and "working days" in row.group(1)
    assert "BJ24-PROC-1" in row.group(1)
    page = client.get(f"/zone/submissions/{submission_id}").text
    for testid in ("review-form", "decision", "materials", "history", "open-inspection"):
        assert f'data-testid="{testid}"' in page, testid
    # The decision, with its citations, and what the request declared.
    assert "BJ24-PHARMA-PI-SCC-1" in page and "身份证号" in page
    assert 'value="answer"' not in page  # the company's action is not offered to the centre

    act = f"/zone/submissions/{submission_id}/actions"
    today = dt.date.today().isoformat()
    refused = client.post(act, data={"csrf": csrf, "action": "request_info", "date": today})
    assert refused.status_code == 409 and "needs a reason" in refused.text
    bad = {"csrf": csrf, "action": "request_info", "date": "soon", "reason": "penalties?"}
    typed = client.post(act, data=bad)
    assert typed.status_code == 422 and "is not a date" in typed.text and "penalties?" in typed.text
    asked = client.post(act, data={**bad, "date": today})
    assert "Information requested" in asked.text and 'data-testid="zone-done"' in asked.text

    csrf = _as(client, "m@pharma.example")
    notices = client.get("/notifications").text
    assert "requested more information. Reason: penalties?" in notices
    assert f'href="/zone/submissions/{submission_id}"' in notices
    assert 'data-testid="unread"' in notices
    read = client.post("/notifications/read", data={"csrf": csrf})
    assert "All marked read." in read.text and 'data-testid="unread"' not in read.text
    answer = {"csrf": csrf, "action": "answer", "date": today, "reason": "none in two years"}
    assert "Submitted; under review" in client.post(act, data=answer).text

    csrf = _as(client, "r@bj.example")
    approved = client.post(act, data={"csrf": csrf, "action": "approve", "date": today})
    assert (
        'data-state="approved"' in approved.text
        and 'data-testid="review-form"' not in approved.text
    )
    history = re.findall(r'data-action="(\w+)"', approved.text)
    assert history == ["submit", "request_info", "answer", "approve"]
    assert "none in two years" in approved.text
    assert _state(web_db, submission_id) == ("approved", 4)
    assert submission_id not in client.get("/zone/queue").text  # closed: only under "all"
    assert submission_id in client.get("/zone/queue", params={"show": "all"}).text

    _as(client, "m@pharma.example")
    filing = client.get(f"/filings/{filing_id}").text
    assert "Application approved; file the list use" in filing
    assert 'data-testid="submit-to-zone"' in filing and "list-use filing" in filing


def test_the_filing_step_takes_an_opinion_before_approval(
    client: TestClient, world: World, web_db: str
) -> None:
    csrf = _as(client, "r@bj.example")
    act = f"/zone/submissions/{world.bj_submission}/actions"
    client.post(act, data={"csrf": csrf, "action": "approve", "date": "2026-06-02"})
    with Accounts.open(web_db) as store:
        company = store.principal_by_email("m@pharma.example")
        filing = review.submit(store, company, world.bj_filing, D(2026, 6, 3), CAT)
    act = f"/zone/submissions/{filing.id}/actions"
    page = client.get(f"/zone/submissions/{filing.id}").text
    assert 'value="opinion"' in page and 'value="not_on_list"' in page
    early = client.post(act, data={"csrf": csrf, "action": "approve", "date": "2026-06-04"})
    assert early.status_code == 409 and "give the opinion" in early.text
    opinion = {"csrf": csrf, "action": "opinion", "date": "2026-06-04", "opinion": "not_on_list"}
    given = client.post(act, data={**opinion, "reason": "clinical data within limits"})
    assert 'data-testid="opinion-given"' in given.text and "Not on the list" in given.text
    done = client.post(act, data={"csrf": csrf, "action": "approve", "date": "2026-06-04"})
    assert 'data-state="approved"' in done.text


def test_a_post_export_report_has_no_known_time_limit(client: TestClient, world: World) -> None:
    _as(client, "r@sh.example")
    queue = client.get("/zone/queue").text
    row = re.search(rf'data-submission="{world.sh_submission}">(.*?)</tr>', queue, re.S)
    assert row and "no time limit known" in row.group(1)
    assert "gives no time limit for the centre" in row.group(1)


def test_an_inspection_finds_an_undeclared_column_and_rectification_is_ordered(
    client: TestClient, world: World, tmp_path: Path
) -> None:
    path = f"/zone/inspections/{world.bj_inspection}"
    csrf = _as(client, "m@pharma.example")
    listed = client.get("/zone/inspections").text
    assert f'data-inspection="{world.bj_inspection}"' in listed
    shown = client.get(path).text
    assert 'data-testid="sample-form"' in shown and 'data-testid="inspection-form"' not in shown
    sample = _sample(tmp_path)
    with sample.open("rb") as f:
        files_ = {"file": ("sample.csv", f, "text/csv")}
        compared = client.post(
            f"{path}/sample", data={"csrf": csrf, "date": "2026-06-03"}, files=files_
        )
    assert compared.status_code == 200 and 'data-state="compared"' in compared.text
    findings = re.findall(r'data-testid="finding" data-kind="(\w+)"', compared.text)
    assert findings == ["undeclared_sensitive_field", "sensitive_volume_beyond_scale"]
    assert "undeclared sensitive field" in compared.text and "病历诊断" in compared.text
    assert "BJ24-SUP-1" in compared.text and "scan: sample.csv" in compared.text
    wrong = {"file": ("sample.pdf", b"%PDF-1.4", "application/pdf")}
    refused = client.post(f"{path}/sample", data={"csrf": csrf}, files=wrong)
    assert refused.status_code == 422 and "upload CSV" in refused.text

    csrf = _as(client, "r@bj.example")
    step = {"csrf": csrf, "event": "order_rectification", "date": "2026-06-04"}
    no_reason = client.post(f"{path}/events", data={**step, "working_days": "10"})
    assert no_reason.status_code == 409 and "needs a reason" in no_reason.text
    bad_days = client.post(f"{path}/events", data={**step, "working_days": "ten", "reason": "x"})
    assert bad_days.status_code == 422 and "give a number of working days" in bad_days.text
    ordered = client.post(
        f"{path}/events", data={**step, "working_days": "10", "reason": "declare the column"}
    )
    assert 'data-state="rectifying"' in ordered.text
    assert re.search(r'data-testid="rectify-by">2026-06-18<', ordered.text)

    csrf = _as(client, "m@pharma.example")
    notices = client.get("/notifications").text
    assert "rectify by 2026-06-18" in notices and f'href="{path}"' in notices
    report = {"csrf": csrf, "event": "report_rectified", "date": "2026-06-15", "reason": "removed"}
    assert 'data-state="rectification_reported"' in client.post(f"{path}/events", data=report).text
    csrf = _as(client, "r@bj.example")
    accept = {"csrf": csrf, "event": "accept_rectification", "date": "2026-06-16"}
    closed = client.post(f"{path}/events", data=accept)
    assert (
        'data-state="rectified"' in closed.text
        and 'data-testid="inspection-form"' not in closed.text
    )
    assert world.bj_inspection not in client.get("/zone/inspections").text  # closed
    assert world.bj_inspection in client.get("/zone/inspections", params={"show": "all"}).text


def test_the_centre_compares_with_the_ledger_records(client: TestClient, world: World) -> None:
    csrf = _as(client, "r@bj.example")
    path = f"/zone/inspections/{world.bj_inspection}"
    assert 'data-testid="records-form"' in client.get(path).text
    compared = client.post(f"{path}/records", data={"csrf": csrf, "date": "2026-06-02"})
    assert 'data-state="compared"' in compared.text and 'data-testid="missing"' in compared.text
    assert 'data-testid="nothing-compared"' in compared.text  # nothing recorded: not "consistent"


def test_the_centre_opens_an_inspection_of_its_zones_filings_only(
    client: TestClient, world: World, web_db: str
) -> None:
    csrf = _as(client, "r@bj.example")
    answer = client.post("/zone/inspections", data={"csrf": csrf, "filing_id": "0" * 32})
    assert answer.status_code == 404
    opened = client.post(
        "/zone/inspections", data={"csrf": csrf, "filing_id": world.bj_filing, "reason": "again"}
    )
    assert opened.status_code == 200 and "The inspection is opened" in opened.text


# --- who sees and does what ------------------------------------------------------------------

# (method, path, form): {s} a submission, {i} an inspection, {f} a filing of the same company.
COMPANY_POSTS = [
    ("/zone/submissions", {"filing_id": "{f}"}),
    ("/zone/submissions/{s}/actions", {"action": "answer", "reason": "x"}),
    ("/zone/submissions/{s}/actions", {"action": "withdraw"}),
    ("/zone/inspections/{i}/sample", {}),
    ("/zone/inspections/{i}/events", {"event": "report_rectified", "reason": "x"}),
    ("/zone/inspections/{i}/events", {"event": "reapplied"}),
]
REVIEWER_POSTS = [
    ("/zone/submissions/{s}/actions", {"action": "request_info", "reason": "x"}),
    ("/zone/submissions/{s}/actions", {"action": "approve"}),
    ("/zone/submissions/{s}/actions", {"action": "reject", "reason": "x"}),
    ("/zone/submissions/{s}/actions", {"action": "opinion", "opinion": "on_list", "reason": "x"}),
    ("/zone/inspections", {"filing_id": "{f}"}),
    ("/zone/inspections/{i}/records", {}),
    ("/zone/inspections/{i}/events", {"event": "order_rectification", "working_days": "10"}),
    ("/zone/inspections/{i}/events", {"event": "suspend", "reason": "x"}),
    ("/zone/inspections/{i}/events", {"event": "terminate", "reason": "x"}),
    ("/zone/inspections/{i}/events", {"event": "close_consistent", "reason": "x"}),
]
PAGES = ["/zone/submissions/{s}", "/zone/inspections/{i}"]
CSV = ("s.csv", "身份证号\n110101199003070011\n", "text/csv")


def _fill(template: str, ids: tuple[str, str, str]) -> str:
    s, i, f = ids
    return template.replace("{s}", s).replace("{i}", i).replace("{f}", f)


def _post(
    client: TestClient, csrf: str, route: tuple[str, dict[str, str]], ids: tuple[str, str, str]
) -> int:
    path, form = route
    data = {"csrf": csrf, "date": "2026-07-01", **{k: _fill(v, ids) for k, v in form.items()}}
    upload = {"file": CSV} if path.endswith("/sample") else None
    return client.post(_fill(path, ids), data=data, files=upload).status_code


def _beijing(w: World) -> tuple[str, str, str]:
    return w.bj_submission, w.bj_inspection, w.bj_filing


def _shanghai(w: World) -> tuple[str, str, str]:
    return w.sh_submission, w.sh_inspection, w.sh_filing


Whose = Callable[[World], tuple[str, str, str]]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, World, str]]:
    """One world for the permission tests: they change nothing (each checks that it didn't)."""
    folder = tmp_path_factory.mktemp("zone-permissions")
    db = f"sqlite:///{folder / 'web.db'}"
    with pytest.MonkeyPatch.context() as env:  # the accounts' audit trail keyed as the app's
        env.setenv("KUAJING_KEY_FILE", str(folder / "ledger.key"))
        with web_client(db, folder / "ledger.key") as test:
            yield test, _world(db), db


def _unchanged(db: str, w: World) -> None:
    """Both zones' submissions and inspections are as the world made them."""
    with Accounts.open(db) as store:
        zone = review.store(store)
        for reviewer, s, i in (
            ("r@bj.example", w.bj_submission, w.bj_inspection),
            ("r@sh.example", w.sh_submission, w.sh_inspection),
        ):
            centre = store.principal_by_email(reviewer)
            submission, inspection = zone.submission(centre, s), zone.inspection(centre, i)
            assert (submission.state, len(submission.history)) == ("submitted", 1)
            assert (inspection.state, len(inspection.history)) == ("sample_requested", 1)


# (who, whose objects): none of them may see the other side's.
OUTSIDERS = [
    ("r@bj.example", _shanghai),
    ("r@sh.example", _beijing),
    ("v@bj.example", _shanghai),
    ("m@biotech.example", _beijing),
    ("m@bank.example", _beijing),
    ("m@pharma.example", _shanghai),
    ("v@pharma.example", _shanghai),
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("outsider", OUTSIDERS, ids=lambda o: f"{o[0]}-{o[1].__name__}")
def test_outsiders_get_404_for_the_pages(
    shared: tuple[TestClient, World, str], outsider: tuple[str, Whose], path: str
) -> None:
    client, w, _ = shared
    email, whose = outsider
    _as(client, email)
    assert client.get(_fill(path, whose(w))).status_code == 404


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("insider", ["r@bj.example", "v@bj.example", "m@pharma.example"])
def test_insiders_see_the_pages(
    shared: tuple[TestClient, World, str], insider: str, path: str
) -> None:
    client, w, _ = shared
    _as(client, insider)
    assert client.get(_fill(path, _beijing(w))).status_code == 200


@pytest.mark.parametrize("route", REVIEWER_POSTS, ids=lambda r: f"{r[0]}:{r[1]}")
@pytest.mark.parametrize("reviewer", [("r@bj.example", _shanghai), ("r@sh.example", _beijing)])
def test_a_reviewer_of_another_zone_gets_404_for_the_forms(
    shared: tuple[TestClient, World, str],
    reviewer: tuple[str, Whose],
    route: tuple[str, dict[str, str]],
) -> None:
    client, w, db = shared
    email, whose = reviewer
    csrf = _as(client, email)
    assert _post(client, csrf, route, whose(w)) == 404
    _unchanged(db, w)


@pytest.mark.parametrize("route", COMPANY_POSTS, ids=lambda r: f"{r[0]}:{r[1]}")
@pytest.mark.parametrize(
    "company", [("m@biotech.example", _beijing), ("m@pharma.example", _shanghai)]
)
def test_another_company_gets_404_for_the_forms(
    shared: tuple[TestClient, World, str],
    company: tuple[str, Whose],
    route: tuple[str, dict[str, str]],
) -> None:
    client, w, db = shared
    email, whose = company
    csrf = _as(client, email)
    assert _post(client, csrf, route, whose(w)) == 404
    _unchanged(db, w)


@pytest.mark.parametrize("route", REVIEWER_POSTS, ids=lambda r: f"{r[0]}:{r[1]}")
def test_a_company_is_refused_the_centres_forms(
    shared: tuple[TestClient, World, str], route: tuple[str, dict[str, str]]
) -> None:
    client, w, db = shared
    csrf = _as(client, "m@pharma.example")
    assert _post(client, csrf, route, _beijing(w)) == 403
    _unchanged(db, w)


@pytest.mark.parametrize("route", COMPANY_POSTS, ids=lambda r: f"{r[0]}:{r[1]}")
def test_the_centre_is_refused_the_companys_forms(
    shared: tuple[TestClient, World, str], route: tuple[str, dict[str, str]]
) -> None:
    client, w, db = shared
    csrf = _as(client, "r@bj.example")
    assert _post(client, csrf, route, _beijing(w)) == 403
    _unchanged(db, w)


@pytest.mark.parametrize("route", REVIEWER_POSTS + COMPANY_POSTS, ids=lambda r: f"{r[0]}:{r[1]}")
@pytest.mark.parametrize("email", ["v@bj.example", "v@pharma.example"])
def test_viewers_are_refused_every_form(
    shared: tuple[TestClient, World, str], email: str, route: tuple[str, dict[str, str]]
) -> None:
    client, w, db = shared
    csrf = _as(client, email)
    assert _post(client, csrf, route, _beijing(w)) == 403
    _unchanged(db, w)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("email", ["v@bj.example", "v@pharma.example"])
def test_viewers_see_the_pages_without_forms(
    shared: tuple[TestClient, World, str], email: str, path: str
) -> None:
    client, w, _ = shared
    _as(client, email)
    shown = client.get(_fill(path, _beijing(w)))
    assert shown.status_code == 200
    assert 'action="/zone/' not in shown.text and 'data-testid="history"' in shown.text


def test_a_form_without_the_session_token_is_refused(
    shared: tuple[TestClient, World, str],
) -> None:
    client, w, db = shared
    _as(client, "r@bj.example")
    assert _post(client, "forged", REVIEWER_POSTS[1], _beijing(w)) == 403
    _unchanged(db, w)


def test_each_queue_and_list_holds_only_its_own(shared: tuple[TestClient, World, str]) -> None:
    client, w, _ = shared
    _as(client, "r@bj.example")
    for listing in ("/zone/queue?show=all", "/zone/inspections?show=all"):
        shown = client.get(listing).text
        assert w.bj_submission in shown or w.bj_inspection in shown
        assert w.sh_submission not in shown and w.sh_inspection not in shown
    _as(client, "r@sh.example")
    queue = client.get("/zone/queue?show=all").text
    assert w.sh_submission in queue and w.bj_submission not in queue
    assert w.bj_inspection not in client.get("/zone/inspections?show=all").text
    assert "Pharma" not in client.get("/notifications").text
    _as(client, "m@biotech.example")
    assert w.bj_submission not in client.get("/zone/submissions").text
    assert w.bj_inspection not in client.get("/zone/inspections?show=all").text
    assert "No notices." in client.get("/notifications").text
    assert client.get(f"/filings/{w.bj_filing}").status_code == 404


@pytest.mark.parametrize("email", ["m@pharma.example", "v@pharma.example", "m@bank.example"])
def test_a_company_gets_403_on_the_queue(shared: tuple[TestClient, World, str], email: str) -> None:
    client, _, _ = shared
    _as(client, email)
    answer = client.get("/zone/queue")
    assert answer.status_code == 403 and "for the zone" in answer.text


def test_the_centre_is_sent_from_the_company_list_to_its_queue(
    shared: tuple[TestClient, World, str],
) -> None:
    client, _, _ = shared
    _as(client, "v@bj.example")
    assert client.get("/zone/submissions").url.path == "/zone/queue"


def test_the_pages_in_chinese(client: TestClient, world: World, web_db: str) -> None:
    tenants.add_user(web_db, "bj-centre", "zh@bj.example", "reviewer", lang="zh", kind="zone")
    _as(client, "zh@bj.example")
    queue = client.get("/zone/queue").text
    assert "<h1>审核队列</h1>" in queue and "清单使用申请" in queue
    page = client.get(f"/zone/submissions/{world.bj_submission}").text
    assert "企业的决定" in page and "处理记录" in page and "Review queue" not in page
    inspection = client.get(f"/zone/inspections/{world.bj_inspection}").text
    assert "已启动抽验、待提供出境数据样本" in inspection and "以台账记录比对" in inspection


ZONE_TEMPLATES = (
    "zone_queue.html",
    "zone_submissions.html",
    "zone_submission.html",
    "zone_inspections.html",
    "zone_inspection.html",
    "notifications.html",
    "_zone_macros.html",
    "filing.html",
)


@pytest.mark.parametrize("template", ZONE_TEMPLATES)
def test_every_phrase_the_zone_pages_use_exists(template: str) -> None:
    text = files("kuajing.web").joinpath("templates", template).read_text(encoding="utf-8")
    used = set(re.findall(r"(?<![\w.])t\('([a-z_]+)'[,)]", text))
    prefixes = set(re.findall(r"(?<![\w.])t\('([a-z_]+_)' ~", text))
    known = set(phrases())
    assert not used - known
    for prefix in prefixes:  # each family has members (the states, actions, findings...)
        assert any(k.startswith(prefix) for k in known), prefix
    for state in ("submitted", "info_requested", "approved", "rejected", "withdrawn"):
        assert f"zone_state_{state}" in known
    for action in ("request_info", "opinion", "approve", "reject", "answer", "withdraw"):
        assert f"zone_do_{action}" in known
    for done in ("submitted", "acted", "opened", "compared", "recorded", "read"):
        assert f"zone_done_{done}" in known
