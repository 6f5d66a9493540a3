"""The calendar cites the State Council notice of every year it knows, and no other year."""

from __future__ import annotations

import datetime as dt

import pytest

from kuajing.workdays import CalendarError, default_calendar


def test_the_calendar_knows_2024_to_2026_and_not_2027() -> None:
    cal = default_calendar()
    assert (cal.known_from, cal.known_through) == (2024, 2026)
    assert [n.year for n in cal.notices] == [2024, 2025, 2026]
    assert cal.is_known(dt.date(2026, 12, 31))
    assert not cal.is_known(dt.date(2027, 1, 1))
    assert not cal.is_known(dt.date(2023, 12, 31))


def test_each_notice_is_cited_with_its_issue_date_and_grade() -> None:
    cal = default_calendar()
    assert cal.notice(2024).doc_no == "国办发明电〔2023〕7号"
    assert cal.notice(2024).issued == dt.date(2023, 10, 25)
    assert cal.notice(2025).doc_no == "国办发明电〔2024〕12号"
    assert cal.notice(2025).issued == dt.date(2024, 11, 12)
    # The 2026 document number was not verified, so the calendar leaves it out.
    assert cal.notice(2026).doc_no is None
    assert cal.notice(2026).issued == dt.date(2025, 11, 4)
    for notice in cal.notices:
        assert notice.title.zh == f"国务院办公厅关于{notice.year}年部分节假日安排的通知"
        assert notice.url.startswith("https://")
        assert notice.confidence == "H"


def test_a_year_without_a_notice_has_none() -> None:
    with pytest.raises(CalendarError, match="no State Council holiday notice for 2027"):
        default_calendar().notice(2027)


def test_civil_code_articles_201_to_203_are_cited() -> None:
    counting = default_calendar().counting
    assert counting.law.title.zh == "中华人民共和国民法典"
    assert [a.article.zh for a in counting.articles] == [
        "第二百零一条第一款",
        "第二百零二条",
        "第二百零三条",
    ]
    assert "开始的当日不计入" in counting.articles[0].text.zh
    assert all(a.confidence == "H" for a in counting.articles)
    # Applying the Civil Code to the CAC's working-day limits is the common reading only.
    assert counting.application.confidence == "M"


def test_holiday_names_in_both_languages() -> None:
    cal = default_calendar()
    assert cal.holiday_name(dt.date(2026, 2, 17), "zh") == "春节"
    assert cal.holiday_name(dt.date(2026, 2, 17), "en") == "Spring Festival"
    assert cal.holiday_name(dt.date(2025, 10, 6), "zh") == "国庆节、中秋节"
    assert cal.holiday_name(dt.date(2026, 2, 14), "zh") is None  # a make-up working day
    assert cal.holiday_name(dt.date(2026, 3, 4), "en") is None
    assert cal.holiday_name(dt.date(2027, 2, 8), "en") is None  # no notice for 2027


def test_outside_the_known_years_monday_to_friday_are_working_days() -> None:
    cal = default_calendar()
    assert cal.is_working_day(dt.date(2027, 1, 1))  # a Friday; surely a holiday, not yet known
    assert not cal.is_working_day(dt.date(2027, 1, 2))  # a Saturday
    assert cal.is_working_day(dt.date(2023, 12, 29))  # a Friday
