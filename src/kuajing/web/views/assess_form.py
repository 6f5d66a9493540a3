"""The guided assessment form: the scenarios a zone's lists name, a request built from the
form's flat fields (`transfers.0.personal`), and the form's values from a logged request."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from kuajing.catalog import Catalog
from kuajing.catalog.base import Text
from kuajing.catalog.catalog import Site
from kuajing.engine import Request
from kuajing.errors import RequestError
from kuajing.web.views.form_errors import FormInvalid, problem

_INDEX = re.compile(r"^\d+$")
LINES = ("important_data", "fields")  # textareas: one item a line
FLAGS = ("ciio", "foreign_authority", "restricted_list", "core_data")  # checkboxes


@dataclass(frozen=True)
class ScenarioGroup:
    """The scenarios of one sector of a list in force for the zone."""

    list_id: str
    list_title: Text
    sector: Text
    scenarios: list[tuple[str, Text]]  # (the value the engine takes: the Chinese name, name)
    whole_sector: bool = False  # the list's scenarios are not encoded: the sector is the scope


def scenario_choices(
    catalog: Catalog, zone: str | None, day: dt.date, city: str | None = None
) -> list[ScenarioGroup]:
    """The scenarios of every list the zone (or, outside any zone, the city: city-wide lists)
    applies on `day`, its own and adopted ones."""
    zone = catalog.zone_id(zone) if zone else None
    city = catalog.zones[zone].city if zone else catalog.city_id(city) if city else None
    if not (zone or city):
        return []
    sites = (Site(city=city, zone=zone),)
    lists = list(catalog.lists_at(sites, day))
    for adoption in catalog.adoptions_at(sites, day):
        for zl in catalog.lists.values():
            if adoption.covers(zl) and zl.in_force.covers(day) and zl not in lists:
                lists.append(zl)
    return [
        ScenarioGroup(zl.id, zl.title, sector.name, [(s.name.zh, s.name) for s in sector.scenarios])
        if sector.scenarios
        else ScenarioGroup(zl.id, zl.title, sector.name, [(sector.name.zh, sector.name)], True)
        for zl in lists
        for sector in zl.sectors
    ]


def build_request(fields: Iterable[tuple[str, str]]) -> Request:
    """A request from form fields named by their path; bad values are a `FormInvalid` naming
    each field as the form names it."""
    data: dict[str, Any] = {}
    for name, raw in fields:
        value = _value(name, raw)
        if value is not None:
            _put(data, name.split("."), value)
    listed = _listed(data.get("transfers", {}))
    data["transfers"] = [row for _, row in listed]
    _one_place(data.get("processor", {}))
    try:
        return Request.model_validate(data)
    except ValidationError as exc:
        rows = [i for i, _ in listed]
        problems = [problem(err, rows) for err in exc.errors()]
        raise FormInvalid(problems, exc.errors()[0]["msg"]) from None


def _one_place(processor: dict[str, Any]) -> None:
    """The form offers the zone and, beside it, a city of registration: both chosen, they are
    one place of registration (the request's short form `zone` is for the zone alone)."""
    registered = processor.get("registered")
    if isinstance(registered, dict) and processor.get("zone") is not None:
        registered.setdefault("zone", processor.pop("zone"))


def _value(name: str, raw: str) -> Any:
    leaf = name.rsplit(".", 1)[-1]
    text = raw.strip()
    if leaf in FLAGS:
        return text in ("on", "true", "1")
    if leaf in LINES:
        return [line.strip() for line in text.splitlines() if line.strip()] or None
    return text or None  # empty fields take the request's defaults


def _put(data: dict[str, Any], path: list[str], value: Any) -> None:
    node = data
    for part in path[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise RequestError("is not a group of fields", path=".".join(path))
    node[path[-1]] = value


def _listed(transfers: dict[str, Any]) -> list[tuple[int, Any]]:
    """The form's transfers.0, transfers.1 … in order with their row numbers, leaving out
    rows left blank."""
    rows = [(int(k), v) for k, v in transfers.items() if _INDEX.match(k)]
    return [(i, row) for i, row in sorted(rows) if _filled(row)]


def _filled(row: Any) -> bool:
    return isinstance(row, dict) and any(
        v not in (None, False, {}) for k, v in row.items() if k != "id"
    )


def form_values(request: Request) -> dict[str, str]:
    """The form's fields for a request (to assess it again with changes)."""
    out: dict[str, str] = {}
    _flatten(request.model_dump(mode="json", exclude_defaults=False), "", out)
    return out


def _flatten(value: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}{key}.", out)
    elif isinstance(value, list) and prefix.rstrip(".").rsplit(".", 1)[-1] in LINES:
        out[prefix.rstrip(".")] = "\n".join(str(v) for v in value)
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            _flatten(inner, f"{prefix}{i}.", out)
    elif value is not None:
        out[prefix.rstrip(".")] = ("on" if value else "") if isinstance(value, bool) else str(value)
