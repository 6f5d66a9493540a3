"""The assessment form's errors as a compliance officer reads them: a sentence in the page's
language, the field it belongs to (as the form names it) and that field's label, for the
message beside the field and the summary at the top of the form."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from pydantic_core import ErrorDetails

from kuajing.errors import RequestError
from kuajing.lang import Lang
from kuajing.web.i18n import t
from kuajing.web.views.request_fields import FIELD_LABELS

# The engine's error type -> the phrase saying it (placeholders from the error's ctx).
_PHRASES = {
    "missing": "err_required",
    "string_too_short": "err_required",
    "int_parsing": "err_number",
    "int_from_float": "err_number",
    "date_parsing": "err_date",
    "date_from_datetime_parsing": "err_date",
    "enum": "err_choice",
    "literal_error": "err_choice",
    "country_code": "err_country",
    "persons_too_few": "err_persons_few",
    "persons_too_many": "err_persons_many",
}
# The last part of a field's name -> the phrase of its label on the form (the request's fields,
# and the form's own choices).
_LABELS = {**FIELD_LABELS, "name": "processor_name", "prior_source": "step_prior"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with what was typed: the form's field, the phrase and its values."""

    field: str  # as the form names it: transfers.0.persons
    key: str
    values: dict[str, Any] = dataclasses.field(default_factory=dict)


class FormInvalid(RequestError):
    """The form's values do not make a request: every problem found, in the form's terms."""

    def __init__(self, problems: list[Problem], message: str) -> None:
        self.problems = problems
        super().__init__(message, path=problems[0].field if problems else "")


@dataclass(frozen=True)
class Shown:
    """A problem as the page shows it."""

    field: str
    anchor: str  # the field's id, which the summary links to
    label: str
    message: str

    @property
    def message_id(self) -> str:
        return "e" + self.anchor[1:]


def anchor(name: str) -> str:
    """The id of the form's field `name` (dots and brackets are awkward in ids)."""
    return "f-" + name.replace(".", "-")


def problem(err: ErrorDetails, rows: list[int]) -> Problem:
    """A validation error of the request as the form's problem. `rows` maps the request's
    transfers (blank rows left out) to the form's rows."""
    loc = [p for p in err["loc"] if isinstance(p, str | int)]
    if len(loc) > 1 and loc[0] == "transfers" and isinstance(loc[1], int) and loc[1] < len(rows):
        loc[1] = rows[loc[1]]
    kind, ctx = err["type"], dict(err.get("ctx") or {})
    if kind.startswith("persons_too_"):
        loc.append("persons")  # the model's check, about the field `persons`
    key = _PHRASES.get(kind, "err_other")
    if kind == "greater_than_equal":
        key = "err_negative" if ctx.get("ge") == 0 else "err_at_least"
    if kind == "duplicate_id":
        loc = ["transfers", rows[ctx["at"]], "id"]
        key = "err_duplicate_id"
    values = {k: f"{v:,}" if isinstance(v, int) else v for k, v in ctx.items()}
    values.setdefault("message", err["msg"].removeprefix("Value error, "))
    return Problem(".".join(str(p) for p in loc) or "request", key, values)


def shown(error: RequestError | None, lang: Lang) -> list[Shown]:
    """The problems of a refused form, each in `lang` (an error from elsewhere, as it says)."""
    if error is None:
        return []
    if isinstance(error, FormInvalid):
        problems = error.problems
    else:
        name = error.path.replace("[", ".").replace("]", "") or "request"
        said = error.zh if lang == "zh" and error.zh else error.message
        problems = [Problem(name, "err_other", {"message": said})]
    return [
        Shown(p.field, anchor(p.field), _label(p.field, lang), t(p.key, lang, **p.values))
        for p in problems
    ]


def _label(name: str, lang: Lang) -> str:
    parts = name.split(".")
    label = t(_LABELS[parts[-1]], lang) if parts[-1] in _LABELS else ""
    if parts[-2:] == ["recipient", "name"]:
        label = t("recipient", lang)
    if len(parts) > 1 and parts[0] == "transfers" and parts[1].isdigit():
        return f"{t('step_transfer', lang)} {int(parts[1]) + 1} · {label}"
    if parts[0] == "prior":
        return f"{t('prior_manual_short', lang)} · {label}"
    return label or t("err_whole_form", lang)
