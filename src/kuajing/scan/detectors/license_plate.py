"""Motor vehicle number plate of mainland China (机动车号牌号码).

GA 36-2018 (《中华人民共和国机动车号牌》, Ministry of Public Security): the abbreviation of the
province (京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼),
the letter of the issuing office (A is usually the capital), then the serial, whose letters
never include I or O:

- ordinary plates: 5 letters or digits (京A12345, 沪AB1234);
- new-energy plates, 6 characters: small vehicles have D (battery electric) or F (other) first,
  then a letter or digit and 4 digits (粤BD12345); large vehicles 5 digits then D or F
  (粤B12345D). The other letters A-K (not I) are accepted in first place too: A, B, C, E for
  battery electric and G, H, J, K for the others, as offices added them when D and F ran out;
- plates with a character at the end: 4 letters or digits + 学 (driving school), 警 (police),
  挂 (trailer) or 领 (consulate, 沪A1234领); Hong Kong and Macao cross-border vehicles are 粤Z +
  4 + 港 or 澳;
- embassy plates: 使 and 6 digits, the country code and the serial (使224009), also written
  with 使 at the end.

Military and armed-police plates (a different system) and temporary plates are not accepted.
Compact form: no spaces, middle dots (京A·12345) or hyphens, upper case.
"""

from __future__ import annotations

import re

import polars as pl

from kuajing.scan.detectors.base import fail

KIND = "license_plate"

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLAUSIBLE = f"[{PROVINCES}使]"
_HEAD = f"[{PROVINCES}][A-HJ-Z]"
_S = "[A-HJ-NP-Z0-9]"  # a serial character
_SHAPES = (
    f"{_HEAD}{_S}{{5}}",  # ordinary
    f"{_HEAD}[A-HJK]{_S}[0-9]{{4}}",  # small new-energy vehicle
    f"{_HEAD}[0-9]{{5}}[DF]",  # large new-energy vehicle
    f"{_HEAD}{_S}{{4}}[学警挂领]",  # driving school, police, trailer, consulate
    f"粤Z{_S}{{4}}[港澳]",  # Hong Kong and Macao cross-border vehicles
    "使[0-9]{6}|[0-9]{6}使",  # embassy
)
_PATTERN = "^(?:" + "|".join(_SHAPES) + ")$"


def compact(values: pl.Expr) -> pl.Expr:
    return values.str.replace_all(r"[\s·•・∙.\-]", "").str.to_uppercase()


def is_valid(values: pl.Expr) -> pl.Expr:
    return compact(values).str.contains(_PATTERN).fill_null(False)


def validate(value: str) -> str:
    v = str(pl.select(compact(pl.lit(value, dtype=pl.String))).item())
    if len(v) not in (7, 8):
        raise fail(KIND, "length", f"{len(v)} characters; a plate has 7 (8 for new energy)")
    if re.fullmatch(_PATTERN, v):
        return v
    if v[0] not in PROVINCES and "使" not in v:
        raise fail(KIND, "component", f"{v[0]!r} is no province abbreviation")
    raise fail(KIND, "format", "province, office letter and a serial of the GA 36 forms")
