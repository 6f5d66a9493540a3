"""/docs in a real browser with every request to another host blocked: Swagger UI still
renders the API from this site alone, and the page breaks no Content-Security-Policy rule."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, Route, expect


def test_docs_render_with_other_hosts_blocked(page: Page, app_url: str) -> None:
    here = urlsplit(app_url).netloc
    blocked: list[str] = []
    errors: list[str] = []  # a Content-Security-Policy violation shows up here

    def only_here(route: Route) -> None:
        if urlsplit(route.request.url).netloc == here:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_here)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{app_url}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("kuajing")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    page.locator(".opblock-summary").first.click()  # an operation opens, its parameters shown
    expect(page.locator(".opblock-body").first).to_be_visible()
    assert blocked == [] and errors == []
