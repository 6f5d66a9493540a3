"""Property tests of the identifier detectors: check digits computed for random bodies are
accepted and one altered character is refused; the vectorised `is_valid` and the one-value
`validate` agree on near misses of every corpus value, and no valid one escapes `PLAUSIBLE`;
IP addresses agree with `ipaddress`."""

from __future__ import annotations

import ipaddress
import re
import string
from pathlib import Path
from typing import Any

import phonenumbers
import polars as pl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kuajing.errors import InvalidValue
from kuajing.scan.detectors import KINDS as ALL_KINDS
from kuajing.scan.detectors import (
    bank_card,
    detector,
    ip_address,
    mobile_phone,
    organization_code,
    vin,
)
from kuajing.scan.detectors.base import on_series
from tests.scan.synth import credit_code

KINDS = (
    "passport",
    "hk_macau_permit",
    "taiwan_permit",
    "mobile_phone",
    "landline_phone",
    "email",
    "bank_card",
    "organization_code",
    "vin",
    "license_plate",
    "ip_address",
)
CORPUS = Path(__file__).parent / "corpus"
NOISE = string.digits + string.ascii_letters + " -.:@()+·京粤使学X"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _valid(kind: str) -> list[str]:
    data: dict[str, Any] = yaml.safe_load((CORPUS / f"{kind}.yaml").read_text(encoding="utf-8"))
    return [i["value"] if isinstance(i, dict) else i for i in data["valid"]]


def _hits(function: Any, values: list[str]) -> list[bool]:
    result: list[bool] = on_series(function, pl.Series("v", values, dtype=pl.String)).to_list()
    return result


def _altered(value: str, position: int, replacement: str) -> str:
    """`value` with the character at `position` replaced (a different character)."""
    i = position % len(value)
    return value[:i] + replacement + value[i + 1 :]


@st.composite
def near_misses(draw: st.DrawFn, kind: str) -> str:
    """A corpus value of `kind` with a few characters replaced, inserted or deleted."""
    value = draw(st.sampled_from(_valid(kind)))
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(value)))
        c = draw(st.sampled_from(NOISE))
        edits = {
            "insert": value[:i] + c + value[i:],
            "replace": value[:i] + c + value[i + 1 :],
            "delete": value[:i] + value[i + 1 :],
        }
        value = edits[draw(st.sampled_from(sorted(edits)))]
    return value


@pytest.mark.parametrize("kind", KINDS)
@SETTINGS
@given(data=st.data())
def test_is_valid_and_validate_agree(kind: str, data: st.DataObject) -> None:
    module = detector(kind)
    values = data.draw(st.lists(near_misses(kind), min_size=1, max_size=20))
    compacted = on_series(module.compact, pl.Series("v", values, dtype=pl.String)).to_list()
    for value, hit, compact in zip(values, _hits(module.is_valid, values), compacted, strict=True):
        try:
            result = module.validate(value)
        except InvalidValue as error:
            assert not hit, f"is_valid({value!r}) but validate says {error.reason}"
            assert error.reason in {"length", "format", "component", "checksum"}
        else:
            assert hit, f"validate({value!r}) passes but is_valid is false"
            assert result == compact


@pytest.mark.parametrize("kind", ALL_KINDS)
@SETTINGS
@given(data=st.data())
def test_every_valid_value_is_plausible(kind: str, data: st.DataObject) -> None:
    """The scanner skips values PLAUSIBLE does not match: none of them may be valid."""
    module = detector(kind)
    values = [v.strip() for v in data.draw(st.lists(near_misses(kind), min_size=1, max_size=20))]
    plausible = pl.Series(values, dtype=pl.String).str.contains(module.PLAUSIBLE).to_list()
    for value, hit, shaped in zip(values, _hits(module.is_valid, values), plausible, strict=True):
        assert shaped or not hit, f"{value!r} is valid but not PLAUSIBLE"


USCC_BODY = st.text(organization_code.CHARSET, min_size=8, max_size=8)


@SETTINGS
@given(
    head=st.sampled_from(["91110108", "92440300", "12100000", "52310000", "Y1650100"]),
    body=USCC_BODY,
    position=st.integers(0, 17),
    replacement=st.sampled_from(organization_code.CHARSET),
)
def test_credit_code_check_characters(
    head: str, body: str, position: int, replacement: str
) -> None:
    code = credit_code(head, body)
    altered = _altered(code, position, replacement)
    assert organization_code.validate(code) == code
    hits = _hits(organization_code.is_valid, [code, altered])
    assert hits == [True, altered == code]


VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


