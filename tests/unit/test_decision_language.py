"""A logged decision shown in the reader's language: recomputed only under the same rules."""

from __future__ import annotations

from kuajing.accounts.models import DecisionRecord
from kuajing.catalog import default_catalog
from kuajing.engine import Request, assess
from kuajing.services.decisions import in_language

REQUEST = Request.model_validate(
    {
        "date": "2026-03-01",
        "processor": {"name": "Example Pharma", "zone": "beijing"},
        "transfers": [{"id": "t1", "scenario": "临床试验", "personal": 12000}],
    }
)


def _record(digest: str) -> DecisionRecord:
    made = assess(REQUEST, default_catalog(), lang="en")
    return DecisionRecord(
        id="d1",
        organisation_id=1,
        user_id=1,
        created_at="2026-03-01T00:00:00+00:00",
        catalog_version="0",
        catalog_digest=digest,
        request=REQUEST.model_dump_json(),
        decision=made.model_dump_json(),
    )


def test_same_rules_give_the_reasons_in_chinese() -> None:
    catalog = default_catalog()
    shown = in_language(_record(catalog.digest), catalog, "zh")
    assert "适用于在北京自贸试验区注册" in shown["transfers"][0]["reasons"][0]["text"]


def test_other_rules_keep_the_logged_decision() -> None:
    shown = in_language(_record("another digest"), default_catalog(), "zh")
    assert "适用于在北京自贸试验区注册" not in shown["transfers"][0]["reasons"][0]["text"]
    assert "registered in the Beijing FTZ" in shown["transfers"][0]["reasons"][0]["text"]
