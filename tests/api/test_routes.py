"""The API's paths, from its OpenAPI document: a path parameter never admits the name of a
route beside it. `/v1/filings/due` once was also `/v1/filings/{filing_id}` with the id "due" by
the schema, so a client (and Schemathesis) could expect a filing and get the list of deadlines."""

from __future__ import annotations

import re
from typing import Any

from tests.api.openapi import document

PATHS: dict[str, Any] = document()["paths"]
METHODS = {"get", "post", "put", "patch", "delete"}


def _admits(parameter: dict[str, Any], name: str) -> bool:
    schema = parameter.get("schema", {})
    if schema.get("type") not in (None, "string"):
        return False  # an integer id never reads a name
    pattern = schema.get("pattern")
    return (
        schema.get("minLength", 0) <= len(name) <= schema.get("maxLength", len(name))
        and (pattern is None or re.search(pattern, name) is not None)
        and name not in ("", ".", "..")
    )


def _siblings(path: str, method: str) -> list[str]:
    """The literal last segments of the other paths beside `path` that have `method`."""
    head = path.rsplit("/", 1)[0]
    return [
        other.rsplit("/", 1)[1]
        for other, item in PATHS.items()
        if other.rsplit("/", 1)[0] == head and not other.endswith("}") and method in item
    ]


def _collisions() -> list[str]:
    found = []
    for path, item in PATHS.items():
        if not path.endswith("}"):
            continue
        name = path.rsplit("/{", 1)[1].rstrip("}")
        for method in METHODS & set(item):
            params = item[method].get("parameters", [])
            parameter = next(p for p in params if p["in"] == "path" and p["name"] == name)
            found += [
                f"{method.upper()} {path} admits {path.rsplit('/', 1)[0]}/{sibling}"
                for sibling in _siblings(path, method)
                if _admits(parameter, sibling)
            ]
    return found


def test_no_path_parameter_admits_a_sibling_routes_name() -> None:
    assert _collisions() == []


def test_the_check_sees_a_collision() -> None:
    assert _admits({"schema": {"type": "string", "minLength": 1, "maxLength": 64}}, "due")
    assert not _admits({"schema": {"type": "string", "pattern": r"^[0-9a-f]{32}$"}}, "due")
    assert not _admits({"schema": {"type": "integer"}}, "due")
