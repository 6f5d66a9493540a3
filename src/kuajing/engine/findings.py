"""A finding: one rule applied to one transfer, with the pathway it points to (if any) and
whether it is certain. Certain = the rule is graded H or M, needs no human judgement, and every
fact it depends on is known."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from kuajing.catalog.base import Pathway, Text, strictest
from kuajing.catalog.models import Rule


@dataclass
class Finding:
    rule: Rule
    pathway: Pathway | None = None
    facts: Text | None = None
    missing: tuple[Text, ...] = ()

    @cached_property
    def certain(self) -> bool:
        return not self.missing and self.rule.review is None and self.rule.confidence in "HM"


@dataclass
class Outcome:
    """Findings for one transfer and the pathway and status they add up to."""

    findings: list[Finding] = field(default_factory=list)
    _top: Pathway | None = None
    _determined: bool | None = None

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)
        self._top, self._determined = None, None

    @property
    def pathway(self) -> Pathway:
        if self._top is None:
            self._top = strictest([f.pathway for f in self.findings if f.pathway is not None])
        return self._top

    @property
    def determined(self) -> bool:
        """Determined when a certain finding reaches the reported pathway; uncertain findings
        that point no higher than it do not matter."""
        if self._determined is None:
            self._determined = self._decide()
        return self._determined

    def _decide(self) -> bool:
        top = self.pathway
        at_top = [f for f in self.findings if f.pathway == top]
        return any(f.certain for f in at_top) and not any(
            f.pathway is None and not f.certain for f in self.findings
        )

    def open_questions(self) -> list[Finding]:
        """Uncertain findings that the status depends on."""
        if self.determined:
            return []
        top = self.pathway
        return [
            f for f in self.findings if not f.certain and (f.pathway is None or f.pathway == top)
        ]
