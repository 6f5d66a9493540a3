"""Normalising person identifiers, so one person's identifier matches across files.

The same resident ID, phone number or e-mail address is written in many ways: full-width digits,
a lower-case check letter, the 15-digit first-generation ID, "+86 138-1234-5678" against
"13812345678". `normalise` maps each of these to one canonical string, column at a time, with
polars expressions; only rare subsets (old IDs, international numbers) leave the vectorised path.
Values that match no rule are kept as written, apart from Unicode and white-space clean-up, so
distinct identifiers stay distinct.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import polars as pl

SEPARATOR = "\x1f"

# Rule numbers, in order of precedence: the first rule that matches a value decides.
_PLAIN, _ID18, _ID15, _EMAIL, _MOBILE, _LANDLINE, _INTL = range(7)

_ID18_RE = r"^[0-9]{17}[0-9Xx]$"  # [0-9], not \d: \d would also match other scripts' digits
_ALNUM_RE = r"^[0-9A-Za-z]+$"  # values that need no clean-up and hold no separators
# A first-generation ID: a province code that issued them, then YYMMDD (the day-of-month is
# checked against the calendar later), then a 3-digit sequence. Anything else with 15 digits is
# left to the later rules: "008613812345678" is a phone number.
_ID15_RE = (
    r"^(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5])[0-9]{4}"
    r"[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}$"
)
_EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_MOBILE_RE = r"^(?:\+86|0086|86)?1[3-9][0-9]{9}$"  # the result is the last 11 digits
_INTL_RE = r"^(?:\+|00)[1-9][0-9]{6,14}$"  # country codes never start with 0
# A mainland landline with its trunk 0: area code 10, 2X or a three-digit code, then a 7- or
# 8-digit subscriber number. The separator or brackets are required: a bare "01012345678" may be
# an employee number.
_AREA_RE = r"0(?:10|2[0-9]|[3-9][0-9]{2})"
_LANDLINE_RE = rf"^(?:\({_AREA_RE}\) ?|{_AREA_RE}[ .\-])[0-9]{{3,4}}[ .\-]?[0-9]{{4}}$"

# GB 11643: weights of the first 17 digits, and the check character for sum mod 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def normalise(values: pl.Series) -> pl.Series:
    """One column of identifiers in, the normalised String column out; nulls stay null."""
    text = values if values.dtype == pl.String else values.cast(pl.String)
    if text.str.contains(_ID18_RE).all():  # a clean resident-ID column: only x to upper-case
        return text.str.replace("x", "X", literal=True).alias(values.name)
    # Most identifiers are ASCII letters and digits only: nothing to clean, no separators, no
    # e-mail, so a cheaper path suffices for them. The full path is right for every value.
    odd = text.str.contains(_ALNUM_RE).not_().arg_true()
    if len(odd) > len(text) // 4:
        return _normalised(text, simple=False).alias(values.name)
    out = _normalised(text, simple=True)  # wrong only at the odd rows, mended next
    if len(odd):
        # Scattering a few rows into a computed column is cheap; building one from parts is not.
        out = out.clone().scatter(odd, _normalised(text.gather(odd), simple=False))
    return out.alias(values.name)


def person_keys(frame: pl.DataFrame, columns: Sequence[str]) -> pl.Series:
    """The normalised key columns of each row joined by `SEPARATOR`, named "key".

    A row whose key columns are all empty is null: it identifies nobody. `SEPARATOR` cannot occur
    inside a normalised value (control characters become spaces), so the join is unambiguous.
    """
    names = [columns] if isinstance(columns, str) else list(columns)
    if not names:
        raise ValueError("person_keys needs at least one key column")
    missing = [c for c in names if c not in frame.columns]
    if missing:
        raise ValueError(f"no column {missing[0]!r} in the frame")
    parts = pl.DataFrame(
        [normalise(frame.get_column(c)).alias(f"p{i}") for i, c in enumerate(names)]
    )
    joined = pl.concat_str([pl.col(p).fill_null("") for p in parts.columns], separator=SEPARATOR)
    key = pl.when(pl.all_horizontal(pl.all().is_null())).then(None).otherwise(joined)
    return parts.select(key.alias("key")).get_column("key")


def _cleaned(text: pl.Series) -> pl.Series:
    """Step 1: NFKC, invisible characters out, white-space runs to one space, stripped; "" null."""
    # ASCII text is already NFKC and has no invisible characters; NFKC is the costliest step.
    wide = text.str.len_bytes() != text.str.len_chars()
    text = _apply(text, wide, text, _nfkc)
    value = pl.col("value")
    return (
        text.to_frame("value")
        .lazy()
        .select(value.str.replace_all(r"[\s\p{Cc}]+", " ").str.strip_chars(" "))
        .select(pl.when(value != "").then(value))
        .collect()
        .to_series()
    )


def _nfkc(text: pl.Series) -> pl.Series:
    invisible = r"[\u200b-\u200d\u2060\ufeff]"  # zero-width characters copied in from the web
    # Removed first: between two characters they would keep NFKC from composing them.
    return text.str.replace_all(invisible, "").str.normalize("NFKC")


def _normalised(text: pl.Series, *, simple: bool) -> pl.Series:
    frame = _classified(text if simple else _cleaned(text), simple=simple)
    out = frame.get_column("out")
    rule = frame.get_column("rule")
    out = _apply(out, rule == _INTL, frame.get_column("phone"), _international)
    return _apply(out, rule == _ID15, frame.get_column("compact"), _first_generation)


def _classified(cleaned: pl.Series, *, simple: bool) -> pl.DataFrame:
    """Columns: the rule of each cleaned value, its result ("out") and the compact forms.

    Only regex matches run over the whole column; results come from literal replacements and
    slices, as capturing groups cost several times a match. A `simple` column (ASCII letters and
    digits) has no separators to remove and can hold no e-mail address or written-out landline.
    """
    base, compact, phone = pl.col("base"), pl.col("compact"), pl.col("phone")
    tests = [
        (compact.str.contains(_ID18_RE), _ID18),
        (compact.str.contains(_ID15_RE), _ID15),
        (base.str.contains(_EMAIL_RE), _EMAIL),
        (phone.str.contains(_MOBILE_RE), _MOBILE),
        (base.str.contains(_LANDLINE_RE), _LANDLINE),
        (phone.str.contains(_INTL_RE), _INTL),
    ]
    results = {
        _ID18: compact.str.replace("x", "X", literal=True),  # x can only be the last character
        _EMAIL: base.str.to_lowercase(),
        _MOBILE: pl.lit("+86") + phone.str.slice(-11),
        _LANDLINE: pl.lit("+86") + phone.str.slice(1),  # without the trunk 0
    }
    if simple:
        tests = [(test, r) for test, r in tests if r not in (_EMAIL, _LANDLINE)]
    classify: pl.Expr = pl.lit(_PLAIN)  # also for nulls: a test on null is not true
    for test, r in reversed(tests):
        classify = pl.when(test).then(r).otherwise(classify)
    rule = pl.col("rule")
    out: pl.Expr = base
    for r, result in results.items():
        if any(r == t for _, t in tests):
            out = pl.when(rule == r).then(result).otherwise(out)
    forms = (
        [base.alias("compact"), base.alias("phone")]
        if simple
        else [
            base.str.replace_all(r"[ \-]", "").alias("compact"),
            base.str.replace_all(r"[ \-.()]", "").alias("phone"),
        ]
    )
    return (
        cleaned.to_frame("base")
        .lazy()
        .with_columns(forms)
        .with_columns(classify.cast(pl.Int8).alias("rule"))
        .select(out.alias("out"), rule, compact, phone)
        .collect()
    )


def _apply(
    out: pl.Series, where: pl.Series, source: pl.Series, convert: Callable[[pl.Series], pl.Series]
) -> pl.Series:
    """`out` with `convert(source)` where `where` holds, except where `convert` returns null."""
    rows = where.arg_true()
    if rows.is_empty():
        return out
    new = convert(source.gather(rows))
    keep = new.is_not_null()
    if not keep.any():
        return out
    # clone: scatter works in place, and `out` may be the caller's series
    return out.clone().scatter(rows.filter(keep), new.filter(keep))


def _first_generation(ids: pl.Series) -> pl.Series:
    """15-digit first-generation IDs to 18 digits; null where the value is not a plausible ID.

    `_ID15_RE` has checked the province code and the shape of the date; here the date must exist
    (no 19900230). "19" goes before the year and the GB 11643 MOD 11-2 check character after.
    """
    body = pl.col("id").str.slice(0, 6) + "19" + pl.col("id").str.slice(6)
    total = pl.sum_horizontal(
        [body.str.slice(i, 1).cast(pl.Int32) * weight for i, weight in enumerate(_WEIGHTS)]
    )
    check = (total % 11).replace_strict(dict(enumerate(_CHECK)), return_dtype=pl.String)
    born = ("19" + pl.col("id").str.slice(6, 6)).str.to_date("%Y%m%d", strict=False)
    upgraded = pl.when(born.is_not_null()).then(body + check)
    return ids.to_frame("id").select(upgraded.alias("id")).get_column("id")


def _international(phones: pl.Series) -> pl.Series:
    """ "+" or "00" numbers to E.164 with `phonenumbers`, once per distinct value."""
    distinct = phones.unique()
    e164 = [_e164(p) for p in distinct.to_list()]
    return phones.replace_strict(distinct, pl.Series(e164, dtype=pl.String))


def _e164(phone: str) -> str:
    # Imported here: its metadata takes a while to load, and most data has no such numbers.
    import phonenumbers  # noqa: PLC0415

    digits = phone[1:] if phone.startswith("+") else phone[2:]
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return "+" + digits
    if not phonenumbers.is_valid_number(number):
        return "+" + digits
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
