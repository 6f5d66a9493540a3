"""Official list tables (CSV or XLSX) to zone-list data and back.

A table has one row per list entry, in the columns of the official layout (`COLUMNS`). Rows whose
data columns are all empty only declare their sector or scenario. Sector cells such as 全部行业领域
(or an empty cell) make list-wide entries; scenario cells such as 全部场景 (or an empty cell) make
entries that apply to every scenario of the sector. Several scenarios in one cell are separated by
；. Ids are generated deterministically, so importing the export of an import gives the same data.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal, get_args

import openpyxl  # type: ignore[import-untyped]
from pydantic import ValidationError

from kuajing.catalog.base import Cite, Counter, Pathway, Text, Threshold
from kuajing.catalog.documents.model import Document, DocumentError, Limits
from kuajing.catalog.documents.read import SUFFIXES, format_of, read_document
from kuajing.catalog.documents.report import COLUMN_NAMES, ImportReport, why_zh
from kuajing.catalog.documents.rows import SourceRow, document_rows
from kuajing.catalog.layout import (
    CATEGORY,
    COLUMNS,
    COMPANIES,
    DATA_COLUMNS,
    DESCRIPTION,
    FIELDS,
    HEADER_MIN,
    PATHWAY,
    REQUIRED,
    SCENARIO,
    SECTOR,
    SUB_CLASS,
    THRESHOLD,
    TableError,
    header_map,
    is_note,
    normal,
)
from kuajing.catalog.models import Category, Entry, Sector, ZoneList
from kuajing.spreadsheet import write_csv, write_xlsx
from kuajing.zipcheck import check_zip

ALL_SECTORS = "全部行业领域"
ALL_SCENARIOS = "全部场景"
ANY_AMOUNT = "不限"
MAX_CELLS = 2_000_000  # of one sheet's grid, as the DOCX and HTML readers count a table's
UNREADABLE = "未能读取"  # the row's condition is in the table but could not be read

_SECTOR_ALL = {"", "全部行业", "全部行业领域", "所有行业", "所有行业领域", "各行业", "各行业领域"}
_SCENARIO_ALL = {"", "全部", "所有", "全部场景", "所有场景", "全部业务场景", "所有业务场景"}
_NO_THRESHOLD = {"", "-", "—", "–", "/", "无", "不适用", "n/a"}
_ANY_AMOUNT = {"不限", "不限数量", "任意数量", "不论数量"}
_UNREADABLE = {"未能读取", "无法辨认", "不详", "未知", "unreadable", "unknown"}

_PATHWAY_LABELS = {
    Pathway.SECURITY_ASSESSMENT: "数据出境安全评估",
    Pathway.STANDARD_CONTRACT_OR_CERTIFICATION: "个人信息出境标准合同或个人信息保护认证",
    Pathway.EXEMPT: "免予申报",
    Pathway.PROHIBITED: "禁止出境",
}
_CATEGORY_LABELS: dict[str, str] = {
    "important_data": "重要数据",
    "personal_information": "个人信息",
    "general_data": "一般数据",
}
_COUNTER_WORDS: dict[str, str] = {
    "sensitive": "敏感个人信息",
    "personal": "个人信息（不含敏感个人信息）",
    "persons": "个人信息（含敏感个人信息）",
    "processed": "（处理个人信息）",
}
_DEFAULT_SCOPE = Text(
    zh="适用于在本自由贸易试验区注册、开展数据出境活动的数据处理者。",
    en="Applies to data handlers registered in the free trade zone that export data.",
)


# --- thresholds ----------------------------------------------------------------------------

_LOWER = "at_least", "more_than"
_PRE = {
    "不少于": "at_least",
    "不低于": "at_least",
    "达到": "at_least",
    "超过": "more_than",
    "多于": "more_than",
    "高于": "more_than",
    "大于": "more_than",
    "不超过": "at_most",
    "不多于": "at_most",
    "不高于": "at_most",
    "不满": "below",
    "未满": "below",
    "不足": "below",
    "少于": "below",
    "低于": "below",
    "小于": "below",
}
_POST = {
    "以上": "at_least",
    "及以上": "at_least",
    "(含)以上": "at_least",
    "以下": "at_most",
    "及以下": "at_most",
    "(含)以下": "at_most",
    "以内": "at_most",
}
_MULT = {"十": 10, "百": 100, "千": 1_000, "万": 10_000, "亿": 100_000_000}


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_BOUND = re.compile(
    rf"(?P<pre>{_alternatives(_PRE)})?(?P<num>\d+(?:\.\d+)?)(?P<mult>[十百千万亿]*)"
    rf"(?P<unit>人|名|位)?(?P<post>{_alternatives(_POST)})?"
)


def _words_counter(text: str) -> Counter | None:
    """The counter that words such as 敏感个人信息 name, if any."""
    text = normal(text)
    if re.search(r"不含敏感|非敏感|一般个人信息", text):
        return "personal"
    if re.search(r"(?<!不)含敏感", text):
        return "persons"
    if "敏感" in text:
        return "sensitive"
    return None


def _phrase_counter(text: str) -> Counter | None:
    return "processed" if "处理" in normal(text) else _words_counter(text)


def _amount(num: str, mult: str) -> int | None:
    try:
        value = Decimal(num)
    except InvalidOperation:
        return None
    for char in mult:
        value *= _MULT[char]
    return int(value) if value == value.to_integral_value() else None


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGITS |= {"七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1_000}
_CN_RUN = re.compile(
    rf"(?P<pre>{_alternatives(_PRE)})?(?P<run>[零〇一二两三四五六七八九十百千万亿]+)"
    r"(?P<post>人|名|位|以上|以下|及以|\(含\))?"
)


def _cn_number(run: str) -> int:
    """一百五十万 → 1500000: sections closed by 万 and 亿, each of digits and 十/百/千."""
    total, section, digit = 0, 0, 0
    for char in run:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10_000
            section, digit = 0, 0
        else:  # 亿 scales everything before it
            total = (total + section + digit) * 100_000_000
            section, digit = 0, 0
    return total + section + digit


def _arabic(text: str) -> str:
    """Amounts written in Chinese numerals (十万人以上, 不满一百万人) in digits."""

    def digits(m: re.Match[str]) -> str:
        if not m["post"] or not re.search(r"[一二两三四五六七八九十]", m["run"]):
            return m[0]  # words such as 一旦, 达到一定精度: not a number of persons
        return f"{m['pre'] or ''}{_cn_number(m['run'])}{m['post'] or ''}"

    return _CN_RUN.sub(digits, text)


def _bounds(text: str) -> dict[str, int]:
    bounds: dict[str, int] = {}
    for match in _BOUND.finditer(_arabic(normal(text))):
        kinds = {_PRE[match["pre"]]} if match["pre"] else set()
        kinds |= {_POST[match["post"]]} if match["post"] else set()
        if len(kinds) > 1:
            raise TableError(f"threshold {text!r}: {match[0]!r} is bounded two ways")
        if not kinds:
            if match["unit"]:
                raise TableError(f"threshold {text!r}: {match[0]!r} has no 以上/不满/超过/以下")
            continue  # a date or other number, not a bound
        kind = kinds.pop()
        amount = _amount(match["num"], match["mult"])
        if amount is None:
            raise TableError(f"threshold {text!r}: {match[0]!r} is not a whole number of persons")
        side = _LOWER if kind in _LOWER else ("below", "at_most")
        if any(s in bounds for s in side):
            raise TableError(
                f"threshold {text!r} has two {'lower' if kind in _LOWER else 'upper'} bounds"
            )
        bounds[kind] = amount
    return bounds


def parse_threshold(text: str, counter_hint: str | None = None) -> Threshold | None:
    """A Chinese threshold phrase as bounds: 以上 = at_least, 超过 = more_than, 不满 = below,
    以下 = at_most. Empty cells and 不限 give None; text that is not a threshold raises
    `TableError`. The counter comes from words in the phrase (敏感个人信息 = sensitive,
    个人信息（不含敏感个人信息） = personal, 含敏感个人信息 = persons, 处理 = processed), else
    from `counter_hint`, else persons."""
    if counter_hint is not None and counter_hint not in get_args(Counter):
        raise TableError(f"unknown counter {counter_hint!r}: use {', '.join(get_args(Counter))}")
    compact = normal(text)
    if compact.lower() in _NO_THRESHOLD or compact in _ANY_AMOUNT:
        return None
    bounds = _bounds(text)
    if not bounds:
        raise TableError(f"cannot read the threshold {text!r}: no bound such as 1万人以上")
    counter = _phrase_counter(text) or counter_hint or "persons"
    try:
        threshold = Threshold.model_validate({"counter": counter, **bounds})
    except ValidationError as exc:
        raise TableError(f"threshold {text!r}: {_first_error(exc)}") from None
    low, high = threshold.band()
    if high is not None and high < low:
        raise TableError(f"threshold {text!r}: no number of persons reaches it")
    return threshold


def _amount_text(n: int) -> str:
    if n and n % 100_000_000 == 0:
        return f"{n // 100_000_000}亿"
    if n and n % 10_000 == 0:
        return f"{n // 10_000}万"
    return str(n)


def format_threshold(threshold: Threshold, counter_hint: str | None = None) -> str:
    """The threshold in Chinese drafting, e.g. 10万人以上、不满100万人. Words naming the counter
    are added when it differs from `counter_hint` (else persons), so parsing gives it back."""
    parts = []
    if threshold.at_least is not None:
        parts.append(f"{_amount_text(threshold.at_least)}人以上")
    if threshold.more_than is not None:
        parts.append(f"超过{_amount_text(threshold.more_than)}人")
    if threshold.below is not None:
        parts.append(f"不满{_amount_text(threshold.below)}人")
    if threshold.at_most is not None:
        parts.append(f"{_amount_text(threshold.at_most)}人以下")
    text = "、".join(parts)
    if threshold.counter != (counter_hint or "persons"):
        text += _COUNTER_WORDS[threshold.counter]
    return text


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    return f"{where}: {msg}" if where else msg


# --- reading tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    line: int  # the row number in the sheet or CSV file (in a document: in its table), 1-based
    values: dict[str, str]
    source: SourceRow | None = None  # read from a document: where

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def _rows(grid: list[list[str]], file: str) -> tuple[list[str], list[_Row]]:
    """The known columns and the data rows of a sheet's grid of cell texts."""
    start = next((i for i, r in enumerate(grid) if len(header_map(r)) >= HEADER_MIN), None)
    if start is None:
        raise TableError(
            f"no header row with at least {HEADER_MIN} of {', '.join(COLUMNS)}", file=file
        )
    columns = header_map(grid[start])
    rows = []
    for i, raw in enumerate(grid[start + 1 :], start=start + 2):
        if len(header_map(raw)) >= HEADER_MIN:
            continue  # a repeated or second header row
        values = {name: (raw[j] if j < len(raw) else "") for name, j in columns.items()}
        filled = [v for v in values.values() if v]
        if filled and not is_note(filled):
            rows.append(_Row(i, values))
    return list(columns), rows


