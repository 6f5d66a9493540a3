"""The register's store on SQLite and PostgreSQL: every add, change, retirement and import is a
version in the flow's history, a change made from an old version is refused, an unchanged flow
gets no new version, and one organisation never sees or changes another's flows."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from kuajing.accounts.models import Principal
from kuajing.accounts.store import Accounts
from kuajing.errors import Conflict, Forbidden, NotFound
from kuajing.register.models import Flow
from kuajing.register.schema import flow_history, flows
from kuajing.register.store import FlowStore
from tests.tenants import add_user


def who(db_url: str, org: str, email: str, role: Any = "member") -> Principal:
    add_user(db_url, org, email, role, zone="beijing", processor=f"{org} Co., Ltd.")
    with Accounts.open(db_url) as store:
        return store.principal_by_email(email)


def trial(**changes: Any) -> Flow:
    data = {
        "key": "trial-data",
        "name": "Clinical trial data to the sponsor",
        "scenario": "临床试验",
        "recipient": {"name": "Sponsor GmbH", "country": "DE"},
        "frequency": "monthly",
        "personal": 1000,
        **changes,
    }
    return Flow.model_validate(data)


@pytest.fixture
def store(db_url: str) -> Any:
    with Accounts.open(db_url) as accounts:  # migrates the database
        yield FlowStore(accounts.engine)


def test_each_change_is_a_version_with_who_and_what(store: FlowStore, db_url: str) -> None:
    me = who(db_url, "pharma", "a@pharma.example")
    added = store.add(me, trial())
    assert (added.version, added.flow.personal) == (1, 1000)
    changed = store.change(me, "trial-data", trial(personal=2000), version=1)
    assert changed.version == 2
    retired = store.retire(me, "TRIAL-DATA")
    assert (retired.version, retired.flow.status) == (3, "retired")
    versions = store.history(me, "trial-data")
    assert [(v.version, v.change, v.actor) for v in versions] == [
        (1, "added", "a@pharma.example"),
        (2, "changed", "a@pharma.example"),
        (3, "retired", "a@pharma.example"),
    ]
    assert versions[0].flow.personal == 1000 and versions[1].flow.personal == 2000
    assert store.all(me, ["active"]) == [] and len(store.all(me, ["retired"])) == 1


def test_a_change_from_an_old_version_is_refused_and_writes_nothing(
    store: FlowStore, db_url: str
) -> None:
    me = who(db_url, "pharma", "a@pharma.example")
    store.add(me, trial())
    store.change(me, "trial-data", trial(personal=2000), version=1)
    with pytest.raises(Conflict, match="changed meanwhile"):
        store.change(me, "trial-data", trial(personal=3000), version=1)
    assert store.get(me, "trial-data").flow.personal == 2000
    assert len(store.history(me, "trial-data")) == 2


def test_an_unchanged_flow_gets_no_new_version(store: FlowStore, db_url: str) -> None:
    me = who(db_url, "pharma", "a@pharma.example")
    store.add(me, trial())
    assert store.change(me, "trial-data", trial(), version=1).version == 1
    first = store.import_all(me, [trial(), trial(key="hr-data", name="HR", exemption="hr")])
    assert (first.added, first.changed, first.unchanged) == (["hr-data"], [], 1)
    again = store.import_all(me, [trial(), trial(key="hr-data", name="HR", exemption="hr")])
    assert (again.added, again.changed, again.unchanged) == ([], [], 2)
    assert [v.change for v in store.history(me, "hr-data")] == ["imported"]


def test_a_key_is_added_once(store: FlowStore, db_url: str) -> None:
    me = who(db_url, "pharma", "a@pharma.example")
    store.add(me, trial())
    with pytest.raises(Conflict, match="already in the register"):
        store.add(me, trial(name="again"))


def test_another_organisation_neither_sees_nor_changes_the_flows(
    store: FlowStore, db_url: str
) -> None:
    me = who(db_url, "pharma", "a@pharma.example")
    other = who(db_url, "rival", "b@rival.example")
    store.add(me, trial())
    assert store.all(other) == []
    for attempt in (
        lambda: store.get(other, "trial-data"),
        lambda: store.history(other, "trial-data"),
        lambda: store.change(other, "trial-data", trial(personal=1), version=1),
        lambda: store.retire(other, "trial-data"),
        lambda: store.link_batch(other, "trial-data", "ab" * 32),
        lambda: store.batch_digests(other, "trial-data"),
    ):
        with pytest.raises(NotFound):
            attempt()
    store.add(other, trial())  # the same key is the other organisation's own flow
    assert store.get(me, "trial-data").version == 1
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(flows)).scalar() == 2
        assert conn.execute(sa.select(sa.func.count()).select_from(flow_history)).scalar() == 2


def test_a_viewer_reads_and_cannot_write(store: FlowStore, db_url: str) -> None:
    me = who(db_url, "pharma", "a@pharma.example")
    viewer = who(db_url, "pharma", "v@pharma.example", "viewer")
    store.add(me, trial())
    assert store.get(viewer, "trial-data").version == 1
    with pytest.raises(Forbidden):
        store.change(viewer, "trial-data", trial(personal=5), version=1)
    with pytest.raises(Forbidden):
        store.import_all(viewer, [trial(key="x", name="x")])


def test_a_batch_belongs_to_one_flow(store: FlowStore, db_url: str) -> None:
    me = who(db_url, "pharma", "a@pharma.example")
    store.add(me, trial())
    store.add(me, trial(key="other", name="Other"))
    store.link_batch(me, "trial-data", "ab" * 32)
    store.link_batch(me, "trial-data", "ab" * 32)  # again: nothing changes
    assert store.batch_digests(me, "trial-data") == ["ab" * 32]
    with pytest.raises(Conflict, match="another flow"):
        store.link_batch(me, "other", "ab" * 32)
