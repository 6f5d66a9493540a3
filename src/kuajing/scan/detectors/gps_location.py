"""Precise location: a latitude/longitude pair (WGS-84, GCJ-02 or BD-09 alike) in one value.

Accepted forms, each for one point:

- ``39.9042,116.4074`` and ``39.9042 116.4074``, optionally in brackets: latitude first;
- ``116.4074,39.9042``: longitude first, as Chinese map APIs write it, taken only when the first
  number cannot be a latitude (its whole part is 91-180) and the second can;
- ``POINT(116.4074 39.9042)`` (WKT, longitude first), optionally after ``SRID=4326;``;
- ``N39.9042 E116.4074``, ``39.9042N, 116.4074E``, ``北纬39.9042° 东经116.4074°``
  (S and W, 南纬 and 西经 give negative numbers).

A track is several ``lat,lon`` (or ``lng,lat``) pairs in one value, separated by ``;`` or ``|``
(as map APIs write polylines); it counts as this kind too, and `track` tells it apart. `compact`
writes ``lat,lon`` with the numbers as written (a track: the points joined by ``;``).

Both numbers need at least 4 decimal places: 0.0001 degree is about 11 m, the precision that
locates a person's home or whereabouts. Coarser pairs (``39.9,116.4``) name a district or a city
and are not precise location. The latitude must lie in [-90, 90], the longitude in [-180, 180],
and ``0.0000,0.0000`` (the usual placeholder for "no fix") is not a location. A single number
is never this kind: a latitude or a longitude column alone is too ambiguous, and the scanner
judges it by its column name. Degrees-minutes-seconds and WKT LINESTRING are not recognised.
"""

from __future__ import annotations

import re

import polars as pl

from kuajing.scan.detectors.base import fail, once

KIND = "gps_location"
PLAUSIBLE = r"\.\d{4}"

_NUM = r"-?\d+(?:\.\d+)?"
_PREPARE = {"北纬": "N", "南纬": "S", "东经": "E", "西经": "W", "°": "", "+": "", "|": ";"}
# One point in any form: WKT (groups lon, lat), or a pair with optional hemisphere letters
# before or after each number (groups h, lat, h, h, lon, h).
_POINT = (
    rf"^(?:(?:SRID=\d+;)?POINT\s*\(\s*({_NUM})\s+({_NUM})\s*\)"
    rf"|[(\[]?\s*([NS])?\s*({_NUM})\s*([NS])?\s*(?:,|\s)\s*([EW])?\s*({_NUM})\s*([EW])?\s*[)\]]?)$"
)
_SPACES = {" ": "", "\t": ""}
_PAIRS = rf"^{_NUM},{_NUM}(?:;{_NUM},{_NUM})*$"
_LON_FIRST = r"(^|;)(-?(?:9[1-9]|1[0-7]\d|180)\.\d+),(-?\d{1,2}\.\d+)\b"
# The compact form of a pair: numbers without leading zeros. Precise and in range: below.
_SHAPE = r"-?(?:0|[1-9]\d*)(?:\.\d+)?,-?(?:0|[1-9]\d*)(?:\.\d+)?"
_LAT = r"-?(?:[1-8]?\d\.\d{4,}|90\.0{4,})"
_LON = r"-?(?:(?:1[0-7]\d|[1-9]?\d)\.\d{4,}|180\.0{4,})"
_TRACK = rf"^{_LAT},{_LON}(?:;{_LAT},{_LON})*$"
_NOWHERE = r"(?:^|;)-?0\.0+,-?0\.0+(?:;|$)"
_PRECISION = 4


def _signed(number: pl.Expr, *letters: pl.Expr) -> pl.Expr:
    negative = pl.any_horizontal([letter.is_in(["S", "W"]) for letter in letters])
    return pl.when(negative.fill_null(False)).then("-" + number).otherwise(number)


def _point(v: pl.Expr) -> pl.Expr:
    """A value holding one point as ``lat,lon`` (null where no form fits)."""
    f = pl.field
    lat = pl.coalesce(f("2"), _signed(f("4"), f("3"), f("5")))
    lon = pl.coalesce(f("1"), _signed(f("7"), f("6"), f("8")))
    pair = pl.concat_str([lat, lon], separator=",").alias("pair")
    return v.str.extract_groups(_POINT).struct.with_fields(pair).struct.field("pair")


def _track(v: pl.Expr) -> pl.Expr:
    """Pairs as written, else one point in any form; then longitude-first pairs turned."""
    points = v.str.replace_many(_SPACES).str.strip_chars(";")
    either = pl.struct(v.alias("v"), points.alias("points")).struct.with_fields(
        # the slow extraction only where the value is not plain pairs already
        pl.coalesce(
            _point(pl.when(~pl.field("points").str.contains(_PAIRS)).then(pl.field("v"))),
            pl.field("points"),
        ).alias("out")
    )
    return either.struct.field("out").str.replace_all(_LON_FIRST, "${1}${3},${2}")


def compact(values: pl.Expr) -> pl.Expr:
    prepared = values.str.strip_chars().str.to_uppercase().str.replace_many(_PREPARE)
    return once(prepared, _track)


def _valid(v: pl.Expr) -> pl.Expr:
    return v.str.contains(_TRACK) & ~v.str.contains(_NOWHERE)


def is_valid(values: pl.Expr) -> pl.Expr:
    return once(compact(values), _valid).fill_null(False)


def track(values: pl.Expr) -> pl.Expr:
    """True where a value is a valid track: more than one point."""
    several = once(compact(values), lambda v: _valid(v) & v.str.contains(";", literal=True))
    return several.fill_null(False)


def validate(value: str) -> str:
    v = pl.select(compact(pl.lit(value, dtype=pl.String))).item()
    if not v:
        raise fail(KIND, "length", "an empty value is no location")
    for pair in v.split(";"):
        if not re.fullmatch(_SHAPE, pair):
            raise fail(KIND, "format", f"{pair!r} is not a latitude/longitude pair")
        lat, lon = pair.split(",")
        if min(_decimals(lat), _decimals(lon)) < _PRECISION:
            raise fail(KIND, "component", f"{pair}: under 4 decimal places is not precise")
        if abs(float(lat)) > 90 or abs(float(lon)) > 180:
            raise fail(KIND, "component", f"{pair}: latitude or longitude out of range")
        if float(lat) == 0 and float(lon) == 0:
            raise fail(KIND, "component", "0,0 is the placeholder for no position")
    return str(v)


def _decimals(number: str) -> int:
    return len(number.partition(".")[2])
