"""The database package: one place for the engine and every migration, and databases made before
the move keep working. The revision ids are what a database stores (`alembic_version`), so they
never change; a database made by an earlier release is brought to the newest schema in place,
on SQLite and PostgreSQL, with its users and ledger intact."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory

import kuajing
from kuajing.accounts.store import Accounts
from kuajing.db.engine import HEAD, MIGRATIONS
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import NATIONAL
from tests.tenants import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(kuajing.__file__).parent

# The last release whose newest migration was 0007, with its migrations still under ledger/.
BEFORE_THE_MOVE = "0e9c20f8ff781e25304f52bb0816f7f88e9b2feb"


def test_the_revision_ids_a_database_stores_are_unchanged() -> None:
    scripts = ScriptDirectory(str(MIGRATIONS))
    ids = [s.revision for s in reversed(list(scripts.walk_revisions()))]
    assert ids == [f"{n:04d}" for n in range(1, 14)]
    assert ids[-1] == HEAD


def test_one_package_holds_the_engine_and_every_migration() -> None:
    assert MIGRATIONS == PACKAGE / "db" / "migrations"
    for gone in ("ledger/migrations", "ledger/db.py", "ledger/group_commit.py"):
        assert not (PACKAGE / gone).exists(), gone


def _release(commit: str, into: Path) -> Path:
    """The source tree of an earlier release, from this repository's history."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "src"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


_OLD_RELEASE_WRITES = f"""
import sys
from kuajing.accounts.store import Accounts
from kuajing.cli.main import app
url = sys.argv[1]
with Accounts.open(url) as store:
    store.create_organisation("pharma", "Example Pharma (Beijing) Co., Ltd.", zone="beijing")
    store.create_user("pharma", "a@pharma.example", {PASSWORD!r}, role="admin")
sys.argv = ["kuajing", "ledger", "record", "--processor", "Example Pharma (Beijing) Co., Ltd.",
    "--date", "2026-02-10", "--file", sys.argv[2], "--scenario", "临床试验",
    "--recipient", "Sponsor GmbH", "--lang", "en"]
app()
"""


def test_a_database_of_an_earlier_release_migrates_in_place(db_url: str, tmp_path: Path) -> None:
    old = _release(BEFORE_THE_MOVE, tmp_path / "release")
    assert (old / "kuajing/ledger/migrations").is_dir()  # the layout before the move
    env = {**os.environ, "KUAJING_DATABASE_URL": db_url, "PYTHONPATH": str(old)}
    made = subprocess.run(
        [sys.executable, "-c", _OLD_RELEASE_WRITES, db_url, str(ROOT / "examples/trial-batch.csv")],
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0007"
    engine.dispose()

    with Accounts.open(db_url) as store:  # opening migrates 0008 and 0009 in place
        who = store.authenticate("a@pharma.example", PASSWORD)
        assert who is not None and who.organisation.slug == "pharma"
        with store.engine.connect() as conn:
            version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        assert version == HEAD
    with Ledger.open(db_url) as ledger:
        [batch] = ledger.batches("Example Pharma (Beijing) Co., Ltd.")
        counts = ledger.counts("Example Pharma (Beijing) Co., Ltd.", 2026, dt.date(2026, 3, 1))
        assert counts[NATIONAL].persons == batch.persons > 0
        assert ledger.verify().ok
