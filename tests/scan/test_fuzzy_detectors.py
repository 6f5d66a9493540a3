"""The fuzzy detectors (gps_location, birth_date, person_name, address, medical, biometric)
beyond their corpora: the helpers the scanner uses, and `is_valid` agreeing with `validate` on
values of every kind at once."""

from __future__ import annotations

import datetime as dt
import importlib
from types import ModuleType

import polars as pl
import pytest

from kuajing.errors import InvalidValue
from kuajing.scan.detectors import biometric, birth_date, gps_location
from kuajing.scan.detectors.base import on_series

FUZZY = ("gps_location", "birth_date", "person_name", "address", "medical", "biometric")
MIXED = [
    "39.9042,116.4074",
    "116.481488,39.990464;116.481500,39.990470",
    "N39.9042 E116.4074",
    "39.9,116.4",
    "1990-01-31",
    "1990年1月31日",
    "2026-03-01 12:00:00",
    "1990-02-30",
    "张三",
    "阿依古丽·买买提",
    "北京市",
    "华为技术有限公司",
    "北京市朝阳区建国路88号",
    "建国路88号",
    "高血压",
    "阿莫西林胶囊 0.5g 每日3次",
    "E11.9",
    "无",
    "face/2024/0001.jpg",
    "product_001.jpg",
    "12345.67",
    "ORD20240301000123",
    "SKU-3921-BLK",
    "iPhone 15 Pro 256GB",
    "",
]


def _module(kind: str) -> ModuleType:
    return importlib.import_module(f"kuajing.scan.detectors.{kind}")


@pytest.mark.parametrize("kind", FUZZY)
def test_is_valid_agrees_with_validate(kind: str) -> None:
    module = _module(kind)
    found = on_series(module.is_valid, pl.Series("v", MIXED, dtype=pl.String)).to_list()
    for value, hit in zip(MIXED, found, strict=True):
        try:
            module.validate(value)
            passed = True
        except InvalidValue as error:
            assert error.kind == kind
            assert error.reason in ("length", "format", "component", "checksum")
            passed = False
        assert passed is hit, f"{kind}: is_valid({value!r}) is {hit}"


@pytest.mark.parametrize("kind", FUZZY)
def test_lazy_and_eager_agree(kind: str) -> None:
    module = _module(kind)
    frame = pl.DataFrame({"v": MIXED})
    eager = frame.select(module.is_valid(pl.col("v"))).to_series().to_list()
    lazy = frame.lazy().select(module.is_valid(pl.col("v"))).collect().to_series().to_list()
    assert eager == lazy


def test_only_tracks_are_tracks() -> None:

    values = pl.Series(
        ["39.9042,116.4074", "39.9042,116.4074|39.9050,116.4081", "39.9,116.4;39.9,116.5", None]
    )
    assert on_series(gps_location.track, values).to_list() == [False, True, False, False]


def test_parsed_dates() -> None:

    values = pl.Series(
        ["1990/1/31", "19900131", "2099-01-01", "1990-02-30", "2026-03-01 12:00", None]
    )
    assert on_series(birth_date.parsed, values).to_list() == [
        dt.date(1990, 1, 31),
        dt.date(1990, 1, 31),
        dt.date(2099, 1, 1),  # a date, though not a valid birth date
        None,
        None,
        None,
    ]


def test_today_is_a_valid_birth_date_and_tomorrow_is_not() -> None:

    today = dt.date.today()
    tomorrow = today + dt.timedelta(days=1)
    values = pl.Series([today.isoformat(), tomorrow.isoformat()])
    assert on_series(birth_date.is_valid, values).to_list() == [True, False]


def test_precision_boundary() -> None:

    values = pl.Series(
        ["39.9042,116.4074", "39.904,116.4074", "90.0000,180.0000", "90.0001,0.0001"]
    )
    assert on_series(gps_location.is_valid, values).to_list() == [True, False, True, False]


def test_long_base64_is_biometric_but_a_hex_digest_is_not() -> None:

    template = "QmlvbWV0cmljVGVtcGxhdGUx" * 6  # 144 characters of mixed-case base64
    digest = "ab12" * 32  # 128 lower-case hex digits
    values = pl.Series([template, digest, template[:100]])
    assert on_series(biometric.is_valid, values).to_list() == [True, False, False]
