"""`POST /v1/scan`: upload a dataset, get its scan report (the JSON of `kuajing scan`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile

from kuajing.accounts.models import Principal
from kuajing.api.auth import needs
from kuajing.api.errors import responses
from kuajing.scan.models import ScanReport
from kuajing.services.uploads import scan_upload

router = APIRouter(prefix="/v1", tags=["scan"], responses=responses(400, 401, 403, 413, 422))


@router.post("/scan", response_model=ScanReport)
def scan(
    http: Request,
    who: Annotated[Principal, Depends(needs("member"))],
    file: Annotated[UploadFile, File(description="CSV, XLSX, Parquet or JSON Lines")],
    key: Annotated[list[str] | None, Query(description="Column(s) naming each person")] = None,
    sample: Annotated[int, Query(ge=0, description="Rows the detectors check; 0: all")] = 10_000,
    date: Annotated[dt.date | None, Query(description="Export date, for minors' ages")] = None,
    zone: str | None = None,
    scenario: str | None = None,
) -> ScanReport:
    """Each column's kind, sensitivity and list entries, and the distinct persons. The file is
    deleted once scanned; nothing from it is stored."""
    return scan_upload(
        file.file,
        file.filename or "upload",
        http.app.state.catalog,
        keys=key or (),
        sample=sample,
        as_of=date,
        zone=zone,
        scenario=scenario,
        max_bytes=http.app.state.max_upload,
    )
