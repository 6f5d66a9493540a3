"""Decisions logged before recipients' countries were checked against ISO 3166 keep working:
a request the log accepted with a country's name in another language can still be filed,
exported and compared with a new list edition, while a new request with that name is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.engine import Request, assess
from kuajing.filing.store import Filings
from kuajing.services import filings as service
from tests.tenants import add_user

OLD = {
    "date": "2026-03-01",
    "processor": {"name": "Pharma", "zone": "beijing"},
    "transfers": [
        {
            "id": "t1",
            "scenario": "临床试验",
            "personal": 12_000,
            "recipient": {"name": "Trial GmbH", "country": "Deutschland"},
        }
    ],
}


def _log_old(db_url: str) -> tuple[Accounts, str]:
    """A decision as an earlier release logged it: the request stored as it was sent."""
    add_user(db_url, "pharma", "m@pharma.example", "member", zone="beijing", processor="Pharma")
    store = Accounts.open(db_url)
    who = store.principal_by_email("m@pharma.example")
    asked = Request.model_validate(OLD, context={"logged": True})
    decision = assess(asked, default_catalog(), lang="en")
    catalog = default_catalog()
    record = store.log_decision(
        who,
        json.dumps(OLD, ensure_ascii=False),
        decision.model_dump_json(),
        catalog.version,
        catalog.digest,
    )
    return store, record.id


def test_a_new_request_with_a_country_name_in_german_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"transfers\.0\.recipient\.country"):
        Request.model_validate(OLD)


def test_a_logged_decision_with_an_unchecked_country_can_still_be_filed(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    store, decision_id = _log_old(db_url)
    with store:
        who = store.principal_by_email("m@pharma.example")
        source = service.from_log(store, who, decision_id)
        assert source.request is not None
        assert source.request.transfers[0].recipient.country == "Deutschland"
        created = service.create_filings(
            store, Filings(store.engine), who, source, default_catalog(), "en"
        )
        assert created
        exported = {
            "id": decision_id,
            "request": OLD,
            "decision": json.loads(store.decision(who, decision_id).decision),
        }
        again = service.from_file(store, who, json.dumps(exported, ensure_ascii=False), "d.json")
        assert again.request is not None
