"""The register pages' view: a flow from the form's flat fields (and back), the form's problems
in the reader's language, the table's rows as a compliance officer reads them (names, not ids;
pathways and states in words) and as a spreadsheet holds them, and what each version of a flow
changed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from kuajing.catalog import Catalog
from kuajing.catalog.base import Text
from kuajing.engine.countries import country_names
from kuajing.errors import LocatedError, RegisterError, RegisterInvalid, TooLarge
from kuajing.filing.models import DeadlineStatus, Filing
from kuajing.i18n import PATHWAYS
from kuajing.lang import Lang
from kuajing.register.models import Flow
from kuajing.register.store import Version
from kuajing.register.tabular import COLUMNS
from kuajing.services.field_errors import field_error_zh
from kuajing.services.register import Summary
from kuajing.spreadsheet import Cell
from kuajing.web.i18n import t
from kuajing.web.views.form_errors import FormInvalid, Problem, Shown, anchor, problem
from kuajing.web.views.scan import scope_name

TEXTS = ("key", "name", "source_system", "scenario", "legal_basis", "owner", "exemption",
         "frequency", "status", "starts", "recipient.name", "recipient.country")  # fmt: skip
LINES = ("categories", "fields", "important_data")  # textareas: one item a line
FLAGS = ("recipient.foreign_authority", "recipient.restricted_list")  # checkboxes
COUNTS = ("personal", "sensitive", "persons")
# A form field -> the phrase of its label.
LABELS = {name: "reg_" + name.rsplit(".", 1)[-1] for name in (*TEXTS, *LINES, *FLAGS, *COUNTS)}
LABELS |= {"recipient.name": "reg_recipient_name", "recipient.country": "reg_country"}
# Pydantic's error type -> the phrase that says it (others: the message as the model gives it).
_KINDS = {"string_pattern_mismatch": "reg_err_key", "int_type": "err_number",
          "string_too_long": "reg_err_too_long", "control_character": "reg_err_control",
          "date_type": "err_date", "reserved_key": "reg_err_key_taken"}  # fmt: skip


# --- the form ---------------------------------------------------------------------------------


def flow_from_form(values: dict[str, str], key: str | None = None) -> Flow:
    """The flow the form's fields describe (`key`: the flow edited, whose key cannot change);
    a `FormInvalid` naming every bad field, as the form names it."""
    data: dict[str, Any] = {"recipient": {}}
    problems: list[Problem] = []
    for name in ("frequency", "status"):  # menus that start on "Choose…"
        if not values.get(name):
            problems.append(Problem(name, "reg_err_choose"))
    for name in TEXTS:
        value = values.get(name, "").strip()
        if value:
            _put(data, name, value)
    for name in LINES:
        data[name] = [line.strip() for line in values.get(name, "").splitlines() if line.strip()]
    for name in FLAGS:
        _put(data, name, bool(values.get(name)))
    for name in COUNTS:
        value = values.get(name, "").replace(",", "").strip()
        if value:
            data[name] = int(value) if value.isdigit() else value
    if key is not None:
        data["key"] = key
    try:
        flow = Flow.model_validate(data)
    except ValidationError as exc:
        problems += [_problem(err) for err in exc.errors()]
        flow = None
    if problems or flow is None:
        raise FormInvalid(_first_each(problems), "the flow's fields are not valid")
    return flow


def _put(data: dict[str, Any], name: str, value: object) -> None:
    if name.startswith("recipient."):
        data["recipient"][name.removeprefix("recipient.")] = value
    else:
        data[name] = value


def _problem(err: ErrorDetails) -> Problem:
    found = problem(err, [])
    field = ".".join(p for p in found.field.split(".") if not p.isdigit())  # a list's item
    found = Problem(field, found.key, found.values)
    kind = err["type"]
    if kind in _KINDS:
        return Problem(found.field, _KINDS[kind], found.values)
    if found.key == "err_other":  # said in Chinese too where pydantic's type has a phrase
        zh = field_error_zh(kind, err.get("ctx") or {})
        return Problem(found.field, "err_other", {**found.values, "zh": zh} if zh else found.values)
    return found


def _first_each(problems: list[Problem]) -> list[Problem]:
    """One problem a field (the first), in the form's order."""
    seen: dict[str, Problem] = {}
    for p in problems:
        seen.setdefault(p.field, p)
    order = [*TEXTS, *COUNTS, *LINES, *FLAGS]
    return sorted(seen.values(), key=lambda p: order.index(p.field) if p.field in order else -1)


def shown(error: LocatedError | None, lang: Lang) -> list[Shown]:
    """The refused form's problems, each beside its field and in the summary, in `lang`."""
    if error is None:
        return []
    if isinstance(error, FormInvalid):
        problems = error.problems
    else:
        said = error.zh if lang == "zh" and error.zh else error.message
        problems = [Problem(error.path or "name", "err_other", {"message": said})]
    out = []
    for p in problems:
        values = dict(p.values)
        zh = values.pop("zh", None)
        message = zh if lang == "zh" and zh else t(p.key, lang, **values)
        label = t(LABELS[p.field], lang) if p.field in LABELS else t("err_whole_form", lang)
        out.append(Shown(p.field, anchor(p.field), label, message))
    return out


def form_values(flow: Flow) -> dict[str, str]:
    """The form's fields for a stored flow (what the edit form starts from)."""
    data = flow.model_dump(mode="json")
    recipient = data.pop("recipient")
    values = {k: str(v) for k, v in data.items() if k in TEXTS and v is not None}
    values |= {f"recipient.{k}": str(v) for k, v in recipient.items() if v not in (None, False)}
    values |= {k: "\n".join(data[k]) for k in LINES}
    values |= {k: str(data[k]) for k in COUNTS if data[k] is not None}
    if recipient.get("foreign_authority"):
        values["recipient.foreign_authority"] = "on"
    if recipient.get("restricted_list"):
        values["recipient.restricted_list"] = "on"
    return values


