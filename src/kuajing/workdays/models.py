"""The calendar data as typed, immutable values: one `Notice` per year with its holidays and
make-up working days, and the Civil Code rules for counting a period."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from kuajing.catalog.base import Confidence, Strict, Text

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    # Only YYYY-MM-DD text: pydantic alone would also take a number as a Unix timestamp.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        return value.strip()
    raise ValueError("expected a date written YYYY-MM-DD")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Url = Annotated[str, Field(pattern=r"^https?://\S+$")]


class Holiday(Strict):
    """One holiday of the notice: the days off `first`..`last` (inclusive, as the notice states
    them, weekend days inside the range included) and the weekend days the notice makes working
    days to compensate (调休上班)."""

    name: Text
    first: IsoDate
    last: IsoDate
    make_up: tuple[IsoDate, ...] = ()
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Holiday:
        if self.last < self.first:
            raise ValueError(f"'last' {self.last} is before 'first' {self.first}")
        return self

    def days(self) -> Iterator[dt.date]:
        """Every day off of the holiday, in order."""
        for offset in range((self.last - self.first).days + 1):
            yield self.first + dt.timedelta(days=offset)


class Notice(Strict):
    """The State Council General Office notice for one year and the days it sets."""

    year: int = Field(ge=1999, le=2100)
    title: Text
    doc_no: str | None = None  # only when seen on the notice itself
    issued: IsoDate
    url: Url
    confidence: Confidence
    note: str | None = None
    holidays: tuple[Holiday, ...] = Field(min_length=1)


class Law(Strict):
    title: Text
    issuer: Text
    adopted: IsoDate
    in_force: IsoDate
    url: Url


class Article(Strict):
    article: Text
    text: Text
    confidence: Confidence


class Application(Strict):
    """How the articles are applied to working-day limits, graded on its own: the text of a
    law can be certain while its application to another field is only the common reading."""

    text: Text
    confidence: Confidence
    note: str | None = None


class Counting(Strict):
    """The Civil Code rules for counting a period (Arts 201-203)."""

    law: Law
    articles: tuple[Article, ...] = Field(min_length=1)
    application: Application


class CalendarData(Strict):
    """The whole calendar file."""

    known_from: int
    known_through: int
    last_reviewed_on: IsoDate
    counting: Counting
    notices: tuple[Notice, ...] = Field(min_length=1)
