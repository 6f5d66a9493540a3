"""An admin adding an e-mail address that another organisation uses gets the answer a new
address gets, and a user of their own organisation who signs in with the password the admin
set; the other organisation's user is untouched and signs in with theirs. On SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from kuajing.accounts import store as store_module
from kuajing.accounts.models import Principal
from kuajing.accounts.schema import users
from kuajing.accounts.store import Accounts, Refused
from kuajing.db.engine import MIGRATIONS

PASSWORD = "correct horse battery"
THEIRS = "member@bank.example"
MINE = "set by the pharma admin"


@pytest.fixture
def accounts(db_url: str) -> Iterator[Accounts]:
    with Accounts.open(db_url) as store:
        store.create_organisation("pharma", "Example Pharma (Beijing) Co., Ltd.")
        store.create_organisation("bank", "Example Bank (Shanghai) Co., Ltd.")
        store.create_user("pharma", "admin@pharma.example", PASSWORD, role="admin")
        store.create_user("bank", THEIRS, PASSWORD, role="member")
        yield store


def _who(accounts: Accounts, email: str) -> Principal:
    found = accounts.authenticate(email, PASSWORD)
    assert found is not None, email
    return found


def _row(accounts: Accounts, email: str) -> list[tuple[object, ...]]:
    with accounts.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(users).where(users.c.email == email))]


def test_another_organisations_address_is_added_like_a_new_one(accounts: Accounts) -> None:
    admin = _who(accounts, "admin@pharma.example")
    before = _row(accounts, THEIRS)
    new = accounts.add_user(admin, "new@pharma.example", MINE, name="Li Lei")
    taken = accounts.add_user(admin, THEIRS, MINE, name="Li Lei")
    assert type(new) is type(taken)
    assert taken.organisation_id == new.organisation_id == admin.organisation.id
    assert taken.id > new.id and taken.disabled_at is None
    # The admin's list shows both, alike: each is a user of their organisation.
    listed = accounts.users(admin)
    assert [u.email for u in listed] == ["admin@pharma.example", "new@pharma.example", THEIRS]
    assert accounts.user(admin, taken.id) == taken
    # The bank's user is as it was and still signs in to the bank, with their own password.
    assert _row(accounts, THEIRS)[0] == before[0]
    bank = _who(accounts, THEIRS)
    assert bank.organisation.slug == "bank" and bank.user.id != taken.id
    # The admin's password opens the admin's own user, never the bank's.
    mine = accounts.authenticate(THEIRS, MINE)
    assert mine is not None and mine.user.id == taken.id and mine.organisation.slug == "pharma"


def test_an_address_taken_in_the_admins_own_organisation_is_refused(accounts: Accounts) -> None:
    admin = _who(accounts, "admin@pharma.example")
    accounts.add_user(admin, THEIRS, MINE)
    for again in ("admin@pharma.example", " Member@Bank.example "):
        with pytest.raises(Refused, match="exists already in the organisation") as taken:
            accounts.add_user(admin, again, MINE)
        assert taken.value.reason == "email_taken"


def test_each_user_of_an_address_signs_in_with_their_own_password(accounts: Accounts) -> None:
    """Whoever adds an address first cannot keep another organisation's user out."""
    held = accounts.add_user(_who(accounts, "admin@pharma.example"), THEIRS, MINE)
    accounts.create_organisation("fund", "Example Fund Co., Ltd.")
    accounts.create_user("fund", "admin@fund.example", PASSWORD, role="admin")
    later = accounts.add_user(_who(accounts, "admin@fund.example"), THEIRS, "the fund's phrase")
    signed_in = {
        password: accounts.authenticate(THEIRS, password)
        for password in (PASSWORD, MINE, "the fund's phrase", "none of theirs")
    }
    assert {p: w.organisation.slug if w else None for p, w in signed_in.items()} == {
        PASSWORD: "bank",
        MINE: "pharma",
        "the fund's phrase": "fund",
        "none of theirs": None,
    }
    assert signed_in[MINE].user.id == held.id  # type: ignore[union-attr]
    assert signed_in["the fund's phrase"].user.id == later.id  # type: ignore[union-attr]
    # Disabled at the bank: the bank's password opens nothing.
    bank_admin = accounts.create_user("bank", "admin@bank.example", PASSWORD, role="admin")
    bank = accounts.authenticate("admin@bank.example", PASSWORD)
    assert bank is not None and bank.user.id == bank_admin.id
    accounts.remove_user(bank, _who(accounts, THEIRS).user.id)
    assert accounts.authenticate(THEIRS, PASSWORD) is None


def test_sign_in_checks_as_many_hashes_whoever_holds_the_address(
    accounts: Accounts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The time of a sign-in does not tell whether another organisation has the address."""
    checked: list[str] = []
    real = store_module._verify
    monkeypatch.setattr(store_module, "_verify", lambda h, p: checked.append(h) or real(h, p))

    def hashes(email: str, password: str) -> int:
        checked.clear()
        accounts.authenticate(email, password)
        return len(checked)

    alone = hashes(THEIRS, "wrong")
    unknown = hashes("nobody@nowhere.example", "wrong")
    accounts.add_user(_who(accounts, "admin@pharma.example"), THEIRS, MINE)
    shared = hashes(THEIRS, "wrong")
    assert alone == unknown == shared == store_module.SIGN_IN_CHECKS


def test_the_operator_is_told_where_the_address_is(accounts: Accounts) -> None:
    """The command line (run by whoever holds the database) names the other organisation."""
    with pytest.raises(Refused, match="exists already, in organisation 'bank'") as taken:
        accounts.create_user("pharma", THEIRS, MINE)
    assert taken.value.reason == "email_taken"
    assert len(_row(accounts, THEIRS)) == 1


def test_databases_made_before_0009_keep_their_users(db_url: str) -> None:
    """Downgraded to 0008 with tokens, sessions and decisions referring to its users, the
    database migrates again on opening, every row kept."""
    with Accounts.open(db_url) as store:
        store.create_organisation("pharma", "Pharma")
        store.create_organisation("bank", "Bank")
        store.create_user("pharma", "a@pharma.example", PASSWORD, role="admin")
        who = _who(store, "a@pharma.example")
        secret, _ = store.create_token(who, "ci")
        store.log_decision(who, "{}", "{}", "v", "d")
        with store.engine.begin() as conn:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = conn
            command.downgrade(config, "0008")
        with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
            conn.execute(sa.insert(users).values(_copy(store, "a@pharma.example", "bank")))
    with Accounts.open(db_url) as store:  # opening migrates
        who = _who(store, "a@pharma.example")
        token = store.principal_for_token(secret)
        assert token is not None and token.user.id == who.user.id
        assert len(store.decisions(who)) == 1
        store.create_user("bank", "b@bank.example", PASSWORD)
        assert store.add_user(who, "b@bank.example", MINE).organisation_id == who.organisation.id
        store.add_user(who, "c@pharma.example", MINE)
        with store.engine.begin() as conn:  # another organisation may have it now
            conn.execute(sa.insert(users).values(_copy(store, "c@pharma.example", "bank")))


def _copy(accounts: Accounts, email: str, org: str) -> dict[str, object]:
    """The user's row, as a user of `org` (another organisation)."""
    with accounts.engine.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.email == email)).one()._asdict()
    del row["id"]
    return {**row, "organisation_id": accounts.organisation(org).id}
