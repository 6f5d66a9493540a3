"""Detectors, one module per kind of value (see `base` for the interface)."""

from __future__ import annotations

import importlib
from types import ModuleType

KINDS = (
    "resident_id",
    "passport",
    "hk_macau_permit",
    "taiwan_permit",
    "mobile_phone",
    "landline_phone",
    "email",
    "person_name",
    "address",
    "birth_date",
    "bank_card",
    "license_plate",
    "vin",
    "gps_location",
    "ip_address",
    "medical",
    "biometric",
    "organization_code",
)


def detector(kind: str) -> ModuleType:
    """The detector module of `kind` (imported on first use)."""
    if kind not in KINDS:
        raise KeyError(kind)
    return importlib.import_module(f"kuajing.scan.detectors.{kind}")
