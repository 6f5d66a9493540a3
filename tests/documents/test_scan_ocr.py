"""The FICTIONAL list printed on two pages and scanned (tests/documents/make_scan.py: 200 dpi,
0.7° skew, blur, noise, specks) reads back by OCR: as PNG and JPEG page images, and as an
image-only PDF rendered with pypdfium2. Slow (marker `ocr`); skipped only where no OCR engine
is installed (`make test` installs one)."""

from __future__ import annotations

import hashlib
import shutil
import struct
import sys
import zlib
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image

from kuajing.catalog.importers import ocr, ocr_engines
from kuajing.catalog.importers.model import Document, DocumentError, Limits, Table
from tests.documents import make_scan

DPI = 200
# Character accuracy over all cell text. Measured on these pages (PNG, JPEG, PDF): RapidOCR,
# the default, 100 %; Tesseract 98.9-100 %. bench/ocr.py has the same over more scans.
TEXT_FLOOR = 0.98
TESSERACT_FLOOR = 0.95

Grid = list[list[str | None]]


def _engine(make: object) -> ocr_engines.Engine:
    try:
        return make()  # type: ignore[operator,no-any-return]
    except ocr_engines.EngineMissing as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def engine() -> ocr_engines.Engine:
    return _engine(ocr_engines.default_engine)


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    out = tmp_path_factory.mktemp("scan")
    return make_scan.save(make_scan.scanned_pages(DPI), out, DPI)


@pytest.fixture(scope="module")
def png(scans: dict[str, list[Path]], engine: ocr_engines.Engine) -> list[Document]:
    return [ocr.read_image(path, Limits(), engine) for path in scans["png"]]


@pytest.fixture(scope="module")
def pdf(scans: dict[str, list[Path]], engine: ocr_engines.Engine) -> list[list[Table]]:
    """Each page of the image-only PDF rendered at the scan's resolution, read as the PDF
    reader reads pages without a text layer."""
    document = pypdfium2.PdfDocument(scans["pdf"][0])
    try:
        pages = []
        for number in range(1, len(document) + 1):
            page = document[number - 1]
            bitmap = page.render(scale=DPI / 72)
            image = bitmap.to_pil()
            bitmap.close()
            page.close()
            pages.append(ocr.read_page_image(image, number, number, engine))
        return pages
    finally:
        document.close()


def _texts(table: Table) -> Grid:
    return [[cell.text for cell in row] for row in table.rows]


def _read(png: list[Document], pdf: list[list[Table]]) -> list[tuple[str, int, Table]]:
    """(source, page, its one table) for every page read, as PNG and as PDF."""
    read = [("png", n, doc.tables[0]) for n, doc in enumerate(png, start=1)]
    return read + [("pdf", n, tables[0]) for n, tables in enumerate(pdf, start=1)]


def test_one_table_a_page_with_the_printed_rows(
    png: list[Document], pdf: list[list[Table]]
) -> None:
    for doc in png:
        assert len(doc.tables) == 1
    assert [len(tables) for tables in pdf] == [1, 1]
    for source, n, table in _read(png, pdf):
        want = make_scan.expected_pages()[n - 1]
        assert (source, len(table.rows)) == (source, len(want))
        assert {len(row) for row in table.rows} == {7}, source
        number = 1 if source == "png" else n  # each page image is a document of its own
        assert (table.ocr, table.page, table.index) == (True, number, number)


def test_merged_cells_as_the_contract_gives_them(
    png: list[Document], pdf: list[list[Table]]
) -> None:
    """`None` exactly where a span of `fictional.vertical_spans()` covers a cell; on page 2 a
    span running over the break goes on from the continuation row, whose cells are empty."""
    for source, n, table in _read(png, pdf):
        want = make_scan.expected_pages()[n - 1]
        covered = [[text is None for text in row] for row in _texts(table)]
        assert covered == [[text is None for text in row] for row in want], (source, n)
    for source, n, table in _read(png, pdf):
        if n == 2:
            assert _texts(table)[1][:6] == ["", "", "", "", "", ""], source


def test_every_threshold_number_is_exact(png: list[Document], pdf: list[list[Table]]) -> None:
    scored = 0
    for source, n, table in _read(png, pdf):
        score = make_scan.score(make_scan.expected_pages()[n - 1], _texts(table))
        assert score.numbers, (source, n)
        scored += score.phrases
    assert scored == 2 * len(make_scan.thresholds())  # each phrase, from PNG and from PDF


def test_most_text_is_right(png: list[Document], pdf: list[list[Table]]) -> None:
    for source, n, table in _read(png, pdf):
        score = make_scan.score(make_scan.expected_pages()[n - 1], _texts(table))
        assert score.text >= TEXT_FLOOR, (source, n, score)


