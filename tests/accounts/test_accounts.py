"""Accounts on SQLite and PostgreSQL: organisations are tenants, passwords and tokens are kept
only as hashes, and one organisation's objects are invisible to another's users."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from kuajing.accounts.schema import metadata
from kuajing.accounts.store import Accounts
from kuajing.errors import AccountError, Forbidden, NotFound

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
