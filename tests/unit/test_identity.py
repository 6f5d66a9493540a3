"""Normalising person identifiers: each rule with positive and negative examples, keys, speed."""

from __future__ import annotations

import time

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kuajing.ledger.identity import SEPARATOR, normalise, person_keys

# GB 11643-1999: weights of the 17 body digits, and the check character for each sum mod 11.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


def check_character(body: str) -> str:
    """Written out from the standard, independent of the code under test."""
    total = sum(int(digit) * weight for digit, weight in zip(body, WEIGHTS, strict=True))
    return CHECK[total % 11]


def one(value: str | None) -> str | None:
    result: str | None = normalise(pl.Series("v", [value], dtype=pl.String)).item()
    return result


# --- step 1: Unicode and white space ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Zhang  San ", "Zhang San"),  # stripped, runs collapsed, case kept
        ("张\u3000三", "张 三"),  # ideographic space
        ("Ｅ００１２３", "E00123"),  # full-width letters and digits
        ("ab\u200bc", "abc"),  # zero-width space copied from a web page
        ("a\tb\r\nc", "a b c"),
        ("A\x1fB", "A B"),  # the key separator cannot survive inside a value
        ("", None),
        ("   ", None),
        ("\u3000", None),
        (None, None),
        ("000123", "000123"),  # an employee number: leading zeros kept, not a phone
        ("E00123", "E00123"),
        ("01012345678", "01012345678"),  # digits without a separator: maybe an employee number
    ],
)
def test_clean_up(raw: str | None, expected: str | None) -> None:
    assert one(raw) == expected


# --- step 2: resident IDs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",
        "11010519491231002X",
        " 110105 19491231 002x ",
        "110105-19491231-002x",
        "１１０１０５１９４９１２３１００２ｘ",  # full-width, lower-case x
    ],
)
def test_resident_id_forms_meet(raw: str) -> None:
    assert one(raw) == "11010519491231002X"


def test_eighteen_digit_check_digit_is_not_validated_here() -> None:
    assert one("110105194912310021") == "110105194912310021"  # wrong check digit: kept


def test_fifteen_digit_id_becomes_eighteen_digits() -> None:
    # The example of GB 11643: 110105491231002 is 11010519491231002X in the new form.
    assert check_character("11010519491231002") == "X"
    assert one("110105491231002") == "11010519491231002X"
    # Worked by hand: 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+9*6+0*3+0*7+3*9+0*10+7*5+1*8+2*4+3*2
    # = 190, 190 mod 11 = 3, CHECK[3] = "9".
    assert one("110105900307123") == "110105199003071239"
    assert one("440301 850101 001") == "44030119850101001" + check_character("44030119850101001")


def test_fifteen_digit_conversion_covers_every_check_character() -> None:
    old = [f"320102850612{n:03d}" for n in range(100)]  # sums mod 11 take every value
    new = normalise(pl.Series("id", old)).to_list()
    expected = [f"32010219850612{n:03d}" for n in range(100)]
    expected = [body + check_character(body) for body in expected]
    assert new == expected
    assert {value[-1] for value in new} == set(CHECK)


@pytest.mark.parametrize(
    "raw",
    [
        "110105900230123",  # 30 February 1990
        "990105900307123",  # no such province
        "110105901307123",  # month 13
        "000000000000000",
    ],
)
def test_implausible_fifteen_digits_stay(raw: str) -> None:
    assert one(raw) == raw


@pytest.mark.parametrize(
    "raw", ["1101051949123100Y", "1101051949123100X2", "11010519491231002XX", "11010519491231002"]
)
def test_not_resident_ids(raw: str) -> None:
    assert one(raw) == raw


# --- step 3: e-mail ----------------------------------------------------------------------------


def test_email_lower_case() -> None:
    assert one(" Zhang.San@Example.COM ") == "zhang.san@example.com"
    assert one("ＡＢ@ＥＸＡＭＰＬＥ.ＣＮ") == "ab@example.cn"


@pytest.mark.parametrize("raw", ["Zhang@Example", "A B@Example.com", "A@B@Example.com", "@X.COM"])
def test_not_emails_keep_case(raw: str) -> None:
    assert one(raw) == raw


# --- step 4: phone numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "+8613812345678",
        "+86 138-1234-5678",
        "(+86) 138 1234 5678",
        "0086 13812345678",
        "8613812345678",
        "138.1234.5678",
        "１３８１２３４５６７８",
    ],
)
def test_mainland_mobiles(raw: str) -> None:
    assert one(raw) == "+8613812345678"


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "138123456789", "+8612812345678"])
def test_not_mobiles(raw: str) -> None:
    assert one(raw) != "+8613812345678"
    assert not (one(raw) or "").startswith("+861381234567")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("010-12345678", "+861012345678"),
        ("010 1234 5678", "+861012345678"),
        ("(010)12345678", "+861012345678"),
        ("+86 10 1234 5678", "+861012345678"),
        ("0086 10 1234 5678", "+861012345678"),
        ("+86 (0)10 1234 5678", "+861012345678"),
        ("(0755) 1234 5678", "+8675512345678"),
        ("0755-12345678", "+8675512345678"),
    ],
)
def test_mainland_landlines(raw: str, expected: str) -> None:
    assert one(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+44 (0)20 7946 0958", "+442079460958"),
        ("+1 (202) 555-0123", "+12025550123"),
        ("+999 1234 5678", "+99912345678"),  # not a valid number: kept as + and digits
    ],
)
def test_international_numbers(raw: str, expected: str) -> None:
    assert one(raw) == expected


