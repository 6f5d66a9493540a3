"""List tables: threshold phrases, CSV (GBK, UTF-8 with BOM) and XLSX import, export, round trip."""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from kuajing.catalog.base import Cite, Counter, Text, Threshold
from kuajing.catalog.importers.export import export_table, write_table
from kuajing.catalog.importers.lists import import_table
from kuajing.catalog.importers.load import read_table
from kuajing.catalog.importers.thresholds import format_threshold, parse_threshold
from kuajing.catalog.layout import COLUMNS, TableError
from kuajing.catalog.loader import RULES_DIR, load_catalog
from kuajing.catalog.models import ZoneList
from kuajing.errors import CatalogError

# --- threshold phrases ---------------------------------------------------------------------

PHRASES: list[tuple[str, Counter | None, dict[str, Any]]] = [
    (
        "10万人以上、不满100万人",
        "personal",
        {"counter": "personal", "at_least": 100_000, "below": 1_000_000},
    ),
    ("1万人以上", None, {"counter": "persons", "at_least": 10_000}),
    ("不满1万人", "sensitive", {"counter": "sensitive", "below": 10_000}),
    ("超过1000万人", None, {"counter": "persons", "more_than": 10_000_000}),
    ("100万人以下", None, {"counter": "persons", "at_most": 1_000_000}),
    ("1,000,000人以上", None, {"counter": "persons", "at_least": 1_000_000}),
    ("１０万人以上", None, {"counter": "persons", "at_least": 100_000}),
    (
        "１０ 万人 以上、 不满 １００ 万人",
        None,
        {"counter": "persons", "at_least": 100_000, "below": 1_000_000},
    ),
    ("１，０００，０００人以下", None, {"counter": "persons", "at_most": 1_000_000}),
    ("1千人以上", None, {"counter": "persons", "at_least": 1_000}),
    ("1亿人以上", None, {"counter": "persons", "at_least": 100_000_000}),
    ("1.5万人以上", None, {"counter": "persons", "at_least": 15_000}),
    ("不少于10万人", None, {"counter": "persons", "at_least": 100_000}),
    ("不超过10万人", None, {"counter": "persons", "at_most": 100_000}),
    ("少于5万人", None, {"counter": "persons", "below": 50_000}),
    ("1万人（含）以上", None, {"counter": "persons", "at_least": 10_000}),
    ("达到100万人以上", None, {"counter": "persons", "at_least": 1_000_000}),
    (
        "1000万人以上个人信息（不含敏感个人信息）",
        "sensitive",
        {"counter": "personal", "at_least": 10_000_000},
    ),
    ("100万人以上敏感个人信息", "personal", {"counter": "sensitive", "at_least": 1_000_000}),
    ("5万人以上个人信息（含敏感个人信息）", "personal", {"counter": "persons", "at_least": 50_000}),
    ("处理100万人以上个人信息", None, {"counter": "processed", "at_least": 1_000_000}),
    ("自当年1月1日起累计10万人以上", "personal", {"counter": "personal", "at_least": 100_000}),
]


@pytest.mark.parametrize(("text", "hint", "expected"), PHRASES, ids=[p[0] for p in PHRASES])
def test_threshold_phrases(text: str, hint: Counter | None, expected: dict[str, Any]) -> None:
    threshold = parse_threshold(text, hint)
    assert threshold is not None
    assert threshold.model_dump(exclude_none=True) == expected


@pytest.mark.parametrize(
    ("text", "inside", "outside"),
    [
        ("10万人以上、不满100万人", [100_000, 999_999], [99_999, 1_000_000]),
        ("超过1000万人", [10_000_001], [10_000_000]),
        ("100万人以下", [0, 1_000_000], [1_000_001]),
        ("不满1万人", [9_999], [10_000]),
        ("1万人以上", [10_000], [9_999]),
    ],
)
def test_threshold_boundaries(text: str, inside: list[int], outside: list[int]) -> None:
    threshold = parse_threshold(text, None)
    assert threshold is not None
    assert [threshold.reached(n) for n in inside] == [True] * len(inside)
    assert [threshold.reached(n) for n in outside] == [False] * len(outside)


@pytest.mark.parametrize("text", ["", "  ", "—", "-", "无", "不限", "不限数量"])
def test_no_threshold(text: str) -> None:
    assert parse_threshold(text, "personal") is None


