"""Catalogue models: sources, national regimes, prohibitions, obligations, zones, zone lists."""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from pydantic import Field, model_validator

from kuajing.catalog.base import (
    Cited,
    Confidence,
    Ident,
    Pathway,
    Period,
    Strict,
    Text,
    Threshold,
)

# Moved to modules of their own (a scan reads them alone); imported from here too.
from kuajing.catalog.personal import DataKind as DataKind  # noqa: PLC0414
from kuajing.catalog.personal import Minors as Minors  # noqa: PLC0414
from kuajing.catalog.personal import PersonalData as PersonalData  # noqa: PLC0414
from kuajing.catalog.sources import Source as Source  # noqa: PLC0414

Exemption = Literal[
    "contract",
    "hr",
    "emergency",
    "overseas_collected",
    "statutory_duty",
    "automotive_guidelines",
]
EXEMPTIONS: tuple[Exemption, ...] = get_args(Exemption)
Category = Literal["personal_information", "important_data", "general_data"]
Knowledge = Literal["complete", "partial", "unknown"]
# Where a list (or an adoption) applies: its free trade zones only, or the whole city they lie in.
Area = Literal["zone", "city"]
# How a list decides who it applies to: by where the processor is registered, where it carries
# out the export, both, or not known (then the engine tries each reading, see engine/readings.py).
Test = Literal["registration", "activity", "registration_and_activity", "unknown"]
ALL = "all"


class Rule(Cited):
    """A cited legal rule. `review` marks a clause that needs human judgement when it applies."""

    rule: str = Field(pattern=r"^[A-Z0-9][A-Z0-9\-]*$")
    text: Text
    review: Text | None = None


class PathwayRule(Rule):
    pathway: Pathway


class ThresholdRule(PathwayRule):
    threshold: Threshold


class ExemptionRule(PathwayRule):
    """An exemption the request can claim. A `candidate` is an exemption whose legal effect is
    debated or rests on a weak source: claiming it never lightens the pathway, it only asks a
    person to judge (the export is assessed as if it were not exempt)."""

    candidate: bool = False
    in_force: Period | None = None  # within the regime's period; open = the whole period


class NationalRegime(Cited):
    """The national rules in force for a period: what triggers which pathway, and the exemptions."""

    id: str = Ident
    title: Text
    in_force: Period
    window: Literal["current_year", "previous_year"]
    window_rule: Rule
    important_data: PathwayRule
    ciio: PathwayRule
    no_pi: PathwayRule
    thresholds: list[ThresholdRule] = Field(min_length=1)
    floor: PathwayRule  # the pathway when PI leaves and no threshold is reached
    exemptions: dict[Exemption, ExemptionRule] = Field(default_factory=dict)
    exemption_not_for_important_data: Rule | None = None
    ftz_off_list: PathwayRule | None = None  # data of a covered scenario that is off the list
    ftz_uncovered: Rule | None = None  # outside every covered scenario, national rules apply
    ciio_exemption: Rule | None = None
    exemption_unavailable: Rule | None = None


class Prohibition(PathwayRule):
    trigger: Literal["foreign_authority", "restricted_list", "core_data"]
    in_force: Period


class Condition(Strict):
    """When an obligation applies. Every given key must hold; an empty condition always holds."""

    pathways: list[Pathway] | None = None
    pi: bool | None = None
    sensitive: bool | None = None
    important_data: bool | None = None
    exempt_by: list[Exemption] | None = None
    list_regime: bool | None = None
    scenarios: list[str] | None = None  # ids of the governing list's scenarios
    # Sector names: the processor's declared sector, or the governing list sector's id, names
    # or aliases (any of them, compared as people type them).
    sectors: list[str] | None = None


class Obligation(Rule):
    """What the exporter must do. A `warning` is guidance to heed rather than a duty (a
    regulator's guide, say): it is shown among the transfer's warnings, with its grade."""

    in_force: Period
    when: Condition = Field(default_factory=Condition)
    warning: bool = False


class Coverage(Strict):
    """How much of what the list publishes for this scope is encoded. `sensitive_pi`, when
    given, is the part of `personal_information` about sensitive PI (a list whose ordinary-PI
    bands are known while its sensitive band is not); absent, it is the same as
    `personal_information`."""

    personal_information: Knowledge
    important_data: Knowledge
    sensitive_pi: Knowledge | None = None
    note: Text | None = None

    def of(self, what: str) -> Knowledge:
        if what == "sensitive_pi":
            return self.sensitive_pi or self.personal_information
        level: Knowledge = getattr(self, what)
        return level


class Entry(PathwayRule):
    """A list entry: a data sub-class of some scenarios that needs `pathway` when `trigger` holds.
    `threshold` counts persons across all of the entry's scenarios since the window began."""

    id: str = Ident
    category: Category
    sub_class: Text
    description: Text | None = None
    scenarios: list[str] | Literal["all"]
    fields: list[str] = Field(default_factory=list)
    # unknown: the list names the entry (its pathway and fields) but its condition was not
    # read, so it can only raise an open question, never decide.
    trigger: Literal["threshold", "declared", "scenario", "unknown"]
    threshold: Threshold | None = None
    aliases: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _trigger_consistent(self) -> Entry:
        if (self.trigger == "threshold") != (self.threshold is not None):
            raise ValueError("trigger 'threshold' needs a threshold, and only it takes one")
        if self.category == "personal_information" and self.trigger not in ("threshold", "unknown"):
            raise ValueError("personal-information entries are triggered by a threshold")
        if self.category == "general_data" and self.pathway != "exempt":
            raise ValueError("general-data (positive list) entries flow freely: pathway exempt")
        return self


