"""The documents a decision calls for: one per material of each procedure it requires (the
procedure data names which document serves a material), filled from the decision, its request
and its filing, in one language, as PDF or DOCX."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from kuajing.accounts.models import Organisation
from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang, Text
from kuajing.catalog.procedures import Procedure
from kuajing.errors import FilingError, NotFound
from kuajing.filing.documents import (
    Document,
    DocumentInput,
    DocumentKind,
    FilingDeadline,
    FilingFacts,
    build,
    forms_for,
    to_docx,
    to_pdf,
)
from kuajing.filing.models import Filing
from kuajing.filing.required import Route, required
from kuajing.services.filings import Source, view

Format = Literal["pdf", "docx"]
FORMATS: tuple[Format, ...] = ("pdf", "docx")
LANGS: tuple[Lang, ...] = ("zh", "en")
DOCUMENT_MEDIA: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Planned:
    """One document to write: its kind, the transfers it covers and the filing it serves."""

    kind: DocumentKind
    procedure: Procedure
    transfers: tuple[str, ...]
    filing: Filing | None

    def name(self, lang: Lang, fmt: Format) -> str:
        """A file name that is unique within one decision's documents."""
        return f"{self.procedure.id}-{self.kind.value}.{lang}.{fmt}"


def plan(
    source: Source,
    zone: str | None,
    catalog: Catalog,
    filings: list[Filing],
    route: Route = "standard_contract",
    kinds: list[DocumentKind] | None = None,
) -> list[Planned]:
    """The documents the decision's procedures need (only `kinds`, when given), each for the
    transfers its procedure covers and with the decision's open filing of that procedure. Once
    the decision has a filing of a route's procedure (certification, say), that route is used."""
    filed = [catalog.procedures.get(f.procedure) for f in filings]
    route = next((p.applies.route for p in filed if p and p.applies.route), route)
    out = []
    for need in required(source.decision, zone, catalog, route):
        if need.procedure.status != "encoded":
            continue  # an unknown procedure: no material is known, the filing says so
        filing = next((f for f in filings if f.procedure == need.procedure.id), None)
        seen: set[str] = set()
        for material in need.procedure.materials:
            if material.document is None or material.document in seen:
                continue
            seen.add(material.document)
            kind = DocumentKind(material.document)
            if kinds is None or kind in kinds:
                out.append(Planned(kind, need.procedure, need.transfers, filing))
    return out


def document_input(
    source: Source,
    organisation: Organisation | None,
    planned: Planned | None,
    catalog: Catalog,
    now: dt.datetime,
) -> DocumentInput:
    """What the document shows. Without an organisation (a decision file used offline) the
    request's processor names the company; a bare decision without one is refused."""
    processor = source.request.processor if source.request else None
    company = organisation.name if organisation else processor.name if processor else None
    name = processor.name if processor else organisation.processor if organisation else None
    if company is None or name is None:
        raise FilingError("a bare decision file names no company: give --user, or its request")
    version, _, digest = source.decision.rules_version.partition("+")
    return DocumentInput(
        organisation=company,
        processor=name,
        zone=processor.home_zone if processor else organisation.zone if organisation else None,
        sector=processor.sector if processor else organisation.sector if organisation else None,
        ciio=processor.ciio if processor else organisation.ciio if organisation else None,
        decision_id=source.decision_id,
        created_at=now,
        catalog_version=version,
        catalog_digest=digest,
        request=source.request,
        decision=source.decision,
        transfer_ids=list(planned.transfers) if planned else None,
        filing=_facts(planned, catalog, now.date()) if planned else None,
    )


def _facts(planned: Planned, catalog: Catalog, as_of: dt.date) -> FilingFacts | None:
    filing = planned.filing
    if filing is None:
        return None
    rules = {d.id: d for d in planned.procedure.deadlines}
    shown = view(filing, catalog, as_of, "en")
    return FilingFacts(
        id=filing.id,
        procedure=planned.procedure.id,
        procedure_name=planned.procedure.name,
        state=filing.state,
        deadlines=[
            FilingDeadline(
                label=rules[d.id].name if d.id in rules else Text(zh=d.name, en=d.name),
                date=d.date,
                provisional=d.provisional,
                rule=d.rule,
            )
            for d in shown.deadlines
        ],
    )


