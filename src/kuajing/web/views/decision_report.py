"""A logged decision as the document its PDF is drawn from (the filing documents' renderer, which
embeds the Chinese font): the pathway, each transfer's reasons with the laws they rest on, the
request's facts, in the reader's language. Source titles and articles only: never rule files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from kuajing.accounts.models import DecisionRecord
from kuajing.filing.documents.model import Cell, Document, Notice, Row, Section, Table
from kuajing.i18n import PATHWAYS, STATUS
from kuajing.lang import Lang
from kuajing.web.i18n import t


def _words(names: dict[str, Any], key: str, lang: Lang) -> str:
    found = names.get(key)
    return str(found.get(lang)) if found else key


def _row(label: str, value: object) -> Row:
    return Row(label=label, value=Cell(text=str(value) if value not in (None, "") else "—"))


def _cite(source: dict[str, Any]) -> str:
    """`个人信息出境标准合同办法 第5条`: the title and article a lawyer looks up."""
    return " ".join(p for p in (source["title"], source.get("article") or "") if p)


def _sources(reason: dict[str, Any]) -> list[dict[str, Any]]:
    return reason.get("sources") or [reason["source"]]


def _transfer(tr: dict[str, Any], lang: Lang) -> Section:
    scenario = tr.get("scenario_name") or tr.get("scenario")
    head = f"{t('report_transfer', lang)} {tr['id']}{f' · {scenario}' if scenario else ''}"
    lines = [
        f"{t('pathway', lang)}: {_words(PATHWAYS, tr['pathway'], lang)}"
        f" ({_words(STATUS, tr['status'], lang)})",
        f"{t('regime', lang)}: {tr['regime']}",
    ]
    lines += [f"{t('missing_title', lang)}: {m}" for m in tr.get("missing") or []]
    lines.append(t("reasons", lang))
    for i, r in enumerate(tr["reasons"], 1):
        facts = f" ({r['facts']})" if r.get("facts") else ""
        basis = "; ".join(_cite(s) for s in _sources(r))
        lines.append(f"{i}. {r['text']}{facts} — {t('report_basis', lang)}: {basis}")
    if tr.get("obligations"):
        lines.append(t("obligations", lang))
        lines += [f"• {o['text']} — {_cite(o['source'])}" for o in tr["obligations"]]
    lines += [f"⚠ {w}" for w in tr.get("warnings") or []]
    return Section(heading=f"{head}: {_words(PATHWAYS, tr['pathway'], lang)}", paragraphs=lines)


def _request(asked: dict[str, Any], lang: Lang, zones: Mapping[str, str]) -> Section:
    p, prior = asked["processor"], asked.get("prior") or {}
    zone = p.get("zone") or (p.get("registered") or {}).get("zone")
    yes_no = t("answer_yes" if p.get("ciio") else "answer_no", lang)
    counted = t(
        "counted_value",
        lang,
        personal=f"{prior.get('personal', 0):,}",
        sensitive=f"{prior.get('sensitive', 0):,}",
    )
    rows = [
        _row(t("export_date", lang), asked.get("date")),
        _row(t("processor_name", lang), p["name"]),
        _row(t("zone", lang), zones.get(zone, zone) if zone else None),
        _row(t("sector", lang), p.get("sector")),
        _row(t("ciio", lang), yes_no),
        _row(t("report_prior", lang), counted),
    ]
    columns = [
        "transfer_id",
        "scenario",
        "count_personal",
        "count_sensitive",
        "report_recipient",
        "exemption",
    ]
    table = Table(
        columns=[t(c, lang) for c in columns],
        rows=[[Cell(text=v) for v in _transfer_facts(tr)] for tr in asked["transfers"]],
    )
    return Section(heading=t("the_request", lang), rows=rows, tables=[table])


def _transfer_facts(tr: dict[str, Any]) -> list[str]:
    to = tr.get("recipient") or {}
    recipient = " · ".join(v for v in (to.get("name"), to.get("country")) if v)
    return [
        tr["id"],
        tr.get("scenario") or "—",
        f"{tr.get('personal', 0):,}",
        f"{tr.get('sensitive', 0):,}",
        recipient or "—",
        tr.get("exemption") or "—",
    ]


def _all_sources(decision: dict[str, Any]) -> Iterator[str]:
    for tr in decision["transfers"]:
        for r in tr["reasons"]:
            for s in _sources(r):
                yield f"{_cite(s)}{' — ' + s['url'] if s.get('url') else ''}"
        for o in tr.get("obligations") or []:
            s = o["source"]
            yield f"{_cite(s)}{' — ' + s['url'] if s.get('url') else ''}"


def report(
    record: DecisionRecord,
    asked: dict[str, Any],
    decision: dict[str, Any],
    org: str,
    lang: Lang,
    zones: Mapping[str, str],
) -> Document:
    """`decision`: as the page shows it (`services.decisions.in_language`); `zones`: the
    catalogue's zone names in `lang`, by id."""
    pathway = _words(PATHWAYS, decision["pathway"], lang)
    status = _words(STATUS, decision["status"], lang)
    made = record.created_at[:16].replace("T", " ")
    summary = [
        _row(t("pathway", lang), pathway),
        _row(t("status", lang), status),
        _row(t("export_date", lang), decision["date"]),
        _row(t("processor_name", lang), asked["processor"]["name"]),
        _row(t("regime", lang), decision["national_regime"]),
        _row(t("catalog_version", lang), record.catalog_version),
    ]
    notices = []
    if decision.get("missing"):
        notices.append(
            Notice(level="review", title=t("missing_title", lang), lines=list(decision["missing"]))
        )
    sources = list(dict.fromkeys(_all_sources(decision)))
    return Document(
        kind="decision_report",
        lang=lang,
        title=f"{t('report_title', lang)}: {pathway}",
        subtitle=f"{org} · {t('decision_id', lang)} {record.id} · {t('created', lang)} {made}",
        intro=t("report_intro", lang, pathway=pathway, status=status),
        created_at=dt.datetime.fromisoformat(record.created_at),
        notices=notices,
        sections=[
            Section(heading=t("report_summary", lang), rows=summary),
            *(_transfer(tr, lang) for tr in decision["transfers"]),
            _request(asked, lang, zones),
            Section(heading=t("report_sources", lang), paragraphs=sources),
        ],
        citations_heading="",
        citations=[],
        footer=t("report_footer", lang),
    )
