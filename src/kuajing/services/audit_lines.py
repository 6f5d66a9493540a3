"""The audit trail in plain words, for the page and `audit show`: "Li Lei (admin) disabled the
user b@example.com", when (UTC) and by whom, in the reader's language. Action codes never reach
the reader: each has a phrase (`audit_what_<code>` in web/phrases/audit.yaml), and one without
says only that something was changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kuajing.lang import Lang
from kuajing.trail.models import Actor, Entry

Phrases = dict[str, dict[str, str]]


@dataclass(frozen=True)
class Line:
    id: int
    when: str
    who: str
    what: str


class _Blank(dict[str, Any]):
    """Placeholders a phrase names that the entry lacks are left empty, never an error."""

    def __missing__(self, key: str) -> str:
        return ""


def _say(phrases: Phrases, key: str, lang: Lang, **values: Any) -> str:
    return phrases[key][lang].format_map(_Blank(values))


def lines(
    entries: list[Entry],
    lang: Lang,
    phrases: Phrases,
    people: dict[int, str],
    lists: dict[str, str] | None = None,
) -> list[Line]:
    """Each entry as a line of the page; `people` are the organisation's users' e-mail addresses
    by id (an entry keeps ids, not addresses), `lists` the lists' titles by id in `lang` (a
    list the catalogue does not hold yet keeps its id)."""
    return [
        Line(
            id=e.id,
            when=when(e.at, lang),
            who=actor(e.actor, lang, phrases),
            what=what(e, lang, phrases, people, lists or {}),
        )
        for e in entries
    ]


def when(at: str, lang: Lang) -> str:
    """6 Dec 2026 14:03, or 2026年12月6日 14:03 (UTC)."""
    try:
        t = dt.datetime.fromisoformat(at).astimezone(dt.UTC)
    except ValueError:
        return at
    if lang == "zh":
        return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"
    return f"{t.day} {t:%b %Y %H:%M}"


def actor(a: Actor, lang: Lang, phrases: Phrases) -> str:
    if a.kind == "operator":
        return _say(phrases, "audit_actor_operator", lang)
    role = _role(a.role, lang, phrases)
    name = a.name or a.email or ""
    key = "audit_actor_token" if a.kind == "token" else "audit_actor_user"
    return _say(phrases, key, lang, name=name, email=a.email, role=role, token=a.token)


def what(
    e: Entry, lang: Lang, phrases: Phrases, people: dict[int, str], lists: dict[str, str]
) -> str:
    key = "audit_what_" + e.action.replace(".", "_")
    if key not in phrases:
        return _say(phrases, "audit_what_other", lang)
    d = e.detail
    values = {
        **{k: v for k, v in d.items() if isinstance(v, str | int)},
        "subject": _subject(e, people),
        "role": _role(d.get("role"), lang, phrases),
        "before": _role(d.get("before"), lang, phrases),
        "after": _role(d.get("after"), lang, phrases),
        "owner": people.get(d["owner"], "") if isinstance(d.get("owner"), int) else "",
        "persons": f"{d['persons']:,}" if isinstance(d.get("persons"), int) else "",
        "columns": "、".join(map(str, d.get("columns") or [])),
    }
    if isinstance(d.get("list_id"), str):
        values["list_id"] = lists.get(d["list_id"], d["list_id"])
    return _say(phrases, key, lang, **values)


def _subject(e: Entry, people: dict[int, str]) -> str:
    """A user by their address, anything else by the start of its id."""
    if e.action.startswith("user.") and e.subject.isdigit():
        return people.get(int(e.subject), f"#{e.subject}")
    return e.subject[:12]


def _role(role: object, lang: Lang, phrases: Phrases) -> str:
    key = f"role_{role}"
    return phrases[key][lang] if key in phrases else ""
