"""The API's routers, one module a resource."""

from __future__ import annotations

from fastapi import APIRouter

from kuajing.api.routes import (
    assess,
    audit,
    catalog,
    decisions,
    editions,
    evidence,
    filings,
    flows,
    ledger,
    me,
    scan,
    spark_jobs,
    users,
    whatif,
    zone,
)

ROUTERS: list[APIRouter] = [
    m.router
    for m in (
        assess,
        audit,
        catalog,
        decisions,
        evidence,
        filings,
        flows,
        ledger,
        me,
        scan,
        spark_jobs,
        users,
        whatif,
        zone,
        editions,
    )
]
