"""The findings for one transfer: prohibitions, important data, exemptions, and the thresholds of
the national rules or of the zone list that governs it."""

from __future__ import annotations

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


def exemption_status(regime: NationalRegime, t: Transfer) -> tuple[bool, list[Finding]]:
    """Whether the transfer's claimed exemption takes its PI out of the counters."""
    if t.exemption is None or not t.has_pi:
        return False, []
    if t.exemption not in regime.exemptions:
        rule = regime.exemption_unavailable
        return False, [Finding(rule)] if rule else []
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
    pi_fields = {
        normalise(f) for e, _ in entries if e.category == "personal_information" for f in e.fields
    }
    for entry, _ in entries:
        if entry.trigger == "scenario":
            out.add(Finding(entry, entry.pathway))
        if entry.category != "important_data" or entry.trigger != "declared":
            continue
        for field in t.fields:
            if normalise(canonical(field)) not in pi_fields and field_matches(field, entry.fields):
                why = fmt("field_match", field=field, rule=entry.rule, sub_class=entry.sub_class.zh)
                out.add(Finding(entry, SA, missing=(why,)))


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


def _national_pi(ctx: Context, t: Transfer, out: Outcome, doubt: Text | None) -> None:
    regime, missing = ctx.regime, (doubt,) if doubt else ()
    if ctx.request.processor.ciio:
        out.add(Finding(regime.ciio, regime.ciio.pathway, missing=missing))
        return
    out.add(Finding(regime.window_rule))
    reached = False
    for th in regime.thresholds:
        if _carries(t, th.threshold.counter):
            span = _national_span(ctx, th.threshold.counter)
            found = _threshold(th, th.pathway, th.threshold, span, missing)
            if found:
                out.add(found)
                reached = reached or found.missing == missing  # reached whatever the doubt
    if not reached:
        out.add(Finding(regime.floor, regime.floor.pathway, missing=missing))


def _list_pi(ctx: Context, t: Transfer, pl: Placement, out: Outcome) -> None:
    complete = pl.coverage("personal_information") == "complete"
    doubt = None if complete else _gap(pl)
    pi_hits, sure_sa = 0, False
    for entry, pools in pl.entries():
        th = entry.threshold
        if th is None or not _carries(t, th.counter):
            continue
        light = entry.pathway != SA and entry.category == "personal_information"
        missing = (doubt,) if doubt and light else ()
        found = _threshold(entry, entry.pathway, th, ctx.tally.total(pools, th.counter), missing)
        if found:
            matched = [f for f in t.fields if field_matches(f, entry.fields)]
            if matched and found.facts is not None:
                found.facts = _with_fields(found.facts, matched)
            out.add(found)
            pi_hits += entry.category == "personal_information"
            sure_sa = sure_sa or (found.pathway == SA and found.certain)
    if complete and not pi_hits:
        off_list = ctx.regime.ftz_off_list
        if off_list is not None:
            out.add(Finding(off_list, off_list.pathway))
            return
        doubt = _gap(pl)
    if doubt and not sure_sa:
        _national_pi(ctx, t, out, doubt)


def _with_fields(facts: Text, matched: list[str]) -> Text:
    fields = fmt("matched_fields", zh="、".join(matched), en=", ".join(matched))
    return Text(zh=f"{facts.zh}；{fields.zh}", en=f"{facts.en}; {fields.en}")


def _gap(pl: Placement) -> Text:
    assert pl.zone_list is not None
    scope = pl.ref.key if pl.ref else pl.zone_list.id
    if pl.scenario_specific_entries():
        return fmt("name_scenario", list=pl.zone_list.id, scope=scope)
    coverage = pl.coverage("personal_information")
    return fmt("not_encoded", list=pl.zone_list.id, scope=scope, coverage=coverage)


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
