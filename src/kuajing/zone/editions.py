"""List editions placed in time. A zone publishes a new edition of its list with an effective
date; from that day it is the zone's list, so the edition in force that day ends the day before,
and the new one ends the day before a later edition (if one is already known) begins. The
catalogue allows one negative list per zone at a time; this keeps it so.

Pure: a catalogue and the published editions in, a catalogue out (the service loads them)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from kuajing.catalog import Catalog
from kuajing.catalog.base import Period
from kuajing.catalog.models import Source, ZoneList
from kuajing.errors import KuajingError
from kuajing.zone.models import Edition

ORIGIN = "zone edition"  # a published edition's lists name this as their origin in decisions


def zone_list(edition: Edition) -> ZoneList:
    """The edition's list as imported (in force from its published date until placed)."""
    return ZoneList.model_validate(yaml.safe_load(edition.data))


def _period(start: dt.date, until: dt.date | None) -> Period:
    return Period.model_validate({"from": start, "until": until})


def _rivals(new: ZoneList, other: ZoneList) -> bool:
    """Lists that may not be in force together: the same kind for a shared zone, or the one the
    new edition says it supersedes."""
    same_kind = other.kind == new.kind and bool(set(other.zones) & set(new.zones))
    return other.id != new.id and (same_kind or other.id == new.supersedes)


def placement(
    lists: Iterable[ZoneList], new: ZoneList, effective_from: dt.date
) -> dict[str, Period]:
    """The periods that change when `new` takes effect on `effective_from`: its own, and those
    of the lists it ends. Raises `KuajingError` when a rival list begins that very day."""
    rivals = [zl for zl in lists if _rivals(new, zl)]
    clash = [zl.id for zl in rivals if zl.in_force.start == effective_from]
    if clash:
        raise KuajingError(
            f"{clash[0]} already takes effect on {effective_from}: choose another effective date"
            f" / {clash[0]} 已于该日施行，请另选生效日期"
        )
    later = [zl.in_force.start for zl in rivals if zl.in_force.start > effective_from]
    until = min(later) - dt.timedelta(days=1) if later else None
    periods = {new.id: _period(effective_from, until)}
    day_before = effective_from - dt.timedelta(days=1)
    for zl in rivals:
        if zl.in_force.covers(effective_from):
            periods[zl.id] = _period(zl.in_force.start, day_before)
    return periods


def with_editions(catalog: Catalog, editions: Iterable[Edition]) -> Catalog:
    """`catalog` with each edition in force from its effective date, in the order given (the
    order they were published); editions without an effective date are placed at their
    published date (a draft's trial placement)."""
    lists, sources, origins = dict(catalog.lists), dict(catalog.sources), dict(catalog.origins)
    digest = hashlib.sha256(catalog.digest.encode())
    for edition in editions:
        new = zone_list(edition)
        start = edition.effective_from or new.published
        for list_id, period in placement(lists.values(), new, start).items():
            lists[list_id] = (new if list_id == new.id else lists[list_id]).model_copy(
                update={"in_force": period}
            )
        sources.update({k: Source.model_validate(v) for k, v in edition.sources.items()})
        origins[new.id] = f"{ORIGIN} {edition.zone}/{new.edition}"
        digest.update(f"{edition.id}\0{start}\0{edition.data}".encode())
    if lists == catalog.lists:
        return catalog
    return _rebuilt(catalog, lists, sources, origins, f"{catalog.digest}+{digest.hexdigest()[:8]}")


def _rebuilt(
    catalog: Catalog,
    lists: Mapping[str, ZoneList],
    sources: Mapping[str, Source],
    origins: Mapping[str, str],
    digest: str,
) -> Catalog:
    """A new catalogue (its look-up indexes built afresh) with other lists and sources."""
    kept: dict[str, Any] = {
        f.name: getattr(catalog, f.name)
        for f in dataclasses.fields(catalog)
        if f.init and not f.name.startswith("_")
    }
    kept.update(
        lists=dict(lists), sources=dict(sources), origins=dict(origins), digest=digest, memo={}
    )
    return Catalog(**kept)


def in_force_on(catalog: Catalog, zone: str, day: dt.date, kind: str) -> ZoneList | None:
    """The zone's list of `kind` in force on `day`, if any."""
    return next((zl for zl in catalog.lists_in_force(zone, day) if zl.kind == kind), None)
