"""A filing's subject in the reader's language. kuajing names the filings it makes
"<procedure>: <transfers>" in the language of the person who made them; shown to a reader of
the other language, that subject is said again in theirs. A subject a person wrote stays as
written (it is their words, in one language)."""

from __future__ import annotations

from collections.abc import Mapping

from kuajing.catalog.base import Lang, Text
from kuajing.catalog.procedures import Procedure
from kuajing.filing.models import Filing


def made_subject(procedure: Procedure, transfers: list[str], lang: Lang) -> str:
    """The subject kuajing gives a filing it makes from a decision."""
    return f"{procedure.name.get(lang)}: {', '.join(transfers)}"


def subject_text(filing: Filing, procedures: Mapping[str, Procedure]) -> Text:
    """The filing's subject in both languages: kuajing's own in each, a person's as written."""
    p = procedures.get(filing.procedure)
    if p is not None:
        made = Text(
            zh=made_subject(p, filing.transfers, "zh"), en=made_subject(p, filing.transfers, "en")
        )
        if filing.subject in (made.zh, made.en):
            return made
    return Text(zh=filing.subject, en=filing.subject)
