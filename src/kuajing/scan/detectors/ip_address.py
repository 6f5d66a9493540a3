"""IP address, version 4 or 6 (a personal identifier under PIPL when tied to a person).

IPv4 (RFC 791), in dotted-decimal text: four decimal numbers 0-255 separated by dots, without
leading zeros (010 is octal to some parsers, so it is refused, as Python's `ipaddress` does).
IPv6 (RFC 4291 §2.2): eight groups of 1-4 hex digits separated by colons, with one run of groups
compressed to "::" and optionally an IPv4 address as the last 32 bits; the regex is built from
the grammar of RFC 3986 §3.2.2. Zone identifiers (fe80::1%eth0), brackets, prefix lengths and
ports are not part of an address and are refused.

A timestamp (12:00:00) or MAC address (00:1a:2b:3c:4d:5e) is not an IPv6 address: too few
groups and no "::". Version strings with four parts up to 255 (1.2.3.4) cannot be told from an
IPv4 address; the column name is the scanner's other evidence.

Compact form: lower case (RFC 5952 §4.3); nothing else is changed.
"""

from __future__ import annotations

import re

import polars as pl

from kuajing.scan.detectors.base import fail

KIND = "ip_address"
PLAUSIBLE = r"^[0-9A-Fa-f:.]{2,}$"

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
IPV4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"


def _ipv6() -> str:
    """RFC 3986 IPv6address, one alternative per position of the "::"."""
    h = "[0-9a-f]{1,4}"
    ls32 = f"(?:{h}:{h}|{IPV4})"
    forms = [f"(?:{h}:){{6}}{ls32}", f"::(?:{h}:){{5}}{ls32}"]
    for before in range(7):  # up to `before` + 1 groups before the "::"
        head = f"(?:(?:{h}:){{0,{before}}}{h})?::"
        tail = {5: h, 6: ""}.get(before, f"(?:{h}:){{{4 - before}}}{ls32}")
        forms.append(head + tail)
    return "|".join(f"(?:{f})" for f in forms)


IPV6 = _ipv6()
_PATTERN = f"^(?:{IPV4}|{IPV6})$"


def compact(values: pl.Expr) -> pl.Expr:
    return values.str.to_lowercase()


def is_valid(values: pl.Expr) -> pl.Expr:
    return compact(values).str.contains(_PATTERN).fill_null(False)


def validate(value: str) -> str:
    v = str(pl.select(compact(pl.lit(value, dtype=pl.String))).item())
    if not v or len(v) > 45:
        raise fail(KIND, "length", f"{len(v)} characters; an address has 2 to 45")
    if re.fullmatch(_PATTERN, v):
        return v
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+){3}", v):
        raise fail(KIND, "component", "each number of an IPv4 address is 0-255, no leading zero")
    raise fail(KIND, "format", "dotted-decimal IPv4 or colon-hex IPv6")
