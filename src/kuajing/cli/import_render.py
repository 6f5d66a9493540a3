"""The report of `kuajing catalog import`: rows read and rows kept for review, per page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kuajing.catalog.base import Lang
from kuajing.catalog.importers.report import COLUMN_NAMES, ImportReport, why_zh
from kuajing.i18n import pick


def report_json(report: ImportReport, file: str, written: Path) -> dict[str, Any]:
    return {
        "wrote": str(written),
        "file": file,
        "format": report.format or "table",
        "sha256": report.sha256,
        "pages": report.pages,
        "rows": report.rows,
        "needs_review": [
            {
                "page": line.page,
                "table": line.table,
                "row": line.row,
                "column": line.column,
                "why": line.why,
                "raw": line.raw,
            }
            for line in report.needs_review
        ],
        "per_page": {str(p): {"read": r, "review": v} for p, (r, v) in report.per_page().items()},
        "notes": report.notes,
    }


def report_lines(report: ImportReport, file: str, written: Path, lang: Lang) -> list[str]:
    lines = [pick(lang, f"已写入 {written}", f"wrote {written}")]
    if report.sha256 is None:  # a CSV or XLSX table: every row was read or the import stopped
        return lines
    review = report.needs_review
    read = report.rows - len(review)
    lines.append(
        pick(
            lang,
            f"{file}（{report.format}，{report.pages}页，sha256 {report.sha256[:12]}…）："
            f"共{report.rows}行，已读取{read}行，{len(review)}行需人工核对",
            f"{file} ({report.format}, {report.pages} pages, sha256 {report.sha256[:12]}…):"
            f" {report.rows} rows, {read} read, {len(review)} need review",
        )
    )
    for page, (r, v) in report.per_page().items():
        lines.append(
            pick(
                lang,
                f"  第{page}页：读取{r}行，需核对{v}行",
                f"  page {page}: {r} read, {v} to review",
            )
        )
    for line in review:
        zh, en = COLUMN_NAMES.get(line.column, (line.column, line.column))
        lines.append(
            pick(
                lang,
                f"  需核对：第{line.page}页第{line.table}个表格第{line.row}行（{zh}）："
                f"{why_zh(line.why)}",
                f"  to review: page {line.page}, table {line.table}, row {line.row} ({en}):"
                f" {line.why}",
            )
        )
        lines.append(f"    {line.raw[:160]}")
    lines += [f"  {pick(lang, '说明', 'note')}: {note}" for note in report.notes]
    return lines
