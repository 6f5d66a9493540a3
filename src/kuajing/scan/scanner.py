"""Scanning datasets: what each column holds, and how many distinct persons the data covers.

One pass over each file, in batches. The first rows of a file propose each column's kind (every
detector runs on them); the whole pass then counts, per column, the values of the proposed kind,
and collects the normalised person keys, so the distinct count is exact. `sample` limits the
detectors, never the person count, to the first rows of each file.

A detector checks only the values its PLAUSIBLE pattern admits, and the person keys of a batch
are collected in a worker thread while the main thread runs the detectors on it and reads the
next one.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from typing import Literal

import polars as pl

from kuajing.catalog.personal import PersonalData
from kuajing.errors import DatasetError
from kuajing.ledger.identity import person_keys
from kuajing.scan import read as _read
from kuajing.scan.classify import Counts, Decision, decide
from kuajing.scan.detectors import KINDS, detector
from kuajing.scan.keyset import Keys, KeySet, born_after
from kuajing.scan.models import Column, Evidence, File, Persons, ScanReport
from kuajing.scan.names import NameEvidence, name_evidence
from kuajing.scan.notes import Notes
from kuajing.scan.source import Source
from kuajing.scan.stream import NotUtf8, open_source

PROPOSAL_ROWS = 2_000  # rows every detector looks at to propose a column's kind
SAMPLE = 10_000  # rows of each file the detectors check by default (persons: every row)
BATCH_ROWS = 100_000
_WORKERS = 2  # batches whose person keys are computed at once
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
    keys: KeySet = field(default_factory=KeySet)
    sensitive_keys: KeySet = field(default_factory=KeySet)
    all_sensitive: bool = True  # every keyed row had sensitive data: no second distinct count
    minor_keys: KeySet = field(default_factory=KeySet)
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
        return _report(run)


def _scan_source(run: _Run, source: Source) -> None:
    labels = _labels(source.header)
    first = next(source.batches, None)
    if first is None:
        raise DatasetError("no rows", zh="没有数据行", file=source.label)
    for label in labels:
        if label not in run.columns:
            run.columns[label] = _Column(label, name_evidence(label, run.data.kinds))
    _propose(run, first[0].head(PROPOSAL_ROWS), labels)
    if not run.key and run.key_basis == "none":
        _choose_key(run, labels, source.label)
    plan = _plan(run, labels, source.label)
    rows = 0
    # The person keys of one batch are computed while the next is read and counted: polars
    # releases the GIL, so the two threads use both cores.
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        pending: deque[Future[_BatchPersons]] = deque()
        for batch, _ in chain([first], source.batches):
            frame = batch.rename(dict(zip(batch.columns, labels, strict=True)))
            limit = None if run.options.sample is None else max(run.options.sample - rows, 0)
            if plan is not None:  # first: its persons are keyed while the detectors run
                pending.append(pool.submit(_batch_persons, plan, frame))
            _count(run, frame, labels, limit)
            while len(pending) > _WORKERS:
                _add_persons(run, pending.popleft().result())
            rows += frame.height
        for done in pending:
            _add_persons(run, done.result())
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


@dataclass
class _Tally:
    """One column of one `_tally`: its non-empty values, those valid per kind, its dates' span."""

    values: int = 0
    matched: dict[str, int] = field(default_factory=dict)
    earliest: dt.date | None = None
    latest: dt.date | None = None


def _tally(frame: pl.DataFrame, wanted: Mapping[str, Sequence[str]]) -> dict[str, _Tally]:
    """How many values of each column in `wanted` are valid for each kind it lists.

    The columns are stacked into one long (column, value) frame, so each kind's check is one
    expression, built once; it runs only on the values of the columns that want the kind and
    match its cheap PLAUSIBLE pattern, which no valid value fails. Polars runs the kinds'
    queries side by side.
    """
    long = _long(frame, list(wanted))
    tallies = {label: _Tally(matched=dict.fromkeys(kinds, 0)) for label, kinds in wanted.items()}
    for label, n in long.group_by("column").len().iter_rows():
        tallies[label].values = n
    kinds = list(dict.fromkeys(k for kinds in wanted.values() for k in kinds))
    value, column = pl.col("value"), pl.col("column")
    wanting = {k: [label for label, wants in wanted.items() if k in wants] for k in kinds}
    # Which values each kind could fit, in one query; kinds that fit none are not checked. A
    # kind every column wants (on the first rows, all of them) needs no test of the column.
    fits = {k: value.str.contains(detector(k).PLAUSIBLE) for k in kinds}
    masks = long.select(
        (fits[k] if len(wanting[k]) == len(wanted) else fits[k] & column.is_in(wanting[k])).alias(k)
        for k in kinds
    )
    plausible = [k for k, n in zip(kinds, masks.sum().row(0), strict=True) if n]
    queries = [_checked(long.lazy().filter(masks.get_column(k)), k) for k in plausible]
    for kind, found in zip(plausible, pl.collect_all(queries), strict=True):
        for row in found.iter_rows(named=True):
            tally = tallies[row["column"]]
            tally.matched[kind] = row["ok"]
            if kind == "birth_date":
                tally.earliest, tally.latest = row["min"], row["max"]
    return tallies


