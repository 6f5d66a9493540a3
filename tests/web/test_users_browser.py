"""Managing users with a real browser: an admin adds a member, who then signs in."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.web.support import PASSWORD, add_user

MEMBER_PASSWORD = "a long initial password"


def _sign_in(page: Page, app_url: str, email: str, password: str) -> None:
    page.goto(f"{app_url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{app_url}/dashboard")


def test_an_admin_adds_a_member_who_then_signs_in(page: Page, app_url: str, web_db: str) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "admin")
    _sign_in(page, app_url, "ops@pharma.example", PASSWORD)
    page.get_by_role("link", name="Users").click()
    expect(page).to_have_url(f"{app_url}/users")
    form = page.get_by_test_id("add-user")
    form.get_by_label("E-mail").fill("li@pharma.example")
    form.get_by_label("Name").fill("Li Lei")
    form.get_by_label("Role").select_option("member")
    form.get_by_label("Language").select_option("en")
    form.get_by_label("Initial password").fill(MEMBER_PASSWORD)
    form.get_by_role("button", name="Add user").click()
    expect(page.get_by_test_id("users-done")).to_be_visible()
    row = page.locator('tr[data-email="li@pharma.example"]')
    expect(row).to_contain_text("Li Lei")
    expect(row.get_by_role("combobox")).to_have_value("member")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{app_url}/login")
    _sign_in(page, app_url, "li@pharma.example", MEMBER_PASSWORD)
    expect(page.get_by_test_id("who")).to_contain_text("Li Lei · Pharma Co., Ltd. · member")
    expect(page.get_by_role("link", name="Users")).to_have_count(0)
