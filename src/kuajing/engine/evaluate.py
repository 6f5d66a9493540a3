"""The findings for one transfer: prohibitions, important data, exemptions, and the thresholds of
the national rules or of the zone list that governs it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from kuajing.catalog.base import Counter, Pathway, Text, Threshold
from kuajing.catalog.catalog import Catalog, normalise
from kuajing.catalog.models import Entry, NationalRegime, Rule
from kuajing.catalog.vocabulary import canonical
from kuajing.engine.counting import Span, Tally
from kuajing.engine.findings import Finding, Outcome
from kuajing.engine.placement import Placement
from kuajing.engine.request import Request, Transfer
from kuajing.i18n import COUNTERS, PHRASES, bound, fmt, number

SA = Pathway.SECURITY_ASSESSMENT


@dataclass(frozen=True)
class Context:
    catalog: Catalog
    regime: NationalRegime
    request: Request
    tally: Tally


def exemption_status(
    regime: NationalRegime, t: Transfer, day: dt.date
) -> tuple[bool, list[Finding]]:
    """Whether the transfer's claimed exemption takes its PI out of the counters. A candidate
    exemption (debated, or from a weak source) never does: it only asks a person to judge."""
    if t.exemption is None or not (t.has_pi or t.important_data):
        return False, []
    exemption = regime.exemptions.get(t.exemption)
    if exemption is None or (exemption.in_force and not exemption.in_force.covers(day)):
        rule = regime.exemption_unavailable
        return False, [Finding(rule)] if rule else []
    if exemption.candidate:
        why = fmt("candidate_exemption", rule=exemption.rule)
        return False, [Finding(exemption, missing=(why,))]
    if not t.has_pi:
        return False, []
    if t.important_data:
        rule = regime.exemption_not_for_important_data
        return False, [Finding(rule)] if rule else []
    return True, []


def outcome(
    ctx: Context, t: Transfer, pl: Placement, exempt: bool, notes: list[Finding]
) -> Outcome:
    out = Outcome([*pl.notes, *notes])
    _prohibitions(ctx, t, out)
    _important_data(ctx, t, pl, out)
    if pl.zone_list is not None:
        _list_data(t, pl, out)
        _sensitive_by_list(t, pl, out)
    if not t.has_pi:
        if not t.important_data and not t.core_data:
            out.add(Finding(ctx.regime.no_pi, ctx.regime.no_pi.pathway))
    elif exempt:
        assert t.exemption is not None
        rule = ctx.regime.exemptions[t.exemption]
        out.add(Finding(rule, rule.pathway))
        if ctx.request.processor.ciio and ctx.regime.ciio_exemption:
            out.add(Finding(ctx.regime.ciio_exemption))
    elif pl.zone_list is not None:
        _list_pi(ctx, t, pl, out)
    else:
        _national_pi(ctx, t, out, doubt=None)
    return out


def _prohibitions(ctx: Context, t: Transfer, out: Outcome) -> None:
    facts = {
        "foreign_authority": t.recipient.foreign_authority,
        "restricted_list": t.recipient.restricted_list,
        "core_data": t.core_data,
    }
    for rule in ctx.catalog.prohibitions:
        if facts[rule.trigger] and rule.in_force.covers(ctx.request.date):
            out.add(Finding(rule, rule.pathway))


def _important_data(ctx: Context, t: Transfer, pl: Placement, out: Outcome) -> None:
    for item in t.important_data:
        out.add(Finding(ctx.regime.important_data, SA, fmt("declared_id", item=item)))
        named = [
            (zl, e) for zl, e in ctx.catalog.entries_named(item) if e.category == "important_data"
        ]
        named.sort(key=lambda pair: pair[0] is not pl.zone_list)
        for _, entry in named[:1]:
            out.add(Finding(entry, SA, fmt("declared_id", item=item)))


def _list_data(t: Transfer, pl: Placement, out: Outcome) -> None:
    """Entries triggered by the scenario itself, and fields that name a list's important-data
    item. A field the list names under a personal-information entry of this scope is PI, and is
    not also matched against important-data items."""
    entries = pl.entries()
    pi_fields = _pi_fields(entries) if t.fields else frozenset()
    for entry, _ in entries:
        if entry.trigger == "scenario":
            out.add(Finding(entry, entry.pathway))
        if entry.trigger == "unknown" and _concerns(entry, t):
            assert pl.zone_list is not None
            why = fmt(
                "unknown_entry", list=pl.zone_list.id, rule=entry.rule, sub_class=entry.sub_class.zh
            )
            out.add(Finding(entry, missing=(why,)))
        if entry.category != "important_data" or entry.trigger != "declared":
            continue
        for field in t.fields:
            if normalise(canonical(field)) not in pi_fields and field_matches(field, entry.fields):
                why = fmt("field_match", field=field, rule=entry.rule, sub_class=entry.sub_class.zh)
                out.add(Finding(entry, SA, missing=(why,)))


_PI_FIELDS: dict[int, tuple[object, frozenset[str]]] = {}


def _pi_fields(entries: list[tuple[Entry, list[str]]]) -> frozenset[str]:
    """The fields personal-information entries name, memoised by the identity of the (memoised)
    entries list, which the value keeps alive."""
    hit = _PI_FIELDS.get(id(entries))
    if hit is None:
        if len(_PI_FIELDS) > 4096:
            _PI_FIELDS.clear()
        names = frozenset(
            normalise(f)
            for e, _ in entries
            if e.category == "personal_information"
            for f in e.fields
        )
        hit = _PI_FIELDS[id(entries)] = (entries, names)
    return hit[1]


def _concerns(entry: Entry, t: Transfer) -> bool:
    """Whether an entry whose condition is unknown could concern this transfer."""
    if entry.category == "personal_information":
        return t.has_pi
    return any(field_matches(f, entry.fields) for f in t.fields)


def _sensitive_by_list(t: Transfer, pl: Placement, out: Outcome) -> None:
    """The governing list counts more kinds of PI as sensitive than the national rules (ID
    numbers, plates): a transfer naming such fields but declaring no sensitive PI is asked to
    count as the list does."""
    found = pl.sensitive_definition()
    if found is None or t.sensitive > 0 or t.personal == 0:
        return
    list_id, definition = found
    named = [f for f in t.fields if field_matches(f, definition.fields)]
    if named:
        why = fmt("sensitive_by_list", list=list_id, fields="、".join(named))
        out.add(Finding(definition, missing=(why,)))


def place_fields(t: Transfer, pl: Placement) -> tuple[list[tuple[str, list[Entry]]], list[str]]:
    """Each field with the list entries whose fields name it, and the fields no entry names."""
    placed: list[tuple[str, list[Entry]]] = []
    unplaced: list[str] = []
    entries = [e for e, _ in pl.entries()]
    for field in t.fields:
        hits = [e for e in entries if field_matches(field, e.fields)]
        if hits:
            placed.append((field, hits))
        else:
            unplaced.append(field)
    return placed, unplaced


def field_matches(field: str, names: list[str]) -> bool:
    """Equal names, or one containing the other where the shorter is specific enough (at least
    four characters): '充电桩位置' names '充电桩位置信息', but '地址' alone names nothing."""
    key = normalise(canonical(field))
    return any(
        key == n or (min(len(key), len(n)) >= 4 and (key in n or n in key))
        for n in _normalised(tuple(names))
    )


@lru_cache(maxsize=1024)
def _normalised(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normalise(n) for n in names)


def _national_pi(
    ctx: Context,
    t: Transfer,
    out: Outcome,
    doubt: Text | None,
    counters: tuple[Counter, ...] | None = None,
) -> None:
    """The national thresholds; `counters` limits them to the kinds of PI a list leaves open
    (thresholds on any PI, such as the 2022 regime's, always apply)."""
    regime, missing = ctx.regime, (doubt,) if doubt else ()
    if ctx.request.processor.ciio:
        out.add(Finding(regime.ciio, regime.ciio.pathway, missing=missing))
        return
    out.add(Finding(regime.window_rule))
    reached = False
    for th in regime.thresholds:
        counter = th.threshold.counter
        if counters is not None and counter in _KINDS and counter not in counters:
            continue
        if _carries(t, counter):
            span = _national_span(ctx, th.threshold.counter)
            found = _threshold(th, th.pathway, th.threshold, span, missing)
            if found:
                out.add(found)
                reached = reached or found.missing == missing  # reached whatever the doubt
    if not reached:
        out.add(Finding(regime.floor, regime.floor.pathway, missing=missing))


_KINDS: tuple[Counter, ...] = ("personal", "sensitive")
COVERAGE = {"personal": "personal_information", "sensitive": "sensitive_pi"}


def _list_pi(ctx: Context, t: Transfer, pl: Placement, out: Outcome) -> None:
    """The list's bands decide the kinds of PI whose entries are fully encoded; for the others
    the national rules apply as the stricter fallback, and the answer needs review."""
    carried = tuple(c for c in _KINDS if _carries(t, c))
    unknown = tuple(c for c in carried if pl.coverage(COVERAGE[c]) != "complete")
    doubt = _gap(pl) if unknown else None
    pi_hits, sure_sa = 0, False
    for entry, pools in pl.entries():
        th = entry.threshold
        if th is None or not _carries(t, th.counter):
            continue
        light = entry.pathway != SA and entry.category == "personal_information"
        counters = (th.counter,) if th.counter in _KINDS else carried
        missing = (doubt,) if doubt and light and set(counters) & set(unknown) else ()
        found = _threshold(entry, entry.pathway, th, ctx.tally.total(pools, th.counter), missing)
        if found:
            matched = [f for f in t.fields if field_matches(f, entry.fields)]
            if matched and found.facts is not None:
                found.facts = _with_fields(found.facts, matched)
            out.add(found)
            pi_hits += entry.category == "personal_information"
            sure_sa = sure_sa or (found.pathway == SA and found.certain)
    if not unknown and not pi_hits:
        off_list = ctx.regime.ftz_off_list
        if off_list is not None:
            out.add(Finding(off_list, off_list.pathway))
            return
        doubt, unknown = _gap(pl), carried
    if doubt and not sure_sa:
        _national_pi(ctx, t, out, doubt, unknown)


def _with_fields(facts: Text, matched: list[str]) -> Text:
    fields = fmt("matched_fields", zh="、".join(matched), en=", ".join(matched))
    return Text(zh=f"{facts.zh}；{fields.zh}", en=f"{facts.en}; {fields.en}")


def _gap(pl: Placement) -> Text:
    assert pl.zone_list is not None
    scope = pl.ref.key if pl.ref else pl.zone_list.id
    if pl.scenario_specific_entries():
        return fmt("name_scenario", list=pl.zone_list.id, scope=scope)
    personal, sensitive = pl.coverage("personal_information"), pl.coverage("sensitive_pi")
    if personal == "complete" and sensitive != "complete":
        return fmt("sensitive_not_encoded", list=pl.zone_list.id, scope=scope)
    return fmt("not_encoded", list=pl.zone_list.id, scope=scope, coverage=personal)


def _threshold(
    rule: Rule, pathway: Pathway, th: Threshold, span: Span, missing: tuple[Text, ...]
) -> Finding | None:
    if not th.may_reach(span.low, span.high):
        return None
    sure = th.reached(span.low) and span.high is not None and th.reached(span.high)
    if not sure:
        key = "processed_unknown" if th.counter == "processed" else "overlap"
        missing = (*missing, PHRASES[key])
    return Finding(rule, pathway, _facts(th, span), missing)


_FACTS: dict[tuple[int, Span], tuple[Threshold, Text]] = {}


def _facts(th: Threshold, span: Span) -> Text:
    """`sensitive: 30,000 (≥ 10,000 and < 50,000)`: the count against the rule's bounds.
    Memoised by threshold identity (the entry keeps the threshold alive) and count."""
    hit = _FACTS.get((id(th), span))
    if hit is None:
        if len(_FACTS) > 50_000:
            _FACTS.clear()
        hit = (th, _describe(th, span))
        _FACTS[(id(th), span)] = hit
    return hit[1]


def _describe(th: Threshold, span: Span) -> Text:
    if span.exact:
        value = number(span.low)
    else:
        value = f"{number(span.low)}–{'?' if span.high is None else number(span.high)}"
    name = COUNTERS[th.counter]
    return Text(
        zh=f"{name.zh}：{value}（{bound(th, 'zh')}）", en=f"{name.en}: {value} ({bound(th, 'en')})"
    )


def _carries(t: Transfer, counter: Counter) -> bool:
    if counter == "personal":
        return t.personal > 0
    if counter == "sensitive":
        return t.sensitive > 0
    return t.has_pi


def _national_span(ctx: Context, counter: Counter) -> Span:
    if counter == "processed":
        n = ctx.request.processor.persons_processed
        return Span(n, n) if n is not None else Span(0, None)
    return ctx.tally.total(["national"], counter)
