"""`kuajing catalog …` end to end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from kuajing.catalog.loader import RULES_DIR
from tests.unit.test_cli import EXAMPLE, kuajing


def _json(*args: str) -> object:
    run = kuajing("catalog", *args, "--format", "json")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_list_names_every_zone_list_with_dates_and_status() -> None:
    rows = {r["id"]: r for r in _json("list")}  # type: ignore[union-attr]
    assert {
        "beijing-2024",
        "beijing-2025",
        "shanghai-2024",
        "shanghai-2025",
        "tianjin-2024",
    } <= set(rows)
    assert rows["beijing-2024"]["status"] == "superseded"
    assert rows["beijing-2024"]["in_force_until"] == "2026-05-10"
    assert rows["shanghai-2024"]["published_counts"]["items"] == 84
    assert rows["beijing-2024"]["published_counts"]["scenarios"] == 23


def test_coverage_reports_unencoded_scenarios_and_grades() -> None:
    report = _json("coverage")
    rows = {r["id"]: r for r in report["lists"]}  # type: ignore[index]
    sh = rows["shanghai-2024"]
    assert "shanghai-2024/international_shipping/crew_management" in sh["unencoded_scenarios"]
    assert (
        "shanghai-2024/reinsurance/personal_insurance_reinsurance" not in sh["unencoded_scenarios"]
    )
    assert abs(sum(sh["grades"].values()) - 1) < 0.01
    assert rows["hainan-2024"]["encoded"] == "headers_only"
    figure = report["in_force"]  # type: ignore[index]
    # the lists in force today: how many published scenarios decide (pinned in
    # test_catalog_counts for a fixed date; here only its shape, as "today" moves)
    assert figure["published"] >= figure["decide"] > 0
    assert {x["id"] for x in figure["lists"]} >= {"beijing-2025", "shanghai-2025"}


def test_coverage_opens_with_the_in_force_line() -> None:
    run = kuajing("catalog", "coverage", "--lang", "en")
    first = run.stdout.splitlines()[0]
    assert first.startswith("Lists in force: ") and "published scenarios" in first
    run = kuajing("catalog", "coverage", "--lang", "zh")
    assert run.stdout.startswith("现行清单：")


def test_search_in_chinese_and_english() -> None:
    def ids(text: str) -> set[str]:
        return {h["id"] for h in _json("search", text)}  # type: ignore[union-attr]

    assert "beijing-2024/pharmaceuticals/pharmacovigilance" in ids("药物警戒")
    assert "sh24-reins-pi-sa-2" in ids("保单号")
    assert "sh24-reins-pi-sa-2" in ids("claim amount")  # vocabulary: claim amount -> 理赔金额
    assert "beijing-2024/pharmaceuticals/clinical_trial" in ids("Clinical trials")


def test_show_resolves_citations() -> None:
    shown = _json("show", "bj24-pharma-pi-sa-1")
    assert shown["kind"] == "entry"  # type: ignore[index]
    assert "WANGXIN-BJ" in shown["sources"]  # type: ignore[index]
    run = kuajing("catalog", "show", "no-such-thing")
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_validate_reports_every_problem_with_file_and_exit_2(tmp_path: Path) -> None:
    assert kuajing("catalog", "validate").returncode == 0
    bad = tmp_path / "rules"
    shutil.copytree(RULES_DIR, bad)
    zones = bad / "zones.yaml"
    zones.write_text(
        zones.read_text(encoding="utf-8").replace("lists: any", "lists: [nope-2030]", 1)
    )
    run = kuajing("catalog", "validate", str(bad))
    assert run.returncode == 2
    assert "zones.yaml:" in run.stderr and "unknown list 'nope-2030'" in run.stderr


def _overlay(tmp_path: Path) -> Path:
    overlay = tmp_path / "overlay"
    (overlay / "lists").mkdir(parents=True)
    text = (RULES_DIR / "lists/beijing/2024.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "{counter: persons, at_least: 10000, below: 50000}",
        "{counter: persons, at_least: 10000, below: 20000}",
    )
    text = text.replace(
        "{counter: persons, at_least: 50000}", "{counter: persons, at_least: 20000}"
    )
    (overlay / "lists/beijing.yaml").write_text(text, encoding="utf-8")
    return overlay


def test_overlay_changes_assess_and_says_so(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path)
    run = kuajing("--rules", str(overlay), "assess", str(EXAMPLE), "--format", "json")
    trial = next(t for t in json.loads(run.stdout)["transfers"] if t["id"] == "trial-data")
    assert trial["pathway"] == "security_assessment" and trial["origin"] == str(overlay)
    run = kuajing("assess", str(EXAMPLE), "--format", "json", env={"KUAJING_RULES": str(overlay)})
    assert json.loads(run.stdout)["pathway"] == "security_assessment"


def test_diff_shows_changed_bands_and_decisions(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path)
    out = _json("diff", str(RULES_DIR), str(overlay), "--requests", str(EXAMPLE))
    by_list = {c["a"]: c for c in out["lists"]}  # type: ignore[index]
    # The 2025 edition incorporates the 2024 pharmaceutical sector: it changes with it.
    assert set(by_list) == {"beijing-2024", "beijing-2025"}
    for changes in by_list.values():
        assert any("at_least': 20000" in c["after"] for c in changes["changed"])
    [decision] = out["decisions"]  # type: ignore[index]
    assert decision["transfer"] == "trial-data"
    assert decision["after"].startswith("security_assessment")


IMPORT_ARGS = ["--zone", "shanghai", "--title-zh", "上海清单", "--edition", "2024版",
               "--published", "2025-02-08", "--until", "2026-04-23", "--source", "SH-TABLE",
               "--source-title", "官方清单表"]  # fmt: skip


def test_export_then_import_governs_assess(tmp_path: Path) -> None:
    table, overlay = tmp_path / "sh.xlsx", tmp_path / "overlay"
    assert kuajing("catalog", "export", "shanghai-2024", "--out", str(table)).returncode == 0
    run = kuajing(
        "catalog",
        "import",
        str(table),
        "--list",
        "shanghai-2024",
        "--out",
        str(overlay),
        *IMPORT_ARGS,
    )
    assert run.returncode == 0, run.stderr
    assert (overlay / "lists/shanghai/shanghai-2024.yaml").is_file()
    request = tmp_path / "req.yaml"
    request.write_text(
        "date: 2025-06-01\nprocessor: {name: X, zone: shanghai}\n"
        "transfers: [{id: a, scenario: 财产险再保险, sensitive: 1000000}]\n",
        encoding="utf-8",
    )
    out = json.loads(
        kuajing("--rules", str(overlay), "assess", str(request), "--format", "json").stdout
    )
    assert out["transfers"][0]["pathway"] == "security_assessment"
    assert out["transfers"][0]["origin"] == str(overlay)


def test_failed_import_writes_nothing(tmp_path: Path) -> None:
    table, overlay = tmp_path / "bad.csv", tmp_path / "overlay"
    table.write_text(
        "行业领域,场景,出境路径,数据类别,数据子类,字段/数据项,数量门槛\n"
        "再保险,人身险再保险,数据出境安全评估,个人信息,敏感个人信息,保单号,大约很多人\n",
        encoding="utf-8",
    )
    run = kuajing(
        "catalog", "import", str(table), "--list", "sh-bad", "--out", str(overlay), *IMPORT_ARGS
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "数量门槛" in run.stderr or "threshold" in run.stderr
    assert not overlay.exists()


def test_missing_files_are_one_line_errors(tmp_path: Path) -> None:
    runs = [
        kuajing(
            "catalog",
            "import",
            str(tmp_path / "none.csv"),
            "--list",
            "x",
            "--out",
            str(tmp_path / "o"),
            *IMPORT_ARGS,
        ),
        kuajing(
            "catalog",
            "diff",
            "shanghai-2024",
            "beijing-2024",
            "--requests",
            str(tmp_path / "none.yaml"),
        ),
    ]
    for run in runs:
        assert run.returncode == 2, run.stderr
        assert "Traceback" not in run.stderr and "no such file" in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1


def test_import_errors_name_the_users_overlay(tmp_path: Path) -> None:
    table, overlay = tmp_path / "sh.csv", tmp_path / "overlay"
    assert kuajing("catalog", "export", "shanghai-2024", "--out", str(table)).returncode == 0
    args = [a if a != "shanghai" else "mars" for a in IMPORT_ARGS]
    run = kuajing("catalog", "import", str(table), "--list", "sh-x", "--out", str(overlay), *args)
    assert run.returncode == 2
    assert f"{overlay}/lists/mars/sh-x.yaml" in run.stderr and "unknown zone 'mars'" in run.stderr
    assert not overlay.exists()
