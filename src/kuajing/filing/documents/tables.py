"""The tables a form section can name (`tables: [recipients]`), one row per transfer or item."""

from __future__ import annotations

from collections.abc import Callable

from kuajing.catalog.base import Text
from kuajing.engine.decision import SourceRef
from kuajing.filing.documents.context import Ctx
from kuajing.filing.documents.model import Cell, Table
from kuajing.filing.documents.rules import entry_of
from kuajing.filing.documents.values import categories_text, persons_text
from kuajing.i18n import PATHWAYS, STATUS, number

Build = Callable[[Ctx], list[list[Cell]]]

T = Text  # column headings are short: one Text per column

_CATEGORY = {
    "personal_information": T(zh="个人信息", en="personal information"),
    "important_data": T(zh="重要数据", en="important data"),
    "general_data": T(zh="一般数据", en="general data"),
}


def _transfers(c: Ctx) -> list[list[Cell]]:
    return [
        [
            c.given(t.id),
            c.given(c.scenario_name(t.scenario)),
            c.given(PATHWAYS[t.pathway].get(c.lang)),
            c.given(STATUS[t.status].get(c.lang)),
            c.given(c.regime_name(t.regime)),
        ]
        for t in c.transfers
    ]


def _recipients(c: Ctx) -> list[list[Cell]]:
    rows = []
    for t in c.transfers:
        req = c.requested(t.id)
        name = c.cell(req.recipient.name) if req else c.not_given()
        country = c.cell(req.recipient.country) if req else c.not_given()
        rows.append([c.given(t.id), name, country, c.blank()])
    return rows


def _persons(c: Ctx) -> list[list[Cell]]:
    rows = []
    for t in c.transfers:
        req = c.requested(t.id)
        if req is None:
            rows.append([c.given(t.id), c.not_given(), c.not_given(), c.not_given()])
            continue
        distinct = c.cell(number(req.persons) if req.persons is not None else None)
        rows.append(
            [c.given(t.id), c.given(number(req.personal)), c.given(number(req.sensitive)), distinct]
        )
    return rows


def _data(c: Ctx) -> list[list[Cell]]:
    rows = []
    for t in c.transfers:
        req = c.requested(t.id)
        kinds = c.given(categories_text(c, req)) if req else c.not_given()
        count = c.given(persons_text(c, [req])) if req else c.not_given()
        rows.append([c.given(t.id), c.given(c.scenario_name(t.scenario)), kinds, count])
    return rows


def _fields(c: Ctx) -> list[list[Cell]]:
    rows = []
    for t in c.transfers:
        for f in t.fields:
            sub = c.given(f.sub_class) if f.sub_class else Cell(text=c.say("unplaced"))
            category = _CATEGORY.get(f.category or "")
            rows.append(
                [
                    c.given(t.id),
                    c.given(f.field),
                    sub,
                    c.cell(category.get(c.lang) if category else None),
                ]
            )
    if not rows:
        rows.append([c.given(", ".join(t.id for t in c.transfers)), c.not_given(), *_dash(c, 2)])
    return rows


def _sub_classes(c: Ctx) -> list[list[Cell]]:
    rows = []
    for t in c.transfers:
        for r in t.reasons:
            if r.pathway is None:
                continue
            entry = entry_of(c.catalog, r.rule) if c.same_catalog else None
            sub = c.given(entry.sub_class.get(c.lang)) if entry else c.given("—")
            reason = c.rule_text(r.rule, r.text) + (f" [{r.facts}]" if r.facts else "")
            rows.append([c.given(t.id), c.given(r.rule), sub, c.given(reason)])
    return rows


def _reasons(c: Ctx) -> list[list[Cell]]:
    return [
        [
            c.given(t.id),
            c.given(r.rule),
            c.given(c.rule_text(r.rule, r.text) + (f" [{r.facts}]" if r.facts else "")),
            c.given(_ref(r.source)),
        ]
        for t in c.transfers
        for r in t.reasons
    ]


def _obligations(c: Ctx) -> list[list[Cell]]:
    seen: dict[str, list[Cell]] = {}
    for t in c.transfers:
        for o in t.obligations:
            if o.rule not in seen:
                text = c.rule_text(o.rule, o.text)
                seen[o.rule] = [c.given(o.rule), c.given(text), c.given(_ref(o.source))]
    return list(seen.values())


