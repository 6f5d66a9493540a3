"""The evidence pack of one decision: what was asked, what was decided and under which catalogue,
the ledger's counters and batches of that year, the scan summaries, the filings and their
documents, in one archive whose manifest the installation signs (`filing.evidence`). What the
pack cannot hold is listed in `contents.json` with the reason, never left out silently."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kuajing.accounts.models import Organisation, Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import Catalog
from kuajing.catalog.base import Text
from kuajing.errors import NotFound, RequestError
from kuajing.filing.documents import DocumentKind
from kuajing.filing.evidence import Manifest, pack, signing_key
from kuajing.filing.models import Filing
from kuajing.filing.required import Route
from kuajing.filing.store import Filings
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import Batch, Status
from kuajing.scan.models import ScanReport
from kuajing.services import documents, tenant_ledger
from kuajing.services.filings import Source, from_log, source_of, view
from kuajing.services.scan import scan_datasets


@dataclass(frozen=True)
class LedgerPart:
    """The organisation's ledger for the decision's year, or why there is none."""

    status: Status | None = None
    batches: list[Batch] = field(default_factory=list)
    absent: Text | None = None


@dataclass(frozen=True)
class Contents:
    """What goes into one pack, gathered by the caller (CLI or API) from its stores."""

    source: Source
    organisation: Organisation | None
    catalog: Catalog
    filings: list[Filing]
    ledger: LedgerPart
    scans: dict[str, ScanReport]  # by the name of what was scanned
    formats: tuple[documents.Format, ...] = ("pdf",)
    route: Route = "standard_contract"
    kinds: list[DocumentKind] | None = None


@dataclass(frozen=True)
class Packed:
    manifest: Manifest
    documents: list[str]
    absent: list[Text]


def pack_decision(
    path: Path, contents: Contents, key: Ed25519PrivateKey, now: dt.datetime
) -> Packed:
    """Write the archive at `path` (whole or not at all)."""
    members, docs, absent = _members(contents, now)
    index = _index(contents, members, absent)
    members["contents.json"] = _json(index)
    return Packed(pack(path, members, key, now), docs, absent)


def archive(contents: Contents, key: Ed25519PrivateKey, now: dt.datetime) -> bytes:
    """The archive's bytes, for a download."""
    with tempfile.TemporaryDirectory(prefix="kuajing-evidence-") as folder:
        path = Path(folder) / "evidence.zip"
        pack_decision(path, contents, key, now)
        return path.read_bytes()


def _members(c: Contents, now: dt.datetime) -> tuple[dict[str, bytes], list[str], list[Text]]:
    s = c.source
    out: dict[str, bytes] = {
        "decision.json": _json(
            {
                "id": s.decision_id,
                "request": s.request.model_dump(mode="json") if s.request else None,
                "decision": s.decision.model_dump(mode="json"),
            }
        ),
        "catalog.json": _json(_catalog(c.catalog, s)),
    }
    absent = [] if s.request else [_NO_REQUEST]
    if c.ledger.status is not None:
        out["ledger/status.json"] = _json(c.ledger.status.model_dump(mode="json"))
        out["ledger/batches.json"] = _json([b.model_dump(mode="json") for b in c.ledger.batches])
    elif c.ledger.absent:
        absent.append(c.ledger.absent)
    for name, report in c.scans.items():
        out[f"scans/{name}.json"] = _json(report.model_dump(mode="json"))
    if not c.scans:
        absent.append(_NO_SCAN)
    for f in c.filings:
        shown = view(f, c.catalog, now.date(), "en")
        body = {
            **f.model_dump(mode="json"),
            "deadlines": [d.model_dump(mode="json") for d in shown.deadlines],
        }
        out[f"filings/{f.id}.json"] = _json(body)
    docs = _documents(c, now, out)
    return out, docs, absent


def _documents(c: Contents, now: dt.datetime, out: dict[str, bytes]) -> list[str]:
    written = documents.write_all(
        c.source,
        c.organisation,
        c.catalog,
        c.filings,
        now,
        route=c.route,
        kinds=c.kinds,
        formats=c.formats,
    )
    out.update({f"documents/{name}": data for name, data in written.items()})
    return [f"documents/{name}" for name in written]