@pytest.mark.parametrize(
    "text",
    [
        "约10万人",  # no direction
        "大量个人信息",
        "10万条以上",  # records, not persons
        "1万人次以上",
        "100万人以上、200万人以上",  # two lower bounds
        "不满10万人、100万人以下",  # two upper bounds
        "100万人以上、不满10万人",  # nobody reaches it
        "超过10万人以上",  # bounded two ways
        "不满0人",
        "1.5人以上",
    ],
)
def test_unparseable_threshold(text: str) -> None:
    with pytest.raises(TableError) as info:
        parse_threshold(text, "personal")
    assert isinstance(info.value, CatalogError)
    assert repr(text) in str(info.value)


def test_format_threshold() -> None:
    def fmt(hint: Counter | None = None, **kw: Any) -> str:
        return format_threshold(Threshold.model_validate(kw), hint)

    assert fmt("personal", counter="personal", at_least=100_000, below=1_000_000) == (
        "10万人以上、不满100万人"
    )
    assert fmt(counter="persons", more_than=10_000_000) == "超过1000万人"
    assert fmt(counter="persons", at_most=15_000) == "15000人以下"
    assert fmt(counter="persons", at_least=100_000_000) == "1亿人以上"
    assert fmt("personal", counter="sensitive", at_least=10_000) == "1万人以上敏感个人信息"
    assert fmt("personal", counter="persons", at_least=1) == "1人以上个人信息（含敏感个人信息）"


_COUNTERS: list[Counter] = ["personal", "sensitive", "persons", "processed"]
_HINTS: list[Counter | None] = [None, "personal", "sensitive", "persons"]


@given(
    counter=st.sampled_from(_COUNTERS),
    hint=st.sampled_from(_HINTS),
    low=st.integers(0, 10**9),
    width=st.integers(1, 10**9),
    lower=st.sampled_from(["at_least", "more_than", None]),
    upper=st.sampled_from(["below", "at_most", None]),
)
def test_format_then_parse_is_identity(
    counter: Counter,
    hint: Counter | None,
    low: int,
    width: int,
    lower: str | None,
    upper: str | None,
) -> None:
    assume(not (lower == "more_than" and upper == "below" and width < 2))  # else nobody reaches it
    bounds = {k: v for k, v in ((lower, low), (upper, low + width)) if k is not None}
    if not bounds:
        bounds = {"at_least": low}
    threshold = Threshold.model_validate({"counter": counter, **bounds})
    assert parse_threshold(format_threshold(threshold, hint), hint) == threshold


# --- tables --------------------------------------------------------------------------------

HEADER = [
    "序号",
    "行业领域",
    "适用企业",
    "场景",
    "出境路径",
    "数据类别",
    "数据子类",
    "基本特征与描述",
    "字段",
    "数量门槛",
]
AUTO_NOTE = "在自贸试验区注册的汽车企业"
ROWS = [
    [
        "1",
        "汽车行业",
        AUTO_NOTE,
        "全部场景",
        "数据出境安全评估",
        "个人信息",
        "个人信息（不含敏感个人信息）",
        "",
        "",
        "100万人以上",
    ],
    [
        "2",
        "汽车行业",
        AUTO_NOTE,
        "全部场景",
        "个人信息出境标准合同或个人信息保护认证",
        "个人信息",
        "个人信息（不含敏感个人信息）",
        "",
        "",
        "10万人以上、不满100万人",
    ],
    [
        "3",
        "汽车行业",
        AUTO_NOTE,
        "汽车研发",
        "数据出境安全评估",
        "重要数据",
        "重要敏感区域地理信息",
        "军事管理区等区域的地理信息",
        "精确坐标、行踪；人员流量\n车辆流量",
        "",
    ],
    [
        "4",
        "汽车行业",
        AUTO_NOTE,
        "车联网信息服务",
        "安全评估",
        "敏感个人信息",
        "身份信息",
        "",
        "身份证号,驾驶证号",
        "1万人以上",
    ],
    [
        "5",
        "医药行业",
        "医药企业",
        "临床试验；药物研发",
        "标准合同/认证",
        "个人信息",
        "受试者信息",
        "",
        "",
        "1万人以上、不满5万人个人信息（含敏感个人信息）",
    ],
    [
        "6",
        "全部行业领域",
        "",
        "全部场景",
        "数据出境安全评估",
        "重要数据",
        "高价值敏感数据",
        "与产业竞争力相关的高价值敏感数据",
        "",
        "",
    ],
]
TITLE = "中国（广东）自由贸易试验区数据出境负面清单"
HEADER_ARGS: dict[str, Any] = {
    "title": Text(zh=TITLE, en="Guangdong FTZ negative list"),
    "edition": "2025版",
    "published": dt.date(2025, 6, 1),
    "in_force_from": dt.date(2025, 6, 1),
    "cite": Cite(source="SEED-BJ-2024", confidence="M"),
}