# --- the table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One flow as the register page shows it."""

    summary: Summary
    scenario: str  # as the list names it, in the reader's language
    country: str  # the recipient's country by name
    year_personal: int
    year_sensitive: int
    pathway: str  # in words; "" before the first assessment
    needs_review: bool
    filings: list[tuple[Filing, str]]  # each open filing, with its procedure's name

    @property
    def flow(self) -> Flow:
        return self.summary.stored.flow

    @property
    def deadline(self) -> DeadlineStatus | None:
        return self.summary.next_deadline


def scenario_words(catalog: Catalog, scenario: str | None, lang: Lang) -> str:
    if not scenario:
        return t("reg_no_scenario", lang)
    named = scope_name(catalog, scenario)
    return named.get(lang) if named else t("reg_scenario_unlisted", lang, name=scenario)


def country_words(code: str | None, lang: Lang) -> str:
    if not code:
        return ""
    try:
        return country_names(code)[lang]
    except (KeyError, ValueError):  # a code the register kept from an older list
        return code


def rows(summaries: list[Summary], catalog: Catalog, day: dt.date, lang: Lang) -> list[Row]:
    out = []
    for s in summaries:
        flow = s.stored.flow
        personal, sensitive = flow.expected_year(day.year)
        pathway = _words(PATHWAYS, s.pathway, lang) if s.pathway else ""
        filings = [(f, procedure_name(catalog, f, lang)) for f in s.open_filings]
        out.append(
            Row(s, scenario_words(catalog, flow.scenario, lang),
                country_words(flow.recipient.country, lang), personal, sensitive, pathway,
                s.status == "needs_review", filings)
        )  # fmt: skip
    return out


def _words(names: dict[str, Text], key: str, lang: Lang) -> str:
    found = names.get(key)
    return found.get(lang) if found else key


def procedure_name(catalog: Catalog, filing: Filing, lang: Lang) -> str:
    found = catalog.procedures.get(filing.procedure)
    return found.name.get(lang) if found else filing.subject


def grid(found: list[Row], lang: Lang) -> list[list[Cell]]:
    """The page's table as a spreadsheet: its columns, headed in the reader's language."""
    heads = ("reg_key", "reg_col_name", "reg_col_scenario", "reg_recipient_name", "reg_country",
             "reg_frequency", "reg_personal", "reg_sensitive", "reg_owner", "reg_col_status",
             "reg_col_pathway", "reg_needs_review", "reg_col_open", "reg_col_deadline")  # fmt: skip
    out: list[list[Cell]] = [[t(h, lang) for h in heads]]
    for r in found:
        f, d = r.flow, r.deadline
        out.append([
            f.key, f.name, r.scenario, f.recipient.name or "", r.country,
            t(f"reg_freq_{f.frequency}", lang), f.personal, f.sensitive, f.owner or "",
            t(f"reg_status_{f.status}", lang), r.pathway or t("reg_not_assessed", lang),
            t("reg_yes" if r.needs_review else "reg_no", lang) if r.pathway else "",
            "; ".join(name for _, name in r.filings),
            _deadline(d, lang),
        ])  # fmt: skip
    return out


def _deadline(d: DeadlineStatus | None, lang: Lang) -> str:
    if d is None:
        return ""
    return " ".join(p for p in (d.date.isoformat() if d.date else "", d.name,
                                f"({t(f'filing_dl_{d.state}', lang)})") if p)  # fmt: skip


# --- one flow's history -----------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    version: Version
    fields: list[str]  # the labels of the fields this version changed


def changes(history: list[Version], lang: Lang) -> list[Change]:
    """Each version, newest first, with the fields it changed from the one before."""
    out: list[Change] = []
    before: dict[str, str] | None = None
    for v in history:
        now = form_values(v.flow)
        changed: list[str] = [] if before is None else [
            t(LABELS[k], lang) for k in LABELS if now.get(k, "") != before.get(k, "")
        ]  # fmt: skip
        out.append(Change(v, changed))
        before = now
    return out[::-1]


def when(at: str) -> str:
    """A stored timestamp as the page shows it: date and minutes, UTC."""
    return re.sub(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d).*$", r"\1 \2 UTC", at)


# --- import problems --------------------------------------------------------------------------

_PLACE = re.compile(r"^row (\d+), column (.+)$")


@dataclass(frozen=True)
class ImportProblem:
    """One problem of a refused register file: its row and column ("" for the whole file)."""

    row: str
    column: str
    reason: str


def import_problems(exc: RegisterInvalid | RegisterError, lang: Lang) -> list[ImportProblem]:
    errors = exc.errors if isinstance(exc, RegisterInvalid) else [exc]
    out = []
    for e in errors:
        reason = e.zh if lang == "zh" and e.zh else e.message
        place = _PLACE.match(e.path)
        row, column = (place.group(1), _column(place.group(2))) if place else ("", "")
        out.append(ImportProblem(row, column, reason))
    return out


def _column(name: str) -> str:
    """A layout column by both its names (a column the layout lacks, as the file gives it)."""
    found = next(((en, zh) for en, zh, _ in COLUMNS if name in (en, zh)), None)
    return f"{found[0]} · {found[1]}" if found else name


def upload_problem(exc: LocatedError, limit: str, lang: Lang) -> str:
    """Why an upload was refused before it was read (its size, its type), or while reading."""
    if isinstance(exc, TooLarge):
        return t("reg_import_large", lang, limit=limit)
    return exc.zh if lang == "zh" and exc.zh else exc.message
