"""`scan:` in a request: a transfer's counts and fields taken from a `kuajing scan` JSON report
instead of being written by hand. The path is relative to the request file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kuajing.errors import RequestError
from kuajing.scan.models import ScanReport
from kuajing.yamlio import Document, format_path

_COUNTS = ("personal", "sensitive", "persons")


def with_scans(data: dict[str, Any], doc: Document, name: str) -> dict[str, Any]:
    """The request data with every transfer's `scan:` replaced by the counts it reports."""
    transfers = data.get("transfers")
    if not isinstance(transfers, list) or not any(
        isinstance(t, dict) and "scan" in t for t in transfers
    ):
        return data
    base = Path(name).parent if Path(name).is_file() else Path.cwd()
    out = []
    for i, transfer in enumerate(transfers):
        scanned = isinstance(transfer, dict) and "scan" in transfer
        where = _Where(doc, name, ("transfers", i))
        out.append(_from_scan(transfer, base, where) if scanned else transfer)
    return {**data, "transfers": out}


class _Where:
    def __init__(self, doc: Document, name: str, loc: tuple[str | int, ...]) -> None:
        self.doc, self.name, self.loc = doc, name, loc

    def error(self, key: str, message: str) -> RequestError:
        loc = (*self.loc, key)
        return RequestError(
            message, file=self.name, line=self.doc.line_of(loc), path=format_path(loc), loc=loc
        )


def _from_scan(transfer: dict[str, Any], base: Path, where: _Where) -> dict[str, Any]:
    given = [k for k in _COUNTS if k in transfer]
    if given:
        raise where.error(given[0], "give either counts or 'scan', not both")
    report = _report(transfer["scan"], base, where)
    if report.persons.distinct is None:
        raise where.error(
            "scan", "the scan report counts no persons (no key column): scan again with --key"
        )
    distinct = report.persons.distinct
    fields = list(transfer.get("fields") or [])
    for column in report.columns:
        if column.filled and column.name not in fields:
            fields.append(column.name)
    rest = {k: v for k, v in transfer.items() if k != "scan"}
    return {
        **rest,
        "personal": distinct,
        "sensitive": report.persons.sensitive or 0,
        "persons": distinct,
        "fields": fields,
    }


def _report(ref: object, base: Path, where: _Where) -> ScanReport:
    if not isinstance(ref, str) or not ref.strip():
        raise where.error("scan", "give the path of a `kuajing scan --format json` report")
    path = base / ref
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise where.error("scan", f"cannot read {path} ({exc.__class__.__name__})") from None
    try:
        return ScanReport.model_validate_json(text)
    except ValidationError as exc:
        err = exc.errors()[0]
        at = ".".join(str(p) for p in err["loc"])
        raise where.error(
            "scan", f"{path} is not a kuajing scan report ({at}: {err['msg']})"
        ) from None