def write(
    kind: DocumentKind, inp: DocumentInput, lang: Lang, fmt: Format, catalog: Catalog
) -> bytes:
    """The document as PDF (Chinese font embedded) or DOCX."""
    doc: Document = build(kind, inp, lang, catalog)
    return to_pdf(doc) if fmt == "pdf" else to_docx(doc)


def write_all(
    source: Source,
    organisation: Organisation | None,
    catalog: Catalog,
    filings: list[Filing],
    now: dt.datetime,
    *,
    route: Route = "standard_contract",
    kinds: list[DocumentKind] | None = None,
    langs: tuple[Lang, ...] = ("zh", "en"),
    formats: tuple[Format, ...] = ("pdf",),
) -> dict[str, bytes]:
    """Every planned document in every language and format, by file name, built in memory so
    that a failure leaves nothing half-written."""
    out = {}
    for planned in plan(
        source, _zone(source, organisation, catalog), catalog, filings, route, kinds
    ):
        inp = document_input(source, organisation, planned, catalog, now)
        for lang in langs:
            for fmt in formats:
                out[planned.name(lang, fmt)] = write(planned.kind, inp, lang, fmt, catalog)
    return out


def listed(
    source: Source,
    organisation: Organisation | None,
    catalog: Catalog,
    filings: list[Filing],
    route: Route = "standard_contract",
) -> list[str]:
    """The file names `write_all` would write, in every language and format, without writing."""
    return [o.name for o in offered(source, organisation, catalog, filings, route)]


@dataclass(frozen=True)
class Offered:
    """One document file as a page offers it: by its form's title and procedure, not its name."""

    name: str  # the file's name: its address under the decision
    title: Text
    procedure: Text
    lang: Lang
    fmt: Format


def offered(
    source: Source,
    organisation: Organisation | None,
    catalog: Catalog,
    filings: list[Filing],
    route: Route = "standard_contract",
) -> list[Offered]:
    """`listed`'s files with what a reader needs to choose one."""
    zone = _zone(source, organisation, catalog)
    forms = forms_for(catalog)
    return [
        Offered(p.name(lang, fmt), forms[p.kind].title, p.procedure.name, lang, fmt)
        for p in plan(source, zone, catalog, filings, route)
        for lang in LANGS
        for fmt in FORMATS
    ]


def one(
    source: Source,
    organisation: Organisation | None,
    catalog: Catalog,
    filings: list[Filing],
    name: str,
    now: dt.datetime,
    route: Route = "standard_contract",
) -> bytes:
    """The document called `name` (as `listed` names it); NotFound for any other name."""
    for planned in plan(source, _zone(source, organisation, catalog), catalog, filings, route):
        for lang in LANGS:
            for fmt in FORMATS:
                if planned.name(lang, fmt) == name:
                    inp = document_input(source, organisation, planned, catalog, now)
                    return write(planned.kind, inp, lang, fmt, catalog)
    raise NotFound(f"no document {name!r} for this decision")


def _zone(source: Source, organisation: Organisation | None, catalog: Catalog) -> str | None:
    """The zone whose procedures the company follows: its organisation's, else the zone the
    request says it is registered in, else a zone of the city it is registered in (city-wide
    lists have their procedures under that city's zone)."""
    zone = organisation.zone if organisation else None
    if zone is not None or source.request is None:
        return zone
    processor = source.request.processor
    name = processor.home_zone
    if name is not None:
        return catalog.zone_id(name) or name
    city = catalog.city_id(processor.registered.city or "") if processor.registered else None
    return next((z.id for z in catalog.zones.values() if city and z.city == city), None)
