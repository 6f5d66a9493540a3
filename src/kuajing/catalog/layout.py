"""The official layout of a list table: its columns, the other names they go by, and how a header
row, a footnote row and a cell's text are recognised. Shared by the CSV/XLSX import and the
document readers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from kuajing.errors import CatalogError

SECTOR = "行业领域"
COMPANIES = "适用企业"
SCENARIO = "场景"
PATHWAY = "出境路径"
CATEGORY = "数据类别"
SUB_CLASS = "数据子类"
DESCRIPTION = "基本特征与描述"
FIELDS = "字段/数据项"
THRESHOLD = "数量门槛"
COLUMNS = (
    SECTOR,
    COMPANIES,
    SCENARIO,
    PATHWAY,
    CATEGORY,
    SUB_CLASS,
    DESCRIPTION,
    FIELDS,
    THRESHOLD,
)
REQUIRED = (CATEGORY, SUB_CLASS, PATHWAY)
DATA_COLUMNS = (PATHWAY, CATEGORY, SUB_CLASS, DESCRIPTION, FIELDS, THRESHOLD)

HEADER_ALIASES = {
    "字段": FIELDS,
    "数据项": FIELDS,
    "字段或数据项": FIELDS,
    "字段、数据项": FIELDS,
    "行业": SECTOR,
    "业务场景": SCENARIO,
    "基本特征和描述": DESCRIPTION,
    "基本特征及描述": DESCRIPTION,
    "门槛": THRESHOLD,
}
HEADER_MIN = 4
NOTE = re.compile(r"^(注|备注|说明)\s*\d*\s*[:：]")


class TableError(CatalogError):
    """A list table cannot be read or imported; names the file, the row (as `line`) and the
    column (as `path`)."""


def normal(text: str) -> str:
    """Full-width characters to ASCII, no whitespace, no thousands separators."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)


def column_name(text: str) -> str | None:
    """The official column a header cell names; a trailing note in brackets, as in
    行业领域（适用企业）, does not change the column."""
    name = normal(text)
    for candidate in (name, re.sub(r"\(.*\)$", "", name)):
        found = candidate if candidate in COLUMNS else HEADER_ALIASES.get(candidate)
        if found is not None:
            return found
    return None


def header_map(row: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, text in enumerate(row):
        name = column_name(text)
        if name is not None and name not in found:
            found[name] = i
    return found


def is_note(values: list[str]) -> bool:
    """A footnote or title merged across the row, or a 注： line."""
    distinct = set(values)
    return len(distinct) == 1 and (len(values) >= 3 or bool(NOTE.match(values[0])))
