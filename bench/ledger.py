"""Benchmark of the export ledger.

1. `kuajing ledger record` of a CSV with one key column (default 10,000,000 rows), in its own
   process: wall time and peak memory. Baseline in the same run: DuckDB's own
   `COUNT(DISTINCT)` over the same file. Targets: <= 120 s and <= 2 GiB. Then the database's
   size per person stored, against the 16 bytes of the keyed hash itself.
2. `kuajing ledger status` with many stored persons (default 50,000,000, filled in batches of
   10,000,000 keyed hashes). Baseline: `SELECT COUNT(*)` over the stored persons, what a ledger
   without daily counts would have to do. Target: <= 1 s.

  make bench        or        .venv/bin/python bench/ledger.py [--rows N] [--persons N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl
from sqlalchemy import text

from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import BatchMeta
from measure import run_child

EXE = str(Path(sys.executable).parent / "kuajing")
RECORD_S, RECORD_GIB, STATUS_S = 120.0, 2.0, 1.0


def make_csv(path: Path, rows: int) -> None:
    rng = np.random.default_rng(7)
    ids = rng.integers(10**17, 10**18, size=rows, dtype=np.int64)
    ids[rows // 10 :: 10] = ids[: len(ids[rows // 10 :: 10])]  # ~10% repeat an earlier person
    frame = pl.DataFrame({"id": ids}).with_columns(pl.col("id").cast(pl.String))
    frame.write_csv(path)


def bench_record(tmp: Path, rows: int, env: dict[str, str]) -> None:
    csv = tmp / "batch.csv"
    make_csv(csv, rows)
    size = csv.stat().st_size / 2**20
    duck = [
        sys.executable,
        "-c",
        'import duckdb, sys; print(duckdb.sql(f"SELECT COUNT(DISTINCT id) FROM '
        "read_csv('{sys.argv[1]}', header=true, columns={{'id': 'VARCHAR'}})\").fetchall())",
        str(csv),
    ]
    base_s, base_gib = run_child(duck, env=env)
    cmd = [
        EXE,
        "ledger",
        "record",
        "--processor",
        "Bench",
        "--date",
        "2026-01-15",
        "--file",
        str(csv),
        "--key",
        "id",
        "--not-sensitive",
    ]
    rec_s, rec_gib = run_child(cmd, env=env)
    print(f"record {rows:,} rows ({size:,.0f} MiB CSV), one key column")
    print(f"  baseline DuckDB COUNT(DISTINCT): {base_s:7.2f} s  peak {base_gib:.2f} GiB")
    print(
        f"  kuajing ledger record:           {rec_s:7.2f} s  peak {rec_gib:.2f} GiB"
        f"  ratio {rec_s / base_s:.1f}x  target <= {RECORD_S:.0f} s, <= {RECORD_GIB:.0f} GiB "
        f"{'OK' if rec_s <= RECORD_S and rec_gib <= RECORD_GIB else 'MISSED'}"
    )
    persons, size_mib = stored_size(tmp / "ledger.sqlite3")
    print(
        f"  database after recording:        {size_mib:7.0f} MiB  "
        f"{size_mib * 2**20 / persons:.1f} bytes a person (the keyed hash alone: 16)"
    )


def stored_size(path: Path) -> tuple[int, float]:
    """Persons stored and the database's size once its write-ahead log is folded in."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        persons = conn.execute("SELECT SUM(persons) FROM batches").fetchone()[0]
    finally:
        conn.close()
    size = sum(f.stat().st_size for f in path.parent.glob(f"{path.name}*"))
    return int(persons), size / 2**20


def fill(ledger: Ledger, persons: int, batch: int) -> float:
    rng = np.random.default_rng(11)
    start = time.perf_counter()
    for n, first in enumerate(range(0, persons, batch)):
        size = min(batch, persons - first)
        table = rng.integers(0, 256, size=(size, 16), dtype=np.uint8)
        words = table.view(">u8")
        table = table[np.lexsort((words[:, 1], words[:, 0]))]
        meta = BatchMeta(
            processor="Filled",
            digest=f"{n:064x}",
            date=dt.date(2026, 1 + n, 1),
            sensitive=n % 2 == 1,
            source=f"fill-{n}.csv",
            format="csv",
            key_columns=["id"],
            rows=size,
            persons=size,
        )
        ledger.record(meta, table)
    return time.perf_counter() - start


def bench_status(tmp: Path, persons: int, env: dict[str, str], url: str) -> None:
    with Ledger.open(url, Path(env["KUAJING_KEY_FILE"])) as ledger:
        filled = fill(ledger, persons, 10_000_000)
        with ledger.engine.connect() as conn:
            start = time.perf_counter()
            stored = conn.execute(text("SELECT COUNT(*) FROM seen")).scalar()
            base_s = time.perf_counter() - start
    cmd = [EXE, "ledger", "status", "--processor", "Filled", "--as-of", "2026-11-30"]
    best = min(run_child(cmd, env=env)[0] for _ in range(3))
    startup = min(run_child([EXE, "--help"], env=env)[0] for _ in range(3))
    print(
        f"status with {persons:,} persons stored ({stored:,} rows of persons; "
        f"filled in {filled:.0f} s)"
    )
    print(f"  baseline SELECT COUNT(*) over stored persons: {base_s:6.3f} s")
    print(f"  kuajing --help (interpreter and imports):    {startup:6.3f} s")
    print(
        f"  kuajing ledger status:                       {best:6.2f} s  "
        f"target <= {STATUS_S:.0f} s {'OK' if best <= STATUS_S else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--persons", type=int, default=50_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kuajing-bench-") as name:
        tmp = Path(name)
        url = f"sqlite:///{tmp / 'ledger.sqlite3'}"
        env = {
            **os.environ,
            "KUAJING_DATABASE_URL": url,
            "KUAJING_KEY_FILE": str(tmp / "ledger.key"),
        }
        bench_record(tmp, args.rows, env)
        env["KUAJING_DATABASE_URL"] = url = f"sqlite:///{tmp / 'status.sqlite3'}"
        bench_status(tmp, args.persons, env, url)


if __name__ == "__main__":
    main()
