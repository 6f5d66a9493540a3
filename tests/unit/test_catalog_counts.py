"""Pinned sizes of every list: published counts as the reference gives them, and what is
encoded. An accidental deletion (or an unreviewed addition) of catalogue content fails here."""

from __future__ import annotations

import datetime as dt

import pytest

from kuajing.catalog import default_catalog
from kuajing.services.catalog import coverage
from kuajing.services.in_force import in_force

# list id: ((published sectors, scenarios, sub-classes, items, fields),
#           (encoded sectors, scenarios, entries, distinct fields))
# beijing-2025 counts the five sectors it incorporates from beijing-2024 (BJ25-CARRY).
PINNED = {
    "beijing-2024": ((5, 23, None, 48, 198), (5, 13, 28, 63)),
    "beijing-2025": ((9, 67, None, None, 612), (9, 13, 25, 60)),
    "chongqing-2025": ((1, 9, None, 110, None), (1, 0, 4, 8)),
    "fujian-2025": ((4, 26, None, 298, None), (4, 0, 0, 0)),
    "guangdong-2026": ((2, 7, None, 67, None), (2, 0, 0, 0)),
    "guangxi-2025": ((4, None, None, None, None), (4, 0, 0, 0)),
    "hainan-2024": ((5, 14, None, None, None), (5, 0, 0, 0)),
    "jiangsu-2025": ((1, 21, None, None, None), (1, 0, 0, 0)),
    "lingang-2024-general": ((3, 11, 64, None, 600), (3, 9, 4, 2)),
    "shanghai-2024": ((3, 6, None, 84, None), (3, 6, 5, 23)),
    "shanghai-2025": ((4, 9, 29, 109, None), (4, 1, 4, 15)),
    "tianjin-2024": ((13, None, 46, None, None), (13, 0, 5, 5)),
    "zhejiang-2024": ((2, 8, None, 134, None), (2, 8, 4, 46)),
}
ROWS = {r.id: r for r in coverage(default_catalog(), "en", dt.date(2026, 11, 21))}


def test_every_list_of_the_reference_is_in_the_catalogue() -> None:
    assert set(ROWS) == set(PINNED)


@pytest.mark.parametrize("list_id", sorted(PINNED))
def test_counts(list_id: str) -> None:
    p, e = ROWS[list_id].published_counts, ROWS[list_id].encoded_counts
    published = (p.sectors, p.scenarios, p.sub_classes, p.items, p.fields)
    encoded = (e.sectors, e.scenarios, e.items, e.fields)
    assert (published, encoded) == PINNED[list_id]


def test_headers_only_lists_leave_every_scope_unencoded() -> None:
    for row in ROWS.values():
        if row.encoded == "headers_only":
            assert row.unencoded_scenarios, row.id


def test_in_force_figure() -> None:
    """The figure the README records for 2026-12-06: how many published scenarios (and Tianjin
    sub-classes) of the lists in force the engine decides. A change of rules moves it on
    purpose; the README must move with it."""
    figure = in_force(default_catalog(), dt.date(2026, 12, 6))
    assert (figure.decide, figure.in_part, figure.published) == (19, 8, 207)
    assert figure.not_counted == ["guangxi-2025"]
    by_list = {x.id: (x.decide, x.in_part) for x in figure.lists}
    assert by_list["beijing-2025"] == (9, 0)  # 5 pharmaceutical + 4 automotive (OTA needs review)
    assert by_list["chongqing-2025"] == (9, 0)
    assert by_list["tianjin-2024"] == (1, 0)
    assert by_list["zhejiang-2024"] == (0, 8)  # ordinary PI below the inferred assessment bands
