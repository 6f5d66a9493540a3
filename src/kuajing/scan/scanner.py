"""Scanning datasets: what each column holds, and how many distinct persons the data covers.

One pass over each file, in batches. The first rows of a file propose each column's kind (every
detector runs on them); the whole pass then counts, per column, the values of the proposed kind,
and collects the normalised person keys, so the distinct count is exact. `sample` limits the
detectors, never the person count, to the first rows of each file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Literal

import polars as pl

from kuajing.catalog.models import PersonalData
from kuajing.errors import DatasetError
from kuajing.ledger.identity import person_keys
from kuajing.scan import read as _read
from kuajing.scan.classify import Counts, Decision, decide
from kuajing.scan.detectors import KINDS, detector
from kuajing.scan.models import Column, Evidence, File, Persons, ScanReport
from kuajing.scan.names import NameEvidence, name_evidence
from kuajing.scan.notes import Notes
from kuajing.scan.stream import NotUtf8, Source, open_source

PROPOSAL_ROWS = 2_000  # rows every detector looks at to propose a column's kind
SAMPLE = 10_000  # rows of each file the detectors check by default (persons: every row)
BATCH_ROWS = 100_000
_FULL_WIDTH = r"[\u3000\uff01-\uff5e]"  # full-width forms that NFKC maps to ASCII


@dataclass
class Options:
    keys: Sequence[str] = ()
    sample: int | None = None  # None: detectors check every row
    as_of: dt.date = field(default_factory=dt.date.today)
    table: str | None = None
    batch_rows: int = BATCH_ROWS


@dataclass
class _Column:
    name: str
    hint: NameEvidence | None
    proposal: Decision | None = None
    checked: int = 0
    filled: int = 0
    matched: dict[str, int] = field(default_factory=dict)
    earliest: dt.date | None = None
    latest: dt.date | None = None

    @property
    def kinds(self) -> list[str]:
        """The kinds the whole pass counts: the proposed one and the one the name names."""
        wanted = [self.proposal.kind] if self.proposal else []
        if self.hint:
            wanted.append(self.hint.kind)
        return [k for k in dict.fromkeys(wanted) if k != "none"]

    def span_years(self) -> float | None:
        return _span(self.earliest, self.latest)


@dataclass
class _Run:
    data: PersonalData
    options: Options
    columns: dict[str, _Column] = field(default_factory=dict)
    key: list[str] = field(default_factory=list)
    key_basis: Literal["given", "detected", "none"] = "none"
    keys: list[pl.Series] = field(default_factory=list)
    sensitive_keys: list[pl.Series] = field(default_factory=list)
    minor_keys: list[pl.Series] = field(default_factory=list)
    missing: int = 0
    files: list[File] = field(default_factory=list)
    notes: Notes = field(default_factory=Notes)


def scan(locations: Sequence[str], data: PersonalData, options: Options) -> ScanReport:
    """Scan the datasets at `locations` as one dataset (their columns matched by name)."""
    if not locations:
        raise DatasetError("name at least one file (or a database URL with --table)")
    transcode: set[str] = set()
    while True:
        run = _Run(data, options)
        try:
            for location in locations:
                with open_source(
                    location,
                    table=options.table,
                    batch_rows=options.batch_rows,
                    transcode=location in transcode,
                ) as source:
                    _scan_source(run, source)
        except NotUtf8:
            # Not UTF-8 after all: read it again through GB18030, from the start.
            transcode.add(location)
            continue
        return _report(run, locations)


def _scan_source(run: _Run, source: Source) -> None:
    labels = _labels(source.header)
    first = next(source.batches, None)
    if first is None:
        raise DatasetError("no rows", file=source.label)
    for label in labels:
        if label not in run.columns:
            run.columns[label] = _Column(label, name_evidence(label, run.data.kinds))
    _propose(run, first[0].head(PROPOSAL_ROWS), labels)
    if not run.key and run.key_basis == "none":
        _choose_key(run, labels, source.label)
    rows = 0
    for batch, _ in chain([first], source.batches):
        frame = batch.rename(dict(zip(batch.columns, labels, strict=True)))
        limit = None if run.options.sample is None else max(run.options.sample - rows, 0)
        _count(run, frame, labels, limit)
        _persons(run, frame)
        rows += frame.height
    run.files.append(
        File(source=source.label, format=source.format, encoding=source.encoding, rows=rows)
    )


def _labels(header: list[str]) -> list[str]:
    """Column names as written; empty ones numbered, repeated ones marked, so each is unique."""
    labels: list[str] = []
    for i, raw in enumerate(header, start=1):
        name = raw.replace("\ufeff", "").strip() or f"#{i}"
        label, n = name, 2
        while label in labels:
            label, n = f"{name} ({n})", n + 1
        labels.append(label)
    return labels


def _cleaned(frame: pl.DataFrame, label: str) -> pl.Expr:
    """The column stripped, NFKC-normalised if it holds full-width forms, empty text as null."""
    column = pl.col(label)
    series = frame.get_column(label)
    if series.str.contains(_FULL_WIDTH).any():
        column = column.str.normalize("NFKC")
    column = column.str.strip_chars()
    cleaned: pl.Expr = pl.when(column.str.len_bytes() > 0).then(column)
    return cleaned


def _propose(run: _Run, head: pl.DataFrame, labels: list[str]) -> None:
    """Every detector on the first rows of each new column: the kind the whole pass checks."""
    new = [label for label in labels if run.columns[label].proposal is None]
    if not new:
        return
    frame = head.rename(dict(zip(head.columns, labels, strict=True)))
    exprs: list[pl.Expr] = []
    for i, label in enumerate(new):
        value = _cleaned(frame, label)
        exprs.append(value.is_not_null().sum().alias(f"n{i}"))
        exprs.extend(detector(k).is_valid(value).sum().alias(f"{k}{i}") for k in KINDS)
        exprs.append(_dates(value).max().alias(f"max{i}"))
        exprs.append(_dates(value).min().alias(f"min{i}"))
    row = frame.select(exprs).row(0, named=True)
    for i, label in enumerate(new):
        col = run.columns[label]
        span = _span(row[f"min{i}"], row[f"max{i}"])
        counts = Counts(row[f"n{i}"], {k: row[f"{k}{i}"] for k in KINDS}, span)
        col.proposal = decide(col.hint, counts, run.data.kinds)


def _dates(value: pl.Expr) -> pl.Expr:
    parsed: pl.Expr = detector("birth_date").parsed(value)
    return parsed


def _span(earliest: dt.date | None, latest: dt.date | None) -> float | None:
    if earliest is None or latest is None:
        return None
    return (latest - earliest).days / 365.25


def _choose_key(run: _Run, labels: list[str], source: str) -> None:
    given = [c.strip() for part in run.options.keys for c in part.split(",") if c.strip()]
    if given:
        for name in given:
            if name not in labels:
                raise DatasetError(_read._unknown(name, labels, "--key column"), file=source)
        run.key, run.key_basis = given, "given"
        return
    ranked = []
    for label in labels:
        proposal = run.columns[label].proposal
        if proposal is None or proposal.against_values:
            continue
        rank = run.data.kinds[proposal.kind].person_key if proposal.kind != "none" else None
        if rank is not None:
            ranked.append((rank, -proposal.matched, labels.index(label), label))
    if ranked:
        run.key, run.key_basis = [min(ranked)[3]], "detected"


def _count(run: _Run, frame: pl.DataFrame, labels: list[str], limit: int | None) -> None:
    # Empty fields read as null, so the null count is the filled count, and costs nothing.
    for label, nulls in zip(labels, frame.null_count().row(0), strict=True):
        run.columns[label].filled += frame.height - nulls
    checked = frame if limit is None else frame.head(limit)
    if checked.height == 0:
        return
    exprs: list[pl.Expr] = []
    for i, label in enumerate(labels):
        value = _cleaned(checked, label)
        kinds = run.columns[label].kinds
        exprs.append(value.is_not_null().sum().alias(f"n{i}"))
        exprs.extend(detector(k).is_valid(value).sum().alias(f"{k}{i}") for k in kinds)
        if "birth_date" in kinds:
            exprs += [_dates(value).min().alias(f"min{i}"), _dates(value).max().alias(f"max{i}")]
    row = checked.select(exprs).row(0, named=True)
    for i, label in enumerate(labels):
        col = run.columns[label]
        col.checked += row[f"n{i}"]
        for kind in col.kinds:
            col.matched[kind] = col.matched.get(kind, 0) + row[f"{kind}{i}"]
        if f"min{i}" in row:
            col.earliest = _earlier(col.earliest, row[f"min{i}"])
            col.latest = _later(col.latest, row[f"max{i}"])


def _earlier(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


def _later(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else max(a, b)


def _persons(run: _Run, frame: pl.DataFrame) -> None:
    if not run.key:
        return
    keys = person_keys(frame, run.key)
    present = keys.is_not_null()
    run.missing += frame.height - int(present.sum())
    run.keys.append(keys.filter(present).unique())
    sensitive = _sensitive_rows(run, frame)
    minors = _minor_rows(run, frame)
    run.sensitive_keys.append(keys.filter(present & (sensitive | minors)).unique())
    run.minor_keys.append(keys.filter(present & minors).unique())


def _sensitive_rows(run: _Run, frame: pl.DataFrame) -> pl.Series:
    columns = [
        label
        for label, col in run.columns.items()
        if label in frame.columns and col.proposal and _sensitive(run, col.proposal.kind)
    ]
    if not columns:
        return pl.Series([False] * frame.height)
    filled = [pl.col(label).is_not_null() for label in columns]
    return frame.select(pl.any_horizontal(filled)).to_series()


def _minor_rows(run: _Run, frame: pl.DataFrame) -> pl.Series:
    """Rows whose person is under the minors' age on `as_of`, by resident ID or birth date."""
    cutoff = _years_before(run.options.as_of, run.data.minors.age_below)
    born: list[pl.Expr] = []
    for label, col in run.columns.items():
        kind = col.proposal.kind if col.proposal else "none"
        if label not in frame.columns or kind not in ("resident_id", "birth_date"):
            continue
        # Every row, so only the cheap part: the birth date an ID encodes, not its check digit.
        value = pl.col(label)
        born.append(detector(kind).birth_date(value) if kind == "resident_id" else _dates(value))
    if not born:
        return pl.Series([False] * frame.height)
    under = [(b > cutoff).fill_null(False) for b in born]
    return frame.select(pl.any_horizontal(under)).to_series()


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (28 February for 29 February). Born after it: younger."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _sensitive(run: _Run, kind: str) -> bool:
    return kind != "none" and run.data.kinds[kind].sensitive


