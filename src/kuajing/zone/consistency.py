"""Consistency sampling inspections (一致性抽验): what a list-use filing declared against what
the enterprise actually exported.

Beijing's measures (seed 002, BJ24-SUP-1) have the zone's data service centre organise technical
institutions to compare "the actual data export situation" with "the filing materials"; an
inconsistency leads to suspension, rectification within a time limit, re-application or
termination. This module only compares: the declared side comes from the logged request and
decision, the observed side from a scan of a data sample and from ledger batches.

`Report.consistent` means "compared, and nothing found". When nothing could be compared it is
False with no finding, and `missing` says why: an inspection never passes by default.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from kuajing.catalog.base import Text
from kuajing.catalog.catalog import normalise
from kuajing.catalog.loader import default_personal_data
from kuajing.catalog.procedures import Procedure
from kuajing.engine.evaluate import field_matches
from kuajing.errors import CatalogError, RequestError
from kuajing.i18n import number
from kuajing.ledger.models import Batch
from kuajing.scan.models import ScanReport

FindingKind = Literal[
    "undeclared_sensitive_field",
    "undeclared_field",
    "volume_beyond_scale",
    "sensitive_volume_beyond_scale",
    "unfiled_recipient",
]
Severity = Literal["high", "medium"]
_KIND_ORDER = {kind: i for i, kind in enumerate(get_args(FindingKind))}
_SEVERITY_ORDER = {"high": 0, "medium": 1}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Declared(_Frozen):
    """What the filing declared, for the transfers it covers."""

    transfers: list[str]
    scenarios: list[str]
    fields: list[str]  # as declared in the request, de-duplicated, in order
    sub_classes: list[str]  # per placed field: its sub-class, then its list entry ids
    persons: int | None  # filed scale (distinct persons); None: not given
    sensitive: int | None  # persons whose sensitive PI is filed; None: not given
    recipients: list[str]  # overseas recipients' names
    # Some transfer gave no distinct total (`persons`): `persons` is then the sum of its two
    # counters, the most the filing can mean, so an excess below it goes unseen.
    persons_bound: bool = False


class ObservedColumn(_Frozen):
    name: str
    kind: str
    personal: bool
    sensitive: bool


class Observed(_Frozen):
    """What the data sample and the ledger show."""

    columns: list[ObservedColumn]  # personal columns only
    persons: int | None  # distinct persons in the sample, else the ledger batches' sum
    sensitive: int | None
    recipients: list[str]
    basis: list[str]  # what was looked at, e.g. "scan: sample.csv (1,200 rows)"
    scanned: bool = False  # a sample was scanned, so the fields were compared

    @property
    def empty(self) -> bool:
        return not (
            self.scanned
            or self.columns
            or self.recipients
            or self.persons is not None
            or self.sensitive is not None
        )


class Finding(_Frozen):
    kind: FindingKind
    subject: str  # the column, recipient or counter ("persons", "sensitive") it is about
    # Facts, not prose (counts with thousands separators, names, kind ids), so they read the same
    # in both languages; None: the filing (or the data) says nothing about the subject.
    declared: str | None
    observed: str | None
    severity: Severity
    text: dict[str, str]  # {"zh": ..., "en": ...}
    rule: str  # the supervision procedure's, from the catalogue (Basis)
    cite: str
    confidence: str


class Basis(_Frozen):
    """What every finding cites: the supervision procedure's rule and source, as the catalogue
    (rules/procedures/supervision.yaml) gives them."""

    rule: str
    cite: str
    confidence: str

    @classmethod
    def of(cls, procedure: Procedure) -> Basis:
        if procedure.rule is None:
            raise CatalogError(f"procedure {procedure.id!r} names no rule for its findings")
        return cls(
            rule=procedure.rule, cite=procedure.cite[0].source, confidence=procedure.confidence
        )


class Report(_Frozen):
    # Compared, and nothing found; never "nothing to compare". A part that could not be compared
    # (no sample, no recipient in the ledger, no filed scale) is named in `missing`.
    consistent: bool
    findings: list[Finding]  # high severity first, then by kind, then by subject
    missing: list[dict[str, str]] = Field(default_factory=list)  # {"zh", "en"} each


# --- the declared side --------------------------------------------------------------------


def declared_of(
    request: Mapping[str, Any], decision: Mapping[str, Any], transfers: list[str] | None
) -> Declared:
    """The filing's declarations from a logged request and decision (JSON as parsed). Read
    leniently, as dicts: an old log entry need not validate against today's request model.
    `transfers` limits it to the filing's transfers (None or empty: all); an id the request
    does not have raises `RequestError`."""
    chosen = _chosen(list(request.get("transfers") or []), transfers)
    ids = {str(t.get("id")) for t in chosen}
    placed = [d for d in decision.get("transfers") or [] if str(d.get("id")) in ids]
    persons, sensitive, bound = _scale(chosen)
    return Declared(
        transfers=[str(t.get("id")) for t in chosen],
        scenarios=_unique(str(t["scenario"]) for t in chosen if t.get("scenario")),
        fields=_unique(str(f).strip() for t in chosen for f in t.get("fields") or []),
        sub_classes=_unique(_sub_classes(placed)),
        persons=persons,
        sensitive=sensitive,
        recipients=_distinct_names(_recipient_name(t) for t in chosen),
        persons_bound=bound,
    )


def _chosen(all_transfers: list[dict[str, Any]], wanted: list[str] | None) -> list[dict[str, Any]]:
    if not wanted:
        return all_transfers
    known = {str(t.get("id")) for t in all_transfers}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise RequestError(f"no transfer {', '.join(map(repr, unknown))} in the request")
    return [t for t in all_transfers if str(t.get("id")) in wanted]


def _scale(transfers: list[dict[str, Any]]) -> tuple[int | None, int | None, bool]:
    """Filed distinct persons and sensitive persons, and whether the first is only a bound. A
    transfer without `persons` counts `personal + sensitive`: the most it can mean (a request
    may file sensitive persons only, with `personal: 0`)."""
    persons: int | None = None
    sensitive: int | None = None
    bound = False
    for t in transfers:
        given = _count(t, "persons")
        personal, sens = _count(t, "personal"), _count(t, "sensitive")
        if given is not None:
            persons = (persons or 0) + given
        elif personal is not None or sens is not None:
            persons = (persons or 0) + (personal or 0) + (sens or 0)
            bound = bound or bool(personal and sens)
        if sens is not None:
            sensitive = (sensitive or 0) + sens
    return persons, sensitive, bound


def _count(transfer: Mapping[str, Any], key: str) -> int | None:
    value = transfer.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _sub_classes(placed: Iterable[Mapping[str, Any]]) -> Iterable[str]:
    for transfer in placed:
        for field in transfer.get("fields") or []:
            if field.get("sub_class"):
                yield str(field["sub_class"])
            yield from (str(e) for e in field.get("entries") or [])


def _recipient_name(transfer: Mapping[str, Any]) -> str | None:
    recipient = transfer.get("recipient") or {}
    name = recipient.get("name") if isinstance(recipient, Mapping) else None
    return str(name) if name else None


# --- the observed side --------------------------------------------------------------------


def observed_of(scan: ScanReport | None, batches: Sequence[Batch]) -> Observed:
    """What a scanned sample and ledger batches show. Columns come from the scan (personal,
    non-empty ones); persons from the scan when there is one, else the batches' sum (a person
    in several batches counts in each); recipients from the batches. The caller chooses the
    batches (e.g. the filing's scenario and year)."""
    basis: list[str] = []
    columns: list[ObservedColumn] = []
    persons: int | None = None
    sensitive: int | None = None
    if scan is not None:
        columns = _personal_columns(scan)
        persons, sensitive = scan.persons.distinct, scan.persons.sensitive
        basis.append(f"scan: {', '.join(scan.sources)} ({number(scan.rows)} rows)")
    if batches:
        if scan is None:
            persons = sum(b.persons for b in batches)
            sensitive = sum(b.persons for b in batches if b.sensitive)
        years = sorted({b.date.year for b in batches})
        span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        basis.append(f"ledger: {number(len(batches))} batches {span}")
    return Observed(
        columns=columns,
        persons=persons,
        sensitive=sensitive,
        recipients=_distinct_names(b.recipient for b in batches),
        basis=basis,
        scanned=scan is not None,
    )


def _personal_columns(scan: ScanReport) -> list[ObservedColumn]:
    # A column with no value in any row carried nothing out: the scanner's own `personal`
    # flag ignores such columns too.
    kinds = default_personal_data().kinds
    out: list[ObservedColumn] = []
    for c in scan.columns:
        kind = kinds.get(c.kind)
        personal = c.personal or bool(kind and kind.personal)
        if personal and (c.filled or c.checked):
            out.append(
                ObservedColumn(name=c.name, kind=c.kind, personal=True, sensitive=c.sensitive)
            )
    return out


# --- the comparison -----------------------------------------------------------------------


def compare(declared: Declared, observed: Observed, basis: Basis) -> Report:
    """Every inconsistency between the filing and the data, and what could not be compared."""
    if observed.empty:
        return Report(consistent=False, findings=[], missing=[_NOTHING.model_dump()])
    findings: list[Finding] = []
    missing: list[Text] = []
    findings += _fields(declared, observed, missing, basis)
    findings += _scale_findings(declared, observed, missing, basis)
    findings += _recipients(declared, observed, missing, basis)
    unique = {(f.kind, f.subject): f for f in reversed(findings)}  # first of each wins
    ordered = sorted(
        unique.values(),
        key=lambda f: (_SEVERITY_ORDER[f.severity], _KIND_ORDER[f.kind], f.subject),
    )
    return Report(
        consistent=not ordered,
        findings=ordered,
        missing=[m.model_dump() for m in missing],
    )


def _fields(
    declared: Declared, observed: Observed, missing: list[Text], basis: Basis
) -> list[Finding]:
    if not observed.scanned and not observed.columns:
        missing.append(_NO_SAMPLE)
        return []
    return [
        _undeclared(column, basis)
        for column in observed.columns
        if column.personal and not covered(column, declared.fields)
    ]


def covered(column: ObservedColumn, fields: Sequence[str]) -> bool:
    """Whether a declared field names the column's kind: one of the field names zone lists use
    for it (personal_data.yaml `fields`), its Chinese name, or the column's own name."""
    kind = default_personal_data().kinds.get(column.kind)
    names = [column.name, *(kind.fields if kind else [])]
    own = normalise(kind.name.zh) if kind else None
    return any(field_matches(f, names) or normalise(f) == own for f in fields)


def _undeclared(column: ObservedColumn, basis: Basis) -> Finding:
    kind = default_personal_data().kinds.get(column.kind)
    what = kind.name if kind else Text(zh=column.kind, en=column.kind)
    if column.sensitive:
        text = Text(
            zh=f"样本中的「{column.name}」列含敏感个人信息（{what.zh}），备案材料未申报该字段。",
            en=f"Column “{column.name}” in the sample holds sensitive personal information "
            f"({what.en}) that the filing does not declare.",
        )
        return _finding("undeclared_sensitive_field", column.name, None, column.kind, text, basis)
    text = Text(
        zh=f"样本中的「{column.name}」列含个人信息（{what.zh}），备案材料未申报该字段。",
        en=f"Column “{column.name}” in the sample holds personal information ({what.en}) "
        "that the filing does not declare.",
    )
    return _finding("undeclared_field", column.name, None, column.kind, text, basis)


def _scale_findings(
    declared: Declared, observed: Observed, missing: list[Text], basis: Basis
) -> list[Finding]:
    out: list[Finding] = []
    pairs: tuple[tuple[FindingKind, str, int | None, int | None], ...] = (
        ("volume_beyond_scale", "persons", declared.persons, observed.persons),
        ("sensitive_volume_beyond_scale", "sensitive", declared.sensitive, observed.sensitive),
    )
    for kind, counter, filed, seen in pairs:
        what = _COUNTERS[counter]
        if seen is None:
            missing.append(_fill(_UNCOUNTED, what))
        elif filed is None:
            if seen > 0:
                missing.append(_fill(_NO_SCALE, what))
        elif seen > filed:
            text = Text(
                zh=f"实际出境的{what.zh}为 {number(seen)} 人，超出备案规模 {number(filed)} 人。",
                en=f"The data exported covers {number(seen)} {what.en}, beyond the "
                f"{number(filed)} the filing declared.",
            )
            out.append(_finding(kind, counter, number(filed), number(seen), text, basis))
        elif counter == "persons" and declared.persons_bound:
            missing.append(_BOUND)
    return out


def _recipients(
    declared: Declared, observed: Observed, missing: list[Text], basis: Basis
) -> list[Finding]:
    if not observed.recipients:
        missing.append(_NO_RECIPIENT_SEEN)
        return []
    if not declared.recipients:
        missing.append(_NO_RECIPIENT_FILED)
    filed = {_name_key(r) for r in declared.recipients}
    listed = "; ".join(declared.recipients) or None
    out: list[Finding] = []
    for name in observed.recipients:
        if _name_key(name) in filed:
            continue
        text = Text(
            zh=f"台账记录向境外接收方「{name}」出境数据，备案材料未列明该接收方。",
            en=f"The ledger records exports to the overseas recipient “{name}”, whom the "
            "filing does not name.",
        )
        out.append(_finding("unfiled_recipient", name, listed, name, text, basis))
    return out


def _finding(
    kind: FindingKind,
    subject: str,
    declared: str | None,
    observed: str | None,
    text: Text,
    basis: Basis,
) -> Finding:
    severity: Severity = "medium" if kind == "undeclared_field" else "high"
    return Finding(
        kind=kind,
        subject=subject,
        declared=declared,
        observed=observed,
        severity=severity,
        text=text.model_dump(),
        **basis.model_dump(),
    )


# --- names ----------------------------------------------------------------------------------


def _name_key(name: str) -> str:
    """Recipients' names match whatever their case, width (NFKC) and spacing."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def _distinct_names(names: Iterable[str | None]) -> list[str]:
    """Non-empty names, the first spelling of each, in order."""
    seen: dict[str, str] = {}
    for name in names:
        if name and name.strip():
            seen.setdefault(_name_key(name), name.strip())
    return list(seen.values())


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


# --- what could not be compared -------------------------------------------------------------

_COUNTERS = {
    "persons": Text(zh="个人信息人数（去重）", en="distinct persons"),
    "sensitive": Text(zh="敏感个人信息人数", en="persons with sensitive personal information"),
}
_NOTHING = Text(
    zh="既无数据样本扫描结果，也无台账批次：没有可比对的实际出境数据，不能认定一致。",
    en="No scanned data sample and no ledger batch: there was nothing to compare the filing "
    "with, so it cannot be found consistent.",
)
_NO_SAMPLE = Text(
    zh="未扫描数据样本：未比对实际出境字段与申报字段。",
    en="No data sample was scanned: the fields exported were not compared with those declared.",
)
_UNCOUNTED = Text(
    zh="实际出境的{zh}未知（样本无可识别个人的列），未比对出境规模。",
    en="The {en} in the data exported is unknown (no column names a person): "
    "that scale was not compared.",
)
_NO_SCALE = Text(
    zh="备案材料未申报{zh}规模，无法比对。",
    en="The filing declares no scale of {en}: it could not be compared.",
)
_BOUND = Text(
    zh="备案材料未给出去重后的个人信息总人数，按非敏感与敏感人数之和（最大可能值）比对，"
    "低于该值的超出无法发现。",
    en="The filing gives no distinct total of persons: the data was compared with the sum of "
    "its non-sensitive and sensitive counts (the most it can mean), so an excess below that "
    "sum cannot be seen.",
)
_NO_RECIPIENT_SEEN = Text(
    zh="台账批次未记录境外接收方：未比对接收方。",
    en="No ledger batch names an overseas recipient: recipients were not compared.",
)
_NO_RECIPIENT_FILED = Text(
    zh="备案材料未列明任何境外接收方：台账所记接收方均视为未备案。",
    en="The filing names no overseas recipient: every recipient in the ledger is unfiled.",
)


def _fill(template: Text, what: Text) -> Text:
    return Text(zh=template.zh.format(zh=what.zh), en=template.en.format(en=what.en))
