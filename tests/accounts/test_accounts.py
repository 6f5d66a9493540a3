"""Accounts on SQLite and PostgreSQL: organisations are tenants, passwords and tokens are kept
only as hashes, and one organisation's objects are invisible to another's users."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from kuajing.accounts import sessions
from kuajing.accounts.models import Principal
from kuajing.accounts.passwords import WeakPassword
from kuajing.accounts.schema import metadata
from kuajing.accounts.store import Accounts, Refused
from kuajing.db.engine import MIGRATIONS
from kuajing.errors import AccountError, Forbidden, NotFound
from kuajing.filing import schema as _filing_schema  # noqa: F401  (its tables join `metadata`)
from kuajing.zone import schema as _zone_schema  # noqa: F401

PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(db_url: str) -> Iterator[Accounts]:
    with Accounts.open(db_url) as store:
        store.create_organisation("pharma", "Example Pharma (Beijing) Co., Ltd.", zone="beijing")
        store.create_organisation("bank", "Example Bank (Shanghai) Co., Ltd.", zone="shanghai")
        store.create_user("pharma", "Admin@Pharma.example", PASSWORD, role="admin")
        store.create_user("pharma", "viewer@pharma.example", PASSWORD, role="viewer")
        store.create_user("bank", "member@bank.example", PASSWORD, role="member")
        yield store


def test_the_migration_creates_the_schema(accounts: Accounts) -> None:
    found = sa.inspect(accounts.engine)
    for table in metadata.sorted_tables:
        assert {c["name"] for c in found.get_columns(table.name)} == set(table.columns.keys())


def test_sign_in_by_password(accounts: Accounts) -> None:
    who = accounts.authenticate("admin@pharma.example", PASSWORD)
    assert who is not None and who.organisation.slug == "pharma" and who.role == "admin"
    assert accounts.authenticate("admin@pharma.example", PASSWORD + "x") is None
    assert accounts.authenticate("nobody@pharma.example", PASSWORD) is None


def test_passwords_and_tokens_are_stored_as_hashes(accounts: Accounts) -> None:
    who = accounts.authenticate("admin@pharma.example", PASSWORD)
    assert who is not None
    secret, _ = accounts.create_token(who, "ci")
    with accounts.engine.connect() as conn:
        dump = " ".join(
            str(value)
            for table in metadata.sorted_tables
            for row in conn.execute(sa.select(table))
            for value in row
        )
    assert PASSWORD not in dump and secret not in dump and secret[10:] not in dump
    assert "$argon2id$" in dump


def test_tokens_identify_their_user_until_revoked(accounts: Accounts) -> None:
    who = accounts.authenticate("admin@pharma.example", PASSWORD)
    assert who is not None
    secret, token = accounts.create_token(who, "ci")
    assert secret.startswith("kj_") and token.prefix == secret[:10]
    found = accounts.principal_for_token(secret)
    assert found is not None and found.user.email == "admin@pharma.example"
    assert accounts.principal_for_token(secret + "x") is None
    accounts.revoke_token(who, token.id)
    assert accounts.principal_for_token(secret) is None


def test_another_organisations_objects_are_not_found(accounts: Accounts) -> None:
    pharma = accounts.authenticate("admin@pharma.example", PASSWORD)
    bank = accounts.authenticate("member@bank.example", PASSWORD)
    assert pharma is not None and bank is not None
    record = accounts.log_decision(pharma, '{"transfers": []}', '{"results": []}', "v", "d")
    assert accounts.decision(pharma, record.id) == record
    with pytest.raises(NotFound):
        accounts.decision(bank, record.id)
    assert accounts.decisions(bank) == []
    _, token = accounts.create_token(pharma, "ci")
    with pytest.raises(NotFound):
        accounts.revoke_token(bank, token.id)
    assert accounts.tokens(bank) == []


def test_a_viewer_cannot_make_decisions(accounts: Accounts) -> None:
    viewer = accounts.authenticate("viewer@pharma.example", PASSWORD)
    assert viewer is not None
    with pytest.raises(Forbidden):
        accounts.log_decision(viewer, "{}", "{}", "v", "d")


@pytest.mark.parametrize(
    ("email", "password", "role", "message"),
    [
        ("admin@pharma.example", PASSWORD, "member", "exists already"),
        ("not-an-address", PASSWORD, "member", "not an e-mail address"),
        ("new@pharma.example", "short", "member", "at least 12 characters"),
        ("new@pharma.example", PASSWORD, "owner", "one of admin, member, viewer"),
    ],
)
def test_bad_users_are_refused(
    accounts: Accounts, email: str, password: str, role: str, message: str
) -> None:
    with pytest.raises(AccountError, match=message):
        accounts.create_user("pharma", email, password, role=role)  # type: ignore[arg-type]


def test_bad_organisations_are_refused(accounts: Accounts) -> None:
    with pytest.raises(AccountError, match="exists already"):
        accounts.create_organisation("pharma", "Again")
    with pytest.raises(AccountError, match="lower-case letters"):
        accounts.create_organisation("Pharma Co", "Pharma")
    with pytest.raises(NotFound):
        accounts.create_user("nowhere", "a@b.example", PASSWORD)


# --- an admin manages the organisation's users ------------------------------------------------


def _who(accounts: Accounts, email: str) -> Principal:
    found = accounts.authenticate(email, PASSWORD)
    assert found is not None, email
    return found


def test_an_admin_adds_users_to_their_own_organisation(accounts: Accounts) -> None:
    admin = _who(accounts, "admin@pharma.example")
    added = accounts.add_user(
        admin, " New@Pharma.example ", PASSWORD, name=" Li Lei ", role="viewer", lang="en"
    )
    assert (added.email, added.name, added.role, added.lang) == (
        "new@pharma.example",
        "Li Lei",
        "viewer",
        "en",
    )
    assert added.organisation_id == admin.organisation.id and added.disabled_at is None
    assert _who(accounts, "new@pharma.example").organisation.slug == "pharma"
    assert [u.email for u in accounts.users(admin)][-1] == "new@pharma.example"
    with pytest.raises(Refused, match="exists already in the organisation") as taken:
        accounts.add_user(admin, "Viewer@pharma.example", PASSWORD)
    assert taken.value.reason == "email_taken"
    with pytest.raises(WeakPassword, match="at least 12") as short:
        accounts.add_user(admin, "other@pharma.example", "short")
    assert short.value.reason == "password_short"


def test_only_an_admin_manages_users(accounts: Accounts) -> None:
    viewer = _who(accounts, "viewer@pharma.example")
    bank = _who(accounts, "member@bank.example")
    with pytest.raises(Forbidden):
        accounts.add_user(viewer, "new@pharma.example", PASSWORD)
    with pytest.raises(Forbidden):
        accounts.users(viewer)
    with pytest.raises(Forbidden):
        accounts.set_role(viewer, viewer.user.id, "admin")
    with pytest.raises(Forbidden):
        accounts.remove_user(bank, viewer.user.id)
    assert _who(accounts, "viewer@pharma.example").role == "viewer"


def test_another_organisations_users_are_not_found(accounts: Accounts) -> None:
    admin = _who(accounts, "admin@pharma.example")
    bank = _who(accounts, "member@bank.example")
    accounts.set_role(admin, _who(accounts, "viewer@pharma.example").user.id, "member")
    for change in (
        lambda: accounts.user(admin, bank.user.id),
        lambda: accounts.set_role(admin, bank.user.id, "viewer"),
        lambda: accounts.remove_user(admin, bank.user.id),
    ):
        with pytest.raises(NotFound):
            change()
    assert {u.email for u in accounts.users(admin)} == {
        "admin@pharma.example",
        "viewer@pharma.example",
    }
    assert _who(accounts, "member@bank.example").role == "member"


def test_roles_change_but_the_last_admin_stays(accounts: Accounts) -> None:
    admin = _who(accounts, "admin@pharma.example")
    viewer_id = _who(accounts, "viewer@pharma.example").user.id
    with pytest.raises(Refused, match="last admin") as last:
        accounts.set_role(admin, admin.user.id, "member")
    assert last.value.reason == "last_admin"
    assert _who(accounts, "admin@pharma.example").role == "admin"
    with pytest.raises(AccountError, match="one of admin, member, viewer"):
        accounts.set_role(admin, viewer_id, "owner")  # type: ignore[arg-type]
    assert accounts.set_role(admin, viewer_id, "admin").role == "admin"
    assert accounts.set_role(admin, admin.user.id, "member").role == "member"
    assert _who(accounts, "admin@pharma.example").role == "member"


def test_a_disabled_admin_does_not_count(accounts: Accounts) -> None:
    admin = _who(accounts, "admin@pharma.example")
    other = accounts.add_user(admin, "second@pharma.example", PASSWORD, role="admin")
    accounts.remove_user(admin, other.id)
    with pytest.raises(Refused, match="last admin"):
        accounts.set_role(admin, admin.user.id, "viewer")
    # Issue 20: a disabled user's role stays as it was (what they could do is on record).
    with pytest.raises(Refused, match="disabled user's role") as frozen:
        accounts.set_role(admin, other.id, "member")
    assert frozen.value.reason == "disabled"
    assert next(u for u in accounts.users(admin) if u.id == other.id).role == "admin"


def test_a_disabled_user_loses_every_way_in(accounts: Accounts) -> None:
    admin = _who(accounts, "admin@pharma.example")
    viewer = _who(accounts, "viewer@pharma.example")
    secret, _ = accounts.create_token(viewer, "ci")
    cookie, _ = sessions.start(accounts, viewer)
    assert sessions.find(accounts, cookie) is not None
    accounts.log_decision(admin, "{}", "{}", "v", "d")
    removed = accounts.remove_user(admin, viewer.user.id)
    assert removed.disabled_at is not None
    assert accounts.authenticate("viewer@pharma.example", PASSWORD) is None
    assert accounts.principal_for_token(secret) is None
    assert sessions.find(accounts, cookie) is None
    assert [t.revoked_at for t in accounts.tokens(admin)] == [removed.disabled_at]
    assert accounts.user(admin, viewer.user.id).disabled_at == removed.disabled_at  # kept
    assert accounts.remove_user(admin, viewer.user.id).disabled_at == removed.disabled_at
    assert _who(accounts, "admin@pharma.example").user.id == admin.user.id


def test_an_admin_cannot_disable_themselves(accounts: Accounts) -> None:
    admin = _who(accounts, "admin@pharma.example")
    with pytest.raises(Refused, match="cannot disable yourself") as refused:
        accounts.remove_user(admin, admin.user.id)
    assert refused.value.reason == "self_disable"
    assert accounts.user(admin, admin.user.id).disabled_at is None


def test_databases_made_before_0004_get_the_column(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with Accounts.open(url) as store:
        store.create_organisation("pharma", "Pharma")
        store.create_user("pharma", "a@pharma.example", PASSWORD, role="admin")
        with store.engine.begin() as conn:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = conn
            command.downgrade(config, "0003")
        assert "disabled_at" not in {
            c["name"] for c in sa.inspect(store.engine).get_columns("users")
        }
    with Accounts.open(url) as store:  # opening migrates
        who = store.authenticate("a@pharma.example", PASSWORD)
        assert who is not None
        assert store.user(who, who.user.id).disabled_at is None