@pytest.mark.parametrize("raw", ["+0 123 4567", "00 0123 4567", "+12", "0012"])
def test_not_international_numbers(raw: str) -> None:
    assert one(raw) == raw


# --- columns -----------------------------------------------------------------------------------


def test_column_shape_name_and_order() -> None:
    values = pl.Series("phone", ["13812345678", None, "a@B.cn", "000123"])
    out = normalise(values)
    assert out.name == "phone"
    assert out.dtype == pl.String
    assert out.to_list() == ["+8613812345678", None, "a@b.cn", "000123"]


def test_input_series_is_not_changed() -> None:
    values = pl.Series("v", ["13812345678"] * 10 + ["+44 20 7946 0958", "110105491231002"])
    before = values.to_list()
    normalise(values)
    assert values.to_list() == before


def test_non_string_and_empty_columns() -> None:
    assert normalise(pl.Series("n", [123, None])).to_list() == ["123", None]
    assert normalise(pl.Series("e", [], dtype=pl.String)).to_list() == []
    assert normalise(pl.Series("z", [None, None])).to_list() == [None, None]


@pytest.mark.parametrize("odd_share", [0.001, 0.2, 0.5, 1.0])
def test_mixed_columns_match_value_by_value(odd_share: float) -> None:
    """The cheap path for plain values and the full path for the rest agree, whatever the mix."""
    plain = ["11010519491231002x", "13812345678", "000123", "110105491231002", "E001"]
    odd = ["+44 20 7946 0958", "010-12345678", "A@B.CN", " 张三 ", "138 1234 5678"]
    count = 2000
    values = [
        odd[i % len(odd)] if i < count * odd_share else plain[i % len(plain)] for i in range(count)
    ]
    values = values[1::2] + values[::2]  # spread the odd values
    expected = [one(value) for value in plain + odd]
    lookup = dict(zip(plain + odd, expected, strict=True))
    assert normalise(pl.Series("v", values)).to_list() == [lookup[v] for v in values]


IDENTIFIERS = st.one_of(
    st.text(max_size=20),
    st.text(alphabet="0123456789Xx +-()@.", max_size=20),
    st.from_regex(r"\A(\+86 ?|0086|86)?1[3-9][0-9]{9}\Z"),
    st.from_regex(r"\A[0-9]{17}[0-9Xx]\Z"),
    st.from_regex(r"\A[1-6][0-9]{5}[0-9]{2}(0[1-9]|1[0-2])[0-3][0-9]{4}\Z"),
    st.from_regex(r"\A(\+|00)[1-9][0-9 ]{6,14}\Z"),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.none() | IDENTIFIERS, max_size=12))
def test_normalise_is_idempotent_and_per_value(values: list[str | None]) -> None:
    column = pl.Series("v", values, dtype=pl.String)
    once = normalise(column)
    assert once.to_list() == [one(value) for value in values]
    assert normalise(once).to_list() == once.to_list()
    assert all(SEPARATOR not in value for value in once.drop_nulls().to_list())


def test_speed_is_vectorised() -> None:
    """A million values in well under the time any per-value Python path would need."""
    values = pl.Series("v", [f"{i:018d}" for i in range(500_000)] + ["13812345678"] * 500_000)
    start = time.perf_counter()
    out = normalise(values)
    elapsed = time.perf_counter() - start
    assert out[500_000] == "+8613812345678"
    assert elapsed < 10, f"normalise took {elapsed:.1f} s for 1M values"


# --- person keys ------------------------------------------------------------------------------


def test_person_keys_join_normalised_columns_in_order() -> None:
    frame = pl.DataFrame(
        {
            "sfzh": ["11010519491231002x", None, None, "110105491231002"],
            "phone": ["138 1234 5678", None, "010-12345678", None],
            "extra": ["a", "b", "c", "d"],
        }
    )
    keys = person_keys(frame, ["phone", "sfzh"])
    assert keys.name == "key"
    assert keys.to_list() == [
        f"+8613812345678{SEPARATOR}11010519491231002X",
        None,  # every key column empty: nobody
        f"+861012345678{SEPARATOR}",
        f"{SEPARATOR}11010519491231002X",
    ]


def test_person_keys_meet_across_files_and_stay_apart() -> None:
    first = pl.DataFrame({"id": ["110105491231002"], "tel": ["+86 138-1234-5678"]})
    second = pl.DataFrame({"id": ["11010519491231002x"], "tel": ["13812345678"]})
    assert (
        person_keys(first, ["id", "tel"]).to_list() == person_keys(second, ["id", "tel"]).to_list()
    )
    # The separator inside a value must not let two different rows meet.
    left = pl.DataFrame({"a": [f"x{SEPARATOR}y"], "b": ["z"]})
    right = pl.DataFrame({"a": ["x"], "b": [f"y{SEPARATOR}z"]})
    assert person_keys(left, ["a", "b"]).item() != person_keys(right, ["a", "b"]).item()


def test_person_keys_single_column_and_blank_rows() -> None:
    frame = pl.DataFrame({"email": ["A@B.CN", "  ", None]})
    assert person_keys(frame, ["email"]).to_list() == ["a@b.cn", None, None]


def test_person_keys_rejects_bad_columns() -> None:
    frame = pl.DataFrame({"a": ["1"]})
    with pytest.raises(ValueError, match="at least one"):
        person_keys(frame, [])
    with pytest.raises(ValueError, match="'b'"):
        person_keys(frame, ["b"])
