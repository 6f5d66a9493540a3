"""What every value filler reads: the input, the language, the catalogue, and small helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kuajing.catalog.base import Lang
from kuajing.catalog.catalog import Catalog
from kuajing.engine.decision import TransferDecision
from kuajing.engine.request import Transfer
from kuajing.filing.documents.inputs import DocumentInput
from kuajing.filing.documents.model import Cell
from kuajing.filing.documents.phrases import say
from kuajing.filing.documents.rules import find_rule


@dataclass(frozen=True)
class Ctx:
    inp: DocumentInput
    lang: Lang
    catalog: Catalog
    transfers: list[TransferDecision] = field(default_factory=list)

    @classmethod
    def of(cls, inp: DocumentInput, lang: Lang, catalog: Catalog) -> Ctx:
        return cls(inp, lang, catalog, inp.covered())

    @property
    def bare(self) -> bool:
        return self.inp.request is None

    @property
    def same_catalog(self) -> bool:
        """Whether the decision was made with this catalogue, so its rules can be looked up."""
        return self.inp.catalog_digest == self.catalog.digest

    def say(self, key: str, **values: object) -> str:
        return say(key, self.lang, **values)

    def given(self, text: str) -> Cell:
        return Cell(text=text)

    def not_given(self) -> Cell:
        return Cell(text=self.say("not_given"), state="not_given")

    def blank(self) -> Cell:
        return Cell(text=self.say("blank"), state="blank")

    def cell(self, text: str | None) -> Cell:
        return self.not_given() if text is None or not text.strip() else self.given(text)

    def requested(self, transfer_id: str) -> Transfer | None:
        return self.inp.requested(transfer_id)

    def rule_text(self, rule_id: str, text: str) -> str:
        """The decision's text of a rule, in this document's language when the catalogue has it."""
        rule = find_rule(self.catalog, rule_id, text) if self.same_catalog else None
        return rule.text.get(self.lang) if rule else text

    def scenario_name(self, key: str | None) -> str:
        if key is None:
            return self.say("unknown_scenario")
        for ref in self.catalog.scopes(key):
            if ref.key == key:
                item = ref.scenario or ref.sector
                return item.name.get(self.lang)
        return key

    def regime_name(self, regime: str) -> str:
        zl = self.catalog.lists.get(regime)
        if zl is not None:
            return zl.title.get(self.lang)
        return self.say("national", regime=self.inp.decision.national_regime)

    def stamp(self) -> str:
        return utc(self.inp.created_at).strftime("%Y-%m-%d %H:%M UTC")


def utc(when: dt.datetime) -> dt.datetime:
    """A naive time is taken as UTC, so that documents do not depend on the machine's zone."""
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)
