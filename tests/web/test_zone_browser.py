"""The zone console in a real browser (Debian's Chromium), each side in its own browser context:
a Beijing company submits its list-use filing from the filing's page; the Beijing centre sees it
in its queue with the day it must answer by and asks for more information; the company reads the
notice and answers; the centre approves and the filing moves. Then an inspection: the company's
sample has a medical-record column the filing never declared; the centre orders rectification
within 10 working days; the company reports it done; the centre accepts. And the queue in
Chinese."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.engine import Request
from kuajing.filing.store import Filings
from kuajing.services import filings as filing_service
from kuajing.services import zone_review as review
from kuajing.services.decisions import assess_and_log
from kuajing.workdays import add_working_days
from tests import tenants
from tests.web.support import add_user, fresh_page, sign_in_browser
from tests.zone.cases import TRIAL, undeclared_sample

COMPANY, REVIEWER = "ops@pharma.example", "r@bj.example"


def _people(db: str) -> None:
    add_user(db, "pharma", COMPANY, "member")
    tenants.add_user(db, "bj-centre", REVIEWER, "reviewer", zone="beijing", kind="zone")


def _decision(db: str) -> str:
    with Accounts.open(db) as store:
        who = store.principal_by_email(COMPANY)
        _, record = assess_and_log(store, who, Request.model_validate(TRIAL), default_catalog())
    return record.id


def _submitted(db: str) -> str:
    """The decision's list-use filing, submitted to the zone today (by the service)."""
    catalog = default_catalog()
    with Accounts.open(db) as store:
        who = store.principal_by_email(COMPANY)
        source = filing_service.from_log(store, who, _decision(db))
        made = filing_service.create_filings(
            store, Filings(store.engine), who, source, catalog, "en"
        )
        filing = next(f for f in made.filings if f.procedure == "beijing-list-use")
        return review.submit(store, who, filing.id, dt.date.today(), catalog).id


@pytest.fixture
def centre(browser: Browser) -> Iterator[Page]:
    """The reviewer's own browser context (no cookies shared with the company's `page`)."""
    with fresh_page(browser) as page:
        yield page


def _act(page: Page, action: str, reason: str = "") -> None:
    page.get_by_test_id("action").select_option(action)
    if reason:
        page.get_by_test_id("reason").fill(reason)
    page.get_by_test_id("act").click()
    expect(page.get_by_test_id("zone-done")).to_be_visible()


def test_submit_request_information_answer_approve(
    page: Page, centre: Page, app_url: str, web_db: str
) -> None:
    _people(web_db)
    decision_id = _decision(web_db)
    sign_in_browser(page, app_url, COMPANY)
    page.goto(f"{app_url}/decisions/{decision_id}")
    page.get_by_test_id("route").select_option("standard_contract")
    page.get_by_role("button", name="Create the filings for this decision").click()
    expect(page).to_have_url(re.compile(r"/filings\?decision="))
    page.locator("tr[data-procedure=beijing-list-use]").get_by_test_id("filing-link").click()
    expect(page.get_by_test_id("zone-panel")).to_contain_text("list-use application")
    page.get_by_role("button", name="Submit to the zone").click()
    expect(page.get_by_test_id("zone-done")).to_have_text("Submitted to the zone's service centre.")
    submission_url = page.url.split("?")[0]

    sign_in_browser(centre, app_url, REVIEWER, "/zone/queue")
    row = centre.get_by_test_id("queue-row").filter(has_text="Pharma Co., Ltd.")
    due = add_working_days(dt.date.today(), 5).date.isoformat()  # BJ24-PROC-1: 5 working days
    expect(row.get_by_test_id("due-date")).to_have_text(due)
    expect(row.get_by_test_id("days-left")).to_have_text("5 working days left")
    expect(row.get_by_test_id("submission-state")).to_have_text("Submitted; under review")
    row.get_by_test_id("submission-link").click()
    expect(centre.get_by_test_id("decision")).to_contain_text("身份证号")
    _act(centre, "request_info", "Add the past two years' administrative penalties.")
    expect(centre.get_by_test_id("submission-state")).to_have_text("Information requested")

    page.goto(f"{app_url}/notifications")
    notice = page.get_by_test_id("notice").filter(has_text="requested more information")
    expect(notice).to_contain_text("Reason: Add the past two years' administrative penalties.")
    expect(page.get_by_test_id("unread")).to_be_visible()
    notice.get_by_test_id("notice-link").click()
    expect(page).to_have_url(submission_url)
    _act(page, "answer", "None in the past two years; the statement is attached.")
    expect(page.get_by_test_id("submission-state")).to_have_text("Submitted; under review")

    centre.reload()
    expect(centre.get_by_test_id("history")).to_contain_text("None in the past two years")
    _act(centre, "approve", "Complete.")
    expect(centre.get_by_test_id("submission-state")).to_have_text("Approved")
    expect(centre.get_by_test_id("review-form")).to_have_count(0)

    page.reload()
    expect(page.get_by_test_id("submission-state")).to_have_text("Approved")
    page.get_by_test_id("filing-link").click()
    expect(page.get_by_test_id("state")).to_have_text("Application approved; file the list use")
    expect(page.get_by_test_id("zone-submission")).to_contain_text("Approved")
    expect(page.get_by_test_id("zone-panel")).to_contain_text("list-use filing")  # the next step


