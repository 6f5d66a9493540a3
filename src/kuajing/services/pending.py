"""Uploads pending review: kept between the scan and the recording of a batch, then deleted.

Recording needs the raw file again after the user has reviewed the scan, so the upload cannot be
deleted on leaving the request as `uploads.saved` does. Each one waits in a private folder
(0700) of this process's temporary directory, under a random id, bound to the organisation and
user who uploaded it, with its scan report beside it (JSON). It is deleted when recorded,
discarded, expired (30 minutes; expired ones go whenever one is created or looked up), and all
of them when the application stops (or, failing that, when the store is collected or the
process exits)."""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from kuajing.accounts.models import Principal
from kuajing.errors import KuajingError, NotFound
from kuajing.scan.models import ScanReport
from kuajing.services.uploads import copy_limited, upload_name

TTL = dt.timedelta(minutes=30)
META = "pending.json"
_ID = re.compile(r"[A-Za-z0-9_-]{20,64}")  # what secrets.token_urlsafe makes


class Busy(KuajingError):
    """Another request of the same user is recording or discarding this upload right now."""


class Pending(BaseModel):
    """An upload waiting for review, and what was asked when it was uploaded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    organisation_id: int
    user_id: int
    filename: str  # the uploaded name only: the ledger records it as the batch's source
    created: dt.datetime
    expires: dt.datetime
    date: dt.date  # the export date given at upload
    scenario: str | None = None
    keys: list[str] = []
    report: ScanReport


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class PendingUploads:
    """The pending uploads of one application (one process)."""

    def __init__(
        self,
        root: Path | None = None,
        *,
        ttl: dt.timedelta = TTL,
        clock: Callable[[], dt.datetime] = _now,
    ) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kuajing-pending-")) if root is None else root
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)
        self.ttl = ttl
        self.clock = clock
        self._lock = threading.Lock()
        self._busy: set[str] = set()  # ids a request is writing, recording or discarding
        # Removes the folder if close() is never called (the app did not shut down cleanly).
        self._finalizer = weakref.finalize(self, shutil.rmtree, str(self.root), True)

    # -- the life of one upload ----------------------------------------------------------
    def create(
        self,
        who: Principal,
        stream: BinaryIO,
        filename: str,
        scan: Callable[[Path], ScanReport],
        *,
        max_bytes: int,
        date: dt.date,
        scenario: str | None = None,
        keys: list[str] | None = None,
    ) -> Pending:
        """Keep the upload, scan it with `scan(path)` and keep the report beside it. Nothing is
        kept if the upload is refused or the scan fails."""
        name = upload_name(filename)
        self.purge()
        ident = secrets.token_urlsafe(24)
        with self._claimed(ident):
            folder = self.root / ident
            folder.mkdir(mode=0o700)
            try:
                path = folder / name
                copy_limited(stream, path, max_bytes, name)
                now = self.clock()
                pending = Pending(
                    id=ident,
                    organisation_id=who.organisation.id,
                    user_id=who.user.id,
                    filename=name,
                    created=now,
                    expires=now + self.ttl,
                    date=date,
                    scenario=scenario,
                    keys=keys or [],
                    report=scan(path),
                )
                _write_private(folder / META, pending.model_dump_json().encode())
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
        return pending

    def find(self, ident: str, who: Principal) -> Pending:
        """The upload `ident` of this user of this organisation; NotFound for anyone else's,
        an expired one or one that never was (the same answer, so ids reveal nothing)."""
        self.purge()
        pending = self._load(ident)
        if (
            pending is None
            or pending.organisation_id != who.organisation.id
            or pending.user_id != who.user.id
        ):
            raise NotFound("this upload is no longer pending: upload the file again")
        return pending

    def path(self, pending: Pending) -> Path:
        return self.root / pending.id / pending.filename

    @contextmanager
    def using(self, ident: str, who: Principal) -> Iterator[Pending]:
        """The upload held for this request alone (to record or discard it): no other request
        and no purge deletes it meanwhile."""
        pending = self.find(ident, who)
        with self._claimed(pending.id):
            if self._load(pending.id) is None:  # deleted between find and claim
                raise NotFound("this upload is no longer pending: upload the file again")
            yield pending

    def delete(self, pending: Pending) -> None:
        shutil.rmtree(self.root / pending.id, ignore_errors=True)

    def discard(self, ident: str, who: Principal) -> None:
        with self.using(ident, who) as pending:
            self.delete(pending)

    # -- housekeeping ----------------------------------------------------------------------
    def purge(self) -> int:
        """Delete expired uploads (and leftovers of failed ones); how many were deleted."""
        now, removed = self.clock(), 0
        for folder in self.root.iterdir():
            with self._lock:
                if folder.name in self._busy:
                    continue
                pending = self._load(folder.name)
                if pending is None or pending.expires <= now:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed += 1
        return removed

    def close(self) -> None:
        """Delete every pending upload and the folder (when the application stops)."""
        self._finalizer()

    @contextmanager
    def _claimed(self, ident: str) -> Iterator[None]:
        with self._lock:
            if ident in self._busy:
                raise Busy("this upload is being recorded or discarded; reload the page")
            self._busy.add(ident)
        try:
            yield
        finally:
            with self._lock:
                self._busy.discard(ident)

    def _load(self, ident: str) -> Pending | None:
        if not _ID.fullmatch(ident):
            return None
        try:
            data = (self.root / ident / META).read_bytes()
            return Pending.model_validate_json(data)
        except (OSError, ValidationError):
            return None


# -- the upload itself -------------------------------------------------------------------------
def _write_private(path: Path, data: bytes) -> None:
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(data)


# -- one store an application ----------------------------------------------------------------
class _App(Protocol):
    state: Any


_CREATING = threading.Lock()


def pending_uploads(app: _App) -> PendingUploads:
    """The application's store, made the first time it is asked for."""
    with _CREATING:
        store: PendingUploads | None = getattr(app.state, "pending", None)
        if store is None:
            store = PendingUploads()
            app.state.pending = store
    return store


def close_pending(app: _App) -> None:
    """Delete the application's pending uploads: call when it stops."""
    store: PendingUploads | None = getattr(app.state, "pending", None)
    if store is not None:
        store.close()
