"""The web application's pages, one module an area."""

from __future__ import annotations

from fastapi import APIRouter

from kuajing.web.routes import (
    assess,
    audit,
    catalog,
    dashboard,
    decisions,
    editions,
    exports,
    filings,
    forecast,
    register,
    scan,
    signin,
    spark_jobs,
    users,
    whatif,
    zone,
    zone_stats,
)

ROUTERS: list[APIRouter] = [
    m.router
    for m in (
        exports, dashboard, signin, assess, decisions, filings, catalog, scan, users,
        zone, editions, zone_stats, audit, forecast, whatif, register, spark_jobs,
    )
]  # fmt: skip
