"""The fictional two-page list scanned (200 dpi, skewed 0.7°, noisy; no text layer), imported
through OCR and decided through: every decision gives the table's pathway, as for the text
formats, and every entry says it was read by OCR. A single page image imports its page's rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kuajing.catalog.importers.lists import read_list
from kuajing.catalog.loader import RULES_DIR, load_catalog
from kuajing.services.tables import import_into_overlay
from tests.documents import fictional
from tests.documents.make_scan import save, scanned_pages
from tests.documents.test_import_documents import HEADER, assert_cases

pytest.importorskip("rapidocr_onnxruntime", reason="the default OCR engine is not installed")


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    return save(scanned_pages(200), tmp_path_factory.mktemp("scans"), 200)


def test_a_scanned_pdf_reads_every_row(scans: dict[str, list[Path]]) -> None:
    [pdf] = scans["pdf"]
    imported = read_list(pdf, "hainan-2024", "hainan", **HEADER)
    assert imported.report.format == "scan" and imported.report.pages == 2
    entries = [e for s in imported.data["sectors"] for e in s.get("entries", [])]
    assert len(entries) == len(fictional.BODY)
    assert [line.row for line in imported.report.needs_review] == [4]  # page 2's unread row
    assert all(e["cite"][0]["document"]["ocr"] for e in entries)
    split = entries[fictional.SPLIT_ROW - 1]
    assert split["threshold"] == {"counter": "personal", "at_least": 500_000, "below": 10_000_000}


def test_decisions_through_a_scanned_list_give_the_tables_pathway(
    scans: dict[str, list[Path]], tmp_path: Path
) -> None:
    overlay = tmp_path / "overlay"
    import_into_overlay(
        scans["pdf"][0], "hainan-2024", overlay, zone="hainan", title=HEADER["title"],
        edition="测试版", published=dt.date(2025, 2, 19), in_force_from=dt.date(2025, 2, 19),
        in_force_until=None, source="HN-TEST-SCAN", source_title="虚构测试清单（扫描件）",
        source_url=None, confidence="H",
    )  # fmt: skip
    assert_cases(load_catalog(RULES_DIR, [overlay]))  # the same cases as the text formats


def test_one_page_image_imports_its_rows(scans: dict[str, list[Path]]) -> None:
    imported = read_list(scans["png"][0], "hainan-2024", "hainan", **HEADER)
    assert imported.report.format == "image" and imported.report.rows == fictional.SPLIT_ROW
    assert not imported.report.needs_review
