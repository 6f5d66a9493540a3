"""The fictional two-page list, as each format of official document, imported into an overlay
and decided through: every decision gives the table's pathway. The list is made up (see
`fictional.py`); it stands in for the Hainan list only inside the test's own overlay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kuajing.catalog import Catalog
from kuajing.catalog.base import Cite, Text
from kuajing.catalog.importers.lists import Imported, read_list
from kuajing.catalog.loader import RULES_DIR, load_catalog
from kuajing.engine import Request, assess
from kuajing.services.tables import import_into_overlay
from tests.documents import fictional
from tests.documents.make_docx import build_docx, build_docx_two_tables
from tests.documents.make_html import build_html
from tests.documents.make_pdf import build_pdf

Builder = Callable[[Path], None]
BUILDERS: dict[str, tuple[str, Builder]] = {
    "pdf": ("list.pdf", build_pdf),
    "docx": ("list.docx", build_docx),
    "docx-two-tables": ("list.docx", build_docx_two_tables),
    "html": ("list.html", build_html),
}
HEADER: dict[str, Any] = {
    "title": Text(zh=fictional.TITLE, en="FICTIONAL test list"),
    "edition": "测试版",
    "published": dt.date(2025, 2, 19),
    "in_force_from": dt.date(2025, 2, 19),
    "cite": Cite(source="HN-TEST-DOC", confidence="H"),
}
ROWS_ABOVE = {"html": 2}  # the header row, and an HTML page's title row above it
SCC = "standard_contract_or_certification"
SA = "security_assessment"
# (scenario, persons of ordinary PI, of sensitive PI) -> (pathway, status), read off the table
CASES: list[tuple[str, int, int, str, str]] = [
    ("示例设备售后服务", 1_000_000, 0, SA, "determined"),  # 100万人以上
    ("示例设备售后服务", 999_999, 0, SCC, "determined"),  # 不满100万人
    ("示例设备售后服务", 100_000, 0, SCC, "determined"),  # 10万人以上
    ("示例设备售后服务", 99_999, 0, "exempt", "determined"),  # not on the list
    ("示例设备售后服务", 0, 10_000, SCC, "determined"),  # sensitive 1万人以上
    ("示例研发协同", 500_000, 0, SCC, "determined"),  # 50万人以下 includes 50万
    ("示例研发协同", 500_001, 0, SA, "determined"),  # 超过50万 excludes it
    ("示例跨境包裹配送", 9_999_999, 0, SCC, "determined"),  # the row over the page break
    ("示例跨境包裹配送", 10_000_000, 0, SA, "determined"),
    ("示例跨境包裹配送", 0, 9_999, SCC, "determined"),  # 不足1万人
    # a row not fully read never decides: the answer of the rest, flagged for review
    ("示例仓储协同", 10, 0, "exempt", "needs_review"),
    ("示例仓储协同", 2_000_000, 0, SA, "needs_review"),
]


def _document(tmp_path: Path, fmt: str) -> Path:
    name, build = BUILDERS[fmt]
    path = tmp_path / name
    build(path)
    return path


def _read(path: Path) -> Imported:
    return read_list(path, "hainan-2024", "hainan", **HEADER)


def _entries(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for s in data.get("sectors", []) for e in s.get("entries", [])]


@pytest.mark.parametrize("fmt", list(BUILDERS))
def test_every_row_becomes_an_entry_with_its_provenance(tmp_path: Path, fmt: str) -> None:
    imported = _read(_document(tmp_path, fmt))
    entries = _entries(imported.data)
    assert len(entries) == len(fictional.BODY)  # the row over the page break is one entry
    sectors = imported.data["sectors"]
    assert [s["name"]["zh"] for s in sectors] == ["示例制造行业", "示例物流行业"]
    assert sectors[0]["note"]["zh"] == "适用于在示例区内注册的示例设备制造企业"
    split = entries[fictional.SPLIT_ROW - 1]
    assert (
        split["description"]["zh"].replace("\n", "") == fictional.BODY[fictional.SPLIT_ROW - 1][5]
    )
    assert split["threshold"] == {"counter": "personal", "at_least": 500_000, "below": 10_000_000}
    assert entries[1]["fields"] == ["客户姓名", "手机号码", "通信地址"]
    assert entries[0]["trigger"] == "declared" and entries[0]["category"] == "important_data"
    document = entries[1]["cite"][0]["document"]
    assert document["sha256"] == imported.report.sha256 and len(document["sha256"]) == 64
    # the second body row: header rows counted, and the HTML page's title row above them
    assert (document["page"], document["table"], document["row"]) == (
        1,
        1,
        ROWS_ABOVE.get(fmt, 1) + 2,
    )


@pytest.mark.parametrize("fmt", list(BUILDERS))
def test_the_row_that_cannot_be_read_is_kept_for_review(tmp_path: Path, fmt: str) -> None:
    imported = _read(_document(tmp_path, fmt))
    [line] = imported.report.needs_review
    assert "two lower bounds" in line.why and "1.5万人以上敏感个人信息" in line.raw
    entry = _entries(imported.data)[10]
    assert entry["trigger"] == "unknown" and "未能完整读取" in entry["review"]["zh"]
    assert "两个下限" in entry["review"]["zh"]  # the reason too, in the reader's language
    assert entry["description"]["zh"] == line.raw  # the text as read is kept
    assert imported.report.rows == len(fictional.BODY)


@pytest.mark.parametrize("fmt", list(BUILDERS))
def test_decisions_through_the_imported_list_give_the_tables_pathway(
    tmp_path: Path, fmt: str
) -> None:
    overlay = tmp_path / "overlay"
    import_into_overlay(
        _document(tmp_path, fmt), "hainan-2024", overlay, zone="hainan",
        title=HEADER["title"], edition="测试版", published=dt.date(2025, 2, 19),
        in_force_from=dt.date(2025, 2, 19), in_force_until=None, source="HN-TEST-DOC",
        source_title="虚构测试清单（测试用）", source_url=None, confidence="H",
    )  # fmt: skip
    assert_cases(load_catalog(RULES_DIR, [overlay]))


def assert_cases(catalog: Catalog) -> None:
    """Every case of `CASES` decided through `catalog` gives the table's pathway; a determined
    answer cites the document it was loaded from."""
    for scenario, personal, sensitive, pathway, status in CASES:
        request = Request.model_validate(
            {
                "date": "2026-06-01",
                "processor": {"name": "示例公司", "zone": "hainan"},
                "transfers": [
                    {
                        "id": "t",
                        "scenario": scenario,
                        "recipient": {"name": "Example Ltd", "country": "SG"},
                        "personal": personal,
                        "sensitive": sensitive,
                    }
                ],
            }
        )
        [t] = assess(request, catalog).transfers
        assert (t.pathway.value, t.status) == (pathway, status), (scenario, personal, sensitive)
        if status == "determined" and pathway != "exempt":
            loaded = [r.source.loaded for r in t.reasons if r.source.loaded]
            assert loaded and "loaded from the official document" in loaded[0]
