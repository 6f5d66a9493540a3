"""New SQLite databases get 16 KiB pages (fewer page writes when a batch is recorded); a
database made before keeps its 4 KiB pages and opens as before."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kuajing.db.engine import open_engine


def _page_size(url: str) -> int:
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql("PRAGMA page_size").scalar_one())
    finally:
        engine.dispose()


def test_a_new_database_has_16_kib_pages(tmp_path: Path) -> None:
    assert _page_size(f"sqlite:///{tmp_path / 'new.sqlite3'}") == 16384


def test_a_database_made_before_keeps_its_pages(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(old) as made:  # as an earlier release left it: WAL, 4 KiB pages
        made.execute("PRAGMA journal_mode=WAL")
        made.execute("CREATE TABLE t (x)")
    assert _page_size(f"sqlite:///{old}") == 4096