def _checked(candidates: pl.LazyFrame, kind: str) -> pl.LazyFrame:
    """Per column: the candidates valid for `kind`; for birth dates also the earliest and
    latest date, whose span tells birth dates from other dates."""
    dates = kind == "birth_date"
    checks = [_check(kind).alias("ok")] + ([_dates().alias("d")] if dates else [])
    agg = [pl.col("ok").sum()]
    agg += [pl.col("d").min().alias("min"), pl.col("d").max().alias("max")] if dates else []
    return candidates.select("column", *checks).group_by("column").agg(agg)


def _long(frame: pl.DataFrame, labels: list[str]) -> pl.DataFrame:
    """The columns' values stacked as (column, value): stripped, NFKC-normalised where they
    hold full-width forms, empty ones dropped."""
    long = frame.select(labels).unpivot(variable_name="column", value_name="value")
    # Value by value, so a value reads the same whatever batch it arrives in (the Spark
    # engine's batches are not the local engine's).
    wide = pl.col("value").str.contains(_FULL_WIDTH)
    if long.select(wide.any()).item():
        value = pl.col("value")
        long = long.with_columns(pl.when(wide).then(value.str.normalize("NFKC")).otherwise(value))
    value = pl.col("value").str.strip_chars()
    return long.with_columns(value).filter(pl.col("value").str.len_bytes() > 0)


@cache
def _check(kind: str) -> pl.Expr:
    """`is_valid` of `kind` on the long frame's values (an expression is immutable: reused)."""
    check: pl.Expr = detector(kind).is_valid(pl.col("value"))
    return check


@cache
def _dates() -> pl.Expr:
    parsed: pl.Expr = detector("birth_date").parsed(pl.col("value"))
    return parsed


def _propose(run: _Run, head: pl.DataFrame, labels: list[str]) -> None:
    """Every detector on the first rows of each new column: the kind the whole pass checks."""
    new = [label for label in labels if run.columns[label].proposal is None]
    if not new:
        return
    frame = head.rename(dict(zip(head.columns, labels, strict=True)))
    tallies = _tally(frame, dict.fromkeys(new, KINDS))
    for label in new:
        col, tally = run.columns[label], tallies[label]
        counts = Counts(tally.values, tally.matched, _span(tally.earliest, tally.latest))
        col.proposal = decide(col.hint, counts, run.data.kinds)


def _span(earliest: dt.date | None, latest: dt.date | None) -> float | None:
    if earliest is None or latest is None:
        return None
    return (latest - earliest).days / 365.25


def _choose_key(run: _Run, labels: list[str], source: str) -> None:
    given = [c.strip() for part in run.options.keys for c in part.split(",") if c.strip()]
    if given:
        for name in given:
            if name not in labels:
                en, zh = _read._unknown(name, labels, "--key column")
                raise DatasetError(en, zh=zh, file=source)
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
    tallies = _tally(checked, {label: run.columns[label].kinds for label in labels})
    for label, tally in tallies.items():
        col = run.columns[label]
        col.checked += tally.values
        for kind, n in tally.matched.items():
            col.matched[kind] = col.matched.get(kind, 0) + n
        col.earliest = _earlier(col.earliest, tally.earliest)
        col.latest = _later(col.latest, tally.latest)


