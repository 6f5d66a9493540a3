"""Form definitions: one YAML file per document kind in `rules/documents/`, read by a strict
loader (safe YAML, no duplicate keys, unknown keys rejected) whose errors name file and line."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, ValidationError, field_validator, model_validator

from kuajing.catalog.base import Cite, Pathway, Strict, Text, iter_cites
from kuajing.catalog.catalog import Catalog
from kuajing.catalog.loader import RULES_DIR
from kuajing.errors import CatalogError, CatalogInvalid
from kuajing.filing.documents.inputs import DocumentKind
from kuajing.filing.documents.tables import TABLES
from kuajing.filing.documents.values import VALUES
from kuajing.yamlio import Document, format_path, parse

FORMS_DIR = RULES_DIR / "documents"
_MEMO = "kuajing.filing.documents.forms"


class FormError(CatalogError):
    """A form definition in `rules/documents/` is malformed."""


class FormCite(Cite):
    """A citation; `rule` is the rule's id in the catalogue or the reference notes (SCC-5)."""

    rule: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9\-]*$")


def _cites(value: object) -> object:
    return [value] if isinstance(value, dict) else value


Cites = Annotated[list[FormCite], BeforeValidator(_cites)]  # one citation or a list


class FormRow(Strict):
    """A label and either a value from the input or a blank that a person fills in."""

    label: Text
    value: str | None = None
    fill: Literal["human"] | None = None
    cite: Cites = Field(default_factory=list)

    @field_validator("value")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        if value is not None and value not in VALUES:
            raise ValueError(f"unknown value {value!r}; known: {', '.join(sorted(VALUES))}")
        return value

    @model_validator(mode="after")
    def _value_or_fill(self) -> FormRow:
        if (self.value is None) == (self.fill is None):
            raise ValueError("a row takes either 'value' or 'fill: human'")
        return self


class FormCheck(Strict):
    """A checklist item: material to prepare, with the rule that asks for it."""

    text: Text
    cite: Cites = Field(min_length=1)


class FormSection(Strict):
    heading: Text
    paragraphs: list[Text] = Field(default_factory=list)
    rows: list[FormRow] = Field(default_factory=list)
    tables: list[str] = Field(default_factory=list)
    checks: list[FormCheck] = Field(default_factory=list)
    cite: Cites = Field(default_factory=list)

    @field_validator("tables")
    @classmethod
    def _known(cls, names: list[str]) -> list[str]:
        for name in names:
            if name not in TABLES:
                raise ValueError(f"unknown table {name!r}; known: {', '.join(sorted(TABLES))}")
        return names

    @model_validator(mode="after")
    def _not_empty(self) -> FormSection:
        if not (self.paragraphs or self.rows or self.tables or self.checks):
            raise ValueError("a section needs paragraphs, rows, tables or checks")
        return self


class Applies(Strict):
    """When the decision calls for the document: any listed pathway or obligation of a covered
    transfer, or (list_regime) an export governed by a zone list. Otherwise it says so."""

    pathways: list[Pathway] = Field(default_factory=list)
    obligations: list[str] = Field(default_factory=list)
    list_regime: bool = False


class Template(Strict):
    """Whether the authority's own template is in kuajing. It never is: the form says so."""

    status: Literal["not_encoded", "not_retrieved"]
    note: Text


class Form(Strict):
    kind: DocumentKind
    title: Text
    purpose: Text
    applies: Applies
    template: Template
    sections: list[FormSection] = Field(min_length=1)
    rules: list[str] = Field(
        default_factory=list
    )  # catalogue rules cited when the decision used them
    decision_rules: bool = False  # cite every rule the decision gave for the covered transfers
    list_cites: bool = False  # cite the sources of the zone lists that governed
    cite: Cites = Field(min_length=1)


def load_forms(
    root: Path = FORMS_DIR, sources: Collection[str] | None = None
) -> dict[DocumentKind, Form]:
    """Read one `<kind>.yaml` per document kind from `root`; with `sources`, check that every
    citation names a known source. Raise `CatalogInvalid` listing every `FormError`."""
    errors: list[FormError] = []
    forms: dict[DocumentKind, Form] = {}
    expected = {f"{kind}.yaml" for kind in DocumentKind}
    for path in sorted(root.glob("*.yaml")):
        if path.name not in expected:
            errors.append(FormError("not a document kind", file=_name(root, path)))
    for kind in DocumentKind:
        form = _read(root, root / f"{kind}.yaml", kind, sources, errors)
        if form is not None:
            forms[kind] = form
    if errors:
        raise CatalogInvalid(list(errors))
    return forms


def _read(
    root: Path,
    path: Path,
    kind: DocumentKind,
    sources: Collection[str] | None,
    errors: list[FormError],
) -> Form | None:
    rel = _name(root, path)
    try:
        doc = parse(path.read_text(encoding="utf-8"), lambda m, n: FormError(m, file=rel, line=n))
        form = Form.model_validate(doc.data)
    except FormError as exc:
        errors.append(exc)
        return None
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(FormError(f"cannot read ({exc.__class__.__name__})", file=rel))
        return None
    except ValidationError as exc:
        errors.extend(_located(exc, rel, doc))
        return None
    if form.kind != kind:
        errors.append(_at(rel, doc, ("kind",), f"kind {form.kind!r} in the file of {kind!r}"))
    for key, cite in iter_cites(form):
        if sources is not None and cite.source not in sources:
            errors.append(_at(rel, doc, (*key, "source"), f"unknown source {cite.source!r}"))
    return form


def _name(root: Path, path: Path) -> str:
    return f"{root.name}/{path.name}"


def _at(rel: str, doc: Document, key: tuple[str | int, ...], message: str) -> FormError:
    return FormError(message, file=rel, line=doc.line_of(key), path=format_path(key), loc=key)


def _located(exc: ValidationError, rel: str, doc: Document) -> list[FormError]:
    out = []
    for err in exc.errors():
        key = tuple(p for p in err["loc"] if isinstance(p, str | int))
        out.append(_at(rel, doc, key, err["msg"].removeprefix("Value error, ")))
    return out


def forms_for(catalog: Catalog) -> dict[DocumentKind, Form]:
    """The shipped forms, checked against this catalogue's sources; loaded once per catalogue."""
    memo = catalog.cache(_MEMO)
    forms: dict[DocumentKind, Form] | None = memo.get("forms")
    if forms is None:
        forms = memo["forms"] = load_forms(FORMS_DIR, catalog.sources)
    return forms