def _catalog(catalog: Catalog, s: Source) -> dict[str, Any]:
    made, packed = s.decision.rules_version, f"{catalog.version}+{catalog.digest}"
    return {"decision_made_with": made, "packed_with": packed, "same": made == packed}


def _index(c: Contents, members: dict[str, bytes], absent: list[Text]) -> dict[str, Any]:
    return {
        "decision_id": c.source.decision_id,
        "organisation": c.organisation.name if c.organisation else None,
        "members": sorted(members),
        "absent": [a.model_dump() for a in absent],
    }


def _json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


_NO_REQUEST = Text(
    zh="请求未包含：决定文件不含请求，文件中仅由请求提供的内容标为“未提供”",
    en="No request: the decision file holds none, so what only the request gives is marked "
    "'not given' in the documents",
)
_NO_SCAN = Text(
    zh="未附扫描摘要：打包时未指定要扫描的数据集",
    en="No scan summary: no dataset was given to scan",
)
NO_LEDGER_USER = Text(
    zh="未附台账：未指定用户，无法确定其组织的台账",
    en="No ledger: no user was given, so there is no organisation whose ledger to include",
)


def no_batches(year: int) -> Text:
    return Text(
        zh=f"未附台账：该组织在{year}年尚未记录出境批次",
        en=f"No ledger: the organisation recorded no export batch in {year}",
    )


def ledger_part(
    ledger: Ledger | None, catalog: Catalog, who: Principal | None, year: int
) -> LedgerPart:
    """The organisation's counters and batches of `year`, or why the pack has none."""
    if ledger is None or who is None:
        return LedgerPart(absent=NO_LEDGER_USER)
    try:
        status = tenant_ledger.status(ledger, catalog, who, year)
    except (NotFound, RequestError):  # no batches yet, or a year that has not begun
        return LedgerPart(absent=no_batches(year))
    return LedgerPart(status, tenant_ledger.batches(ledger, who, year))


def scans(paths: list[Path], catalog: Catalog) -> dict[str, ScanReport]:
    """Each dataset scanned on its own, named by its position and file name. The reports hold
    column names, kinds and counts, never a value."""
    return {f"{i}-{p.name}": scan_datasets([str(p)], catalog) for i, p in enumerate(paths, 1)}


def contents_for(
    accounts: Accounts,
    ledger: Ledger,
    who: Principal,
    source: Source,
    catalog: Catalog,
    scanned: dict[str, ScanReport],
    *,
    formats: tuple[documents.Format, ...] = ("pdf",),
    route: Route = "standard_contract",
) -> Contents:
    """What the pack of `source` holds for `who`'s organisation: its filings of that decision
    and its ledger of the decision's year."""
    made = (
        Filings(accounts.engine).for_decision(who, source.decision_id) if source.decision_id else []
    )
    part = ledger_part(ledger, catalog, who, source.decision.date.year)
    return Contents(source, who.organisation, catalog, made, part, scanned, formats, route)


def offline_contents(
    ref: str,
    catalog: Catalog,
    scanned: dict[str, ScanReport],
    *,
    formats: tuple[documents.Format, ...] = ("pdf",),
    route: Route = "standard_contract",
) -> Contents:
    """The pack of a decision file without a database: no organisation, filings or ledger."""
    source = source_of(ref, None, None)
    absent = ledger_part(None, catalog, None, 0)
    return Contents(source, None, catalog, [], absent, scanned, formats, route)


def logged_pack(
    accounts: Accounts,
    ledger: Ledger,
    who: Principal,
    decision_id: str,
    catalog: Catalog,
    key_file: Path | None,
    now: dt.datetime,
    formats: tuple[documents.Format, ...] = ("pdf",),
) -> bytes:
    """The evidence archive of a logged decision of `who`'s organisation (NotFound otherwise),
    signed with the installation key in `key_file` (default: the usual place)."""
    source = from_log(accounts, who, decision_id)
    contents = contents_for(accounts, ledger, who, source, catalog, {}, formats=formats)
    return archive(contents, signing_key(key_file), now)


def logged_documents(
    accounts: Accounts, who: Principal, decision_id: str, catalog: Catalog
) -> tuple[Source, list[Filing]]:
    """A logged decision of `who`'s organisation and its filings, for its documents."""
    source = from_log(accounts, who, decision_id)
    return source, Filings(accounts.engine).for_decision(who, decision_id)
