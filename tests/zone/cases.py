"""What the zone console's tests share: the Beijing transfer a filing declares, and a sample of
what was actually exported, with a sensitive column the filing never declared."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tests.scan.synth import generate

# A Beijing clinical trial of 12,000 persons declaring ID and phone numbers, to Acme GmbH: a
# standard contract and the Beijing list-use filing.
TRIAL: dict[str, Any] = {
    "date": "2026-05-04",
    "processor": {"name": "Pharma", "zone": "beijing"},
    "transfers": [
        {
            "id": "t1",
            "scenario": "临床试验",
            "personal": 12000,
            "persons": 12000,
            "fields": ["身份证号", "手机号"],
            "recipient": {"name": "Acme GmbH", "country": "DE"},
        }
    ],
}


def undeclared_sample(path: Path, as_of: dt.date = dt.date(2026, 6, 1)) -> Path:
    """200 patients over 300 rows: ID and phone numbers, and medical records (病历诊断)."""
    data = generate(300, 200, "plain", as_of=as_of)
    data.frame.select("身份证号", "手机号", "诊断").rename({"诊断": "病历诊断"}).write_csv(path)
    return path
