"""How many persons a logged request declared, per transfer and before it: the figure a zone
reviewer checks first. Read from the request as it was logged (a `Request` dumped to JSON), so
a transfer that declared only sensitive PI shows that count (the `personal` counter is then 0
and `persons`, the optional distinct total, is absent)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Persons:
    personal: int  # persons whose (non-sensitive) PI is exported
    sensitive: int  # persons whose sensitive PI is exported
    distinct: int | None  # both counters' distinct total, when it was declared

    @property
    def any(self) -> bool:
        return bool(self.personal or self.sensitive or self.distinct)


@dataclass(frozen=True)
class TransferPersons:
    id: str
    persons: Persons
    already_counted: Persons | None  # of these, counted before (earlier exports or transfers)
    fields: list[str]
    recipient: str | None


@dataclass(frozen=True)
class Declared:
    transfers: list[TransferPersons]
    earlier: Persons | None  # the request's prior exports in the counting window; None: none

    def by_id(self) -> dict[str, TransferPersons]:
        return {t.id: t for t in self.transfers}


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _persons(counts: Any) -> Persons | None:
    if not isinstance(counts, Mapping):
        return None
    distinct = counts.get("persons")
    found = Persons(
        _count(counts.get("personal")),
        _count(counts.get("sensitive")),
        distinct if isinstance(distinct, int) else None,
    )
    return found if found.any else None


def _transfer(t: Mapping[str, Any]) -> TransferPersons:
    named = t.get("recipient")
    recipient: Mapping[str, Any] = named if isinstance(named, Mapping) else {}
    return TransferPersons(
        str(t.get("id") or ""),
        _persons(t) or Persons(0, 0, None),
        _persons(t.get("already_counted")),
        [str(f) for f in t.get("fields") or []],
        recipient.get("name") or None,
    )


def declared(request: Mapping[str, Any] | None) -> Declared:
    """What the logged request declared (nothing when the filing came from no decision)."""
    if not request:
        return Declared([], None)
    transfers = [_transfer(t) for t in request.get("transfers") or [] if isinstance(t, Mapping)]
    return Declared(transfers, _persons(request.get("prior")))