def _deadlines(c: Ctx) -> list[list[Cell]]:
    f = c.inp.filing
    if f is None or not f.deadlines:
        return [[c.not_given(), *_dash(c, 3)]]
    rows = []
    for d in f.deadlines:
        date = c.given(d.date.isoformat()) if d.date else c.given(c.say("not_started"))
        flag = c.say("provisional") if d.provisional else "—"
        rows.append([c.given(d.label.get(c.lang)), date, c.given(flag), c.given(d.rule)])
    return rows


def _scale(c: Ctx) -> list[list[Cell]]:
    counts = c.inp.decision.counts
    rows = [
        [
            c.given(c.say("pool_national")),
            c.given(number(counts.personal)),
            c.given(number(counts.sensitive)),
        ]
    ]
    for key in dict.fromkeys(t.scenario for t in c.transfers if t.scenario):
        pool = counts.scenarios.get(key)
        if pool is not None:
            rows.append(
                [
                    c.given(c.scenario_name(key)),
                    c.given(number(pool.personal)),
                    c.given(number(pool.sensitive)),
                ]
            )
    return rows


def _dash(c: Ctx, n: int) -> list[Cell]:
    return [c.given("—") for _ in range(n)]


def _ref(ref: SourceRef) -> str:
    return " ".join(p for p in (ref.title, ref.article or "", f"[{ref.confidence}]") if p)


TABLES: dict[str, tuple[list[Text], Build]] = {
    "transfers": (
        [
            T(zh="出境活动", en="transfer"),
            T(zh="业务场景", en="business scenario"),
            T(zh="合规路径", en="pathway"),
            T(zh="状态", en="status"),
            T(zh="适用规则", en="rules applied"),
        ],
        _transfers,
    ),
    "recipients": (
        [
            T(zh="出境活动", en="transfer"),
            T(zh="境外接收方", en="overseas recipient"),
            T(zh="国家或地区", en="country or region"),
            T(zh="联系人及联系方式", en="contact person and details"),
        ],
        _recipients,
    ),
    "persons": (
        [
            T(zh="出境活动", en="transfer"),
            T(zh="非敏感个人信息人数", en="persons, non-sensitive PI"),
            T(zh="敏感个人信息人数", en="persons, sensitive PI"),
            T(zh="去重人数", en="distinct persons"),
        ],
        _persons,
    ),
    "data": (
        [
            T(zh="出境活动", en="transfer"),
            T(zh="业务场景", en="business scenario"),
            T(zh="数据类别", en="data categories"),
            T(zh="个人信息主体数量", en="number of persons"),
        ],
        _data,
    ),
    "fields": (
        [
            T(zh="出境活动", en="transfer"),
            T(zh="数据字段", en="data field"),
            T(zh="数据子类", en="data sub-class"),
            T(zh="数据类别", en="data category"),
        ],
        _fields,
    ),
    "sub_classes": (
        [
            T(zh="出境活动", en="transfer"),
            T(zh="规则", en="rule"),
            T(zh="适用的数据子类", en="applicable sub-class"),
            T(zh="理由", en="reason"),
        ],
        _sub_classes,
    ),
    "reasons": (
        [
            T(zh="出境活动", en="transfer"),
            T(zh="规则", en="rule"),
            T(zh="理由", en="reason"),
            T(zh="出处", en="source"),
        ],
        _reasons,
    ),
    "obligations": (
        [T(zh="规则", en="rule"), T(zh="义务", en="obligation"), T(zh="出处", en="source")],
        _obligations,
    ),
    "deadlines": (
        [
            T(zh="期限", en="deadline"),
            T(zh="日期", en="date"),
            T(zh="说明", en="note"),
            T(zh="规则", en="rule"),
        ],
        _deadlines,
    ),
    "scale": (
        [
            T(zh="累计范围", en="counting pool"),
            T(zh="非敏感个人信息人数", en="persons, non-sensitive PI"),
            T(zh="敏感个人信息人数", en="persons, sensitive PI"),
        ],
        _scale,
    ),
}


def table(name: str, c: Ctx) -> Table:
    columns, build = TABLES[name]
    rows = build(c) or [[c.given(c.say("none")), *_dash(c, len(columns) - 1)]]
    return Table(columns=[col.get(c.lang) for col in columns], rows=rows)
