"""Scanning datasets, and placing what they hold in a zone list (`--zone`, `--scenario`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kuajing.catalog.base import Text
from kuajing.catalog.personal import PersonalData, default_personal_data
from kuajing.errors import RequestError
from kuajing.scan.dataset import scan_locations
from kuajing.scan.models import Column, ScanReport
from kuajing.scan.scanner import SAMPLE, Options, scan

# The whole catalogue's models and loader only for --zone: a scan without one starts faster.
if TYPE_CHECKING:
    from kuajing.catalog import Catalog
    from kuajing.catalog.models import Entry, SensitiveDefinition


def personal_data(catalog: Catalog) -> PersonalData:
    if catalog.personal_data is None:  # the loader always sets it
        raise RequestError("the catalogue has no personal_data.yaml")
    return catalog.personal_data


# Runs the scan itself: the local scanner, or the Spark engine (`services.spark_jobs`).
Runner = Callable[[PersonalData, Options], ScanReport]


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
    Without `catalog`, the shipped one (only its personal-data part, unless a zone is given).
    A directory of Parquet or CSV files is scanned as its files, in order (`scan.dataset`)."""

    def local(data: PersonalData, options: Options) -> ScanReport:
        return scan(scan_locations(locations), data, options)

    return scan_with(
        local,
        catalog,
        keys=keys,
        sample=sample,
        as_of=as_of,
        table=table,
        zone=zone,
        scenario=scenario,
    )


def scan_with(
    runner: Runner,
    catalog: Catalog | None = None,
    *,
    keys: Sequence[str] = (),
    sample: int = SAMPLE,
    as_of: dt.date | None = None,
    table: str | None = None,
    zone: str | None = None,
    scenario: str | None = None,
) -> ScanReport:
    """`scan_datasets` with the scan run by `runner`."""
    if (zone is None) != (scenario is None):
        raise RequestError("give --zone and --scenario together", path="zone")
    if sample < 0:
        raise RequestError("must be 0 (every row) or more", path="sample")
    day = as_of or dt.date.today()
    if zone and catalog is None:
        from kuajing.catalog.loader import default_catalog  # noqa: PLC0415

        catalog = default_catalog()
    data = personal_data(catalog) if catalog else default_personal_data()
    placed = _placement(catalog, zone, scenario, day) if catalog and zone and scenario else None
    options = Options(keys=keys, sample=sample or None, as_of=day, table=table)
    if placed is None:
        return runner(data, options)
    entries, definition = placed
    if definition is not None:
        data = _following(data, definition)
    report = runner(data, options)
    assert catalog is not None
    return _placed(report, catalog, entries, zone, scenario, definition)


def _placement(
    catalog: Catalog, zone: str, scenario: str, day: dt.date
) -> tuple[list[Entry], ListDefinition | None]:
    """The entries of the list that governs `scenario` for a processor registered and exporting
    in `zone` on `day`, and that list's own definition of sensitive PI, if it has one."""
    # The engine only for --zone: a scan without one starts faster.
    from kuajing.catalog.catalog import Site  # noqa: PLC0415
    from kuajing.engine.placement import Where, place  # noqa: PLC0415
    from kuajing.engine.readings import Readings  # noqa: PLC0415
    from kuajing.engine.request import Processor, Transfer  # noqa: PLC0415
    from kuajing.engine.resolve import scopes_named  # noqa: PLC0415

    zone_id = catalog.zone_id(zone)
    if zone_id is None:
        raise RequestError(
            f"unknown zone {zone!r}; see `kuajing catalog zones`",
            zh=f"未知的自贸区 {zone!r}；可用 `kuajing catalog zones` 查看",
            path="zone",
        )
    refs = scopes_named(catalog, scenario, ("scenario",))
    regime = catalog.regime_on(day)
    uncovered = regime.ftz_uncovered if regime else None
    site = Site(city=catalog.zones[zone_id].city, zone=zone_id)
    where = Where(Processor(name="scan", zone=zone_id), site, site, day, catalog, Readings())
    placement = place(Transfer(id="scan", scenario=scenario), refs, where, uncovered)
    found = placement.sensitive_definition()
    definition = ListDefinition(*found) if found else None
    return [entry for entry, _ in placement.entries()], definition


@dataclass(frozen=True)
class ListDefinition:
    """A list's own definition of sensitive PI, and the list that gives it."""

    list_id: str
    definition: SensitiveDefinition


def _following(data: PersonalData, found: ListDefinition) -> PersonalData:
    """The personal-data kinds with those the list defines as sensitive made sensitive, their
    basis the list's rule (and a review note where reading the list's word as the kind is
    graded L or U)."""
    rule, kinds = found.definition, dict(data.kinds)
    for kind, grade in found.definition.kinds.items():
        item = kinds[kind]
        basis = fmt_list(found.list_id, rule.rule, item.basis)
        review = item.review
        if grade in "LU":
            review = Text(
                zh=f"将清单所列字段读作此类数据的依据置信度为 {grade}，请对照清单原文核实",
                en=f"reading the list's word as this kind is graded {grade}; check it against "
                "the official list",
            )
        kinds[kind] = item.model_copy(update={"sensitive": True, "basis": basis, "review": review})
    return data.model_copy(update={"kinds": kinds})


def fmt_list(list_id: str, rule: str, national: Text) -> Text:
    return Text(
        zh=f"{list_id} 自行将其列为敏感个人信息（{rule}）；全国口径：{national.zh}",
        en=f"{list_id} counts it as sensitive personal information ({rule}); nationally: "
        f"{national.en}",
    )


def _placed(
    report: ScanReport,
    catalog: Catalog,
    entries: list[Entry],
    zone: str | None,
    scenario: str | None,
    definition: ListDefinition | None,
) -> ScanReport:
    from kuajing.engine.evaluate import field_matches  # noqa: PLC0415  (as in _placement)

    kinds = personal_data(catalog).kinds
    defined = definition.definition.kinds if definition else {}
    columns = []
    for column in report.columns:
        names = [column.name, *(kinds[column.kind].fields if column.kind in kinds else [])]
        hits = [e.id for e in entries if any(field_matches(n, e.fields) for n in names)]
        update: dict[str, object] = {"entries": hits}
        if definition and column.kind in defined:
            update["sensitive_by"] = f"{definition.list_id}: {definition.definition.rule}"
        columns.append(column.model_copy(update=update))
    notes = list(report.notes)
    if definition is not None:
        notes += _definition_notes(columns, definition)
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


def _definition_notes(columns: list[Column], found: ListDefinition) -> list[Text]:
    """One line per column the list's own definition makes (or keeps) sensitive, with the grade
    of reading the list's word as the column's kind where it is L or U."""
    rule, notes = found.definition, []
    for c in columns:
        if not (c.sensitive_by and c.filled):
            continue
        grade = rule.kinds.get(c.kind, "M")
        doubt = grade in "LU"
        notes.append(
            Text(
                zh=f"列“{c.name}”：按 {found.list_id} 自身的敏感个人信息定义（{rule.rule}）"
                "计为敏感个人信息"
                + (f"（该读法置信度为 {grade}，请对照清单原文核实）" if doubt else ""),
                en=f"Column '{c.name}': sensitive under {found.list_id}'s own definition of "
                f"sensitive personal information ({rule.rule})"
                + (
                    f" (this reading is graded {grade}: check it against the list)" if doubt else ""
                ),
            )
        )
    return notes