def _earlier(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


def _later(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else max(a, b)


@dataclass(frozen=True)
class _PersonPlan:
    """What a batch's rows say about persons, fixed once the columns' kinds are proposed."""

    key: list[str]
    sensitive: list[str]  # columns of a sensitive kind: a row filling one is sensitive
    born: list[pl.Expr]  # birth dates, from resident IDs and birth-date columns
    cutoff: dt.date  # born after it: a minor on the export date
    key_births: bool  # the key is a resident ID: minors are read from the distinct keys


@dataclass(frozen=True)
class _BatchPersons:
    persons: Keys
    sensitive: list[Keys] | None  # of the persons with sensitive data; None: all of them
    minors: list[Keys]
    missing: int  # rows without a key


def _plan(run: _Run, labels: list[str], source: str) -> _PersonPlan | None:
    if not run.key:
        return None
    for name in run.key:  # chosen in the first file; every file must have it
        if name not in labels:
            en, zh = _read._unknown(name, labels, "key column")
            raise DatasetError(en, zh=zh, file=source)
    key_births = len(run.key) == 1 and _kind(run, run.key[0]) == "resident_id"
    sensitive, born = [], []
    for label in labels:
        kind = _kind(run, label)
        if _sensitive(run, kind):
            sensitive.append(label)
        # Every row, so only the cheap part: the birth date an ID encodes, not its check digit.
        if kind == "resident_id" and not (key_births and label == run.key[0]):
            born.append(detector(kind).birth_date(pl.col(label)))
        elif kind == "birth_date":
            born.append(detector(kind).parsed(pl.col(label)))
    cutoff = _years_before(run.options.as_of, run.data.minors.age_below)
    return _PersonPlan(run.key, sensitive, born, cutoff, key_births)


def _kind(run: _Run, label: str) -> str:
    proposal = run.columns[label].proposal
    return proposal.kind if proposal else "none"


def _row_flags(plan: _PersonPlan, frame: pl.DataFrame) -> pl.DataFrame:
    """Per row: a birth date in it makes its person a minor; a sensitive column it fills."""
    under = [(b > plan.cutoff).fill_null(False) for b in plan.born]
    filled = [pl.col(label).is_not_null() for label in plan.sensitive]
    return frame.select(
        minor=pl.any_horizontal(under) if under else pl.lit(False),
        sensitive=pl.any_horizontal(filled) if filled else pl.lit(False),
    )


def person_rows(plan: _PersonPlan, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series]:
    """Each distinct person of a batch once (key, minor, sensitive: whether they are a minor,
    whether sensitive data of theirs is in it), and which rows name nobody: what
    `_batch_persons` gives as sets, one row per person (how the Spark engine counts)."""
    keys = person_keys(frame, plan.key)
    flags = _row_flags(plan, frame).with_columns(key=keys).filter(pl.col("key").is_not_null())
    minor = pl.col("minor")
    if plan.key_births:
        minor = minor | born_after(pl.col("key"), plan.cutoff)
    rows = flags.select("key", minor.alias("minor"), (pl.col("sensitive") | minor).alias("s"))
    grouped = rows.group_by("key").agg(pl.col("minor").any(), pl.col("s").any().alias("sensitive"))
    return grouped, keys.is_null()


def _batch_persons(plan: _PersonPlan, frame: pl.DataFrame) -> _BatchPersons:
    """One batch's share of the person counts (no shared state: it runs in a worker thread)."""
    keys = person_keys(frame, plan.key)
    present = keys.is_not_null()
    flags = _row_flags(plan, frame)
    persons = Keys.of(keys.filter(present))
    minor_rows = present & flags.get_column("minor")
    minors = [Keys.of(keys.filter(minor_rows))]
    minors += [persons.born_after(plan.cutoff)] if plan.key_births else []
    sensitive = minor_rows | (present & flags.get_column("sensitive"))
    every = sensitive.sum() == present.sum()  # the usual case: no second set
    return _BatchPersons(
        persons=persons,
        sensitive=None if every else [Keys.of(keys.filter(sensitive)), *minors],
        minors=minors,
        missing=frame.height - int(present.sum()),
    )


def _add_persons(run: _Run, batch: _BatchPersons) -> None:
    run.keys.add(batch.persons)
    for keys in [batch.persons] if batch.sensitive is None else batch.sensitive:
        run.sensitive_keys.add(keys)
    run.all_sensitive &= batch.sensitive is None
    for keys in batch.minors:
        run.minor_keys.add(keys)
    run.missing += batch.missing


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (28 February for 29 February). Born after it: younger."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _sensitive(run: _Run, kind: str) -> bool:
    return kind != "none" and run.data.kinds[kind].sensitive


@dataclass(frozen=True)
class PersonCounts:
    """Distinct persons: all, those with sensitive data, minors."""

    distinct: int
    sensitive: int
    minors: int


def _report(run: _Run, counts: PersonCounts | None = None) -> ScanReport:
    """The report of a finished run; `counts` when the persons were counted elsewhere (Spark),
    else from the run's key sets."""
    columns = [_column(run, col) for col in run.columns.values()]
    persons = _persons_report(run, counts or _counted(run))
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
    # What the values point to: by the whole sample, or else by the first rows (a kind seen
    # there too seldom to propose is not counted later), each with its own rate.
    seen = final if final.values_kind or proposal is None else proposal
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
            values=seen.values_kind,
            name_score=col.hint.score if col.hint else 0.0,
            value_rate=round(seen.value_rate, 4),
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


def _counted(run: _Run) -> PersonCounts:
    distinct = run.keys.count()
    sensitive = distinct if run.all_sensitive else run.sensitive_keys.count()
    return PersonCounts(distinct, sensitive, run.minor_keys.count())


def _persons_report(run: _Run, counts: PersonCounts) -> Persons:
    if not run.key:
        run.notes.add("no_key")
        return Persons(key=[], distinct=None, basis="none")
    if run.missing:
        run.notes.add("missing_key", n=run.missing)
    kind = run.columns[run.key[0]].proposal if len(run.key) == 1 else None
    return Persons(
        key=run.key,
        distinct=counts.distinct,
        basis=run.key_basis,
        key_kind=kind.kind if kind and kind.kind != "none" else None,
        missing=run.missing,
        sensitive=counts.sensitive,
        minors=counts.minors,
    )
