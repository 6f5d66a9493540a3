"""The table pages' rows as a spreadsheet holds them: the page's columns, headed in the reader's
language, values as a compliance officer reads them (ISO dates, pathways and states in words),
and no internal id except the record's own reference."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kuajing.catalog.base import Text
from kuajing.i18n import PATHWAYS, STATUS
from kuajing.lang import Lang
from kuajing.services.filing_list import Listing
from kuajing.services.zone_review import KIND_NAMES, Item
from kuajing.spreadsheet import Cell
from kuajing.web.i18n import t
from kuajing.web.views.scan import BatchLine

Grid = list[list[Cell]]


def _heads(keys: Iterable[str], lang: Lang) -> list[Cell]:
    return [t(k, lang) for k in keys]


def _words(names: Mapping[str, Text], key: str, lang: Lang) -> str:
    found = names.get(key)
    return found.get(lang) if found else key


def batches(lines: list[BatchLine], exemptions: Iterable[str], lang: Lang) -> Grid:
    keys = (
        "export_date",
        "batches_batch",
        "batches_source",
        "batches_rows",
        "batches_persons",
        "batches_sensitive",
        "batches_scenario",
        "batches_recipient",
        "batches_exempt",
    )
    known = set(exemptions)
    rows: Grid = [_heads(keys, lang)]
    for line in lines:
        b = line.batch
        exempt = t(f"exemption_{b.exemption}", lang) if b.exemption in known else b.exemption
        rows.append(
            [
                b.date.isoformat(),
                b.id,
                b.source,
                b.rows,
                b.persons,
                t("answer_yes" if b.sensitive else "answer_no", lang),
                line.scenario.get(lang) if line.scenario else b.scenario or "",
                b.recipient or "",
                exempt or "",
            ]
        )
    return rows


def decisions(items: list[dict[str, Any]], lang: Lang) -> Grid:
    """`items`: the decisions page's (record, asked, decision) dictionaries."""
    keys = (
        "download_reference",
        "created",
        "export_date",
        "processor_name",
        "pathway",
        "status",
        "transfers",
    )
    rows: Grid = [_heads(keys, lang)]
    for it in items:
        record, decision = it["record"], it["decision"]
        rows.append(
            [
                record.id,
                record.created_at[:16].replace("T", " "),
                decision["date"],
                it["asked"]["processor"]["name"],
                _words(PATHWAYS, decision["pathway"], lang),
                _words(STATUS, decision["status"], lang),
                len(decision["transfers"]),
            ]
        )
    return rows


def filings(listing: Listing, lang: Lang) -> Grid:
    keys = (
        "filings_procedure",
        "filings_subject",
        "filings_state",
        "filings_next",
        "download_due_date",
        "download_deadline_state",
    )
    rows: Grid = [_heads(keys, lang)]
    for row in listing.rows:
        f, p, nd = row.view.filing, row.view.procedure, row.next
        state = t("filing_needs_review", lang) if p.status == "unknown" else row.view.state_name
        if f.closed:
            state = f"{state} ({t('filings_closed_mark', lang)})"
        due = ["", "", ""]
        if nd is not None:
            when = nd.date.isoformat() if nd.date else ""
            due = [nd.name, when, t(f"filing_dl_{nd.state}", lang)]
        rows.append([p.name.get(lang), f.subject, state or "", *due])
    return rows


def submissions(items: list[Item], lang: Lang, company: bool) -> Grid:
    """The zone's queue (`company`: with the company's column) or a company's submissions."""
    keys = (
        "zone_kind",
        "zone_procedure",
        "zone_submitted",
        "zone_due",
        "download_days_left",
        "zone_state",
    )
    rows: Grid = [_heads(("zone_company", *keys) if company else keys, lang)]
    for item in items:
        s, c = item.submission, item.clock
        submitted = s.history[0].on.isoformat() if s.history else s.created_at[:10]
        due: list[Cell] = ["", ""]
        if not s.closed:
            left = item.working_days_left
            due = [c.date.isoformat(), left] if c.date else [t("zone_no_limit", lang), ""]
        line: list[Cell] = [
            KIND_NAMES[s.kind][lang],
            item.procedure.name.get(lang),
            submitted,
            *due,
            t(f"zone_state_{s.state}", lang),
        ]
        rows.append([s.organisation, *line] if company else line)
    return rows


def statistics(charts: Iterable[Any], lang: Lang) -> Grid:
    """Every chart's bars: the figure, the category, the count (as the charts' tables)."""
    rows: Grid = [_heads(("download_figure", "stats_category", "stats_count"), lang)]
    rows += [[c.title, b.label, b.count] for c in charts for b in c.bars]
    return rows
