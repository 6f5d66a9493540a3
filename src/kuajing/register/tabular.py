"""The register as a table (CSV or XLSX): one row per flow, one column per field.

The layout (`COLUMNS`): each column has an English and a Chinese name, and a file may use
either (a header row of `key, name, …` or `编号, 名称, …`, or a mix). List cells (categories,
fields, important data) separate their items with `;` (or `；`). Yes/no cells take yes, no,
true, false, 1, 0, 是, 否 (empty: no). Frequency, status and exemption take their English ids or
the Chinese words in `FREQUENCY_ZH`, `STATUS_ZH`. Only `key` and `name` are required.

Reading checks every row before anything is returned: a bad row is one line naming its row (as
the spreadsheet numbers it, the header being row 1 when it is first) and its column, and the
file is refused whole (`RegisterInvalid`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from kuajing.catalog.importers.grid import cell_text
from kuajing.catalog.importers.model import DocumentError, Limits
from kuajing.catalog.importers.xlsx import read_grids
from kuajing.catalog.layout import TableError
from kuajing.errors import RegisterError, RegisterInvalid
from kuajing.register.models import Flow
from kuajing.services.field_errors import field_error_zh
from kuajing.spreadsheet import Cell, write_csv, write_xlsx

TableFormat = Literal["csv", "xlsx"]

# (English name, Chinese name, what it holds): the documented layout, in the order written.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("key", "编号", "the flow's id: lower-case letters, digits, . _ - (required)"),
    ("name", "名称", "what the flow is (required)"),
    ("source_system", "来源系统", "the system the data leaves from"),
    ("scenario", "场景", "the business scenario as a zone's list names it, e.g. 临床试验"),
    ("categories", "数据类别", "data categories; list"),
    ("fields", "字段", "the data fields sent; list"),
    ("recipient_name", "境外接收方", "the overseas recipient"),
    ("recipient_country", "接收方国家", "ISO 3166-1 two-letter code, e.g. DE"),
    ("foreign_authority", "境外司法执法机构", "the recipient is a foreign judicial or "
     "law-enforcement body; yes/no"),
    ("restricted_list", "限制清单", "the recipient is on the restriction list; yes/no"),
    ("exemption", "豁免情形", "contract, hr, emergency, overseas_collected, statutory_duty, "
     "automotive_guidelines"),
    ("legal_basis", "合法性基础", "the legal basis relied on"),
    ("frequency", "频率", "daily, weekly, monthly, quarterly, yearly or once"),
    ("personal", "个人信息人数", "new distinct persons per period"),
    ("sensitive", "敏感个人信息人数", "new distinct persons with sensitive PI per period"),
    ("persons", "总人数", "distinct persons per period, when known"),
    ("starts", "开始日期", "the first export, YYYY-MM-DD (empty: already running)"),
    ("owner", "负责人", "who answers for the flow"),
    ("status", "状态", "planned, active, paused or retired (empty: active)"),
    ("important_data", "重要数据", "important data catalogue entries; list"),
)  # fmt: skip
LISTS = ("categories", "fields", "important_data")
FLAGS = ("foreign_authority", "restricted_list")
COUNTS = ("personal", "sensitive", "persons")
FREQUENCY_ZH = {"每日": "daily", "每周": "weekly", "每月": "monthly", "每季度": "quarterly",
                "每年": "yearly", "一次": "once", "单次": "once"}  # fmt: skip
STATUS_ZH = {"计划": "planned", "计划中": "planned", "进行中": "active", "运行中": "active",
             "暂停": "paused", "停用": "retired", "已停用": "retired"}  # fmt: skip
_YES = {"yes", "true", "1", "y", "是", "x", "✓"}
_NO = {"", "no", "false", "0", "n", "否"}
_NAMES = {name: en for en, zh, _ in COLUMNS for name in (en, zh)}
_LIMITS = Limits(max_bytes=20 * 1024 * 1024, max_rows=50_000)
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def format_of(name: str) -> TableFormat:
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".csv", ".txt"):
        return "csv"
    raise RegisterError(
        "a register file is .csv or .xlsx", zh="登记簿文件应为 .csv 或 .xlsx", file=name
    )


# --- reading -----------------------------------------------------------------------------------


def read_flows(path: Path, name: str | None = None) -> list[Flow]:
    """Every flow of the file, or `RegisterInvalid` listing each bad row and column."""
    shown = name or path.name
    grid = _grid(path, shown)
    header_at = next((i for i, row in enumerate(grid) if any(c.strip() for c in row)), None)
    if header_at is None:
        raise RegisterInvalid([RegisterError("the file is empty", zh="文件为空", file=shown)])
    columns = _header(grid[header_at], shown, header_at + 1)
    flows: list[Flow] = []
    problems: list[RegisterError] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(grid[header_at + 1 :], start=header_at + 2):
        cells = {col: _unquoted(raw[i]) if i < len(raw) else "" for i, col in columns.items()}
        if not any(cells.values()):
            continue
        try:
            flow = _flow(cells, number, shown)
        except RegisterError as exc:
            problems.append(exc)
            continue
        if flow.key in seen:
            problems.append(_bad(shown, number, "key",
                                 f"'{flow.key}' is also on row {seen[flow.key]}",
                                 f"“{flow.key}”与第 {seen[flow.key]} 行重复"))  # fmt: skip
            continue
        seen[flow.key] = number
        flows.append(flow)
    if problems:
        raise RegisterInvalid(problems)
    return flows


def _grid(path: Path, name: str) -> list[list[str]]:
    if format_of(name) == "xlsx":
        try:
            sheets = read_grids(path, _LIMITS)
        except (DocumentError, TableError) as exc:
            raise RegisterInvalid([RegisterError(exc.message, file=name)]) from None
        return sheets[0] if sheets else []
    raw = path.read_bytes()
    if len(raw) > _LIMITS.max_bytes:
        raise RegisterInvalid([RegisterError("the file is over 20 MB", file=name)])
    return [[cell_text(c) for c in row] for row in csv.reader(io.StringIO(_text(raw, name)))]


def _text(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RegisterInvalid(
        [RegisterError("not UTF-8 or GB18030 text", zh="不是 UTF-8 或 GB18030 文本", file=name)]
    )


def _header(row: Sequence[str], name: str, number: int) -> dict[int, str]:
    columns: dict[int, str] = {}
    problems = []
    for i, cell in enumerate(row):
        label = cell.strip()
        if not label:
            continue
        known = _NAMES.get(label) or _NAMES.get(label.lower())
        if known is None:
            problems.append(_bad(name, number, label, "is not a column of the register layout",
                                 "不是登记簿的列"))  # fmt: skip
        elif known in columns.values():
            problems.append(_bad(name, number, label, "appears twice", "出现了两次"))
        else:
            columns[i] = known
    for needed in ("key", "name"):
        if needed not in columns.values():
            problems.append(_bad(name, number, needed, "is missing from the header row",
                                 "标题行中缺少该列"))  # fmt: skip
    if problems:
        raise RegisterInvalid(problems)
    return columns


def _unquoted(value: str) -> str:
    """A cell as written: the apostrophe our CSV writer puts before a leading = + - @ removed."""
    value = value.strip()
    return value[1:] if value.startswith("'") and value[1:].startswith(_TRIGGERS) else value


def _flow(cells: dict[str, str], number: int, name: str) -> Flow:
    data: dict[str, Any] = {"recipient": {}}
    for column, value in cells.items():
        if column.startswith("recipient_"):
            if value:
                data["recipient"][column.removeprefix("recipient_")] = value
        elif column in FLAGS:
            data["recipient"][column] = _flag(value, number, name, column)
        elif column in LISTS:
            data[column] = [p.strip() for p in value.replace("；", ";").split(";") if p.strip()]
        elif column in COUNTS:
            if value:
                data[column] = _count(value, number, name, column)
        elif value:
            data[column] = _word(column, value)
    try:
        return Flow.model_validate(data)
    except ValidationError as exc:
        raise _located(exc, number, name) from None


def _word(column: str, value: str) -> str:
    if column == "frequency":
        return FREQUENCY_ZH.get(value, value.lower())
    if column == "status":
        return STATUS_ZH.get(value, value.lower())
    if column == "starts" and "T" in value:  # a spreadsheet's date cell, read as a datetime
        return value.split("T", 1)[0]
    return value


def _count(value: str, number: int, name: str, column: str) -> int:
    text = value.replace(",", "").replace("，", "").strip()
    if text.endswith(".0"):  # a spreadsheet's number cell
        text = text[:-2]
    if not text.isdigit():
        raise _bad(name, number, column, f"'{value}' is not a whole number of persons",
                   f"“{value}”不是人数（非负整数）")  # fmt: skip
    return int(text)


def _flag(value: str, number: int, name: str, column: str) -> bool:
    word = value.strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise _bad(name, number, column, f"'{value}' is not yes or no", f"“{value}”不是“是”或“否”")


def _located(exc: ValidationError, number: int, name: str) -> RegisterError:
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"] if isinstance(p, str)]
    column = _column(loc, err["type"])
    message = err["msg"].removeprefix("Value error, ")
    zh = field_error_zh(err["type"], err.get("ctx") or {})
    return _bad(name, number, column, message, zh or message)


def _column(loc: list[str], kind: str) -> str:
    if loc[:1] == ["recipient"] and len(loc) > 1:
        return f"recipient_{loc[1]}" if loc[1] in ("name", "country") else loc[1]
    if not loc and kind.startswith("persons_"):
        return "persons"
    return loc[0] if loc else "row"


def _bad(name: str, number: int, column: str, message: str, zh: str) -> RegisterError:
    return RegisterError(message, zh=zh, file=name, path=f"row {number}, column {column}")


# --- writing -----------------------------------------------------------------------------------


def grid(flows: Sequence[Flow], lang: Literal["en", "zh"] = "en") -> list[list[Cell]]:
    """The flows as rows under a header row of the English (or Chinese) column names."""
    header: list[Cell] = [en if lang == "en" else zh for en, zh, _ in COLUMNS]
    return [header, *(_cells(f) for f in flows)]


def _cells(flow: Flow) -> list[Cell]:
    data = flow.model_dump(mode="json")
    recipient = data.pop("recipient")
    out: list[Cell] = []
    for column, _, _ in COLUMNS:
        if column.startswith("recipient_"):
            value = recipient.get(column.removeprefix("recipient_"))
        elif column in FLAGS:
            value = "yes" if recipient.get(column) else "no"
        else:
            value = data.get(column)
        if isinstance(value, list):
            value = "; ".join(value)
        out.append("" if value is None else value)
    return out


def write_table(flows: Sequence[Flow], fmt: TableFormat, lang: Literal["en", "zh"] = "en") -> bytes:
    """The register as a file's bytes: CSV in UTF-8 with a BOM (Excel shows the Chinese), or
    XLSX; no cell is ever a live formula (`kuajing.spreadsheet`)."""
    rows = grid(flows, lang)
    if fmt == "csv":
        text = io.StringIO(newline="")
        write_csv(text, rows)
        return text.getvalue().encode("utf-8-sig")
    out = io.BytesIO()
    write_xlsx(out, rows, "数据出境登记簿" if lang == "zh" else "register")
    return out.getvalue()