def _sample(folder: Path) -> Path:
    """Exported rows with ID and phone numbers, and medical records the filing never declared."""
    return undeclared_sample(folder / "exported-sample.csv")


def _step(page: Page, event: str, reason: str = "", days: int | None = None) -> None:
    page.get_by_test_id("inspection-event").select_option(event)
    if reason:
        page.get_by_test_id("inspection-reason").fill(reason)
    if days is not None:
        page.get_by_test_id("working-days").fill(str(days))
    page.get_by_test_id("record-step").click()
    expect(page.get_by_test_id("zone-done")).to_be_visible()


def test_an_inspection_finds_an_undeclared_column_and_the_rectification_closes_it(
    page: Page, centre: Page, app_url: str, web_db: str, tmp_path: Path
) -> None:
    _people(web_db)
    submission_id = _submitted(web_db)
    sign_in_browser(centre, app_url, REVIEWER, "/zone/queue")
    centre.goto(f"{app_url}/zone/submissions/{submission_id}")
    centre.get_by_test_id("inspection-open-reason").fill("Routine sampling")
    centre.get_by_role("button", name="Open a consistency inspection of this filing").click()
    state = centre.get_by_test_id("inspection-state")
    expect(state).to_have_attribute("data-state", "sample_requested")
    expect(centre.get_by_test_id("not-compared")).to_be_visible()

    sign_in_browser(page, app_url, COMPANY)
    page.goto(f"{app_url}/notifications")
    page.locator("[data-testid=notice][data-subject=inspection]").get_by_test_id(
        "notice-link"
    ).click()
    page.get_by_test_id("sample-file").set_input_files(_sample(tmp_path))
    page.get_by_test_id("upload-sample").click()
    expect(page.get_by_test_id("inspection-state")).to_have_attribute("data-state", "compared")
    finding = page.locator("[data-testid=finding][data-kind=undeclared_sensitive_field]")
    expect(finding).to_contain_text("undeclared sensitive field")
    expect(finding.get_by_test_id("finding-subject")).to_have_text("病历诊断")

    centre.reload()
    seen = centre.get_by_test_id("finding").filter(has_text="undeclared sensitive field")
    expect(seen.get_by_test_id("finding-subject")).to_have_text("病历诊断")
    _step(centre, "order_rectification", "Declare the medical-record column or stop it.", 10)
    expect(state).to_have_attribute("data-state", "rectifying")
    by = add_working_days(dt.date.today(), 10).date.isoformat()
    expect(centre.get_by_test_id("rectify-by")).to_have_text(by)

    page.reload()
    expect(page.get_by_test_id("rectify-by")).to_have_text(by)
    _step(page, "report_rectified", "The column is no longer exported.")
    expect(page.get_by_test_id("inspection-state")).to_have_text(
        "Rectification reported; centre checking"
    )

    centre.reload()
    _step(centre, "accept_rectification")
    expect(state).to_have_attribute("data-state", "rectified")
    expect(state).to_have_text("Rectified; inspection closed")
    expect(centre.get_by_test_id("inspection-form")).to_have_count(0)
    actions = centre.get_by_test_id("history-line")
    expect(actions).to_have_count(5)


def test_the_queue_in_chinese(centre: Page, app_url: str, web_db: str) -> None:
    _people(web_db)
    _submitted(web_db)
    sign_in_browser(centre, app_url, REVIEWER, "/zone/queue")
    expect(centre.get_by_role("heading", level=1)).to_have_text("Review queue")
    centre.get_by_test_id("lang-switch").click()
    expect(centre.get_by_role("heading", level=1)).to_have_text("审核队列")
    row = centre.get_by_test_id("queue-row")
    expect(row).to_contain_text("清单使用申请")
    expect(row.get_by_test_id("submission-state")).to_have_text("已提交、待审核")
    expect(row.get_by_test_id("days-left")).to_have_text("剩余 5 个工作日")
