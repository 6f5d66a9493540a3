"""Strict loader of the calendar file. Every problem names the file, the line and the key path."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import ValidationError

from kuajing.workdays.calendar import WorkCalendar
from kuajing.workdays.checks import check
from kuajing.workdays.errors import CalendarError
from kuajing.workdays.models import CalendarData
from kuajing.yamlio import Document, format_path, parse
from kuajing.yamlio import Path as KeyPath

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
CALENDAR_FILE = RULES_DIR / "calendar" / "prc.yaml"


def load_calendar(path: Path | str = CALENDAR_FILE) -> WorkCalendar:
    """Read, validate and cross-check a calendar file. Raise `CalendarError` for the first
    problem found, naming the file (relative to the shipped rules when it is one of them), the
    line and the key path."""
    path = Path(path)
    label = _label(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise CalendarError("file is missing", file=label) from None
    except UnicodeDecodeError:
        raise CalendarError("file is not UTF-8", file=label) from None
    doc = parse(text, lambda msg, line: CalendarError(msg, file=label, line=line))
    try:
        data = CalendarData.model_validate(doc.data)
    except ValidationError as exc:
        raise _first(exc, label, doc) from None
    problem = next(check(data), None)
    if problem is not None:
        raise _at(label, doc, *problem)
    return WorkCalendar(data, label)


@cache
def default_calendar() -> WorkCalendar:
    """The calendar shipped with kuajing, loaded once per process."""
    return load_calendar(CALENDAR_FILE)


def _label(path: Path) -> str:
    try:
        return path.resolve().relative_to(RULES_DIR).as_posix()
    except ValueError:
        return str(path)


def _first(exc: ValidationError, label: str, doc: Document) -> CalendarError:
    err = exc.errors()[0]
    where = tuple(p for p in err["loc"] if isinstance(p, str | int))
    return _at(label, doc, where, err["msg"].removeprefix("Value error, "))


def _at(label: str, doc: Document, where: KeyPath, message: str) -> CalendarError:
    return CalendarError(
        message, file=label, line=doc.line_of(where), path=format_path(where), loc=where
    )
