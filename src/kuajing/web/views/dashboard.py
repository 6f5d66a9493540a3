"""What an organisation's dashboard shows: its profile, this year's ledger counters against
each threshold, its latest decisions and the obligations they carry, and the filings' deadlines
that are due soon or overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import Catalog
from kuajing.catalog.base import Text
from kuajing.errors import NotFound
from kuajing.filing.store import Filings
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import Status
from kuajing.services import tenant_ledger
from kuajing.services.decisions import in_language
from kuajing.web.views.filing import DueLine, due_soon


@dataclass(frozen=True)
class Gauge:
    """One threshold as a bar: how many persons are counted against how many reach it."""

    rule: str
    counter: str
    pathway: str
    count: int
    bound: int
    reached: bool
    headroom: int | None
    projected: dt.date | None

    @property
    def percent(self) -> float:
        return min(100.0, 100.0 * self.count / self.bound) if self.bound else 100.0


@dataclass(frozen=True)
class DecisionLine:
    id: str
    created_at: str
    date: str
    pathway: str
    status: str
    transfers: int
    missing: int


@dataclass(frozen=True)
class Dashboard:
    principal: Principal
    year: int
    zone: Text | None
    status: Status | None
    gauges: list[Gauge]
    decisions: list[DecisionLine]
    obligations: list[dict[str, Any]] = field(default_factory=list)
    due: list[DueLine] = field(default_factory=list)  # within 30 days, and overdue


def dashboard(
    accounts: Accounts, ledger: Ledger, catalog: Catalog, who: Principal, recent: int = 10
) -> Dashboard:
    zone = catalog.zones.get(who.organisation.zone or "")
    try:
        status: Status | None = tenant_ledger.status(ledger, catalog, who)
    except NotFound:  # nothing recorded yet
        status = None
    records = accounts.decisions(who, recent)
    decided = [in_language(r, catalog, who.user.lang) for r in records]
    return Dashboard(
        principal=who,
        year=status.year if status else dt.date.today().year,
        zone=zone.name if zone else None,
        status=status,
        gauges=_gauges(status) if status else [],
        decisions=[_line(r.id, r.created_at, d) for r, d in zip(records, decided, strict=True)],
        obligations=_obligations(decided),
        due=due_soon(Filings(accounts.engine), who, catalog, dt.date.today(), who.user.lang),
    )


def _gauges(status: Status) -> list[Gauge]:
    counts = status.national.model_dump()
    return [
        Gauge(
            rule=t.rule,
            counter=t.counter,
            pathway=str(t.pathway),
            count=int(counts.get(t.counter, 0)),
            bound=t.bound,
            reached=t.reached,
            headroom=t.headroom,
            projected=t.projected,
        )
        for t in status.thresholds
    ]


def _line(ident: str, created_at: str, decision: dict[str, Any]) -> DecisionLine:
    return DecisionLine(
        id=ident,
        created_at=created_at,
        date=str(decision.get("date", "")),
        pathway=str(decision.get("pathway", "")),
        status=str(decision.get("status", "")),
        transfers=len(decision.get("transfers", [])),
        missing=len(decision.get("missing", [])),
    )


def _obligations(decided: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The obligations of the latest decisions, each once (newest decision first)."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for decision in decided:
        for transfer in decision.get("transfers", []):
            for ob in transfer.get("obligations", []):
                seen.setdefault((ob["rule"], ob["text"]), ob)
    return list(seen.values())
