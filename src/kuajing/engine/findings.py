"""A finding: one rule applied to one transfer, with the pathway it points to (if any) and
whether it is certain. Certain = the rule is graded H or M, needs no human judgement, and every
fact it depends on is known."""

from __future__ import annotations

from dataclasses import dataclass, field

from kuajing.catalog.base import Pathway, Text, strictest
from kuajing.catalog.models import Rule


@dataclass(frozen=True)
class Finding:
    rule: Rule
    pathway: Pathway | None = None
    facts: Text | None = None
    missing: tuple[Text, ...] = ()

    @property
    def certain(self) -> bool:
        return not self.missing and self.rule.review is None and self.rule.confidence in "HM"


@dataclass
class Outcome:
    """Findings for one transfer and the pathway and status they add up to."""

    findings: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    @property
    def pathway(self) -> Pathway:
        return strictest([f.pathway for f in self.findings if f.pathway is not None])

    @property
    def determined(self) -> bool:
        """Determined when a certain finding reaches the reported pathway; uncertain findings
        that point no higher than it do not matter."""
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
