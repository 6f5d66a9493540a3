"""What the cells of the official columns say, thresholds aside (`thresholds`): the words for
every sector and every scenario, a pathway, a data category, names and the fields listed."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import ValidationError

from kuajing.catalog.base import Pathway
from kuajing.catalog.layout import normal
from kuajing.catalog.models import Category

ALL_SECTORS = "全部行业领域"
ALL_SCENARIOS = "全部场景"

SECTOR_ALL = {"", "全部行业", "全部行业领域", "所有行业", "所有行业领域", "各行业", "各行业领域"}
SCENARIO_ALL = {"", "全部", "所有", "全部场景", "所有场景", "全部业务场景", "所有业务场景"}

PATHWAY_LABELS = {
    Pathway.SECURITY_ASSESSMENT: "数据出境安全评估",
    Pathway.STANDARD_CONTRACT_OR_CERTIFICATION: "个人信息出境标准合同或个人信息保护认证",
    Pathway.EXEMPT: "免予申报",
    Pathway.PROHIBITED: "禁止出境",
}
CATEGORY_LABELS: dict[str, str] = {
    "important_data": "重要数据",
    "personal_information": "个人信息",
    "general_data": "一般数据",
}


def clean_name(text: str) -> str:
    """A sector, scenario or sub-class name on one line."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def pathway_of(text: str) -> Pathway | None:
    compact = normal(text)
    if "禁止" in compact:
        return Pathway.PROHIBITED
    if any(w in compact for w in ("免予", "免于", "无需", "豁免", "自由流动")):
        return Pathway.EXEMPT
    if "安全评估" in compact:
        return Pathway.SECURITY_ASSESSMENT
    if "标准合同" in compact or "认证" in compact:
        return Pathway.STANDARD_CONTRACT_OR_CERTIFICATION
    return None


def category_of(text: str) -> Category | None:
    compact = normal(text)
    if "重要数据" in compact:
        return "important_data"
    if "个人信息" in compact:
        return "personal_information"
    if "一般数据" in compact:
        return "general_data"
    return None


def scenario_names(text: str) -> list[str] | None:
    """The scenario names of a cell; None for every scenario."""
    if normal(text) in SCENARIO_ALL:
        return None
    names = [clean_name(part) for part in re.split(r"[；;]", text)]
    return list(dict.fromkeys(n for n in names if n)) or None


def split_fields(text: str) -> list[str]:
    parts = (p.strip() for p in re.split(r"[、，,;；\n]", text))
    return list(dict.fromkeys(p for p in parts if p))


_LISTED = re.compile(r"包括(?:但不限于)?[:：]?(?P<fields>[^。]+?)(?:等(?:[。；;，,]|$)|。|$)")


def fields_in(description: str) -> list[str]:
    """The fields a description lists as 包括…等 (the last such list)."""
    found = list(_LISTED.finditer(description.replace("\n", "")))
    if not found:
        return []
    text = found[-1]["fields"].removesuffix("等")
    return [f.removeprefix("及").removeprefix("和") for f in split_fields(text)]


def bilingual(zh: str, english: Mapping[str, str]) -> dict[str, str]:
    return {"zh": zh, "en": english.get(zh, zh)}


def first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    return f"{where}: {msg}" if where else msg
