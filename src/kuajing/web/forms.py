"""What the pages' forms share."""

from __future__ import annotations

import datetime as dt

from kuajing.lang import Lang
from kuajing.web.i18n import t

EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2999, 12, 31)  # dates a form accepts


def form_day(
    value: str, lang: Lang, bad: str = "filing_bad_date"
) -> tuple[dt.date | None, str | None]:
    """The form's date (today when blank), or the message (phrase `bad`) saying why it is not
    one."""
    if not value.strip():
        return dt.date.today(), None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        return None, t(bad, lang, value=value)
    if not EARLIEST <= day <= LATEST:
        return None, t(bad, lang, value=value)
    return day, None
