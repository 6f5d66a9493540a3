"""Scanning datasets, and placing what they hold in a zone list (`--zone`, `--scenario`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kuajing.catalog import Catalog, default_catalog
from kuajing.catalog.base import Text
from kuajing.catalog.loader import default_personal_data
from kuajing.catalog.models import Entry, PersonalData
from kuajing.errors import RequestError
from kuajing.scan.models import ScanReport
from kuajing.scan.scanner import SAMPLE, Options, scan


def personal_data(catalog: Catalog) -> PersonalData:
    if catalog.personal_data is None:  # the loader always sets it
        raise RequestError("the catalogue has no personal_data.yaml")
    return catalog.personal_data


def scan_datasets(
    locations: Sequence[str],
    catalog: Catalog | None = None,
    *,
    keys: Sequence[str] = (),
    sample: int = SAMPLE,
    as_of: dt.date | None = None,
    table: str | None = None,
    zone: str | None = None,
    scenario: str | None = None,
) -> ScanReport:
    """Scan the datasets and, given a zone and scenario, name the list entries each column fills.
    Without `catalog`, the shipped one (only its personal-data part, unless a zone is given)."""
    if (zone is None) != (scenario is None):
        raise RequestError("give --zone and --scenario together", path="zone")
    if sample < 0:
        raise RequestError("must be 0 (every row) or more", path="sample")
    day = as_of or dt.date.today()
    if zone and catalog is None:
        catalog = default_catalog()
    data = personal_data(catalog) if catalog else default_personal_data()
    entries = _entries(catalog, zone, scenario, day) if catalog and zone and scenario else None
    options = Options(keys=keys, sample=sample or None, as_of=day, table=table)
    report = scan(locations, data, options)
    if catalog is None or entries is None:
        return report
    return _placed(report, catalog, entries, zone, scenario)


def _entries(catalog: Catalog, zone: str, scenario: str, day: dt.date) -> list[Entry]:
    # The engine only for --zone: a scan without one starts faster.
    from kuajing.engine.placement import place  # noqa: PLC0415
    from kuajing.engine.request import Processor, Transfer  # noqa: PLC0415
    from kuajing.engine.resolve import scopes_named  # noqa: PLC0415

    zone_id = catalog.zone_id(zone)
    if zone_id is None:
        raise RequestError(f"unknown zone {zone!r}; see `kuajing catalog zones`", path="zone")
    refs = scopes_named(catalog, scenario, ("scenario",))
    regime = catalog.regime_on(day)
    uncovered = regime.ftz_uncovered if regime else None
    transfer = Transfer(id="scan", scenario=scenario)
    placement = place(
        transfer, refs, Processor(name="scan", zone=zone_id), zone_id, day, catalog, uncovered
    )
    return [entry for entry, _ in placement.entries()]


def _placed(
    report: ScanReport,
    catalog: Catalog,
    entries: list[Entry],
    zone: str | None,
    scenario: str | None,
) -> ScanReport:
    from kuajing.engine.evaluate import field_matches  # noqa: PLC0415  (as in _entries)

    kinds = personal_data(catalog).kinds
    columns = []
    for column in report.columns:
        names = [column.name, *(kinds[column.kind].fields if column.kind in kinds else [])]
        hits = [e.id for e in entries if any(field_matches(n, e.fields) for n in names)]
        columns.append(column.model_copy(update={"entries": hits}))
    notes = list(report.notes)
    if not entries:
        notes.append(
            Text(
                zh=f"自贸区“{zone}”的清单不涵盖场景“{scenario}”（或其条目尚未编码）：适用国家规则",
                en=f"The lists of zone '{zone}' do not cover scenario '{scenario}' (or its entries "
                "are not encoded): the national rules apply",
            )
        )
    return report.model_copy(
        update={"columns": columns, "zone": zone, "scenario": scenario, "notes": notes}
    )
