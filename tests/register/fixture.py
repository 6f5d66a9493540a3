"""A 200-flow register as an XLSX file, for tests: the scenarios of Beijing's lists (clinical
trials, pharmacovigilance, car research...), volumes on both sides of the national thresholds,
recipients in several countries, exempt HR flows, and every status. The same call always writes
the same file."""

from __future__ import annotations

import random
from pathlib import Path

from kuajing.register.tabular import COLUMNS
from kuajing.spreadsheet import Cell, write_xlsx

SCENARIOS = ("临床试验", "药物警戒", "药物研发", "产品投诉", "医学问询", "汽车研发",
             "车联网信息服务", "软件在线升级", None)  # fmt: skip
COUNTRIES = ("DE", "US", "SG", "JP", "FR", "GB", "CH", "KR")
FREQUENCIES = ("daily", "weekly", "monthly", "quarterly", "yearly", "once")
# Per-year volumes near the national thresholds (100,000 PI; 10,000 and 1,000,000 sensitive).
YEAR_PERSONAL = (500, 9_000, 99_000, 100_000, 120_000, 900_000, 1_100_000)
YEAR_SENSITIVE = (0, 0, 0, 800, 9_999, 10_000, 15_000)
PER_YEAR = {"daily": 365, "weekly": 52, "monthly": 12, "quarterly": 4, "yearly": 1, "once": 1}
STATUSES = ("active",) * 7 + ("planned", "planned", "paused", "retired")
FLOWS = 200


def rows(count: int = FLOWS, seed: int = 23) -> list[list[Cell]]:
    """The header row (Chinese names) and `count` flows."""
    pick = random.Random(seed)
    out: list[list[Cell]] = [[zh for _, zh, _ in COLUMNS]]
    for n in range(1, count + 1):
        out.append(_flow(n, pick))
    return out


def _flow(n: int, pick: random.Random) -> list[Cell]:
    hr = n % 10 == 0  # every tenth flow: employees' data under the HR exemption
    frequency = pick.choice(FREQUENCIES)
    periods = PER_YEAR[frequency]
    personal = pick.choice(YEAR_PERSONAL) // periods
    sensitive = min(pick.choice(YEAR_SENSITIVE) // periods, personal)
    values: dict[str, Cell] = {
        "key": f"flow-{n:03d}",
        "name": f"员工信息 {n}" if hr else f"数据流 {n}",
        "source_system": pick.choice(("EDC", "CRM", "Argus", "SAP HR", "T-Box")),
        "scenario": None if hr else pick.choice(SCENARIOS),
        "categories": "员工信息; 联系方式" if hr else "受试者信息; 诊疗信息",
        "fields": "姓名; 手机号" if hr else "受试者编号; 年龄; 不良事件",
        "recipient_name": f"Recipient {n % 17}",
        "recipient_country": pick.choice(COUNTRIES),
        "foreign_authority": "否",
        "restricted_list": "否",
        "exemption": "hr" if hr else None,
        "legal_basis": "劳动合同" if hr else "单独同意",
        "frequency": frequency,
        "personal": personal,
        "sensitive": sensitive,
        "persons": None,
        "starts": "2026-07-01" if n % 13 == 0 else None,
        "owner": pick.choice(("合规部", "医学部", "人力资源部")),
        "status": pick.choice(STATUSES),
        "important_data": None,
    }
    return [values[en] for en, _, _ in COLUMNS]


def write_register(folder: Path, count: int = FLOWS) -> Path:
    path = folder / "register.xlsx"
    write_xlsx(path, rows(count), "数据出境登记簿")
    return path
