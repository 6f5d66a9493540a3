"""Filing documents: a decision turned into the forms a company files, in Chinese or English,
as a typed document and as DOCX or PDF. Form definitions are data in `rules/documents/`."""

from kuajing.filing.documents.build import build
from kuajing.filing.documents.fonts import FontMissing
from kuajing.filing.documents.forms import Form, FormError, forms_for, load_forms
from kuajing.filing.documents.inputs import (
    DocumentInput,
    DocumentKind,
    FilingDeadline,
    FilingFacts,
)
from kuajing.filing.documents.model import (
    Cell,
    Check,
    Citation,
    Document,
    Notice,
    Row,
    Section,
    Table,
)
from kuajing.filing.documents.pdf import to_pdf
from kuajing.filing.documents.word import to_docx

__all__ = [
    "Cell",
    "Check",
    "Citation",
    "Document",
    "DocumentInput",
    "DocumentKind",
    "FilingDeadline",
    "FilingFacts",
    "FontMissing",
    "Form",
    "FormError",
    "Notice",
    "Row",
    "Section",
    "Table",
    "build",
    "forms_for",
    "load_forms",
    "to_docx",
    "to_pdf",
]
