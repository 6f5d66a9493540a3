"""Which procedures a decision leads to: per procedure in force on the decision's date, the
transfers it covers (by pathway, by the list they were decided under, by the exporter's zone)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kuajing.catalog import Catalog
from kuajing.catalog.base import Pathway
from kuajing.catalog.procedures import Procedure
from kuajing.engine import Decision
from kuajing.engine.decision import TransferDecision

Route = Literal["standard_contract", "certification"]


@dataclass(frozen=True)
class Requirement:
    procedure: Procedure
    transfers: tuple[str, ...]


def required(
    decision: Decision, zone: str | None, catalog: Catalog, route: Route = "standard_contract"
) -> list[Requirement]:
    out = []
    for procedure in catalog.procedures.values():
        if procedure.role != "filing" or not procedure.in_force.covers(decision.date):
            continue
        ids = tuple(t.id for t in decision.transfers if _applies(procedure, t, zone, route))
        if ids:
            out.append(Requirement(procedure, ids))
    return out


def _applies(p: Procedure, t: TransferDecision, zone: str | None, route: Route) -> bool:
    a = p.applies
    if t.pathway == Pathway.PROHIBITED:
        return False  # nothing to file: the export must not happen
    return (
        (not a.pathways or t.pathway in a.pathways)
        and (not a.regimes or t.regime in a.regimes)
        and (not a.zones or zone in a.zones)
        and (a.route is None or a.route == route)
    )
