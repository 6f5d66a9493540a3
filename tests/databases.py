"""Throwaway databases for the tests: SQLite files and a PostgreSQL server started here.

`make test` installs PostgreSQL from Debian's packages; KUAJING_TEST_POSTGRES_URL points the
tests at an existing server instead. Without either, the PostgreSQL tests fail (they never skip:
a ledger or scanner not tested on PostgreSQL is not done). The fixtures are made visible to every
test by tests/conftest.py."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

BACKENDS = ["sqlite", "postgresql"]


def _bindir() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if not found:
        pytest.fail("PostgreSQL server binaries are missing: run `make test` (it installs them)")
    return Path(found[-1]).parent


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A base URL (no database) of a PostgreSQL server for this test session."""
    existing = os.environ.get("KUAJING_TEST_POSTGRES_URL")
    if existing:
        yield existing
        return
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="kuajing-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data = root / "data"
    run = lambda *cmd: subprocess.run(_as_postgres([*cmd]), check=True, capture_output=True)  # noqa: E731
    run(str(bindir / "initdb"), "-D", str(data), "-U", "kuajing", "-A", "trust", "--no-sync")
    opts = f"-k {root} -p 54329 -c listen_addresses='' -c fsync=off -c max_connections=50"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "log"), "-w", "start")
    try:
        yield f"postgresql+psycopg://kuajing@/postgres?host={root}&port=54329"
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


def _admin(base: str) -> psycopg.Connection[tuple[object, ...]]:
    url = make_url(base)
    return psycopg.connect(
        dbname="postgres",
        user=url.username,
        host=url.query.get("host") or url.host,
        port=url.query.get("port") or url.port,
        password=url.password,
        autocommit=True,
    )


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty ledger database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
        return
    base: str = request.getfixturevalue("postgres_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    with _admin(base) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with _admin(base) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
