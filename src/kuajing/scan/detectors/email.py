"""E-mail address.

local-part@domain (RFC 5322 addr-spec), checked with a practical subset: the local part is a
dot-atom (atext characters separated by single dots; quoted strings and comments, legal but never
seen in data, are refused), at most 64 characters, the whole address at most 254 (RFC 5321);
the domain is two or more DNS labels (RFC 1035: letters, digits and inner hyphens, 1-63
characters each) ending in an alphabetic or punycode (xn--) top-level domain, so addresses at a
bare host (user@localhost) or an IP literal are refused. Only ASCII addresses are accepted: an
internationalised address (RFC 6531) is rare in data and its Unicode letters would make the
pattern loose. Image names written for high-density screens (icon@2x.png) are refused by
their file extension, which no top-level domain uses.

Compact form: the domain in lower case (domains are case-insensitive; the local part is kept as
written, since its case may matter to the receiving server).
"""

from __future__ import annotations

import re

import polars as pl

from kuajing.scan.detectors.base import fail, once

KIND = "email"
PLAUSIBLE = "@"

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = rf"{_ATEXT}(?:\.{_ATEXT})*"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = rf"(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})"
_FILES = r"\.(?:png|jpe?g|gif|svg|webp|bmp|ico|tiff?)$"  # image@2x.png and the like
_SPLIT = r"^(.*)@([^@]*)$"


def compact(values: pl.Expr) -> pl.Expr:
    local = values.str.extract(_SPLIT, 1)
    domain = values.str.extract(_SPLIT, 2).str.to_lowercase()
    return pl.coalesce(local + "@" + domain, values)


def is_valid(values: pl.Expr) -> pl.Expr:
    return once(values.str.extract_groups(_SPLIT), _valid).fill_null(False)


def _valid(parts: pl.Expr) -> pl.Expr:
    local, domain = parts.struct.field("1"), parts.struct.field("2").str.to_lowercase()
    return (
        (local.str.len_chars() + 1 + domain.str.len_chars() <= 254)
        & (local.str.len_chars() <= 64)
        & local.str.contains(f"^(?:{_LOCAL})$")
        & domain.str.contains(f"^(?:{_DOMAIN})$")
        & ~domain.str.contains(_FILES)
    )


def validate(value: str) -> str:
    v = str(pl.select(compact(pl.lit(value, dtype=pl.String))).item())
    parts = re.fullmatch(_SPLIT, v)
    if not v or len(v) > 254:
        raise fail(KIND, "length", f"{len(v)} characters; an address has 3 to 254")
    if parts is None or not re.fullmatch(_LOCAL, parts[1]):
        raise fail(KIND, "format", "local-part@domain, the local part dot-separated atoms")
    if len(parts[1]) > 64:
        raise fail(KIND, "length", "the local part has more than 64 characters")
    if not re.fullmatch(_DOMAIN, parts[2]) or re.search(_FILES, parts[2]):
        raise fail(KIND, "component", f"{parts[2]!r} is not a domain name")
    return v
