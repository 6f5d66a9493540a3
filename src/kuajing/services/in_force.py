"""How much of the lists in force kuajing can decide: "lists in force: N of M published scenarios
decide", measured by asking the engine, not by counting encoded rows.

M is the scenarios the lists in force publish (Tianjin's list counts its sub-classes; a list
that publishes no count is named instead). A scenario decides when kuajing answers every
personal-information export in it with a determined pathway, for a processor that is not a CIIO
and is registered and exporting in the zone: probes just below and at every line of the list
and of the national rules, for non-sensitive and for sensitive PI. A scenario decided for one
kind of PI only, or only up to some number of persons, decides "in part", and says where it
stops."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pydantic import BaseModel, Field

from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang, Pathway
from kuajing.catalog.catalog import ScopeRef
from kuajing.catalog.models import ZoneList
from kuajing.engine import assess
from kuajing.engine.request import Processor, Request, Transfer
from kuajing.i18n import number, pick


class ScopeDecides(BaseModel):
    scope: str  # a scenario ("list/sector/scenario"), a sector ("list/sector/*") or a list id
    scenarios: int  # how many published scenarios (or sub-classes) it stands for
    personal: bool  # every non-sensitive PI export gets a determined answer
    sensitive: bool  # every sensitive PI export gets a determined answer
    # The fewest persons whose export needs review, where some fewer are decided (else None).
    personal_from: int | None = None
    sensitive_from: int | None = None

    @property
    def decides(self) -> bool:
        return self.personal and self.sensitive

    @property
    def in_part(self) -> bool:
        return not self.decides and (
            self.personal
            or self.sensitive
            or self.personal_from is not None
            or self.sensitive_from is not None
        )


class ListInForce(BaseModel):
    id: str
    title: str
    unit: str  # "scenario", or "sub_class" for a list organised by data class (Tianjin)
    published: int | None  # None: the list's count is not published
    decide: int
    in_part: int  # decided for one kind of PI only, or up to some number of persons
    scopes: list[ScopeDecides] = Field(default_factory=list)


class InForce(BaseModel):
    date: dt.date
    published: int  # scenarios (and sub-classes) published by the lists in force
    decide: int
    in_part: int
    not_counted: list[str]  # lists in force that publish no count
    lists: list[ListInForce]

    def line(self, lang: Lang) -> str:
        # by title: the line is read by people (pages, CLI), the ids stay in `not_counted`
        titles = [x.title for x in self.lists if x.published is None]
        return pick(
            lang,
            f"现行清单：已公布的 {number(self.published)} 个场景和子类中，{number(self.decide)} 个"
            f"可以判定，另有 {number(self.in_part)} 个可部分判定"
            + (f"（未公布规模：{'、'.join(titles)}）" if titles else ""),
            f"Lists in force: {number(self.decide)} of {number(self.published)} published "
            f"scenarios and sub-classes decide, and {number(self.in_part)} more in part"
            + (f" (size not published: {'; '.join(titles)})" if titles else ""),
        )


def in_force(catalog: Catalog, day: dt.date, lang: Lang = "en") -> InForce:
    lists = [
        _list(catalog, zl, day, lang)
        for zl in sorted(catalog.lists.values(), key=lambda z: z.id)
        if zl.kind == "negative" and zl.in_force.covers(day)
    ]
    counted = [x for x in lists if x.published is not None]
    return InForce(
        date=day,
        published=sum(x.published or 0 for x in counted),
        decide=sum(x.decide for x in counted),
        in_part=sum(x.in_part for x in counted),
        not_counted=[x.id for x in lists if x.published is None],
        lists=lists,
    )


def measured(catalog: Catalog, day: dt.date, lang: Lang = "en") -> InForce:
    """`in_force`, kept with the catalogue per language and day: measuring asks the engine some
    thousands of questions (about 0.4 s); the pages and the API ask often. A reloaded catalogue
    measures afresh."""
    memo: dict[dt.date, InForce] = catalog.cache(("in_force", lang))
    found = memo.get(day)
    if found is None:
        found = memo[day] = in_force(catalog, day, lang)
    return found


def _list(catalog: Catalog, zl: ZoneList, day: dt.date, lang: Lang) -> ListInForce:
    comprehensive = zl.scope == "comprehensive"
    pc = zl.published_counts
    published = pc.sub_classes if comprehensive else pc.scenarios
    scopes = []
    for scope, name, size in _units(zl, catalog, published):
        personal = _review_from(catalog, zl, day, name, "personal")
        sensitive = _review_from(catalog, zl, day, name, "sensitive")
        scopes.append(
            ScopeDecides(
                scope=scope,
                scenarios=size,
                personal=personal is None,
                sensitive=sensitive is None,
                personal_from=personal if personal and personal > 1 else None,
                sensitive_from=sensitive if sensitive and sensitive > 1 else None,
            )
        )
    return ListInForce(
        id=zl.id,
        title=zl.title.get(lang),
        unit="sub_class" if comprehensive else "scenario",
        published=published,
        decide=min(sum(s.scenarios for s in scopes if s.decides), published or 0),
        in_part=sum(s.scenarios for s in scopes if s.in_part),
        scopes=scopes,
    )


def _units(
    zl: ZoneList, catalog: Catalog, published: int | None
) -> Iterator[tuple[str, str | None, int]]:
    """What to ask about, each with the name a request gives and how many published scenarios
    it stands for: each named scenario; a sector whose scenarios are not named, for the rest of
    the list's scenarios when it is the only such sector (else for one); for a list organised by
    data class, the list as a whole (its personal-information class: one sub-class)."""
    if zl.scope == "comprehensive":
        yield zl.id, None, 1
        return
    unnamed = [s for s in zl.sectors if not s.scenarios]
    named = sum(len(s.scenarios) for s in zl.sectors)
    for sector in zl.sectors:
        origin = catalog.origin(zl, sector.id)
        if not sector.scenarios:
            rest = (published or 0) - named if len(unnamed) == 1 else 1
            key = ScopeRef(zl, sector, None, origin).key
            yield key, key, max(rest, 1)
        for sc in sector.scenarios:
            key = ScopeRef(zl, sector, sc, origin).key
            yield key, key, 1


def _review_from(
    catalog: Catalog, zl: ZoneList, day: dt.date, scope: str | None, kind: str
) -> int | None:
    """The fewest persons of `kind` whose export in `scope` is not decided (None: all are)."""
    processor = Processor(name="probe", zone=zl.zones[0])
    for n in _probes(catalog, zl, kind):
        transfer = Transfer(id="probe", scenario=scope, **{kind: n})
        decision = assess(Request(date=day, processor=processor, transfers=[transfer]), catalog)
        if decision.status != "determined" or decision.pathway == Pathway.PROHIBITED:
            return n
    return None


def _probes(catalog: Catalog, zl: ZoneList, kind: str) -> list[int]:
    """Counts on each side of every line the list or the national rules draw for `kind`."""
    lines = {1}
    regime = catalog.regime_on(zl.in_force.start)
    thresholds = [t.threshold for t in regime.thresholds] if regime else []
    thresholds += [e.threshold for e in Catalog.entries_of(zl) if e.threshold is not None]
    for th in thresholds:
        if th.counter in (kind, "persons"):
            low, high = th.band()
            lines |= {low, high + 1} if high is not None else {low}
    return sorted({n + d for n in lines for d in (-1, 0) if n + d >= 1})
