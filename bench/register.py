"""Benchmark of the transfer register on the test suite's 200-flow XLSX file.

Imports the register into a fresh SQLite database, assesses and logs every flow one by one,
and builds the register page's summaries (each flow's latest pathway, open filings and next
deadline). Baseline, measured in the same run (shared machines are noisy): reading the same
XLSX file into flows without storing them, and one assessment of the whole register as a
single request. The register page and the what-if are meant to answer at once (under 2 s).

    .venv/bin/python bench/register.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

from kuajing.accounts.store import Accounts
from kuajing.catalog import default_catalog
from kuajing.engine import assess
from kuajing.filing.store import Filings
from kuajing.register.store import FlowStore
from kuajing.register.tabular import read_flows
from kuajing.services import register
from measure import best_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.register.fixture import write_register  # the tests' 200-flow file
from tests.register.test_store import who

DAY = dt.date(2026, 3, 1)
TARGET_S = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    catalog = default_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = write_register(folder)
        read = best_of(lambda: read_flows(path), args.repeat)
        url = f"sqlite:///{folder / 'register.sqlite3'}"
        me = who(url, "pharma", "a@pharma.example")
        with Accounts.open(url) as accounts:
            store = FlowStore(accounts.engine)
            imported = best_of(lambda: register.import_file(store, me, path), 1)
            whole = register.register_request(store, me, DAY)
            one = best_of(lambda: assess(whole, catalog), args.repeat)
            keys = [s.key for s in register.listing(store, me)]

            def assess_each() -> None:
                for key in keys:
                    register.assess(accounts, store, me, key, catalog, DAY, "en")

            each = best_of(assess_each, 1)
            filings = Filings(accounts.engine)
            page = best_of(
                lambda: register.summaries(accounts, store, filings, me, catalog, DAY, "en"),
                args.repeat,
            )
    print(f"200-flow register ({len(keys)} flows), SQLite; target <= {TARGET_S}s each")
    print(f"  baseline: read the XLSX into flows       {read:8.3f} s")
    print(f"  baseline: assess the register at once    {one:8.3f} s")
    rows = (("import (one transaction)", imported), ("assess and log each flow", each),
            ("register page summaries", page))  # fmt: skip
    for name, seconds in rows:
        verdict = "ok" if seconds <= TARGET_S else "SLOW"
        print(f"  {name:40} {seconds:8.3f} s  {seconds / read:6.1f}x read  {verdict}")


if __name__ == "__main__":
    main()
