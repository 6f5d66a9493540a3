"""Pending uploads: private, bound to their uploader, deleted when used, expired or closed."""

from __future__ import annotations

import datetime as dt
import io
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest

from kuajing.accounts.models import Organisation, Principal, User
from kuajing.errors import NotFound, TooLarge
from kuajing.scan.models import Persons, ScanReport
from kuajing.services.pending import Busy, PendingUploads, close_pending, pending_uploads
from kuajing.services.uploads import EmptyUpload, WrongType

DAY = dt.date(2026, 2, 10)
START = dt.datetime(2026, 2, 10, 9, 0, tzinfo=dt.UTC)


def _who(org: int, user: int) -> Principal:
    return Principal(
        organisation=Organisation(
            id=org,
            slug=f"o{org}",
            name=f"Org {org}",
            processor=f"Org {org} Co., Ltd.",
            zone="beijing",
            ciio=False,
            sector=None,
            created_at="2026-01-01T00:00:00+00:00",
        ),
        user=User(
            id=user,
            organisation_id=org,
            email=f"u{user}@o{org}.example",
            name=f"User {user}",
            role="member",
            lang="en",
            created_at="2026-01-01T00:00:00+00:00",
        ),
    )


ALICE, BOB, EVE = _who(1, 1), _who(1, 2), _who(2, 3)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


def _report(path: Path) -> ScanReport:
    assert path.read_bytes().startswith(b"a,b")  # the scan sees the whole upload
    return ScanReport(
        sources=[path.name],
        rows=1,
        columns=[],
        persons=Persons(key=[], distinct=None, basis="none"),
        personal=False,
        sensitive=False,
        as_of=DAY,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> PendingUploads:
    return PendingUploads(tmp_path / "pending", clock=clock)


def _add(store: PendingUploads, who: Principal = ALICE, name: str = "batch.csv") -> str:
    pending = store.create(
        who, io.BytesIO(b"a,b\n1,2\n"), name, _report, max_bytes=1000, date=DAY, keys=["a"]
    )
    return pending.id


def test_an_upload_is_private_to_its_uploader(store: PendingUploads) -> None:
    ident = _add(store)
    found = store.find(ident, ALICE)
    assert found.filename == "batch.csv" and found.keys == ["a"] and found.date == DAY
    assert found.report.sources == ["batch.csv"]
    for other in (BOB, EVE):  # another user of the organisation, another organisation
        with pytest.raises(NotFound):
            store.find(ident, other)
        with pytest.raises(NotFound):
            store.discard(ident, other)
    assert store.path(found).read_bytes() == b"a,b\n1,2\n"
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.path(found).parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.path(found).stat().st_mode) == 0o600


def test_only_the_name_of_the_upload_is_kept(store: PendingUploads) -> None:
    found = store.find(_add(store, name="../../etc/passwd.csv"), ALICE)
    assert found.filename == "passwd.csv"
    assert store.path(found).parent.parent == store.root
    windows = store.find(_add(store, name="C:\\data\\batch.csv"), ALICE)
    assert windows.filename == "batch.csv"


@pytest.mark.parametrize("ident", ["../pending", "", "x" * 100, "a" * 32 + "\n", "."])
def test_ids_that_are_not_ids_are_not_found(store: PendingUploads, ident: str) -> None:
    with pytest.raises(NotFound):
        store.find(ident, ALICE)


def test_expired_uploads_are_deleted(store: PendingUploads, clock: Clock) -> None:
    old = _add(store)
    folder = store.path(store.find(old, ALICE)).parent
    clock.now = START + dt.timedelta(minutes=29)
    assert store.find(old, ALICE).id == old
    clock.now = START + dt.timedelta(minutes=30)
    with pytest.raises(NotFound):
        store.find(old, ALICE)
    assert not folder.exists()
    expired = _add(store)
    clock.now += dt.timedelta(hours=1)
    _add(store)  # creating one purges the others that expired
    assert not (store.root / expired).exists()
    assert len(list(store.root.iterdir())) == 1


def test_discarded_and_deleted_uploads_are_gone(store: PendingUploads) -> None:
    ident = _add(store)
    store.discard(ident, ALICE)
    assert not (store.root / ident).exists()
    with pytest.raises(NotFound):
        store.find(ident, ALICE)
    ident = _add(store)
    with store.using(ident, ALICE) as pending:
        with pytest.raises(Busy):  # a second request for the same upload waits its turn
            store.discard(ident, ALICE)
        store.delete(pending)
    assert list(store.root.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("big.csv", b"a,b\n" * 500, TooLarge),
        ("data.exe", b"a,b\n", WrongType),
        ("noext", b"a,b\n", WrongType),
        ("empty.csv", b"", EmptyUpload),
    ],
)
def test_refused_uploads_leave_nothing(
    store: PendingUploads, name: str, content: bytes, error: type[Exception]
) -> None:
    with pytest.raises(error):
        store.create(ALICE, io.BytesIO(content), name, _report, max_bytes=1000, date=DAY)
    assert list(store.root.iterdir()) == []


def test_a_failed_scan_leaves_nothing(store: PendingUploads) -> None:
    def broken(_: Path) -> ScanReport:
        raise ValueError("the scanner failed")

    with pytest.raises(ValueError, match="scanner failed"):
        store.create(ALICE, io.BytesIO(b"a,b\n"), "d.csv", broken, max_bytes=1000, date=DAY)
    assert list(store.root.iterdir()) == []


def test_closing_deletes_everything(store: PendingUploads) -> None:
    _add(store)
    store.close()
    assert not store.root.exists()


def test_one_store_an_application_deleted_when_it_stops() -> None:
    app = SimpleNamespace(state=SimpleNamespace())
    close_pending(app)  # nothing made yet: nothing to do
    store = pending_uploads(app)
    assert pending_uploads(app) is store
    assert store.root.name.startswith("kuajing-pending-")
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    _add(store)
    close_pending(app)
    assert not store.root.exists()
