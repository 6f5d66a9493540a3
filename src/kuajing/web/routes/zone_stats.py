"""Placeholder: filled by the zone console work (issue 8)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
