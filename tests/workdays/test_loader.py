"""A malformed calendar file is refused with one error that names the file, the line and the
key path, so that whoever edits the data can find the mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuajing.workdays import CALENDAR_FILE, CalendarError, load_calendar


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    dest = tmp_path / "prc.yaml"
    dest.write_bytes(CALENDAR_FILE.read_bytes())
    return dest


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the one occurrence of `old`; return the line where it started."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture text not found once: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _error(path: Path) -> CalendarError:
    with pytest.raises(CalendarError) as info:
        load_calendar(path)
    return info.value


def test_the_shipped_file_loads_and_is_named_relative_to_the_rules() -> None:
    assert load_calendar().source == "calendar/prc.yaml"


def test_a_make_up_day_on_a_wednesday_is_refused(copy: Path) -> None:
    line = _edit(copy, "make_up: [2026-05-09]", "make_up: [2026-05-06]")
    err = _error(copy)
    assert (err.file, err.line) == (str(copy), line)
    assert err.path == "notices[2].holidays[3].make_up[0]"
    assert str(err) == (
        f"{copy}:{line}: notices[2].holidays[3].make_up[0]: make-up working day 2026-05-06 "
        "is a Wednesday: only a weekend day can be one"
    )


def test_an_unknown_key_is_refused(copy: Path) -> None:
    line = _edit(
        copy, "    doc_no: 国办发明电〔2024〕12号\n", "    doc_number: 国办发明电〔2024〕12号\n"
    )
    err = _error(copy)
    assert (err.file, err.line) == (str(copy), line)
    assert "doc_number" in str(err) and "Extra inputs are not permitted" in str(err)


def test_a_duplicate_key_is_refused(copy: Path) -> None:
    line = _edit(
        copy, "    issued: 2025-11-04\n", "    issued: 2025-11-04\n    issued: 2025-11-05\n"
    )
    err = _error(copy)
    assert (err.file, err.line) == (str(copy), line + 1)
    assert "duplicate key 'notices[2].issued'" in str(err)


def test_a_date_must_be_written_in_full(copy: Path) -> None:
    line = _edit(copy, "    issued: 2025-11-04\n", "    issued: 20251104\n")
    err = _error(copy)
    assert err.line == line and "expected a date written YYYY-MM-DD" in str(err)


def test_a_make_up_day_inside_a_holiday_is_refused(copy: Path) -> None:
    line = _edit(copy, "make_up: [2026-02-14, 2026-02-28]", "make_up: [2026-02-15, 2026-02-28]")
    err = _error(copy)
    assert err.line == line and "2026-02-15 is inside a holiday" in str(err)


def test_a_make_up_day_in_another_year_is_refused(copy: Path) -> None:
    line = _edit(copy, "make_up: [2026-01-04]", "make_up: [2025-01-04]")
    err = _error(copy)
    assert err.line == line and "2025-01-04 is not inside 2026" in str(err)


def test_a_holiday_outside_its_year_is_refused(copy: Path) -> None:
    line = _edit(copy, "first: 2026-01-01", "first: 2025-12-31")
    err = _error(copy)
    assert err.line == line and "元旦 is not inside 2026" in str(err)


def test_overlapping_holidays_are_refused(copy: Path) -> None:
    line = _edit(copy, "first: 2026-06-19", "first: 2026-05-05")
    err = _error(copy)
    assert err.line == line and "端午节 overlaps another on 2026-05-05" in str(err)


def test_a_holiday_ending_before_it_starts_is_refused(copy: Path) -> None:
    _edit(copy, "last: 2026-06-21", "last: 2026-06-18")
    assert "'last' 2026-06-18 is before 'first' 2026-06-19" in str(_error(copy))


def test_a_gap_in_the_years_is_refused(copy: Path) -> None:
    line = _edit(copy, "  - year: 2025\n", "  - year: 2027\n")
    err = _error(copy)
    assert err.line == line and "expected the notice for 2025 here" in str(err)


def test_known_through_needs_a_notice_for_every_year(copy: Path) -> None:
    line = _edit(copy, "known_through: 2026", "known_through: 2027")
    err = _error(copy)
    assert err.line == line and "known_through is 2027 but the notices run to 2026" in str(err)


def test_a_confidence_grade_is_required(copy: Path) -> None:
    _edit(
        copy,
        "    confidence: H\n    note: Xinhua text as carried by gmw.cn. Document",
        "    note: Xinhua text as carried by gmw.cn. Document",
    )
    err = _error(copy)
    assert err.path == "notices[2].confidence" and "Field required" in str(err)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    err = _error(tmp_path / "none.yaml")
    assert err.file == str(tmp_path / "none.yaml") and "file is missing" in str(err)


def test_yaml_syntax_errors_name_the_line(copy: Path) -> None:
    line = _edit(copy, "known_from: 2024\n", "known_from: [2024\n")
    err = _error(copy)
    assert err.file == str(copy) and err.line is not None and err.line >= line
    assert "YAML syntax error" in str(err)
