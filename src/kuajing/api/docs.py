"""The interactive API documentation at /docs, entirely from this site.

FastAPI's own page loads Swagger UI from a CDN, without integrity checks: whoever controls the
CDN runs script on a page that holds an API token. Here Swagger UI's files come from the
swagger-ui-bundle package, served under /docs/assets, and the page's Content-Security-Policy
lets it load nothing from another host. ReDoc, which would load from a CDN too, is not served."""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

ASSETS = "/docs/assets"


def install(app: FastAPI) -> None:
    """Serve /docs and its assets; create the app with `docs_url=None, redoc_url=None`."""
    app.mount(ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")
    body, headers = _page(app)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(body, headers=headers)


def _page(app: FastAPI) -> tuple[bytes, dict[str, str]]:
    """The page, and its headers: the inline script that starts Swagger UI is allowed by its
    hash, and nothing from another host."""
    page = get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title=f"{app.title} – API",
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
        # Swagger UI would send the OpenAPI document to validator.swagger.io for a badge.
        swagger_ui_parameters={"validatorUrl": None},
    )
    body = bytes(page.body)
    scripts = re.findall(r"<script>(.*?)</script>", body.decode(), re.DOTALL)
    hashes = " ".join(f"'sha256-{_digest(script)}'" for script in scripts)
    policy = (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline';"
        " img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
    return body, {"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff"}


def _digest(script: str) -> str:
    return base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
