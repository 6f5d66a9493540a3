"""The catalogue loader rejects malformed data and names the file, line and key path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kuajing.catalog.base import iter_cites
from kuajing.catalog.catalog import Catalog
from kuajing.catalog.loader import RULES_DIR, default_personal_data, load_catalog
from kuajing.errors import CatalogInvalid


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    dest = tmp_path / "rules"
    shutil.copytree(RULES_DIR, dest)
    return dest


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(root: Path) -> list[str]:
    with pytest.raises(CatalogInvalid) as info:
        load_catalog(root)
    return [str(e) for e in info.value.errors]


def test_shipped_catalogue_loads() -> None:
    catalog = load_catalog()
    assert {"beijing-2024", "shanghai-2024", "beijing-2025", "shanghai-2025"} <= set(catalog.lists)
    assert [r.id for r in catalog.regimes] == ["sam-2022", "cbdf-2024"]
    assert len(catalog.zones) == 11


def test_duplicate_key_names_file_and_line(rules: Path) -> None:
    f = rules / "national/regimes/cbdf-2024.yaml"
    _edit(f, "window: current_year\n", "window: current_year\nwindow: previous_year\n")
    [err] = _errors(rules)
    assert err.startswith("national/regimes/cbdf-2024.yaml:")
    assert "duplicate key 'window'" in err


def test_unknown_key_is_rejected(rules: Path) -> None:
    _edit(rules / "lists/shanghai/2024.yaml", "edition: 2024版", "edition: 2024版\neditoin: x")
    [err] = _errors(rules)
    assert "lists/shanghai/2024.yaml" in err and "editoin" in err and "Extra inputs" in err


def test_value_without_citation_fails(rules: Path) -> None:
    f = rules / "lists/shanghai/2024.yaml"
    _edit(
        f,
        "        cite: {source: SEED-SH-2024, confidence: M}\n      - id: sh24-reins-pi-scc-2",
        "      - id: sh24-reins-pi-scc-2",
    )
    errs = _errors(rules)
    assert any("entries[2].cite" in e and "Field required" in e for e in errs), errs


def test_unknown_source_is_reported_with_its_path(rules: Path) -> None:
    _edit(
        rules / "national/prohibitions.yaml",
        "source: S01, article: 第42条",
        "source: S99, article: 第42条",
    )
    [err] = _errors(rules)
    assert err.startswith("national/prohibitions.yaml:")
    assert "prohibitions[1].cite[0].source" in err and "unknown source 'S99'" in err


def test_dates_out_of_order(rules: Path) -> None:
    _edit(
        rules / "lists/shanghai/2024.yaml",
        'in_force: {from: "2025-02-08", until: "2026-04-23"}',
        'in_force: {from: "2025-02-08", until: "2024-01-01"}',
    )
    errs = _errors(rules)
    assert any("in_force" in e and "before 'from'" in e for e in errs), errs


def test_overlapping_regimes_fail(rules: Path) -> None:
    _edit(rules / "national/regimes/sam-2022.yaml", 'until: "2024-03-21"', 'until: "2024-03-22"')
    [err] = _errors(rules)
    assert "overlaps" in err


def test_entry_naming_unknown_scenario_fails(rules: Path) -> None:
    _edit(
        rules / "lists/beijing/2024.yaml", "scenarios: [charging_services]", "scenarios: [charging]"
    )
    [err] = _errors(rules)
    assert "unknown scenario 'charging'" in err and "lists/beijing/2024.yaml" in err


def test_threshold_needs_a_bound(rules: Path) -> None:
    _edit(
        rules / "national/regimes/cbdf-2024.yaml",
        "{counter: personal, at_least: 1000000}",
        "{counter: personal}",
    )
    [err] = _errors(rules)
    assert "thresholds[0].threshold" in err and "at least one bound" in err


def test_yaml_syntax_error_has_a_line(rules: Path) -> None:
    (rules / "zones.yaml").write_text("zones: [\n", encoding="utf-8")
    errs = _errors(rules)
    assert any(e.startswith("zones.yaml:") and "YAML syntax error" in e for e in errs), errs


def test_every_problem_is_reported(rules: Path) -> None:
    _edit(
        rules / "national/prohibitions.yaml",
        "source: S01, article: 第42条",
        "source: S98, article: 第42条",
    )
    _edit(
        rules / "lists/beijing/2024.yaml", "scenarios: [charging_services]", "scenarios: [charging]"
    )
    assert len(_errors(rules)) == 2


def test_every_rule_cites_a_known_source() -> None:
    """Integrity: each citation resolves, and each source can be located."""
    catalog = load_catalog()
    items = [*catalog.regimes, *catalog.prohibitions, *catalog.obligations, *catalog.adoptions]
    items += list(catalog.lists.values())
    cites = [c for item in items for _, c in iter_cites(item)]
    assert len(cites) > 100
    assert all(c.source in catalog.sources for c in cites)


def test_overlapping_bands_fail(rules: Path) -> None:
    _edit(
        rules / "lists/shanghai/2024.yaml",
        "{counter: sensitive, at_least: 10000, below: 1000000}",
        "{counter: sensitive, at_least: 10000, below: 1000001}",
    )
    [err] = _errors(rules)
    assert "lists/shanghai/2024.yaml:" in err and "overlaps another band" in err


def test_bands_leaving_a_gap_fail(rules: Path) -> None:
    _edit(
        rules / "lists/shanghai/2024.yaml",
        "{counter: sensitive, at_least: 10000, below: 1000000}",
        "{counter: sensitive, at_least: 10000, below: 900000}",
    )
    [err] = _errors(rules)
    assert "gap between bands of 'sensitive': 900000 to 999999" in err


def test_adoption_naming_an_unknown_list_fails(rules: Path) -> None:
    _edit(
        rules / "zones.yaml",
        '    zone: beijing\n    in_force: {from: "2025-06-26"}\n    lists: any',
        '    zone: beijing\n    in_force: {from: "2025-06-26"}\n    lists: [atlantis-2030]',
    )
    [err] = _errors(rules)
    assert err.startswith("zones.yaml:") and "unknown list 'atlantis-2030'" in err


def test_overlay_adds_and_replaces_lists(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay"
    (overlay / "lists").mkdir(parents=True)
    text = (RULES_DIR / "lists/shanghai/2024.yaml").read_text(encoding="utf-8")
    (overlay / "lists/sh.yaml").write_text(
        text.replace("at_least: 10000, below: 1000000", "at_least: 20000, below: 1000000").replace(
            "{counter: sensitive, at_least: 1000000}", "{counter: sensitive, at_least: 1000000}"
        ),
        encoding="utf-8",
    )
    catalog = load_catalog(RULES_DIR, [overlay])
    assert catalog.origins["shanghai-2024"] == str(overlay)
    assert catalog.origins["beijing-2024"] == "shipped"
    bands = [e.threshold for e in Catalog.entries_of(catalog.lists["shanghai-2024"]) if e.threshold]
    assert any(t.at_least == 20000 for t in bands)


def test_overlapping_editions_of_a_zone_fail(rules: Path) -> None:
    _edit(
        rules / "lists/beijing/2024.yaml",
        'in_force: {from: "2024-08-30", until: "2026-05-10"}',
        'in_force: {from: "2024-08-30", until: "2026-05-11"}',
    )
    errs = _errors(rules)
    assert any("'beijing-2025' overlaps 'beijing-2024'" in e for e in errs), errs


def test_personal_data_alone_equals_the_catalogues() -> None:
    assert default_personal_data(RULES_DIR) == load_catalog().personal_data


def test_personal_data_alone_checks_its_citations(rules: Path) -> None:
    _edit(rules / "personal_data.yaml", "source: S01", "source: S01X")
    with pytest.raises(CatalogInvalid) as info:
        default_personal_data(rules)
    [err] = [str(e) for e in info.value.errors]
    assert err.startswith("personal_data.yaml:") and "unknown source 'S01X'" in err


# -- editions that incorporate others (BJ25-CARRY) -----------------------------------------------
BJ25 = "lists/beijing/2025.yaml"
CARRIED = (
    "sectors: [automotive, pharmaceuticals, civil_aviation, retail_modern_services, "
    "ai_training_data]"
)


def test_incorporation_gives_the_edition_the_same_sectors() -> None:
    catalog = load_catalog()
    old, new = catalog.lists["beijing-2024"], catalog.lists["beijing-2025"]
    carried = {s.id: s for s in new.sectors}
    for sector in old.sectors:  # the same objects, not copies
        assert carried[sector.id] is sector
    assert {"medical_devices", "banking"} <= set(carried)
    assert catalog.origin(new, "pharmaceuticals") == "beijing-2024"
    assert catalog.origin(new, "banking") == "beijing-2025"
    inc = new.incorporation_of("pharmaceuticals")
    assert inc is not None and inc.rule == "BJ25-CARRY" and inc.edition == "beijing-2024"


def test_incorporating_an_unknown_edition_fails(rules: Path) -> None:
    _edit(rules / BJ25, "edition: beijing-2024", "edition: beijing-2023")
    [err] = _errors(rules)
    assert err.startswith(f"{BJ25}:") and "incorporates[0].edition" in err
    assert "unknown list 'beijing-2023'" in err


def test_incorporating_an_unknown_sector_or_scenario_fails(rules: Path) -> None:
    _edit(rules / BJ25, CARRIED, "sectors: [automotive, pharma, pharmaceuticals/trials]")
    errs = _errors(rules)
    assert any("sectors[1]" in e and "no sector 'pharma'" in e for e in errs), errs
    assert any("sectors[2]" in e and "no scenario 'trials'" in e for e in errs), errs


def test_a_sector_both_defined_and_incorporated_fails(rules: Path) -> None:
    _edit(rules / BJ25, "  - id: medical_devices\n", "  - id: automotive\n")
    [err] = _errors(rules)
    assert f"{BJ25}:" in err and "incorporates[0].sectors[0]" in err
    assert "sector 'automotive' is both defined here and incorporated" in err


def test_editions_incorporating_each_other_fail(rules: Path) -> None:
    _edit(
        rules / "lists/beijing/2024.yaml",
        "encoded: entries",
        "incorporates:\n  - {rule: X-1, edition: beijing-2025, sectors: [banking],"
        " text: {zh: x, en: x}, cite: {source: S08, confidence: H}}\nencoded: entries",
    )
    errs = _errors(rules)
    assert any("incorporates itself through others" in e for e in errs), errs


def test_a_single_scenario_can_be_incorporated(rules: Path) -> None:
    _edit(rules / BJ25, CARRIED, "sectors: [pharmaceuticals/clinical_trial]")
    catalog = load_catalog(rules)
    pharma = next(s for s in catalog.lists["beijing-2025"].sectors if s.id == "pharmaceuticals")
    assert [sc.id for sc in pharma.scenarios] == ["clinical_trial"]
    assert {e.rule for e in pharma.entries} >= {"BJ24-PHARMA-PI-SCC-1", "BJ24-PHARMA-ID-1"}
    assert "BJ24-PHARMA-PI-SA-2" not in {e.rule for e in pharma.entries}  # pharmacovigilance


# -- the list's own facts -------------------------------------------------------------------------
def test_a_sensitive_definition_naming_an_unknown_kind_fails(rules: Path) -> None:
    _edit(rules / "lists/chongqing/2025.yaml", "license_plate: L", "number_plate: L")
    [err] = _errors(rules)
    assert "lists/chongqing/2025.yaml:" in err and "unknown data kind 'number_plate'" in err


def test_a_zone_in_an_unknown_city_fails(rules: Path) -> None:
    _edit(rules / "zones.yaml", "    city: tianjin\n", "    city: tianjinn\n")
    [err] = _errors(rules)
    assert err.startswith("zones.yaml:") and "unknown city 'tianjinn'" in err


def test_ciio_excluded_needs_its_rule(rules: Path) -> None:
    _edit(rules / BJ25, "  ciio: unknown\n", "  ciio: excluded\n")
    [err] = _errors(rules)
    assert f"{BJ25}:" in err and "needs the excludes_ciio rule" in err


def test_list_wide_personal_bands_are_checked_too(rules: Path) -> None:
    _edit(
        rules / "lists/chongqing/2025.yaml",
        "{counter: personal, at_least: 100000, below: 1000000}",
        "{counter: personal, at_least: 100000, below: 900000}",
    )
    [err] = _errors(rules)
    assert "lists/chongqing/2025.yaml:" in err and "gap between bands of 'personal'" in err
