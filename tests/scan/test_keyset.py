"""The person-key set counts exactly what a Python set of the keys counts, whichever mix of
resident IDs (kept as integers) and other keys (kept as text) the batches hold."""

from __future__ import annotations

import datetime as dt
import string

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from kuajing.scan.keyset import Keys, KeySet

RESIDENT_IDS = st.builds(
    lambda body, check: body + check,
    st.text(string.digits, min_size=17, max_size=17),
    st.sampled_from("0123456789X"),
)
# Near misses of the integer form: 17 or 19 characters, a lower-case x, letters, phone numbers.
OTHERS = st.one_of(
    st.text(string.digits + "Xx", min_size=16, max_size=19),
    st.text(string.ascii_letters + string.digits + "+@.\x1f", min_size=1, max_size=20),
)
BATCHES = st.lists(st.lists(st.one_of(RESIDENT_IDS, OTHERS), max_size=30), max_size=6)


@settings(max_examples=200, deadline=None)
@given(BATCHES)
def test_count_is_the_number_of_distinct_keys(batches: list[list[str]]) -> None:
    found = KeySet()
    for batch in batches:
        found.add(Keys.of(pl.Series(batch, dtype=pl.String)))
    assert found.count() == len({key for batch in batches for key in batch})


def test_an_id_ending_in_x_differs_from_every_digit_ending() -> None:
    body = "11010519491231002"
    keys = Keys.of(pl.Series([body + c for c in "0123456789X"] + [body + "X"]))
    assert keys.numbers.len() == 11 and keys.texts.len() == 0


def test_neighbouring_ids_stay_apart() -> None:
    # With a factor of 10 instead of 11, ...2X and ...30 would both be (body + 1) * 10.
    keys = ["11010519491231002X", "110105194912310030", "110105194912310029"]
    found = KeySet()
    found.add(Keys.of(pl.Series(keys)))
    assert found.count() == 3


@settings(max_examples=100, deadline=None)
@given(st.lists(RESIDENT_IDS, max_size=30), st.dates())
def test_born_after_reads_the_date_in_the_id(ids: list[str], day: dt.date) -> None:
    def born(key: str) -> dt.date | None:
        try:
            return dt.datetime.strptime(key[6:14], "%Y%m%d").date()
        except ValueError:
            return None  # no such day: nobody's birth date

    expected = {k for k in ids if (b := born(k)) is not None and b > day}
    found = Keys.of(pl.Series(ids, dtype=pl.String)).born_after(day)
    assert found.numbers.len() == len(expected) and found.texts.len() == 0


def test_a_short_date_is_not_read_as_an_early_year() -> None:
    # Digits 7-14 "09100011": month 00, no such day. Unpadded it parsed as 910-01-01.
    body = "00000009100011000"
    key = pl.Series([int(body) * 11], dtype=pl.Int64)
    assert Keys(key, pl.Series([], dtype=pl.String)).born_after(dt.date(1, 1, 1)).numbers.len() == 0
