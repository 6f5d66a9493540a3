"""A database made before the audit trail (revision 0007) gets it in place when opened, on SQLite
and PostgreSQL: its users and batches stay, and the trail starts with the next action."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from kuajing.accounts.store import Accounts
from kuajing.db.engine import MIGRATIONS
from kuajing.services.audit_trail import trail_page
from tests.tenants import PASSWORD, add_user


def test_a_0007_database_gets_the_trail_in_place(db_url: str) -> None:
    add_user(db_url, "pharma", "a@pharma.example", "admin")
    with Accounts.open(db_url) as store:
        with store.engine.begin() as conn:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = conn
            command.downgrade(config, "0007")
        assert not sa.inspect(store.engine).has_table("audit_trail")
    with Accounts.open(db_url) as store:  # opening migrates
        assert sa.inspect(store.engine).has_table("audit_trail")
        admin = store.principal_by_email("a@pharma.example")
        store.add_user(admin, "new@pharma.example", PASSWORD)
        trail = trail_page(store, admin)
    assert [e.action for e in trail.entries] == ["user.created"]
    assert trail.entries[0].actor.email == "a@pharma.example"
    assert trail.chain.ok and trail.chain.entries == 1