class SensitiveDefinition(Rule):
    """A list's own definition of sensitive personal information, where it is wider than the
    national one (ID numbers, plates...). `fields` are the list's own words; `kinds` are the
    scanner's data kinds those words name, each with the grade of reading the word as that kind
    (a literal match is the definition's own grade; an interpretation is graded lower)."""

    fields: list[str] = Field(min_length=1)
    kinds: dict[str, Confidence] = Field(min_length=1)


class Scenario(Cited):
    id: str = Ident
    name: Text
    aliases: list[str] = Field(default_factory=list)
    coverage: Coverage


class Sector(Cited):
    id: str = Ident
    name: Text
    aliases: list[str] = Field(default_factory=list)
    note: Text | None = None
    coverage: Coverage  # of the entries that apply to every scenario of the sector
    scenarios: list[Scenario] = Field(default_factory=list)
    entries: list[Entry] = Field(default_factory=list)
    obligations: list[Obligation] = Field(default_factory=list)
    sensitive_pi: SensitiveDefinition | None = None


class Sizes(Strict):
    """The size of a list: as published, or as encoded."""

    sectors: int | None = None
    scenarios: int | None = None
    sub_classes: int | None = None
    items: int | None = None
    fields: int | None = None


class PublishedCounts(Sizes, Cited):
    pass


class Applicability(Strict):
    """Who a list applies to. `registered_in_zone` is the scope rule as the sources state it;
    `area` and `test` are its facts: the list's zones or the whole city they lie in, and
    whether the processor must be registered there, export from there, or both (`unknown`
    where no source says). `ciio` says whether the list admits critical information
    infrastructure operators: `excluded` needs the `excludes_ciio` rule; absent, it is
    `excluded` when that rule is given and `unknown` otherwise."""

    registered_in_zone: Rule
    area: Area = "zone"
    test: Test = "unknown"
    ciio: Literal["excluded", "admitted", "unknown"] | None = None
    excludes_ciio: Rule | None = None
    excluded_data: Rule | None = None

    @model_validator(mode="after")
    def _ciio_consistent(self) -> Applicability:
        if self.ciio == "excluded" and self.excludes_ciio is None:
            raise ValueError("ciio 'excluded' needs the excludes_ciio rule")
        if self.ciio not in (None, "excluded") and self.excludes_ciio is not None:
            raise ValueError(f"ciio {self.ciio!r} contradicts the excludes_ciio rule")
        return self

    @property
    def ciio_rule(self) -> Literal["excluded", "admitted", "unknown"]:
        if self.ciio is not None:
            return self.ciio
        return "excluded" if self.excludes_ciio is not None else "unknown"


class Incorporation(Rule):
    """An edition takes over sectors (`sector`) or single scenarios (`sector/scenario`) of
    another edition as they stand, from its own start: the earlier text is not copied, and the
    decision names both editions."""

    edition: str = Ident  # the list id of the edition incorporated
    sectors: list[str] = Field(min_length=1)


class ZoneList(Cited):
    """One edition of a zone's list. `scope: comprehensive` lists cover every export of the zone;
    `sectors` lists only their sectors' scenarios."""

    id: str = Ident
    zones: list[str] = Field(min_length=1)
    kind: Literal["negative", "general"]
    scope: Literal["sectors", "comprehensive"]
    title: Text
    edition: str
    published: dt.date
    in_force: Period
    supersedes: str | None = None
    incorporates: list[Incorporation] = Field(default_factory=list)
    encoded: Literal["entries", "headers_only"]
    applicability: Applicability
    published_counts: PublishedCounts
    coverage: Coverage | None = None  # of the list-wide entries, where the list has any
    sensitive_pi: SensitiveDefinition | None = None  # the list's own, for every sector
    sectors: list[Sector] = Field(default_factory=list)
    entries: list[Entry] = Field(default_factory=list)  # entries across every sector of the list
    obligations: list[Obligation] = Field(default_factory=list)

    def incorporation_of(self, sector: str) -> Incorporation | None:
        """The incorporation that brings `sector` into this edition, if one does."""
        for inc in self.incorporates:
            if any(item.split("/")[0] == sector for item in inc.sectors):
                return inc
        return None


class City(Strict):
    """A city (or a province-level area) a zone lies in: city-wide lists apply to it whole."""

    id: str = Ident
    name: Text
    aliases: list[str] = Field(default_factory=list)


class Zone(Strict):
    id: str = Ident
    name: Text
    aliases: list[str] = Field(default_factory=list)
    city: str | None = None


class Adoption(Rule):
    """A zone may use lists of other zones (cross-zone adoption), as dated data. Its scope:
    `lists` (ids, or any officially issued list), optionally only those published on or before
    `released_by` (a later edition of an adopted list is then outside it), for processors that
    `area` and `test` place in the zone, as a list's applicability does. `conditions: unknown`
    marks an adoption whose conditions no source gives: the engine tries both readings (it is
    used, it is not)."""

    id: str = Ident
    zone: str
    in_force: Period
    lists: list[str] | Literal["any"]
    only_uncovered_sectors: bool = True
    released_by: dt.date | None = None
    area: Area = "zone"
    test: Test = "unknown"
    conditions: Literal["known", "unknown"] = "known"

    def covers(self, zl: ZoneList) -> bool:
        """Whether `zl` is within this adoption's scope of lists (dates aside)."""
        named = self.lists == "any" or zl.id in self.lists
        return named and (self.released_by is None or zl.published <= self.released_by)