def _decode(raw: bytes, file: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("CSV is neither UTF-8 nor GB18030/GBK", file=file)


def _csv_grid(path: Path) -> list[list[str]]:
    """Cell texts of a CSV file, separated by commas, else by tabs or semicolons (the first that
    gives a header row)."""
    text = _decode(path.read_bytes(), path.name)
    grids = []
    for delimiter in (",", "\t", ";"):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        grid = [[_cell(v) for v in row] for row in reader]
        if any(len(header_map(r)) >= HEADER_MIN for r in grid):
            return grid
        grids.append(grid)
    return grids[0]


def _sheet_grid(sheet: Any, name: str, limits: Limits) -> list[list[str]]:
    """Cell texts of a worksheet, each merged region filled with its top-left value. Refused
    when the sheet reaches further than any list: one cell far down makes a grid that large."""
    rows, columns = sheet.max_row, sheet.max_column
    if rows > limits.max_rows or rows * columns > MAX_CELLS:
        raise DocumentError(
            f"sheet {sheet.title!r} spans {rows:,} rows and {columns:,} columns; the limits are"
            f" {limits.max_rows:,} rows and {MAX_CELLS:,} cells",
            file=name,
        )
    grid = [
        [_cell(v) for v in row]
        for row in sheet.iter_rows(
            min_row=1,
            min_col=1,
            max_row=sheet.max_row,
            max_col=sheet.max_column,
            values_only=True,
        )
    ]
    for region in sheet.merged_cells.ranges:
        value = grid[region.min_row - 1][region.min_col - 1]
        for r in range(region.min_row - 1, region.max_row):
            for c in range(region.min_col - 1, region.max_col):
                grid[r][c] = value
    return grid


def _xlsx_grids(path: Path, limits: Limits) -> list[list[list[str]]]:
    def refuse(message: str) -> DocumentError:
        return DocumentError(message, file=path.name)

    try:
        check_zip(path, limits.package(sheets=True), refuse, "XLSX")  # before openpyxl reads it
        book = openpyxl.load_workbook(path, data_only=True)
    except DocumentError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise TableError(f"cannot open the workbook: {exc}", file=path.name) from None
    try:
        return [_sheet_grid(sheet, path.name, limits) for sheet in book.worksheets]
    finally:
        book.close()


@dataclass
class Loaded:
    """A table's or document's rows, before they are made into a list."""

    columns: list[str]
    rows: list[_Row]
    document: Document | None = None  # None: a CSV or XLSX table
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of_document(
        cls, document: Document, columns: list[str], rows: list[SourceRow], notes: list[str]
    ) -> Loaded:
        """A document's rows, as read or as a reviewer corrected them."""
        return cls(columns, [_Row(r.row, r.values, r) for r in rows], document, notes)


def load_table(path: Path, limits: Limits | None = None) -> Loaded:
    """The rows of a table (CSV, XLSX) or of an official document (PDF, page image, DOCX,
    HTML); the format follows from the content, and a name that says otherwise is refused."""
    if path.suffix.lower() not in SUFFIXES:
        raise TableError(
            f"unsupported table format {path.suffix!r}: use {', '.join(sorted(SUFFIXES))}",
            file=path.name,
        )
    limits = limits or Limits()
    found = format_of(path, limits)
    if found == "csv":
        return Loaded(*_rows(_csv_grid(path), path.name))
    if found == "xlsx":
        grids = _xlsx_grids(path, limits)
        for grid in grids:  # the first sheet that has a header row
            if any(len(header_map(r)) >= HEADER_MIN for r in grid):
                return Loaded(*_rows(grid, path.name))
        return Loaded(*_rows(grids[0] if grids else [], path.name))
    document = read_document(path, limits)
    columns, rows, notes = document_rows(document)
    if not rows:
        raise DocumentError(
            f"holds no list table: no table has a header row with at least {HEADER_MIN} of"
            f" {', '.join(COLUMNS)}",
            file=path.name,
        )
    return Loaded.of_document(document, columns, rows, [*document.notes, *notes])


def read_table(path: Path) -> list[dict[str, str]]:
    """The data rows of a CSV (UTF-8, UTF-8 with BOM, GB18030/GBK) or XLSX list table, keyed by
    the official column names present in its header row. Merged cells give every cell of the
    region the top-left value; empty rows and merged footnote rows are dropped."""
    return [dict(row.values) for row in load_table(path).rows]


# --- import --------------------------------------------------------------------------------


def _fail(row: _Row, column: str, message: str, file: str) -> TableError:
    return TableError(message, file=file, line=row.line, path=column, loc=(row.line, column))


def _name(text: str) -> str:
    """A sector, scenario or sub-class name on one line."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def _pathway(text: str) -> Pathway | None:
    compact = normal(text)
    if "禁止" in compact:
        return Pathway.PROHIBITED
    if any(w in compact for w in ("免予", "免于", "无需", "豁免", "自由流动")):
        return Pathway.EXEMPT
    if "安全评估" in compact:
        return Pathway.SECURITY_ASSESSMENT
    if "标准合同" in compact or "认证" in compact:
        return Pathway.STANDARD_CONTRACT_OR_CERTIFICATION
    return None


def _category(text: str) -> Category | None:
    compact = normal(text)
    if "重要数据" in compact:
        return "important_data"
    if "个人信息" in compact:
        return "personal_information"
    if "一般数据" in compact:
        return "general_data"
    return None


def _row_hint(category: Category, category_text: str, sub_class: str) -> Counter | None:
    """The counter a row's threshold counts when the threshold cell does not say."""
    found = _words_counter(sub_class) or _words_counter(category_text)
    return found or ("personal" if category == "personal_information" else None)


def _scenario_names(text: str) -> list[str] | None:
    """The scenario names of a cell; None for every scenario."""
    if normal(text) in _SCENARIO_ALL:
        return None
    names = [_name(part) for part in re.split(r"[；;]", text)]
    return list(dict.fromkeys(n for n in names if n)) or None


def _fields(text: str) -> list[str]:
    parts = (p.strip() for p in re.split(r"[、，,;；\n]", text))
    return list(dict.fromkeys(p for p in parts if p))


_LISTED = re.compile(r"包括(?:但不限于)?[:：]?(?P<fields>[^。]+?)(?:等(?:[。；;，,]|$)|。|$)")


def fields_in(description: str) -> list[str]:
    """The fields a description lists as 包括…等 (the last such list)."""
    found = list(_LISTED.finditer(description.replace("\n", "")))
    if not found:
        return []
    text = found[-1]["fields"].removesuffix("等")
    return [f.removeprefix("及").removeprefix("和") for f in _fields(text)]


def threshold_in(description: str) -> str:
    """The part of a description that states its threshold, as in 自当年1月1日起累计向境外提供
    10万人以上、不满50万人个人信息（不含敏感个人信息）的: the text before the fields it lists."""
    head = re.split(r"包括", description, maxsplit=1)[0]
    return head if _AMOUNT_WORDS.search(_arabic(normal(head))) else ""


# A bound (不满10万, 10万以上) or a number of persons (1万至10万人, which parsing then refuses
# as ambiguous rather than the row passing for one without a threshold).
_AMOUNT_WORDS = re.compile(
    rf"(?:{_alternatives(_PRE)})\d|\d(?:\.\d+)?[十百千万亿]*(?:人|名|位)"
    rf"|\d(?:\.\d+)?[十百千万亿]*(?:{_alternatives(_POST)})"
)


def _text(zh: str, english: Mapping[str, str]) -> dict[str, str]:
    return {"zh": zh, "en": english.get(zh, zh)}


@dataclass
class _Item:
    """An entry read from one row; ids are given once every row is read."""

    row: _Row
    data: dict[str, Any]
    scenarios: list[str] | None


@dataclass
class _Group:
    """A sector's rows (or, with name None, the list-wide rows)."""

    name: str | None
    notes: list[str] = field(default_factory=list)
    scenarios: list[str] = field(default_factory=list)
    items: list[_Item] = field(default_factory=list)

    def declare(self, names: list[str] | None) -> None:
        for name in names or []:
            if name not in self.scenarios:
                self.scenarios.append(name)


class _Slugs:
    """Stable ids: the ASCII words of a name, else a short hash; the hash is added on a clash."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, prefix: str, name: str, key: str) -> str:
        digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:6]
        words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", name).lower())
        slug = "-".join(words)[:40].strip("-")
        candidates = [f"{prefix}-{slug}", f"{prefix}-{slug}-{digest}"] if slug else []
        candidates += [f"{prefix}-{digest}", *(f"{prefix}-{digest}-{n}" for n in range(2, 99))]
        chosen = next(c for c in candidates if c not in self.used)
        self.used.add(chosen)
        return chosen


@dataclass
class _Importer:
    file: str
    list_id: str
    cite: list[dict[str, Any]]
    english: Mapping[str, str]
    complete: bool
    document: Document | None = None  # rows that cannot be fully read become review entries
    describe: bool = False  # thresholds and fields may be read out of the description
    groups: dict[str | None, _Group] = field(default_factory=dict)
    report: ImportReport = field(default_factory=ImportReport)

    def add(self, row: _Row) -> None:
        sector = _name(row.get(SECTOR))
        key = None if normal(sector) in _SECTOR_ALL else sector
        group = self.groups.setdefault(key, _Group(key))
        scenarios = _scenario_names(row.get(SCENARIO))
        if key is None and scenarios is not None:
            raise _fail(
                row, SCENARIO, "a list-wide row (no sector) covers every scenario", self.file
            )
        note = row.get(COMPANIES)
        if key is not None and note and note not in group.notes:
            group.notes.append(note)
        group.declare(scenarios)
        if any(row.get(c) for c in DATA_COLUMNS):
            group.items.append(_Item(row, self.read(row), scenarios))

    def read(self, row: _Row) -> dict[str, Any]:
        """The row's entry; from a document, a row that cannot be fully read is kept as an
        entry that asks for review (its condition unknown), and the report says why."""
        if row.source is not None and row.source.hold:
            return self.review(row, SUB_CLASS, row.source.hold)
        try:
            data = self.entry(row)
        except TableError as exc:
            if self.document is None or row.source is None:
                raise
            return self.review(row, exc.path, exc.message)
        self.report.read(row.source)
        return data

    def review(self, row: _Row, column: str, why: str) -> dict[str, Any]:
        assert row.source is not None
        self.report.review(row.source, column, why)
        category = _category(row.get(CATEGORY)) or "personal_information"
        pathway = _pathway(row.get(PATHWAY)) or Pathway.SECURITY_ASSESSMENT
        sub_class = _name(row.get(SUB_CLASS)) or f"{UNREADABLE}（{row.source.raw[:24]}）"
        raw = row.source.raw
        data: dict[str, Any] = {
            "category": category,
            "pathway": pathway.value,
            "trigger": "unknown",
            "sub_class": _text(sub_class, self.english),
            "description": {"zh": raw, "en": raw},
            "text": _entry_text(sub_class, row.get(DESCRIPTION), UNREADABLE, pathway),
            "review": _review_text(row.source, column, why),
        }
        fields = _fields(row.get(FIELDS)) or fields_in(row.get(DESCRIPTION))
        return {**data, **({"fields": fields} if fields else {})}

    def entry(self, row: _Row) -> dict[str, Any]:
        category = _category(row.get(CATEGORY))
        if category is None:
            raise _fail(
                row,
                CATEGORY,
                f"unknown data category {row.get(CATEGORY)!r}: use 重要数据, 个人信息 or 一般数据",
                self.file,
            )
        sub_class = _name(row.get(SUB_CLASS))
        if not sub_class:
            raise _fail(row, SUB_CLASS, "the row has no data sub-class", self.file)
        pathway = self.pathway(row, category)
        trigger, threshold_text = self.trigger(row, category, sub_class)
        data: dict[str, Any] = {"category": category, "pathway": pathway.value, **trigger}
        data["sub_class"] = _text(sub_class, self.english)
        description = row.get(DESCRIPTION)
        if description:
            data["description"] = {"zh": description, "en": description}
        fields = _fields(row.get(FIELDS))
        if not fields and self.describe:
            fields = fields_in(description)
        if fields:
            data["fields"] = fields
        data["text"] = _entry_text(sub_class, description, threshold_text, pathway)
        return data

    def pathway(self, row: _Row, category: Category) -> Pathway:
        text = row.get(PATHWAY)
        if not text and category == "general_data":
            return Pathway.EXEMPT
        pathway = _pathway(text)
        if pathway is None:
            raise _fail(
                row,
                PATHWAY,
                f"unknown pathway {text!r}: use 数据出境安全评估 or 标准合同/认证",
                self.file,
            )
        return pathway

    def trigger(
        self, row: _Row, category: Category, sub_class: str
    ) -> tuple[dict[str, Any], str | None]:
        """The trigger keys of the entry, and the threshold as the entry's text gives it."""
        text = row.get(THRESHOLD)
        if not text and self.describe:
            text = threshold_in(row.get(DESCRIPTION))
        if normal(text) in _UNREADABLE:
            return {"trigger": "unknown"}, UNREADABLE
        hint = _row_hint(category, row.get(CATEGORY), sub_class)
        try:
            threshold = parse_threshold(text, hint)
        except TableError as exc:
            raise _fail(row, THRESHOLD, exc.message, self.file) from None
        if threshold is not None:
            keys = {"trigger": "threshold", "threshold": threshold.model_dump(exclude_none=True)}
            # the entry's text depends on the category only, so that a round trip keeps it
            text_hint: Counter | None = "personal" if category == "personal_information" else None
            return keys, format_threshold(threshold, text_hint)
        if category == "personal_information":
            raise _fail(
                row,
                THRESHOLD,
                f"personal-information row {sub_class!r} needs a threshold such as 1万人以上",
                self.file,
            )
        if normal(text) in _ANY_AMOUNT:
            return {"trigger": "scenario"}, ANY_AMOUNT
        return {"trigger": "declared"}, None

    def body(self) -> dict[str, Any]:
        counter = itertools.count(1)
        slugs, scenario_slugs = _Slugs(), _Slugs()
        wide = self.groups.get(None, _Group(None))
        entries = [self.finish(item, next(counter), {}) for item in wide.items]
        sectors = []
        for group in self.groups.values():
            if group.name is None:
                continue
            ids = {
                name: scenario_slugs.make(
                    "sc", self.english.get(name, name), f"{group.name}\x1f{name}"
                )
                for name in group.scenarios
            }
            sector_id = slugs.make("s", self.english.get(group.name, group.name), group.name)
            items = [self.finish(item, next(counter), ids) for item in group.items]
            sectors.append(self.sector(group, sector_id, ids, items))
        out: dict[str, Any] = {}
        if entries:
            out["entries"] = entries
        if sectors:
            out["sectors"] = sectors
        return out

    def finish(self, item: _Item, n: int, ids: dict[str, str]) -> dict[str, Any]:
        entry_id = f"{self.list_id}-{n:03d}"
        scenarios: list[str] | str = "all"
        if item.scenarios is not None:
            scenarios = [ids[name] for name in item.scenarios]
        data = {
            "id": entry_id,
            "rule": entry_id.upper().replace("_", "-"),
            **item.data,
            "scenarios": scenarios,
            "cite": self.located(item.row),
        }
        try:
            Entry.model_validate(data)
        except ValidationError as exc:
            if self.document is None or item.row.source is None:
                raise _fail(item.row, SUB_CLASS, _first_error(exc), self.file) from None
            data.update(self.review(item.row, SUB_CLASS, _first_error(exc)))
            data.pop("threshold", None)
        return data

    def check_bands(self) -> None:
        """Numbers read by OCR are checked before they can decide anything: a threshold whose
        confidence is low, whose amount is not a round figure, or whose band does not meet its
        neighbours' (a standard-contract band's upper bound is the assessment band's lower
        bound) is kept for review instead."""
        for group in self.groups.values():
            bands: dict[tuple[object, ...], list[_Item]] = {}
            for item in group.items:
                src = item.row.source
                if src is None or not src.ocr or item.data["trigger"] != "threshold":
                    continue
                if src.reviewed_by:  # a person read the number against the page
                    continue
                why = _doubtful(item.data["threshold"], src.confidence)
                if why:
                    item.data = self.review(item.row, THRESHOLD, why)
                    continue
                threshold = item.data["threshold"]
                key = (
                    tuple(item.scenarios or ()),
                    item.data["sub_class"]["zh"],
                    threshold["counter"],
                )
                bands.setdefault(key, []).append(item)
            for items in bands.values():
                for item in _unmet(items):
                    why = "its band does not meet the next band of the same data: a misread number?"
                    item.data = self.review(item.row, THRESHOLD, why)

    def located(self, row: _Row) -> list[dict[str, Any]]:
        """The list's citation, with the page, table and row of the document it was read in."""
        if self.document is None or row.source is None:
            return self.cite
        src = row.source
        where: dict[str, Any] = {
            "sha256": self.document.sha256,
            "page": src.page,
            "table": src.table,
            "row": src.row,
            "raw": src.raw,
        }
        if src.ocr:
            where["ocr"] = True
        if src.reviewed_by:
            where.update(reviewed_by=src.reviewed_by, reviewed_at=src.reviewed_at)
        return [{**c, "document": where} for c in self.cite]

    def knowledge(self, items: list[_Item], category: str) -> str:
        """What the table tells of a scope's category: partial where a row was not fully
        read, so that the national rules stand in as the stricter fallback there."""
        mine = [item for item in items if item.data["category"] == category]
        if not mine:
            return "unknown"
        unread = any(item.data["trigger"] == "unknown" for item in mine)
        return "complete" if self.complete and not unread else "partial"

    def coverage(self, items: list[_Item]) -> dict[str, str]:
        return {
            "personal_information": self.knowledge(items, "personal_information"),
            "important_data": self.knowledge(items, "important_data"),
        }

    def sector(
        self, group: _Group, sector_id: str, ids: dict[str, str], entries: list[dict[str, Any]]
    ) -> dict[str, Any]:
        wide = [item for item in group.items if item.scenarios is None]
        out: dict[str, Any] = {"id": sector_id, "name": _text(group.name or "", self.english)}
        if group.notes:
            note = "；".join(group.notes)
            out["note"] = {"zh": note, "en": note}
        out["coverage"] = self.coverage(wide)
        out["cite"] = self.cite
        scenarios = []
        for name, scenario_id in ids.items():
            own = [i for i in group.items if i.scenarios is None or name in i.scenarios]
            scenarios.append(
                {
                    "id": scenario_id,
                    "name": _text(name, self.english),
                    "coverage": self.coverage(own),
                    "cite": self.cite,
                }
            )
        if scenarios:
            out["scenarios"] = scenarios
        if entries:
            out["entries"] = entries
        return out


OCR_FLOOR = 60.0  # below this OCR confidence (0 to 100) a number read is not trusted


def _doubtful(threshold: Mapping[str, int | str], confidence: float | None) -> str | None:
    if confidence is not None and confidence < OCR_FLOOR:
        return f"read by OCR with confidence {confidence:.0f} (below {OCR_FLOOR:.0f})"
    for key in ("at_least", "more_than", "below", "at_most"):
        amount = threshold.get(key)
        if isinstance(amount, int) and len(str(amount).rstrip("0")) > 2:
            return f"{amount:,} persons is not a round figure as lists write them: a misread?"
    return None


def _interval(threshold: Mapping[str, int | str]) -> tuple[int, int | None]:
    """A band as [low, high) in persons."""
    low = int(threshold.get("at_least", int(threshold.get("more_than", -1)) + 1))
    high = threshold.get("below", None)
    if high is None and "at_most" in threshold:
        high = int(threshold["at_most"]) + 1
    return low, None if high is None else int(high)


def _unmet(items: list[_Item]) -> list[_Item]:
    """The items whose bands leave a gap or overlap with the next band up."""
    distinct = {_interval(i.data["threshold"]): i for i in items}  # a band given twice is one
    ordered = sorted(distinct.values(), key=lambda i: _interval(i.data["threshold"])[0])
    out: list[_Item] = []
    for below, above in itertools.pairwise(ordered):
        high = _interval(below.data["threshold"])[1]
        if high != _interval(above.data["threshold"])[0]:
            out += [i for i in (below, above) if i not in out]
    return out


def _review_text(source: SourceRow, column: str, why: str) -> dict[str, str]:
    zh_col, en_col = COLUMN_NAMES.get(column, (column, column))
    at_zh = f"官方文件第{source.page}页第{source.table}个表格第{source.row}行"
    at_en = f"page {source.page}, table {source.table}, row {source.row} of the official document"
    return {
        "zh": f"{at_zh}的“{zh_col}”未能完整读取，须人工核对原文后确认（{why_zh(why)}）。",
        "en": f"The {en_col} at {at_en} could not be fully read; confirm it against the"
        f" document ({why}).",
    }


def _entry_text(
    sub_class: str, description: str, threshold: str | None, pathway: Pathway
) -> dict[str, str]:
    head = f"{sub_class}（{threshold}）" if threshold else sub_class
    zh = f"{head}：{_PATHWAY_LABELS[pathway]}。"
    if description:
        zh += f"{description.rstrip('。')}。"
    return {"zh": zh, "en": zh}


def _counts(body: dict[str, Any], cite: list[dict[str, Any]]) -> dict[str, Any]:
    sectors = body.get("sectors", [])
    entries = [*body.get("entries", []), *(e for s in sectors for e in s.get("entries", []))]
    return {
        "sectors": len(sectors),
        "scenarios": sum(len(s.get("scenarios", [])) for s in sectors),
        "sub_classes": len({e["sub_class"]["zh"] for e in entries}),
        "items": len(entries),
        "fields": sum(len(e.get("fields", [])) for e in entries),
        "cite": cite,
    }


def read_list(
    path: Path, list_id: str, zone: str, *, limits: Limits | None = None, **header: Any
) -> Imported:
    """A list table or document as the YAML-ready data of a `ZoneList` (validated), and the
    report of what became of each row (`list_from` takes the same `header`)."""
    return list_from(load_table(path, limits), path.name, list_id, zone, **header)


def list_from(
    loaded: Loaded,
    file: str,
    list_id: str,
    zone: str,
    *,
    title: Text,
    edition: str,
    published: dt.date,
    in_force_from: dt.date,
    cite: Cite,
    in_force_until: dt.date | None = None,
    kind: Literal["negative", "general"] = "negative",
    scope: Literal["sectors", "comprehensive"] = "sectors",
    supersedes: str | None = None,
    applicability: Text | None = None,
    english: Mapping[str, str] | None = None,
    complete: bool = True,
) -> Imported:
    """Rows loaded from `file` as the YAML-ready data of a `ZoneList` (validated), and the
    report of what became of each row. Every item cites `cite`; from a document, with the page,
    table and row it was read in, and a row that cannot be fully read is kept as an entry that
    answers needs_review, its text kept (a CSV or XLSX table stops at such a row instead).
    `english` gives English names of sectors, scenarios and sub-classes by their Chinese text
    (lacking one, name.en repeats the Chinese). `complete` says the table is the whole list, so
    the scopes it gives rows for have complete coverage (else partial)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", list_id):
        raise TableError(f"list id {list_id!r} is not lower-case letters, digits, - and _")
    missing = [c for c in REQUIRED if c not in loaded.columns]
    if missing:
        raise TableError(f"the header row lacks {', '.join(missing)}", file=file)
    cites = [cite.model_dump(exclude_none=True)]
    document = loaded.document
    importer = _Importer(
        file, list_id, cites, english or {}, complete, document,
        describe=document is not None or THRESHOLD not in loaded.columns,
    )  # fmt: skip
    for row in loaded.rows:
        importer.add(row)
    importer.check_bands()
    body = importer.body()
    in_force = {"from": in_force_from.isoformat()}
    if in_force_until is not None:
        in_force["until"] = in_force_until.isoformat()
    scope_text = applicability or _DEFAULT_SCOPE
    data: dict[str, Any] = {
        "id": list_id,
        "zones": [zone],
        "kind": kind,
        "scope": scope,
        "title": title.model_dump(),
        "edition": edition,
        "published": published.isoformat(),
        "in_force": in_force,
        **({"supersedes": supersedes} if supersedes else {}),
        "encoded": "entries",
        "cite": cites,
        "applicability": {
            "registered_in_zone": {
                "rule": f"{list_id.upper().replace('_', '-')}-SCOPE",
                "text": scope_text.model_dump(),
                "cite": cites,
            }
        },
        "published_counts": _counts(body, cites),
        **body,
    }
    try:
        ZoneList.model_validate(data)
    except ValidationError as exc:
        raise TableError(_first_error(exc), file=file) from None
    report = importer.report
    if document is not None:
        report.format, report.sha256 = document.format, document.sha256
        report.pages = document.pages
    report.notes.extend(loaded.notes)
    return Imported(data, report)


@dataclass(frozen=True)
class Imported:
    data: dict[str, Any]  # the list, YAML-ready
    report: ImportReport


def import_table(path: Path, list_id: str, zone: str, **options: Any) -> dict[str, Any]:
    """`read_list`'s list data alone."""
    return read_list(path, list_id, zone, **options).data


# --- export --------------------------------------------------------------------------------


def _declare_before(order: list[str], seen: set[str], cell: list[str]) -> list[str]:
    """Scenarios to declare before a row naming `cell`, so that re-reading the rows lists the
    sector's scenarios in `order`."""
    new = [s for s in dict.fromkeys(cell) if s not in seen]
    pending = [s for s in order if s not in seen]
    if not new or pending[: len(new)] == new:
        return []
    last = max((order.index(s) for s in new if s in order), default=-1)
    return [s for s in order[: last + 1] if s not in seen]


def _row(sector: str, note: str, scenario: str = "") -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update({SECTOR: sector, COMPANIES: note, SCENARIO: scenario})
    return row


def _entry_row(entry: Entry, sector: str, note: str, names: Mapping[str, str]) -> dict[str, str]:
    scenarios = (
        ALL_SCENARIOS
        if entry.scenarios == "all"
        else "；".join(names.get(s, s) for s in entry.scenarios)
    )
    category = _CATEGORY_LABELS[entry.category]
    threshold = {"scenario": ANY_AMOUNT, "unknown": UNREADABLE}.get(entry.trigger, "")
    if entry.threshold is not None:
        hint = _row_hint(entry.category, category, entry.sub_class.zh)
        threshold = format_threshold(entry.threshold, hint)
    row = _row(sector, note, scenarios)
    row.update(
        {
            PATHWAY: _PATHWAY_LABELS[entry.pathway],
            CATEGORY: category,
            SUB_CLASS: entry.sub_class.zh,
            DESCRIPTION: entry.description.zh if entry.description else "",
            FIELDS: "、".join(entry.fields),
            THRESHOLD: threshold,
        }
    )
    return row


def _sector_rows(sector: Sector) -> list[dict[str, str]]:
    names = {sc.id: sc.name.zh for sc in sector.scenarios}
    order = list(dict.fromkeys(names.values()))
    note = sector.note.zh if sector.note else ""
    seen: set[str] = set()
    rows = []
    for entry in sector.entries:
        cell = [] if entry.scenarios == "all" else [names.get(s, s) for s in entry.scenarios]
        for name in _declare_before(order, seen, cell):
            rows.append(_row(sector.name.zh, note, name))
            seen.add(name)
        seen.update(cell)
        rows.append(_entry_row(entry, sector.name.zh, note, names))
    rows.extend(_row(sector.name.zh, note, name) for name in order if name not in seen)
    return rows or [_row(sector.name.zh, note)]


def export_table(zone_list: ZoneList) -> list[dict[str, str]]:
    """The list as table rows in the official columns: list-wide entries first, then each
    sector's entries; scenarios without entries get a row of their own."""
    rows = [_entry_row(e, ALL_SECTORS, "", {}) for e in zone_list.entries]
    for sector in zone_list.sectors:
        rows.extend(_sector_rows(sector))
    return rows


def write_table(rows: Sequence[Mapping[str, str]], path: Path) -> None:
    """Write rows in the official columns: CSV (UTF-8 with BOM) or XLSX, by the file suffix;
    no cell is ever a formula (`kuajing.spreadsheet`)."""
    suffix = path.suffix.lower()
    table = [list(COLUMNS), *([row.get(c, "") for c in COLUMNS] for row in rows)]
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            write_csv(fh, table)
    elif suffix == ".xlsx":
        write_xlsx(path, table, "清单")
    else:
        raise TableError(f"unsupported table format {suffix!r}: use .csv or .xlsx", file=path.name)
