"""The scan-and-record pages' use cases: scan an upload into a pending upload, show what the
scanner found in the user's language, record the batch with the user's corrections, list the
organisation's batches. The web routes call these; the domain work is `scan_datasets` and
`record_file`, as for the CLI and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from kuajing.accounts.models import Principal
from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang, Text
from kuajing.catalog.models import EXEMPTIONS, Entry, Exemption
from kuajing.errors import Forbidden, LocatedError, RequestError
from kuajing.i18n import COUNTERS, PATHWAYS, bound
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import Batch, Recorded
from kuajing.scan.models import ScanReport
from kuajing.services import tenant_ledger
from kuajing.services.pending import Pending, PendingUploads
from kuajing.services.recording import record_file
from kuajing.services.scan import personal_data, scan_datasets

_EXEMPTION: dict[str, Exemption] = {e: e for e in EXEMPTIONS}


# -- scenarios of the organisation's zone --------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    value: str  # the scope's key in the catalogue: "list/sector/scenario" or "list/sector/*"
    name: Text


@dataclass(frozen=True)
class ChoiceGroup:
    """The scenarios of one edition of the zone's list."""

    title: Text
    edition: str
    in_force: bool
    choices: list[Choice]


def zone_of(catalog: Catalog, who: Principal) -> str | None:
    zone = who.organisation.zone
    return catalog.zone_id(zone) if zone else None


def scenario_choices(
    catalog: Catalog, who: Principal, today: dt.date | None = None
) -> list[ChoiceGroup]:
    """Every sector and scenario of the lists of the organisation's zone, newest edition first."""
    zone = zone_of(catalog, who)
    if zone is None:
        return []
    day = today or dt.date.today()
    editions = [zl for zl in catalog.lists.values() if zone in zl.zones]
    groups = []
    for zl in sorted(editions, key=lambda z: z.in_force.start, reverse=True):
        choices = []
        for sector in zl.sectors:
            choices.append(Choice(f"{zl.id}/{sector.id}/*", sector.name))
            for sc in sector.scenarios:
                name = Text(
                    zh=f"{sector.name.zh} · {sc.name.zh}", en=f"{sector.name.en} · {sc.name.en}"
                )
                choices.append(Choice(f"{zl.id}/{sector.id}/{sc.id}", name))
        if choices:
            groups.append(ChoiceGroup(zl.title, zl.edition, zl.in_force.covers(day), choices))
    return groups


def chosen_scenario(catalog: Catalog, who: Principal, scenario: str | None) -> str | None:
    """The scenario if it is one the organisation's zone offers; None for none chosen."""
    scenario = (scenario or "").strip()
    if not scenario:
        return None
    offered = {c.value for g in scenario_choices(catalog, who) for c in g.choices}
    if scenario not in offered:
        raise RequestError("not a scenario of your organisation's zone", path="scenario")
    return scenario


def scope_name(catalog: Catalog, name: str | None) -> Text | None:
    """A scenario as recorded (a scope key, or a name given through the API), by its name."""
    refs = catalog.scopes(name) if name else []
    if not refs:
        return None
    ref = refs[0]
    if ref.scenario is None:
        return ref.sector.name
    return Text(
        zh=f"{ref.sector.name.zh} · {ref.scenario.name.zh}",
        en=f"{ref.sector.name.en} · {ref.scenario.name.en}",
    )


# -- scan into a pending upload ----------------------------------------------------------------
def scan_to_pending(
    store: PendingUploads,
    catalog: Catalog,
    who: Principal,
    stream: BinaryIO,
    filename: str,
    *,
    date: dt.date,
    scenario: str | None,
    keys: str,
    max_bytes: int,
) -> Pending:
    """Keep the upload for review and scan it (with the zone's lists when a scenario is given)."""
    if not who.may("member"):
        raise Forbidden("a viewer cannot scan or record batches")
    scenario = chosen_scenario(catalog, who, scenario)
    key = [k.strip() for k in keys.split(",") if k.strip()]
    zone = zone_of(catalog, who) if scenario else None

    def scan(path: Path) -> ScanReport:
        try:
            report = scan_datasets(
                [str(path)], catalog, keys=key, as_of=date, zone=zone, scenario=scenario
            )
        except LocatedError as exc:
            raise _renamed(exc, path) from None
        files = [f.model_copy(update={"source": path.name}) for f in report.files]
        return report.model_copy(update={"sources": [path.name], "files": files})

    return store.create(
        who, stream, filename, scan, max_bytes=max_bytes, date=date, scenario=scenario, keys=key
    )


def _renamed(exc: LocatedError, path: Path) -> LocatedError:
    """The error naming the file as uploaded, not where the server keeps it."""
    where = str(path)
    message = exc.message.replace(where, path.name)
    file = path.name if exc.file and where in exc.file else exc.file
    return type(exc)(message, file=file, line=exc.line, path=exc.path, loc=exc.loc)


# -- the review -------------------------------------------------------------------------------
@dataclass(frozen=True)
class EntryName:
    id: str
    name: Text | None  # the list entry's data sub-class
    when: Text | None  # its threshold and pathway: "persons ≥ 50,000 → security assessment"


@dataclass(frozen=True)
class ColumnLine:
    name: str
    kind: str
    kind_name: Text | None  # None: not personal information the scanner knows
    personal: bool
    sensitive: bool
    confidence: float
    matched: int
    checked: int
    filled: int
    rate: float  # share of the checked values that look like the kind
    entries: list[EntryName]
    review: Text | None
    key: bool  # among the scanner's person key


