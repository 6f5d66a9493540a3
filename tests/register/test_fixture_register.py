"""The 200-flow register imports whole and every flow gets a pathway and a status; importing
the same file again changes nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.filing.store import Filings
from kuajing.register.store import FlowStore
from kuajing.services import register
from tests.register.fixture import FLOWS, write_register
from tests.register.test_store import who

DAY = dt.date(2026, 3, 1)


def test_the_200_flow_register_imports_and_every_flow_is_assessed(tmp_path: Path) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'kuajing.sqlite3'}"
    me = who(sqlite_url, "pharma", "a@pharma.example")
    path = write_register(tmp_path)
    catalog = default_catalog()
    with Accounts.open(sqlite_url) as accounts:
        store = FlowStore(accounts.engine)
        done = register.import_file(store, me, path)
        assert (len(done.added), done.changed, done.unchanged) == (FLOWS, [], 0)
        pathways: Counter[tuple[str, str]] = Counter()
        for stored in register.listing(store, me):
            decision, record = register.assess(accounts, store, me, stored.key, catalog, DAY, "en")
            t = decision.transfers[0]
            pathways[(t.pathway.value, t.status)] += 1
            assert register.latest_decision(accounts, store, me, stored.key) == record
        again = register.import_file(store, me, path)
        assert (again.added, again.changed, again.unchanged) == ([], [], FLOWS)
        filings = Filings(accounts.engine)
        summaries = register.summaries(accounts, store, filings, me, catalog, DAY, "en")
    assert sum(pathways.values()) == FLOWS
    assert {p for p, _ in pathways} >= {
        "exempt",
        "standard_contract_or_certification",
        "security_assessment",
    }
    assert all(s.pathway and s.status for s in summaries)
    print(sorted(pathways.items()))
