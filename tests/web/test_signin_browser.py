"""Signing in with a real browser: the Secure, HTTP-only session cookie over 127.0.0.1."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.web.support import PASSWORD, add_user


def test_sign_in_and_out(page: Page, app_url: str, web_db: str) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "admin")
    page.goto(f"{app_url}/dashboard")
    expect(page).to_have_url(f"{app_url}/login?next=/dashboard")
    page.get_by_label("E-mail").fill("ops@pharma.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{app_url}/dashboard")
    expect(page.get_by_test_id("profile")).to_contain_text("China (Beijing) Pilot Free Trade Zone")
    [cookie] = [c for c in page.context.cookies() if c["name"] == "kuajing_session"]
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Lax"
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{app_url}/login")
    page.goto(f"{app_url}/dashboard")
    expect(page).to_have_url(f"{app_url}/login?next=/dashboard")
