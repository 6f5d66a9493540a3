"""The "Rules this document rests on" list: the form's own citations, then those of the
catalogue rules the decision used (and, for zone forms, of the zone lists that governed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from kuajing.catalog.base import Cite
from kuajing.engine.decision import SourceRef
from kuajing.filing.documents.context import Ctx
from kuajing.filing.documents.forms import Form, FormCite
from kuajing.filing.documents.model import Citation
from kuajing.filing.documents.rules import find_rule


def cite_of(c: Ctx, cite: Cite, rule: str | None = None) -> Citation:
    src = c.catalog.sources[cite.source]
    location, kind = _location(src.url, src.seed, src.reference)
    return Citation(
        source=cite.source,
        title=src.title.get(c.lang),
        article=cite.article,
        rule=cite.rule if isinstance(cite, FormCite) else rule,
        location=location,
        location_kind=kind,
        confidence=cite.confidence,
        note=cite.note,
    )


def basis(cite: FormCite) -> str:
    """A short citation for a checklist item: `S06 第6条 (SAM-6)`."""
    parts = [cite.source, cite.article or "", f"({cite.rule})" if cite.rule else ""]
    return " ".join(p for p in parts if p)


def _ref(ref: SourceRef, rule: str) -> Citation:
    """A citation the catalogue no longer has: shown as the decision recorded it."""
    location, kind = _location(ref.url, ref.seed, ref.reference)
    return Citation(
        source="—",
        title=ref.title,
        article=ref.article,
        rule=rule,
        location=location,
        location_kind=kind,
        confidence=ref.confidence,
        note=ref.note,
    )


def _location(
    url: str | None, seed: str | None, reference: str | None
) -> tuple[str, Literal["url", "seed", "reference"]]:
    """Where a source can be read: its URL, else the seed file, else the reference section."""
    if url:
        return url, "url"
    if seed:
        return seed, "seed"
    return reference or "", "reference"


def _form_cites(form: Form) -> Iterator[FormCite]:
    yield from form.cite
    for s in form.sections:
        yield from s.cite
        for row in s.rows:
            yield from row.cite
        for check in s.checks:
            yield from check.cite


def _used(c: Ctx) -> Iterator[tuple[str, str, SourceRef]]:
    for t in c.transfers:
        for r in t.reasons:
            yield r.rule, r.text, r.source
        for o in t.obligations:
            yield o.rule, o.text, o.source


def _rule_cites(c: Ctx, form: Form) -> Iterator[Citation]:
    for rule_id, text, ref in _used(c):
        if not (form.decision_rules or rule_id in form.rules):
            continue
        rule = find_rule(c.catalog, rule_id, text) if c.same_catalog else None
        if rule is None:
            yield _ref(ref, rule_id)
        else:
            yield from (cite_of(c, cite, rule_id) for cite in rule.cite)


def _list_cites(c: Ctx) -> Iterator[Citation]:
    for regime in dict.fromkeys(t.regime for t in c.transfers):
        zl = c.catalog.lists.get(regime)
        if zl is not None:
            yield from (cite_of(c, cite, zl.id) for cite in zl.cite)


def citations(c: Ctx, form: Form) -> list[Citation]:
    found = [cite_of(c, cite) for cite in _form_cites(form)]
    found += _rule_cites(c, form)
    if form.list_cites:
        found += _list_cites(c)
    unique: dict[tuple[str, str | None, str | None, str], Citation] = {}
    for item in found:
        unique.setdefault((item.source, item.article, item.rule, item.title), item)
    return list(unique.values())