@dataclass(frozen=True)
class Findings:
    """What a scan report's page shows: an upload's under review, or a Spark job's."""

    report: ScanReport
    columns: list[ColumnLine]
    key_kind: Text | None
    minors_age: int
    scenario: Text | None
    verdict: Literal["sensitive", "personal", "none"]


@dataclass(frozen=True)
class Review:
    pending: Pending
    columns: list[ColumnLine]
    key_kind: Text | None
    minors_age: int
    scenario: Text | None
    verdict: Literal["sensitive", "personal", "none"]

    @property
    def report(self) -> ScanReport:
        return self.pending.report


def review(catalog: Catalog, pending: Pending) -> Review:
    """What the review page shows."""
    found = findings(catalog, pending.report, pending.scenario)
    return Review(
        pending, found.columns, found.key_kind, found.minors_age, found.scenario, found.verdict
    )


def findings(catalog: Catalog, report: ScanReport, scenario: str | None) -> Findings:
    """A scan report in words. Scan reports hold no values from the data (`Evidence` is kinds
    and rates), so nothing here needs masking."""
    data = personal_data(catalog)
    kinds = data.kinds
    key = set(report.persons.key)
    columns = [
        ColumnLine(
            name=c.name,
            kind=c.kind,
            kind_name=kinds[c.kind].name if c.kind in kinds else None,
            personal=c.personal,
            sensitive=c.sensitive,
            confidence=c.confidence,
            matched=c.matched,
            checked=c.checked,
            filled=c.filled,
            rate=c.evidence.value_rate,
            entries=[_entry(catalog, e) for e in c.entries],
            review=c.review,
            key=c.name in key,
        )
        for c in report.columns
    ]
    key_kind = report.persons.key_kind
    return Findings(
        report=report,
        columns=columns,
        key_kind=kinds[key_kind].name if key_kind in kinds else None,
        minors_age=data.minors.age_below,
        scenario=scope_name(catalog, scenario),
        verdict="sensitive" if report.sensitive else "personal" if report.personal else "none",
    )


def _entry(catalog: Catalog, ident: str) -> EntryName:
    found = next((e for _, e in catalog.entries_named(ident) if e.id == ident), None)
    if found is None:
        return EntryName(ident, None, None)
    return EntryName(ident, found.sub_class, _when(found))


def _when(entry: Entry) -> Text:
    pathway, threshold = PATHWAYS.get(str(entry.pathway)), entry.threshold

    def one(lang: Lang) -> str:
        to = f"→ {pathway.get(lang) if pathway else entry.pathway}"
        if threshold is None:
            return to
        return f"{COUNTERS[threshold.counter].get(lang)} {bound(threshold, lang)} {to}"

    return Text(zh=one("zh"), en=one("en"))


# -- record -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Corrections:
    """What the user decided on the review page."""

    date: dt.date
    key: list[str]
    sensitive: bool | None  # None: as the scanner decides
    scenario: str | None
    exemption: Exemption | None
    recipient: str | None


def exemption_of(value: str) -> Exemption | None:
    """The exemption chosen in a form; "" for none."""
    if not value:
        return None
    found = _EXEMPTION.get(value)
    if found is None:
        raise RequestError(f"unknown exemption {value!r}", path="exemption")
    return found


def record_pending(
    store: PendingUploads,
    ledger: Ledger,
    catalog: Catalog,
    who: Principal,
    ident: str,
    fix: Corrections,
) -> Recorded:
    """Record the pending upload as a batch of the organisation's processor, then delete it.
    If the ledger refuses it, the upload stays pending so that the user can correct it."""
    if not who.may("member"):
        raise Forbidden("a viewer cannot scan or record batches")
    scenario = chosen_scenario(catalog, who, fix.scenario)
    with store.using(ident, who) as pending:
        key = _key(pending, fix.key)
        path = store.path(pending)
        try:
            recorded = record_file(
                ledger,
                catalog,
                who=who,
                processor=who.organisation.processor,
                date=fix.date,
                path=path,
                key=key,
                sensitive=fix.sensitive,
                scenario=scenario,
                exemption=fix.exemption,
                recipient=(fix.recipient or "").strip() or None,
            )
        except LocatedError as exc:
            raise _renamed(exc, path) from None
        store.delete(pending)
    return recorded


def _key(pending: Pending, chosen: list[str]) -> list[str]:
    key = [k for k in chosen if k.strip()]
    if not key:
        raise RequestError("tick at least one column that names each person", path="key")
    columns = {c.name for c in pending.report.columns}
    unknown = [k for k in key if k not in columns]
    if unknown:
        raise RequestError(f"no column {unknown[0]!r} in the file", path="key")
    return key


# -- the organisation's batches ---------------------------------------------------------------
@dataclass(frozen=True)
class BatchLine:
    batch: Batch
    scenario: Text | None  # None: no scenario, or one the catalogue no longer names


def batch_lines(ledger: Ledger, catalog: Catalog, who: Principal, year: int) -> list[BatchLine]:
    return [
        BatchLine(b, scope_name(catalog, b.scenario))
        for b in tenant_ledger.batches(ledger, who, year)
    ]


def size_text(n: int) -> str:
    """A size limit for people: 200 MiB, 1.5 KiB, 10 bytes."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} bytes"