def _distinct(parts: list[pl.Series]) -> int:
    if not parts:
        return 0
    return pl.concat(parts).n_unique()


def _report(run: _Run, locations: Sequence[str]) -> ScanReport:
    columns = [_column(run, col) for col in run.columns.values()]
    persons = _persons_report(run)
    sample = run.options.sample
    if sample is not None and any(f.rows > sample for f in run.files):
        run.notes.add("sample", n=sample)
    if persons.minors:
        rule = run.data.minors.cite[0]
        run.notes.add(
            "minors",
            n=persons.minors,
            date=run.options.as_of.isoformat(),
            age=run.data.minors.age_below,
            rule=f"{rule.source} {rule.article or ''}".strip(),
        )
    sensitive = any(c.sensitive and c.filled for c in columns) or bool(persons.minors)
    return ScanReport(
        sources=[f.source for f in run.files],
        rows=sum(f.rows for f in run.files),
        columns=columns,
        persons=persons,
        personal=any(c.personal and c.filled for c in columns),
        sensitive=sensitive,
        as_of=run.options.as_of,
        sample=run.options.sample,
        files=run.files,
        notes=run.notes.items,
    )


def _column(run: _Run, col: _Column) -> Column:
    span = col.span_years()
    final = decide(col.hint, Counts(col.checked, col.matched, span), run.data.kinds)
    proposal = col.proposal
    if proposal and proposal.kind != final.kind:
        run.notes.add("proposal_changed", column=col.name, kind=final.kind)
    kind = run.data.kinds.get(final.kind)
    _explain(run, col, final)
    values = final.values_kind or (proposal.values_kind if proposal else None)
    return Column(
        name=col.name,
        kind=final.kind,
        sensitive=bool(kind and kind.sensitive),
        confidence=final.confidence,
        matched=final.matched,
        checked=col.checked,
        personal=bool(kind and kind.personal),
        filled=col.filled,
        evidence=Evidence(
            name=col.hint.kind if col.hint else None,
            values=values,
            name_score=col.hint.score if col.hint else 0.0,
            value_rate=round(final.value_rate, 4),
        ),
        review=kind.review if kind else None,
    )


def _explain(run: _Run, col: _Column, final: Decision) -> None:
    kinds = run.data.kinds
    if final.against_values and col.filled:
        k = kinds[final.kind].name
        run.notes.add("against_values", column=col.name, kind_zh=k.zh, kind_en=k.en)
    elif col.hint and final.kind not in ("none", col.hint.kind):
        n, k = kinds[col.hint.kind].name, kinds[final.kind].name
        run.notes.add(
            "name_conflict", column=col.name, name_zh=n.zh, name_en=n.en, kind_zh=k.zh, kind_en=k.en
        )


def _persons_report(run: _Run) -> Persons:
    if not run.key:
        run.notes.add("no_key")
        return Persons(key=[], distinct=None, basis="none")
    if run.missing:
        run.notes.add("missing_key", n=run.missing)
    kind = run.columns[run.key[0]].proposal if len(run.key) == 1 else None
    return Persons(
        key=run.key,
        distinct=_distinct(run.keys),
        basis=run.key_basis,
        key_kind=kind.kind if kind and kind.kind != "none" else None,
        missing=run.missing,
        sensitive=_distinct(run.sensitive_keys),
        minors=_distinct(run.minor_keys),
    )
