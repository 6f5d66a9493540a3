"""Ledger use cases for the CLI and API: record a file, report status, fill `prior`."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any

from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang
from kuajing.catalog.models import NationalRegime
from kuajing.engine.request import Counts, Prior, Request
from kuajing.errors import LedgerError, RequestError
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import NATIONAL, Batch, CounterCounts, Status
from kuajing.ledger.status import build_status
from kuajing.spreadsheet import write_csv
from kuajing.trail.batches import on_batch

if TYPE_CHECKING:
    from kuajing.engine.decision import Decision


def status(
    ledger: Ledger,
    catalog: Catalog,
    processor: str,
    year: int | None = None,
    today: dt.date | None = None,
) -> Status:
    today = today or dt.date.today()
    year = year or today.year
    if year > today.year:
        raise RequestError(f"{year} has not begun", path="year")
    _known(ledger, processor)
    as_of = min(today, dt.date(year, 12, 31))
    regime = _regime(catalog, as_of)
    counts = ledger.counts(processor, year, as_of)
    every = ledger.batches(processor, year)
    exempt = sum(1 for b in every if not b.counted)
    series = ledger.daily_national(processor, year)
    return build_status(processor, year, as_of, regime, counts, series, (len(every), exempt))


def prior_from_ledger(ledger: Ledger, catalog: Catalog, processor: str, request: Request) -> Prior:
    """The persons the ledger holds for `processor` in the request's counting window, through
    the request's date (batches of that day included)."""
    if request.prior != Prior():
        raise RequestError(
            "the request gives prior counts and --ledger fills them: use one", path="prior"
        )
    _known(ledger, processor)
    regime = _regime(catalog, request.date)
    if regime.window == "current_year":
        counts = ledger.counts(processor, request.date.year, request.date)
    else:
        start = dt.date(request.date.year - 1, 1, 1)
        counts = ledger.distinct_between(processor, start, request.date)
    national = counts.get(NATIONAL, CounterCounts())
    return Prior(
        **national.model_dump(),
        scenarios={s: Counts(**c.model_dump()) for s, c in counts.items() if s != NATIONAL},
    )


def assess_with_ledger(
    ledger: Ledger,
    processor: str,
    text: str,
    name: str,
    lang: Lang,
    explain: bool,
    catalog: Catalog,
) -> Decision:
    """`kuajing assess --ledger`: the request's prior counts come from the ledger."""
    # Imported here: `ledger status` and the other ledger commands never assess.
    from kuajing.services.assess import assess_text  # noqa: PLC0415

    return assess_text(
        text,
        name=name,
        lang=lang,
        explain=explain,
        catalog=catalog,
        fill_prior=lambda request: prior_from_ledger(ledger, catalog, processor, request),
    )


def export_batches(ledger: Ledger, processor: str | None = None, year: int | None = None) -> str:
    """Batch metadata as CSV: what left, when, to whom, how many persons. Never identifiers."""
    out = io.StringIO()
    fields = [
        "id",
        "digest",
        "processor",
        "date",
        "scenario",
        "scopes",
        "exemption",
        "counted",
        "sensitive",
        "recipient",
        "source",
        "format",
        "key_columns",
        "rows",
        "persons",
        "recorded_at",
    ]
    rows: list[list[Any]] = [fields]
    for b in ledger.batches(processor, year):
        row = b.model_dump(mode="json")
        row.update(
            id=b.id,
            counted=b.counted,
            scopes=" ".join(b.scopes),
            key_columns=" ".join(b.key_columns),
        )
        rows.append([row[k] if row[k] is not None else "" for k in fields])
    write_csv(out, rows)  # a recipient or column named =HYPERLINK(...) stays text
    return out.getvalue()


def remove_batch(ledger: Ledger, batch: str, processor: str | None, reason: str) -> Batch:
    """The operator's removal (command line): the audit trail says so."""
    also = on_batch(ledger.keyring, None, "ledger.batch_removed")
    return ledger.remove(batch, processor, reason, also)


def _regime(catalog: Catalog, day: dt.date) -> NationalRegime:
    regime = catalog.regime_on(day)
    if regime is None:
        raise RequestError(f"no national regime in the catalogue on {day}", path="date")
    return regime


def _known(ledger: Ledger, processor: str) -> None:
    names = ledger.processors()
    if processor not in names:
        known = ", ".join(repr(n) for n in names[:5])
        raise LedgerError(
            f"no processor named {processor!r} in the ledger (it has: {known or 'none yet'})",
            zh=f"台账中没有名为 {processor!r} 的处理者（现有：{known or '尚无'}）",
        )
