"""Ledger tests run on SQLite and on PostgreSQL (the `db_url` fixture, tests/databases.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return tmp_path / "keys" / "ledger.key"