def _write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([TITLE] + [""] * 9)
        writer.writerow(HEADER)
        writer.writerows(rows)
        writer.writerow(["", "注：数量门槛按自然人去重计算。"] + [""] * 8)
        writer.writerows([[""] * 10, [""] * 10])
    return path


def _import(path: Path, **kw: Any) -> dict[str, Any]:
    return import_table(path, "gd-2025", "guangdong", **HEADER_ARGS, **kw)


def _by_name(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["name"]["zh"]: item for item in items}


def _entries(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [*data.get("entries", []), *(e for s in data["sectors"] for e in s.get("entries", []))]


@pytest.fixture
def gbk_csv(tmp_path: Path) -> Path:
    path = _write_csv(tmp_path / "gbk.csv", ROWS, "gbk")
    with pytest.raises(UnicodeDecodeError):  # the test really needs the GBK fallback
        path.read_bytes().decode("utf-8")
    return path


def test_gbk_csv_imports(gbk_csv: Path) -> None:
    data = _import(gbk_csv)
    ZoneList.model_validate(data)
    assert data["id"] == "gd-2025"
    assert data["zones"] == ["guangdong"]
    assert data["in_force"] == {"from": "2025-06-01"}
    assert data["published_counts"] == {
        "sectors": 2,
        "scenarios": 4,
        "sub_classes": 5,
        "items": 6,
        "fields": 6,
        "cite": [{"source": "SEED-BJ-2024", "confidence": "M"}],
    }
    [wide] = data["entries"]
    assert wide["id"] == "gd-2025-001"
    assert wide["rule"] == "GD-2025-001"
    assert wide["scenarios"] == "all"
    assert wide["trigger"] == "declared"
    assert wide["description"]["zh"] == "与产业竞争力相关的高价值敏感数据"

    sectors = _by_name(data["sectors"])
    assert list(sectors) == ["汽车行业", "医药行业"]
    auto, pharma = sectors["汽车行业"], sectors["医药行业"]
    for item in [auto, pharma, *auto["scenarios"], *pharma["scenarios"]]:
        assert re.fullmatch(r"(s|sc)-[0-9a-f]{6}", item["id"]), item["id"]
        assert item["name"]["en"] == item["name"]["zh"]
    assert auto["note"] == {"zh": AUTO_NOTE, "en": AUTO_NOTE}
    assert auto["coverage"] == {"personal_information": "complete", "important_data": "unknown"}
    assert pharma["coverage"] == {"personal_information": "unknown", "important_data": "unknown"}

    scenarios = _by_name(auto["scenarios"])
    assert list(scenarios) == ["汽车研发", "车联网信息服务"]
    assert scenarios["汽车研发"]["coverage"] == {
        "personal_information": "complete",
        "important_data": "complete",
    }
    assert scenarios["车联网信息服务"]["coverage"] == {
        "personal_information": "complete",
        "important_data": "unknown",
    }

    sa, scc, geo, ids = auto["entries"]
    assert [e["id"] for e in auto["entries"]] == [f"gd-2025-00{n}" for n in (2, 3, 4, 5)]
    assert sa["threshold"] == {"counter": "personal", "at_least": 1_000_000}
    assert sa["pathway"] == "security_assessment"
    assert scc["threshold"] == {"counter": "personal", "at_least": 100_000, "below": 1_000_000}
    assert scc["pathway"] == "standard_contract_or_certification"
    assert geo["category"] == "important_data"
    assert geo["trigger"] == "declared"
    assert "threshold" not in geo
    assert geo["fields"] == ["精确坐标", "行踪", "人员流量", "车辆流量"]
    assert geo["scenarios"] == [scenarios["汽车研发"]["id"]]
    assert ids["category"] == "personal_information"
    assert ids["threshold"] == {"counter": "sensitive", "at_least": 10_000}
    assert ids["fields"] == ["身份证号", "驾驶证号"]

    [trial] = pharma["entries"]
    pharma_ids = [sc["id"] for sc in pharma["scenarios"]]
    assert trial["scenarios"] == pharma_ids
    assert trial["threshold"] == {"counter": "persons", "at_least": 10_000, "below": 50_000}
    assert {sc["coverage"]["personal_information"] for sc in pharma["scenarios"]} == {"complete"}
    assert all(e["cite"] == [{"source": "SEED-BJ-2024", "confidence": "M"}] for e in _entries(data))


def test_bom_csv_gives_the_same_list(gbk_csv: Path, tmp_path: Path) -> None:
    bom = _write_csv(tmp_path / "bom.csv", ROWS, "utf-8-sig")
    assert bom.read_bytes().startswith(b"\xef\xbb\xbf")
    assert _import(bom) == _import(gbk_csv)


def test_read_table_drops_title_notes_and_empty_rows(gbk_csv: Path) -> None:
    rows = read_table(gbk_csv)
    assert len(rows) == 6
    assert set(rows[0]) == set(COLUMNS)  # 字段 is read as 字段/数据项; 序号 is not a column
    assert rows[2]["字段/数据项"] == "精确坐标、行踪；人员流量\n车辆流量"
    assert rows[4]["场景"] == "临床试验；药物研发"


def test_partial_table_and_english_names(gbk_csv: Path) -> None:
    data = _import(gbk_csv, complete=False, english={"汽车行业": "Automotive"})
    auto = _by_name(data["sectors"])["汽车行业"]
    assert auto["id"] == "s-automotive"
    assert auto["name"] == {"zh": "汽车行业", "en": "Automotive"}
    assert auto["coverage"]["personal_information"] == "partial"


def _xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([TITLE])
    sheet.merge_cells("A1:J1")
    sheet.append(HEADER)
    for row in ROWS[:4]:  # rows 3 to 6: 汽车行业, its cells merged down as officially
        sheet.append(row)
    sheet.append(ROWS[4])
    sheet.append(ROWS[5])
    sheet.append([])
    sheet.append(["注：本清单由自贸试验区管理机构负责解释。"])
    sheet.merge_cells("A10:J10")
    for r in (4, 5, 6):  # blank the cells a merge hides, as Excel stores them
        sheet.cell(row=r, column=2).value = None
    sheet.cell(row=4, column=4).value = None
    sheet.merge_cells("B3:B6")  # 行业领域
    sheet.merge_cells("D3:D4")  # 场景: 全部场景 for the two PI rows
    book.save(path)
    return path


def test_xlsx_merged_cells_are_filled(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "list.xlsx")
    rows = read_table(path)
    assert len(rows) == 6
    assert [r["行业领域"] for r in rows[:4]] == ["汽车行业"] * 4
    assert [r["场景"] for r in rows[:4]] == ["全部场景", "全部场景", "汽车研发", "车联网信息服务"]
    data = _import(path)
    ZoneList.model_validate(data)
    auto = _by_name(data["sectors"])["汽车行业"]
    assert [e["scenarios"] for e in auto["entries"][:2]] == ["all", "all"]
    assert len(auto["entries"]) == 4


def test_csv_and_xlsx_give_the_same_list(gbk_csv: Path, tmp_path: Path) -> None:
    assert _import(_xlsx(tmp_path / "list.xlsx")) == _import(gbk_csv)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_is_lossless(gbk_csv: Path, tmp_path: Path, suffix: str) -> None:
    first = _import(gbk_csv, english={"汽车行业": "Automotive", "受试者信息": "Trial subjects"})
    rows = export_table(ZoneList.model_validate(first))
    assert rows[0]["行业领域"] == "全部行业领域"
    assert rows[2]["数量门槛"] == "10万人以上、不满100万人"
    assert rows[2]["出境路径"] == "个人信息出境标准合同或个人信息保护认证"
    assert rows[4]["数量门槛"] == "1万人以上敏感个人信息"  # the counter survives a plain 个人信息
    assert rows[5]["场景"] == "临床试验；药物研发"
    out = tmp_path / f"export{suffix}"
    write_table(rows, out)
    second = _import(out, english={"汽车行业": "Automotive", "受试者信息": "Trial subjects"})
    assert second == first
    assert read_table(out) == rows


def test_export_keeps_scenarios_without_entries(tmp_path: Path) -> None:
    rows = [
        *ROWS,
        ["7", "医药行业", "医药企业", "药物警戒", "", "", "", "", "", ""],
        ["8", "民航业", "", "", "", "", "", "", "", ""],
    ]
    first = _import(_write_csv(tmp_path / "in.csv", rows, "utf-8"))
    pharma = _by_name(first["sectors"])["医药行业"]
    assert [sc["name"]["zh"] for sc in pharma["scenarios"]] == ["临床试验", "药物研发", "药物警戒"]
    assert _by_name(first["sectors"])["民航业"]["coverage"]["important_data"] == "unknown"
    out = tmp_path / "out.csv"
    write_table(export_table(ZoneList.model_validate(first)), out)
    assert _import(out) == first


def test_shipped_list_exports_and_round_trips(tmp_path: Path) -> None:
    zone_list = load_catalog().lists["beijing-2024"]
    out = tmp_path / "bj.xlsx"
    write_table(export_table(zone_list), out)
    first = import_table(out, "bj-import", "beijing", **HEADER_ARGS)
    assert first["published_counts"]["items"] == 28
    write_table(export_table(ZoneList.model_validate(first)), out)
    assert import_table(out, "bj-import", "beijing", **HEADER_ARGS) == first


def test_imported_list_loads_into_a_catalogue(gbk_csv: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    (rules / "lists/imported-test").mkdir()
    header = {**HEADER_ARGS, "published": dt.date(2000, 1, 1), "in_force_from": dt.date(2000, 1, 1)}
    until = dt.date(2000, 12, 31)  # before every shipped edition, so no period overlaps
    data = import_table(gbk_csv, "imported-test", "guangdong", in_force_until=until, **header)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (rules / "lists/imported-test/2000.yaml").write_text(text, encoding="utf-8")
    catalog = load_catalog(rules)
    zone_list = catalog.lists["imported-test"]
    assert (zone_list.in_force.start, zone_list.in_force.until) == (dt.date(2000, 1, 1), until)
    assert len(zone_list.entries) == 1
    assert [s.name.zh for s in zone_list.sectors] == ["汽车行业", "医药行业"]


# --- errors --------------------------------------------------------------------------------


def test_pi_row_without_threshold_names_the_row(tmp_path: Path) -> None:
    rows = [ROWS[0], [*ROWS[1][:9], ""]]  # the second data row is on line 4
    with pytest.raises(TableError) as info:
        _import(_write_csv(tmp_path / "bad.csv", rows, "utf-8-sig"))
    err = info.value
    assert (err.file, err.line, err.path) == ("bad.csv", 4, "数量门槛")
    assert str(err).startswith("bad.csv:4: 数量门槛: ")
    assert "个人信息（不含敏感个人信息）" in err.message


def test_unreadable_threshold_names_the_cell(tmp_path: Path) -> None:
    rows = [[*ROWS[0][:9], "约100万人"]]
    with pytest.raises(TableError) as info:
        _import(_write_csv(tmp_path / "bad.csv", rows, "utf-8"))
    assert (info.value.line, info.value.path) == (3, "数量门槛")
    assert "约100万人" in info.value.message


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [(4, "自行评估", "出境路径"), (5, "其他数据", "数据类别"), (6, "", "数据子类")],
)
def test_bad_cells_name_their_column(
    tmp_path: Path, column: int, value: str, expected: str
) -> None:
    row = list(ROWS[0])
    row[column] = value
    with pytest.raises(TableError) as info:
        _import(_write_csv(tmp_path / "bad.csv", [row], "utf-8"))
    assert (info.value.line, info.value.path) == (3, expected)


def test_scenario_on_a_list_wide_row_is_rejected(tmp_path: Path) -> None:
    row = [*ROWS[5][:3], "汽车研发", *ROWS[5][4:]]
    with pytest.raises(TableError, match="every scenario"):
        _import(_write_csv(tmp_path / "bad.csv", [row], "utf-8"))


def test_table_without_header_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "none.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(TableError, match="no header row"):
        read_table(path)
    with pytest.raises(TableError, match="unsupported"):
        read_table(tmp_path / "list.xls")


def test_unknown_counter_hint_is_rejected() -> None:
    with pytest.raises(TableError, match="unknown counter 'people'"):
        parse_threshold("1万人以上", "people")
