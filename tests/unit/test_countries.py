"""Recipients' countries are ISO 3166-1 alpha-2 codes with names in both languages; a country's
English or Chinese name is taken as its code, anything else is refused naming the field. The
range of distinct persons is explained in words."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kuajing.engine import Request
from kuajing.engine.countries import country_code, name, names
from kuajing.engine.request import Counts, Recipient


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("DE", "DE"),
        ("de", "DE"),
        (" Germany ", "DE"),
        ("德国", "DE"),
        ("DEU", "DE"),
        ("United States", "US"),
        ("中国香港", "HK"),
        ("Singapore", "SG"),
    ],
)
def test_codes_and_names_are_taken_as_the_code(given: str, code: str) -> None:
    assert country_code(given) == code
    assert Recipient(country=given).country == code


@pytest.mark.parametrize("given", ["Deutschland", "XX", "UK", "Germny"])
def test_an_unknown_country_is_refused_naming_the_field(given: str) -> None:
    body = {
        "processor": {"name": "X"},
        "transfers": [{"id": "t1", "recipient": {"country": given}}],
    }
    with pytest.raises(ValidationError) as caught:
        Request.model_validate(body)
    error = caught.value.errors()[0]
    assert error["loc"] == ("transfers", 0, "recipient", "country")
    assert repr(given) in error["msg"] and "ISO 3166-1 two-letter code" in error["msg"]


def test_a_logged_request_keeps_the_country_it_was_accepted_with() -> None:
    logged = Recipient.model_validate({"country": "Deutschland"}, context={"logged": True})
    assert logged.country == "Deutschland"
    assert name("Deutschland", "en") == "Deutschland"  # shown as given


def test_names_in_both_languages_from_the_installed_package() -> None:
    assert name("DE", "zh") == "德国" and name("DE", "en") == "Germany"
    assert name("kr", "en") == "South Korea"
    assert name("TW", "zh") == "中国台湾" and name("HK", "zh") == "中国香港"
    assert len(names()) >= 249
    assert all(n["zh"] != n["en"] for code, n in names().items() if code in ("US", "JP", "SG"))


def test_the_range_of_distinct_persons_is_explained() -> None:
    with pytest.raises(ValidationError) as few:
        Counts(personal=30000, sensitive=0, persons=25000)
    text = few.value.errors()[0]["msg"]
    assert "between" not in text and "25,000" in text and "30,000" in text and "fewer" in text
    with pytest.raises(ValidationError) as many:
        Counts(personal=100, sensitive=50, persons=200)
    text = many.value.errors()[0]["msg"]
    assert "more than" in text and "150" in text
    assert Counts(personal=100, sensitive=50, persons=120).persons == 120
