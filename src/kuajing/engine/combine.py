"""One decision from the runs of `assess` under each reading of the facts no source states.

A transfer whose pathway is the same under every reading is decided (if each run decided it),
with a reason naming the readings tried. One whose readings disagree needs review: its pathway
is the strictest any reading gives, and the decision shows each reading's pathway. The counts
and reasons shown are those of the strictest run."""

from __future__ import annotations

from collections.abc import Iterable

from kuajing.catalog.base import Text, strictest
from kuajing.engine.decision import Decision, ReadingOut, TransferDecision
from kuajing.engine.findings import Finding
from kuajing.engine.readings import Readings, Unknown
from kuajing.engine.render import Render
from kuajing.i18n import PATHWAYS, PHRASES, fmt


def combine(
    runs: list[tuple[Readings, Decision]], untried: list[Unknown], render: Render
) -> Decision:
    """`untried`: open facts whose combinations were too many to try all; every transfer then
    needs review, and says which."""
    primary = max(runs, key=lambda run: run[1].pathway.rank)[1]
    transfers = [_transfer(t.id, runs, render) for t in primary.transfers]
    if untried:
        transfers = [_untried(t, untried, render) for t in transfers]
    trace = None
    if primary.trace is not None:
        trace = [*primary.trace, *(f"reading {_label(r).en}" for r, _ in runs)]
    return primary.model_copy(
        update={
            "pathway": strictest([t.pathway for t in transfers]),
            "status": "needs_review"
            if any(t.status == "needs_review" for t in transfers)
            else "determined",
            "transfers": transfers,
            "missing": [f"{t.id}: {m}" for t in transfers for m in t.missing],
            "trace": trace,
        }
    )


def _transfer(tid: str, runs: list[tuple[Readings, Decision]], render: Render) -> TransferDecision:
    each = [(r, next(t for t in d.transfers if t.id == tid)) for r, d in runs]
    primary = max(each, key=lambda pair: pair[1].pathway.rank)[1]
    if len({(t.pathway, t.regime, t.status) for _, t in each}) == 1:
        return primary  # the open facts do not touch this transfer
    lang = render.lang
    own = _own_facts(tid, each)
    readings = _distinct(
        ReadingOut(
            reading=_label(r, own).get(lang),
            facts={k: v for k, v in r.chosen.items() if k in own},
            pathway=t.pathway,
            status=t.status,
            regime=t.regime,
        )
        for r, t in each
    )
    facts = [f for f in _facts(each) if f.key in own]
    question = Text(
        zh="；".join(f.question.zh for f in facts), en="; ".join(f.question.en for f in facts)
    )
    listed = Text(
        zh="；".join(
            f"{_label(r, own).zh}：{PATHWAYS[t.pathway.value].zh}" for r, t in _once(each, own)
        ),
        en="; ".join(
            f"{_label(r, own).en}: {PATHWAYS[t.pathway.value].en}" for r, t in _once(each, own)
        ),
    )
    if len({t.pathway for _, t in each}) == 1:
        note = _phrase("readings_tried", question, listed)
        reason = render.reason(Finding(facts[0].rule, facts=note))
        open_ = [
            f"{_label(r, own).get(lang)}: {m}"
            for r, t in each
            if t.status != "determined"
            for m in t.missing
        ]
        return primary.model_copy(
            update={
                "reasons": [*primary.reasons, reason],
                "readings": readings,
                "status": "needs_review" if open_ else "determined",
                "missing": list(dict.fromkeys(open_)),
            }
        )
    why = _phrase("readings_differ", question, listed).get(lang)
    return primary.model_copy(
        update={
            "pathway": strictest([t.pathway for _, t in each]),
            "status": "needs_review",
            "missing": [why, *primary.missing],
            "readings": readings,
        }
    )


def _own_facts(tid: str, each: list[tuple[Readings, TransferDecision]]) -> set[str]:
    """The facts this transfer's own placement asked, in any run; all of them where it asked
    none (its answer then moves with another transfer's, through the counts they share)."""
    own = {k for r, _ in each for k in r.by_transfer.get(tid, ())}
    return own or {k for r, _ in each for k in r.chosen}


def _distinct(readings: Iterable[ReadingOut]) -> list[ReadingOut]:
    return list({(x.reading, x.pathway, x.status, x.regime): x for x in readings}.values())


def _once(
    each: list[tuple[Readings, TransferDecision]], own: set[str]
) -> list[tuple[Readings, TransferDecision]]:
    """One run per distinct reading of the transfer's own facts and answer."""
    seen: dict[tuple[object, ...], tuple[Readings, TransferDecision]] = {}
    for r, t in each:
        key = (_label(r, own).en, t.pathway)
        seen.setdefault(key, (r, t))
    return list(seen.values())


def _untried(t: TransferDecision, untried: list[Unknown], render: Render) -> TransferDecision:
    questions = Text(
        zh="；".join(f.question.zh for f in untried), en="; ".join(f.question.en for f in untried)
    )
    why = fmt("readings_untried", questions=questions.get(render.lang)).get(render.lang)
    return t.model_copy(update={"status": "needs_review", "missing": [*t.missing, why]})


def _facts(each: list[tuple[Readings, TransferDecision]]) -> list[Unknown]:
    found: dict[str, Unknown] = {}
    for r, _ in each:
        for key in r.chosen:
            found.setdefault(key, r.facts[key])
    return list(found.values())


def _phrase(key: str, question: Text, listed: Text) -> Text:
    t = PHRASES[key]
    return Text(
        zh=t.zh.format(question=question.zh, readings=listed.zh),
        en=t.en.format(question=question.en, readings=listed.en),
    )


def _label(r: Readings, only: set[str] | None = None) -> Text:
    """'beijing-2025 by registration; BJ-ADOPT-2026 no adoption' (the facts in `only`)."""
    zh, en = [], []
    for key, reading in sorted(r.chosen.items()):
        if only is not None and key not in only:
            continue
        label, subject = r.facts[key].label(reading), key.split(":")[0]
        zh.append(f"{subject}{label.zh}")
        en.append(f"{subject} {label.en}")
    return Text(zh="；".join(zh), en="; ".join(en))
