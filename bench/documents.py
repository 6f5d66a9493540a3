"""Benchmark of loading an official list document (the FICTIONAL two-page test list).

Workload: `read_list` on the same list as a PDF with a text layer, a DOCX and an HTML page, from
the file to the validated list data with its report. Baselines, in the same run: the same list as
a CSV table (what the import did before documents), and pypdfium2's plain text extraction of the
PDF's pages (the text a table reader starts from, without reading the table). The PDF library was
chosen on these figures: pdfplumber reads the ruled table with its merged cells for a fraction
of a second per page, which keeps a 60-page official list to seconds.
Target: at most 1 s a page for a text PDF on the 2-core reference machine.

    .venv/bin/python bench/documents.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test documents' builders

from tests.documents.make_docx import build_docx
from tests.documents.make_html import build_html
from tests.documents.make_pdf import build_pdf

from kuajing.catalog.base import Cite, Text
from kuajing.catalog.importers.export import export_table, write_table
from kuajing.catalog.importers.lists import read_list
from kuajing.catalog.models import ZoneList
from measure import best_of

TARGET_S_PER_PAGE = 1.0
HEADER = {
    "title": Text(zh="虚构测试清单", en="FICTIONAL test list"),
    "edition": "测试版",
    "published": dt.date(2025, 2, 19),
    "in_force_from": dt.date(2025, 2, 19),
    "cite": Cite(source="BENCH", confidence="H"),
}


def _read(path: Path) -> Callable[[], object]:
    return lambda: read_list(path, "bench-list", "hainan", **HEADER)


def _pdf_text(path: Path) -> Callable[[], object]:
    def run() -> object:
        pdf = pdfium.PdfDocument(path)
        try:
            return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
        finally:
            pdf.close()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        pdf, docx, html = folder / "list.pdf", folder / "list.docx", folder / "list.html"
        build_pdf(pdf)
        build_docx(docx)
        build_html(html)
        csv = folder / "list.csv"
        listed = ZoneList.model_validate(read_list(pdf, "bench-list", "hainan", **HEADER).data)
        write_table(export_table(listed), csv)
        runs = [
            ("baseline: the same list as CSV", _read(csv), 1),
            ("baseline: PDF plain text (pypdfium2)", _pdf_text(pdf), 2),
            ("PDF with a text layer (pdfplumber)", _read(pdf), 2),
            ("DOCX (python-docx)", _read(docx), 1),
            ("HTML (lxml)", _read(html), 1),
        ]
        print(f"{'workload':<40}{'seconds':>10}{'pages':>7}{'s/page':>9}")
        figures = {}
        for name, run, pages in runs:
            run()  # warm: imports and caches are not the workload
            took = best_of(run, args.repeat)
            figures[name] = took / pages
            print(f"{name:<40}{took:>10.3f}{pages:>7}{took / pages:>9.3f}")
    per_page = figures["PDF with a text layer (pdfplumber)"]
    verdict = "PASS" if per_page <= TARGET_S_PER_PAGE else "FAIL"
    text = figures["baseline: PDF plain text (pypdfium2)"]
    print(
        f"text PDF {per_page:.3f} s a page ({per_page / text:.0f}x plain text extraction); "
        f"target {TARGET_S_PER_PAGE:.1f} s: {verdict}"
    )


if __name__ == "__main__":
    main()
