"""Every package's tables as its schema module declares them are what the migrations create."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kuajing.db.engine import open_engine
from kuajing.db.tables import metadata
from kuajing.register import schema as _register  # noqa: F401


def test_the_register_tables_match_their_migration(db_url: str) -> None:
    engine = open_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    ours = {"flows", "flow_history", "flow_batches", "flow_decisions"}
    about_ours = [d for d in diff if any(name in repr(d) for name in ours)]
    assert about_ours == []
    engine.dispose()
