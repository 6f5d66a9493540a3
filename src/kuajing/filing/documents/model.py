"""The typed document: what `build` returns and the DOCX and PDF writers render, in one language."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kuajing.catalog.base import Confidence, Lang
from kuajing.filing.documents.inputs import DocumentKind

# given: filled from the input; not_given: the input does not hold it (said so, never guessed);
# blank: a person must complete it (signatures, contacts, purposes).
ValueState = Literal["given", "not_given", "blank"]


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True)


class Cell(_Part):
    text: str
    state: ValueState = "given"


class Row(_Part):
    """One label/value line of a form."""

    label: str
    value: Cell


class Table(_Part):
    columns: list[str] = Field(min_length=1)
    rows: list[list[Cell]]


class Check(_Part):
    """One item of a checklist: a box for the person who collects the material."""

    text: str
    basis: str | None = None  # short citation, e.g. "S06 第6条"


class Section(_Part):
    heading: str
    paragraphs: list[str] = Field(default_factory=list)
    rows: list[Row] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)


class Notice(_Part):
    """A boxed statement on the first page: a decision that needs review, a template that is not
    encoded, a form the decision does not call for."""

    level: Literal["review", "warning", "info"]
    title: str
    lines: list[str] = Field(default_factory=list)


class Citation(_Part):
    source: str  # id in the catalogue's source register (S01, HUNTON-SH, …)
    title: str
    article: str | None = None
    rule: str | None = None  # the rule id in the catalogue or the reference notes
    location: str  # URL, seed file or section of the reference notes
    location_kind: Literal["url", "seed", "reference"]
    confidence: Confidence
    note: str | None = None


class Document(_Part):
    kind: DocumentKind | Literal["decision_report"]  # the report: a decision's page as a PDF
    lang: Lang
    title: str
    subtitle: str
    intro: str  # what the document is for, under the title
    created_at: dt.datetime
    notices: list[Notice] = Field(default_factory=list)
    sections: list[Section]
    citations_heading: str
    citations: list[Citation]
    footer: str

    def texts(self) -> list[str]:
        """Every text of the document in reading order (for search and for tests)."""
        out = [self.title, self.subtitle, self.intro]
        for n in self.notices:
            out += [n.title, *n.lines]
        for s in self.sections:
            out += [s.heading, *s.paragraphs]
            out += [t for r in s.rows for t in (r.label, r.value.text)]
            for table in s.tables:
                out += table.columns + [c.text for row in table.rows for c in row]
            out += [t for c in s.checks for t in (c.text, c.basis or "")]
        out.append(self.citations_heading)
        out += [citation_line(c) for c in self.citations]
        return out


def citation_line(c: Citation) -> str:
    """`[H] S07 个人信息出境标准合同办法 第5条 (SCC-5) — https://…`: one line per citation."""
    head = " ".join(p for p in (f"[{c.confidence}]", c.source, c.title, c.article or "") if p)
    rule = f" ({c.rule})" if c.rule else ""
    note = f"; {c.note}" if c.note else ""
    return f"{head}{rule} — {c.location}{note}"
