"""build(): a form definition filled from a decision, as a typed document in one language."""

from __future__ import annotations

from kuajing import __version__
from kuajing.catalog.base import Lang
from kuajing.catalog.catalog import Catalog
from kuajing.filing.documents.citations import basis, citations
from kuajing.filing.documents.context import Ctx
from kuajing.filing.documents.forms import Applies, Form, FormSection, forms_for
from kuajing.filing.documents.inputs import DocumentInput, DocumentKind
from kuajing.filing.documents.model import Check, Document, Notice, Row, Section
from kuajing.filing.documents.tables import table
from kuajing.filing.documents.values import VALUES
from kuajing.i18n import PATHWAYS


def build(kind: DocumentKind | str, inp: DocumentInput, lang: Lang, catalog: Catalog) -> Document:
    """The document of `kind` for the transfers `inp` covers. Raise `CatalogInvalid` if the
    shipped form definitions are malformed."""
    form = forms_for(catalog)[DocumentKind(kind)]
    c = Ctx.of(inp, lang, catalog)
    subtitle = c.say(
        "subtitle",
        version=__version__,
        decision=inp.decision_id or c.say("not_given"),
        created=c.stamp(),
        catalog=f"{inp.catalog_version}+{inp.catalog_digest}",
    )
    return Document(
        kind=form.kind,
        lang=lang,
        title=form.title.get(lang),
        subtitle=subtitle,
        intro=form.purpose.get(lang),
        created_at=inp.created_at,
        notices=_notices(c, form),
        sections=[_section(c, s) for s in form.sections],
        citations_heading=c.say("citations"),
        citations=citations(c, form),
        footer=c.say("footer"),
    )


def _section(c: Ctx, s: FormSection) -> Section:
    rows = [
        Row(
            label=r.label.get(c.lang),
            value=VALUES[r.value](c) if r.value is not None else c.blank(),
        )
        for r in s.rows
    ]
    checks = [
        Check(text=k.text.get(c.lang), basis="; ".join(basis(cite) for cite in k.cite))
        for k in s.checks
    ]
    return Section(
        heading=s.heading.get(c.lang),
        paragraphs=[p.get(c.lang) for p in s.paragraphs],
        rows=rows,
        tables=[table(name, c) for name in s.tables],
        checks=checks,
    )


def _notices(c: Ctx, form: Form) -> list[Notice]:
    """First-page statements, most important first: review, then what the input lacks."""
    out = []
    review = [t for t in c.transfers if t.status == "needs_review"]
    if review:
        lines = [f"{t.id}: {m}" for t in review for m in (t.missing or t.warnings)]
        out.append(Notice(level="review", title=c.say("review_title"), lines=lines))
        if not lines:
            out[-1] = out[-1].model_copy(update={"lines": [c.say("review_none")]})
    if not _applies(c, form.applies):
        out.append(
            Notice(
                level="warning",
                title=c.say("not_called_title"),
                lines=[c.say("not_called_line", wanted=_wanted(c, form.applies))],
            )
        )
    if c.bare:
        out.append(Notice(level="warning", title=c.say("bare_title")))
    if not c.same_catalog:
        made = f"{c.inp.catalog_version}+{c.inp.catalog_digest}"
        used = f"{c.catalog.version}+{c.catalog.digest}"
        out.append(Notice(level="info", title=c.say("catalog_title", made=made, used=used)))
    missing = form.template.status == "not_retrieved"
    title = c.say("template_missing_title" if missing else "template_title")
    out.append(Notice(level="info", title=title, lines=[form.template.note.get(c.lang)]))
    return out


def _applies(c: Ctx, applies: Applies) -> bool:
    if not (applies.pathways or applies.obligations or applies.list_regime):
        return True
    for t in c.transfers:
        if t.pathway in applies.pathways:
            return True
        if any(o.rule in applies.obligations for o in t.obligations):
            return True
        if applies.list_regime and t.regime in c.catalog.lists:
            return True
    return False


def _wanted(c: Ctx, applies: Applies) -> str:
    sep = "；" if c.lang == "zh" else "; "
    parts = []
    if applies.pathways:
        items = sep.join(PATHWAYS[p].get(c.lang) for p in applies.pathways)
        parts.append(c.say("pathway_any", items=items))
    if applies.obligations:
        parts.append(c.say("obligation_any", items=", ".join(applies.obligations)))
    if applies.list_regime:
        parts.append(c.say("list_regime"))
    return sep.join(parts)