@SETTINGS
@given(
    wmi=st.sampled_from(["LSV", "LFV", "LGB", "1HG", "5YJ", "3VW"]),
    middle=st.text(VIN_CHARS, min_size=5, max_size=5),
    year=st.sampled_from("123456789ABCDEFGHJKLMNPRSTVWXY"),
    plant=st.text(VIN_CHARS, min_size=3, max_size=3),
    serial=st.text(string.digits, min_size=4, max_size=4),
    position=st.sampled_from([*range(8), *range(9, 17)]),
    replacement=st.sampled_from(VIN_CHARS),
)
def test_vin_check_digit(
    wmi: str, middle: str, year: str, plant: str, serial: str, position: int, replacement: str
) -> None:
    body = wmi + middle + "0" + year + plant + serial
    code = body[:8] + vin.check_digit(body) + body[9:]
    altered = _altered(code, position, replacement)
    assert vin.validate(code) == code
    hits = _hits(vin.is_valid, [code, altered])
    assert hits[0]
    # letters of equal value (A, J) leave the check digit alone; other regions do not need it
    if vin.check_digit(altered) != code[8] and altered[0] in "L12345":
        assert not hits[1]


def _luhn_complete(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c) * (1 if i % 2 else 2)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


CARD_SCHEMES = [("4", 13), ("4", 16), ("4", 19), ("51", 16), ("2720", 16), ("37", 15)]
CARD_SCHEMES += [("3528", 19), ("300", 14), ("6011", 16), ("65", 19), ("62", 17), ("62", 18)]


@SETTINGS
@given(
    scheme=st.sampled_from(CARD_SCHEMES),
    rest=st.text(string.digits, min_size=17, max_size=17),
    position=st.integers(0, 18),
    delta=st.integers(1, 9),
)
def test_card_luhn(scheme: tuple[str, int], rest: str, position: int, delta: int) -> None:
    prefix, length = scheme
    number = _luhn_complete((prefix + rest)[: length - 1])
    i = position % len(number)
    altered = number[:i] + str((int(number[i]) + delta) % 10) + number[i + 1 :]
    assert bank_card.validate(number) == number
    hits = _hits(bank_card.is_valid, [number, altered])
    assert hits[0]
    assert not hits[1] or re.fullmatch("62[0-9]{14}|62[0-9]{17}", altered)  # Luhn always breaks


@SETTINGS
@given(
    v4=st.integers(0, 2**32 - 1).map(lambda n: str(ipaddress.IPv4Address(n))),
    v6=st.integers(0, 2**128 - 1).map(ipaddress.IPv6Address),
)
def test_ip_addresses_as_python_writes_them(v4: str, v6: ipaddress.IPv6Address) -> None:
    texts = [v4, v6.compressed, v6.exploded, v6.compressed.upper()]
    assert _hits(ip_address.is_valid, texts) == [True] * 4


@SETTINGS
@given(st.lists(st.text("0123456789abcdefABCDEF:.", max_size=45), min_size=1, max_size=20))
def test_ip_addresses_agree_with_ipaddress(texts: list[str]) -> None:
    for text, hit in zip(texts, _hits(ip_address.is_valid, texts), strict=True):
        try:
            ipaddress.ip_address(text)
        except ValueError:
            assert not hit, text
        else:
            assert hit, text


@SETTINGS
@given(st.lists(st.text(string.digits, min_size=10, max_size=10), min_size=1, max_size=30))
def test_mobile_segments_agree_with_libphonenumber(tails: list[str]) -> None:
    """libphonenumber's mobile numbers, plus the data-only 146/148/149 and the whole of 174."""
    numbers = ["1" + t for t in tails]
    for number, hit in zip(numbers, _hits(mobile_phone.is_valid, numbers), strict=True):
        parsed = phonenumbers.parse("+86" + number)
        mobile = phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE
        assert hit == (mobile or number[:3] in {"146", "148", "149", "174"}), number


def test_decoys_mostly_fail() -> None:
    """Order numbers, amounts, timestamps and product codes: no kind takes them."""
    decoys = [
        "20260301123456789",
        "202603011234567890",
        "12345.67",
        "2026-03-01 12:00:00",
        "2026-03-01",
        "1767225600",
        "1767225600000",
        "SKU-2026-0001",
        "ABC123456789",
        "PO-20260301-0042",
        "0.00",
        "-1234.5",
    ]
    for kind in KINDS:
        hits = _hits(detector(kind).is_valid, decoys)
        assert not any(hits), f"{kind} takes {[d for d, h in zip(decoys, hits, strict=True) if h]}"
