"""A request's field by the label the assess form gives it ("Transfer 2 · Recipient on the
restriction list"), for pages that name fields of a logged request (two decisions compared)."""

from __future__ import annotations

import re

from kuajing.lang import Lang
from kuajing.web.i18n import t

FIELD_LABELS = {  # a request field's last key -> the phrase of its label on the form
    "date": "export_date",
    "zone": "zone",
    "ciio": "ciio",
    "sector": "sector",
    "registered": "registered_city",
    "exports_from": "exports_city",
    "core_data": "core_data",
    "retention_months": "retention_months",
    "already_counted": "already_counted",
    "persons_processed": "persons_processed",
    "id": "transfer_id",
    "scenario": "scenario",
    "exemption": "exemption",
    "personal": "count_personal",
    "sensitive": "count_sensitive",
    "persons": "count_persons",
    "country": "recipient_country",
    "foreign_authority": "foreign_authority",
    "restricted_list": "restricted_list",
    "fields": "fields",
    "important_data": "important_data",
}
_PARTS = re.compile(r"[^.\[\]]+|\[\d+\]")


def field_label(path: str, lang: Lang) -> str | None:
    """`transfers[1].recipient.restricted_list` as the form names it; None for a field the
    form does not name (the page then shows the path itself, marked as technical)."""
    parts = _PARTS.findall(path)
    last = parts[-1] if parts else ""
    if parts[-2:] == ["recipient", "name"]:
        label = t("recipient", lang)
    elif parts[-2:] == ["processor", "name"]:
        label = t("processor_name", lang)
    elif last in FIELD_LABELS:
        label = t(FIELD_LABELS[last], lang)
    else:
        return None
    if "already_counted" in parts[:-1]:
        label = f"{t('already_counted', lang)} · {label}"
    if parts[0] == "transfers" and len(parts) > 1 and parts[1].startswith("["):
        return f"{t('step_transfer', lang)} {int(parts[1][1:-1]) + 1} · {label}"
    if parts[0] == "prior":
        return f"{t('prior_manual_short', lang)} · {label}"
    if parts[0] == "processor" and len(parts) > 2:
        return f"{t('step_exporter', lang)} · {label}"
    return label


def field_value(raw: str, lang: Lang) -> str:
    """A compared value as the reader says it: no JSON `null`, `true` or `false`."""
    words = {"null": "—", "": "—", "true": t("answer_yes", lang), "false": t("answer_no", lang)}
    return words.get(raw, raw)
