"""Property tests of the REST API against its own OpenAPI document (Schemathesis): for every
operation, generated requests (valid and invalid, with the token and without) never get a 5xx,
and every response has a documented status, content type and body."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import settings

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.api.app import create_app
from kuajing.catalog import Catalog, default_catalog
from kuajing.engine import Request
from kuajing.filing.store import Filings
from kuajing.services import filings, zone_inspections, zone_review
from kuajing.services.decisions import assess_and_log
from tests.api.openapi import document
from tests.tenants import add_user, api_token

EXAMPLES = 25  # per operation, besides Schemathesis' own edge cases: some 25 s on two cores


class _Served:
    """The app under test, made by the `served` fixture once the tests run, while the schema
    must exist when they are collected (`schemathesis.pytest.from_fixture` would defer it, but
    fails on pytest 9: it sets `Function._nodeid`). The fixture opens and closes the app, so
    its lifespan is not passed on."""

    app: Any = None
    token = ""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await self.app(scope, receive, send)


SERVED = _Served()
# The catalogue's rules are not in the schema (the dates each regime is in force, scenario
# names, file formats), so a schema-valid request may be refused with 422 naming the field:
# Schemathesis' default statuses for valid data, and 422. (5xx fails not_a_server_error.)
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
            }
        }
    }
)
schema = schemathesis.openapi.from_dict(document(), config=CONFIG)
schema.app = SERVED


@schema.auth()
class _Token:
    """The admin's token on every case, except those Schemathesis sends without one on purpose
    (it checks that they are refused)."""

    def get(self, case: schemathesis.Case, ctx: schemathesis.AuthContext) -> str:
        return SERVED.token

    def set(self, case: schemathesis.Case, data: str, ctx: schemathesis.AuthContext) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def _filings(url: str, email: str) -> None:
    """Filings with an event and a task, so that the filings' answers are checked too: a
    contract-band decision, then one over the assessment threshold."""
    with Accounts.open(url) as store:
        who, catalog = store.principal_by_email(email), default_catalog()
        for personal in (12_000, 1_000_000):
            request = Request.model_validate(
                {
                    "date": "2026-03-01",
                    "processor": {"name": "Pharma", "zone": "beijing"},
                    "transfers": [{"id": "t1", "scenario": "临床试验", "personal": personal}],
                }
            )
            _, record = assess_and_log(store, who, request, catalog, "en")
            source = filings.from_log(store, who, record.id)
            made = filings.create_filings(store, Filings(store.engine), who, source, catalog, "en")
        first = made.filings[0].id
        filings.record_event(
            Filings(store.engine), who, first, "withdraw", dt.date(2026, 3, 2), catalog
        )
        _zone(store, who, catalog)


def _zone(store: Accounts, who: Principal, catalog: Catalog) -> None:
    """A submission to the Beijing centre and an inspection of it, so that the zone's lists
    answer with something to check too."""
    add_user(store.engine.url.render_as_string(hide_password=False), "bj-centre",
             "r@bj-centre.example", "reviewer", zone="beijing", kind="zone")  # fmt: skip
    reviewer = store.principal_by_email("r@bj-centre.example")
    listed = [f for f in Filings(store.engine).all(who) if f.procedure == "beijing-list-use"]
    submitted = zone_review.submit(store, who, listed[0].id, dt.date(2026, 3, 3), catalog)
    zone_inspections.open_inspection(
        store, reviewer, submitted.filing_id, dt.date(2026, 3, 4), catalog
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    root = tmp_path_factory.mktemp("schemathesis")
    url = f"sqlite:///{root / 'api.sqlite3'}"
    with pytest.MonkeyPatch.context() as env:  # the accounts' audit trail keyed as the app's
        env.setenv("KUAJING_KEY_FILE", str(root / "ledger.key"))
        SERVED.token = api_token(url, "pharma", "admin@pharma.example", "admin", zone="beijing")
        _filings(url, "admin@pharma.example")
    SERVED.app = create_app(url, key_file=root / "ledger.key")
    try:
        yield
    finally:
        SERVED.app.state.accounts.close()
        SERVED.app.state.ledger.close()
        SERVED.app = None


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None)
def test_the_api_keeps_to_its_schema(case: schemathesis.Case, served: None) -> None:
    # Every check Schemathesis has: not_a_server_error, status code, content type, headers and
    # body conformance, valid data accepted, invalid data and missing tokens refused, ...
    case.call_and_validate()