def test_the_document_of_a_page_image(scans: dict[str, list[Path]], png: list[Document]) -> None:
    doc = png[0]
    assert (doc.format, doc.pages) == ("image", 1)
    assert doc.sha256 == hashlib.sha256(scans["png"][0].read_bytes()).hexdigest()
    first = doc.tables[0].rows[0][0]
    assert first.text == "序号" and first.box is not None
    # The table's left rule lies 18 mm from the left edge of the 297 mm page, 0.7° turned.
    assert first.box.x0 == pytest.approx(18 / 297, abs=0.01)
    for row in doc.tables[0].rows:
        for cell in row:
            assert cell.box is not None
            assert 0 <= cell.box.x0 < cell.box.x1 <= 1 and 0 <= cell.box.y0 < cell.box.y1 <= 1
            if cell.text:
                assert cell.confidence is not None and 0 <= cell.confidence <= 100
            if cell.text is None:
                assert cell.confidence is None


def test_a_jpeg_page(scans: dict[str, list[Path]], engine: ocr_engines.Engine) -> None:
    doc = ocr.read_image(scans["jpeg"][1], Limits(), engine)
    score = make_scan.score(make_scan.expected_pages()[1], _texts(doc.tables[0]))
    assert score.structure and score.numbers and score.text >= TEXT_FLOOR


def test_tesseract_reads_the_scan_too(scans: dict[str, list[Path]]) -> None:
    """The fallback where only the Debian packages are installed."""
    tesseract = _engine(ocr_engines.Tesseract)
    for n, path in enumerate(scans["png"], start=1):
        with Image.open(path) as image:
            tables = ocr.read_page_image(image, n, n, tesseract)
        score = make_scan.score(make_scan.expected_pages()[n - 1], _texts(tables[0]))
        assert score.structure and score.numbers and score.text >= TESSERACT_FLOOR, score


def test_the_pdf_reader_gets_a_hook() -> None:
    _engine(ocr_engines.default_engine)
    assert ocr.ocr_hook() is ocr.read_page_image


# --- refusals (no engine needed) -------------------------------------------------------------


def _refused(path: Path, limits: Limits | None = None) -> str:
    with pytest.raises(DocumentError) as caught:
        ocr.read_image(path, limits or Limits())
    assert caught.value.file == path.name
    assert "\n" not in str(caught.value)
    return caught.value.message


def test_a_text_file_named_png(tmp_path: Path) -> None:
    path = tmp_path / "list.png"
    path.write_text("序号,行业领域\n1,示例\n", encoding="utf-8")
    assert _refused(path) == "not a PNG image"
    jpeg = tmp_path / "list.jpg"
    jpeg.write_bytes(b"\x89PNX not really")
    assert _refused(jpeg) == "not a JPEG image"


def test_too_many_pixels_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "page.png"
    Image.new("L", (400, 300), 255).save(path)
    message = _refused(path, Limits(max_pixels=100_000))
    assert "400 x 300 pixels" in message and "100,000 pixels" in message


def test_a_decompression_bomb(tmp_path: Path) -> None:
    """A header claiming more pixels than Pillow's own guard allows is refused as too large,
    not decoded."""
    path = tmp_path / "bomb.png"
    header = struct.pack(">IIBBBBB", 20_000, 20_000, 8, 0, 0, 0, 0)  # 400 megapixels, grey

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b""))
    message = _refused(path, Limits(max_pixels=10**12))
    assert message.startswith("too large: too many pixels to decode safely")


def test_a_damaged_png(tmp_path: Path) -> None:
    whole = tmp_path / "whole.png"
    Image.effect_noise((300, 200), 40).save(whole)
    path = tmp_path / "cut.png"
    path.write_bytes(whole.read_bytes()[:2000])
    assert _refused(path).startswith("damaged PNG image: ")


def test_too_many_bytes(tmp_path: Path) -> None:
    path = tmp_path / "page.png"
    Image.new("L", (100, 100), 255).save(path)
    size = path.stat().st_size
    assert _refused(path, Limits(max_bytes=size - 1)) == (
        f"too large: {size:,} bytes, the limit is {size - 1:,}"
    )


def test_a_page_without_a_table(tmp_path: Path, engine: ocr_engines.Engine) -> None:
    path = tmp_path / "blank.png"
    Image.new("L", (800, 600), 250).save(path)
    assert _refused(path) == "holds no ruled table"


def test_missing_engines_name_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ocr_engines.EngineMissing, match="tesseract-ocr tesseract-ocr-chi-sim"):
        ocr_engines.Tesseract()
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    with pytest.raises(ocr_engines.EngineMissing, match=r"rapidocr-onnxruntime==1\.4\.4"):
        ocr_engines.RapidOCR()
