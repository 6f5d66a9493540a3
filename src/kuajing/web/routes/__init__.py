"""The web application's pages, one module an area."""

from __future__ import annotations

from fastapi import APIRouter

from kuajing.web.routes import assess, catalog, dashboard, decisions, filings, scan, signin, users

ROUTERS: list[APIRouter] = [
    m.router for m in (dashboard, signin, assess, decisions, filings, catalog, scan, users)
]
