"""The transfer register for the CLI, the API and the pages: an organisation's recurring exports
(flows), read, changed with history, imported and exported as a table, assessed, and linked to
the ledger batches they send and the decisions and filings they lead to.

Every function takes the caller (`Principal`): it sees and changes its own organisation's flows
only (another organisation's flow is `NotFound`); a viewer reads, a member writes.

How a flow is assessed (`flow_request`): one request of one transfer whose id is the flow's key,
dated `day`, for the organisation's processor profile (its ledger name, zone, CIIO status and
sector), with the persons the flow is expected to export in `day`'s calendar year (a period's
figure times the periods of the year from `starts` on). With the ledger (`assess`'s `ledger`),
the request's prior counts are the organisation's persons already exported in the counting
window, and the flow's own batches recorded in that year are declared already counted (at least
the largest of them): the count may be high, never low. The decision is logged and linked to
the flow; the flow's latest decision and the filings made from its decisions follow from it.

`register_request(..., day)` is the whole register as one request: every planned or active flow
one transfer (the zone what-if and the forecasts start from it)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from kuajing.accounts.models import DecisionRecord, Principal
from kuajing.accounts.store import Accounts
from kuajing.catalog import Catalog
from kuajing.catalog.base import Lang
from kuajing.catalog.models import Exemption
from kuajing.engine import Decision, Request
from kuajing.engine.request import AlreadyCounted, Processor, Transfer
from kuajing.errors import FilingError, NotFound, RegisterError
from kuajing.filing.models import DeadlineStatus, Filing
from kuajing.filing.store import Filings
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import Batch, Recorded
from kuajing.register import tabular
from kuajing.register.models import IN_REQUEST, Flow, FlowStatus
from kuajing.register.store import FlowStore, Imported, Stored, Version
from kuajing.services.decisions import assess_and_log
from kuajing.services.filing_list import next_deadline
from kuajing.services.filings import view
from kuajing.services.ledger import prior_from_ledger
from kuajing.services.uploads import MAX_UPLOAD, saved

# --- the register itself --------------------------------------------------------------------


def listing(
    store: FlowStore, who: Principal, status: list[FlowStatus] | None = None
) -> list[Stored]:
    """The organisation's flows by key; only those of `status` when given."""
    return store.all(who, status)


def get(store: FlowStore, who: Principal, key: str) -> Stored:
    return store.get(who, key)


def history(store: FlowStore, who: Principal, key: str) -> list[Version]:
    """Every version of the flow, the first first."""
    return store.history(who, key)


def add(store: FlowStore, who: Principal, flow: Flow) -> Stored:
    """A new flow (version 1); a key already in the register is a `Conflict`."""
    return store.add(who, flow)


def change(store: FlowStore, who: Principal, key: str, flow: Flow, version: int) -> Stored:
    """The flow replaced by `flow`, if it is still at `version` (else `Conflict`). The key
    cannot change: a flow under another key is another flow."""
    if flow.key != key.strip().lower():
        raise RegisterError(
            f"'{flow.key}' is not the flow's key '{key}': the key cannot change",
            zh=f"“{flow.key}”不是该数据流的编号“{key}”：编号不可修改",
            path="key",
        )
    return store.change(who, key, flow, version)


def retire(store: FlowStore, who: Principal, key: str, version: int | None = None) -> Stored:
    """The flow, retired: kept with its history and links, out of the register's request."""
    return store.retire(who, key, version)


def import_file(store: FlowStore, who: Principal, path: Path, name: str | None = None) -> Imported:
    """Add or change the flows of a CSV or XLSX file (layout: `register.tabular`), all or none:
    a bad row refuses the file (`RegisterInvalid`, each bad row and column one line). Flows as
    they already are get no new version; flows not in the file are left as they are."""
    return store.import_all(who, tabular.read_flows(path, name))


def import_upload(
    store: FlowStore, who: Principal, stream: BinaryIO, filename: str, max_bytes: int = MAX_UPLOAD
) -> Imported:
    """`import_file` of an upload (kept in a temporary file while it is read)."""
    tabular.format_of(filename)  # refused before anything is saved
    with saved(stream, filename, max_bytes) as path:
        return import_file(store, who, path, Path(filename).name)


def export(
    store: FlowStore,
    who: Principal,
    fmt: tabular.TableFormat,
    lang: Literal["en", "zh"] = "en",
    status: list[FlowStatus] | None = None,
) -> bytes:
    """The register as a CSV or XLSX file's bytes, which `import_file` reads back unchanged."""
    return tabular.write_table([s.flow for s in store.all(who, status)], fmt, lang)


# --- requests and assessment ----------------------------------------------------------------


def processor_of(who: Principal) -> Processor:
    """The organisation's processor profile, as the assessment form starts from it."""
    org = who.organisation
    return Processor(name=org.processor, zone=org.zone, ciio=org.ciio, sector=org.sector)


def flow_request(who: Principal, flow: Flow, day: dt.date) -> Request:
    """The flow as a request of one transfer, dated `day` (no prior counts)."""
    return Request(date=day, processor=processor_of(who), transfers=[flow.transfer(day.year)])


def register_request(store: FlowStore, who: Principal, day: dt.date) -> Request:
    """Every planned or active flow as one transfer (id: the flow's key) of one request dated
    `day`, with the volumes each is expected to export in `day`'s year. No prior counts."""
    flows = [s.flow for s in store.all(who, IN_REQUEST)]
    if not flows:
        raise RegisterError(
            "the register has no planned or active flow",
            zh="登记簿中没有计划中或进行中的数据流",
        )
    return Request(
        date=day, processor=processor_of(who), transfers=[f.transfer(day.year) for f in flows]
    )


def assess(
    accounts: Accounts,
    store: FlowStore,
    who: Principal,
    key: str,
    catalog: Catalog,
    day: dt.date,
    lang: Lang,
    ledger: Ledger | None = None,
) -> tuple[Decision, DecisionRecord]:
    """Assess the flow (see the module's notes), log the decision and link it to the flow."""
    flow = store.get(who, key).flow
    request = flow_request(who, flow, day)
    if ledger is not None and who.organisation.processor in ledger.processors():
        prior = prior_from_ledger(ledger, catalog, who.organisation.processor, request)
        own = _own_batches(ledger, store, who, key, day)
        request = request.model_copy(
            update={"prior": prior, "transfers": [_already(request.transfers[0], own)]}
        )
    decision, record = assess_and_log(accounts, who, request, catalog, lang)
    store.link_decision(who, [flow.key], record.id)
    return decision, record


def _own_batches(
    ledger: Ledger, store: FlowStore, who: Principal, key: str, day: dt.date
) -> list[Batch]:
    return [b for b in batches(ledger, store, who, key) if b.counted and b.date.year == day.year
            and b.date <= day]  # fmt: skip


def _already(transfer: Transfer, own: list[Batch]) -> Transfer:
    """The transfer with its own recorded batches declared counted in `prior`: at least the
    largest batch's persons were (a lower bound: batches may name the same persons)."""
    personal = max((b.persons for b in own), default=0)
    sensitive = max((b.persons for b in own if b.sensitive), default=0)
    if not personal:
        return transfer
    counted = AlreadyCounted(
        personal=min(personal, transfer.personal), sensitive=min(sensitive, transfer.sensitive)
    )
    return transfer.model_copy(update={"already_counted": counted})


def latest_decision(
    accounts: Accounts, store: FlowStore, who: Principal, key: str
) -> DecisionRecord | None:
    """The newest logged decision the flow was assessed in; None before its first."""
    ids = store.decision_ids(who, key)
    return accounts.decision(who, ids[0]) if ids else None


def transfer_of(record: DecisionRecord, key: str) -> dict[str, Any] | None:
    """The flow's transfer in a logged decision (pathway, status, reasons), as logged."""
    logged = json.loads(record.decision)
    found: dict[str, Any] | None = next(
        (t for t in logged.get("transfers", []) if t.get("id") == key), None
    )
    return found


# --- filings and batches --------------------------------------------------------------------


def filings_of(
    filings: Filings, store: FlowStore, who: Principal, key: str, open_only: bool = False
) -> list[Filing]:
    """The filings made from the flow's decisions that cover the flow (its key a transfer)."""
    stored = store.get(who, key)
    decided = set(store.decision_ids(who, key))
    return [
        f
        for f in filings.all(who, include_closed=not open_only)
        if f.decision_id in decided and stored.key in f.transfers
    ]


def batches(ledger: Ledger, store: FlowStore, who: Principal, key: str) -> list[Batch]:
    """The ledger batches recorded against the flow, by export date (removed ones left out)."""
    processor = who.organisation.processor
    found = [ledger.find(processor, d) for d in store.batch_digests(who, key)]
    return sorted((b for b in found if b is not None), key=lambda b: (b.date, b.digest))


def link_batch(store: FlowStore, who: Principal, key: str, batch: Batch) -> None:
    """Link a batch the ledger recorded for the organisation to the flow."""
    if batch.processor != who.organisation.processor:
        raise NotFound(f"no batch {batch.id}")
    store.link_batch(who, key, batch.digest)


def record_batch(
    ledger: Ledger,
    catalog: Catalog,
    store: FlowStore,
    who: Principal,
    key: str,
    stream: BinaryIO,
    filename: str,
    *,
    date: dt.date,
    columns: list[str] | None = None,
    sensitive: bool | None = None,
    max_bytes: int = MAX_UPLOAD,
) -> Recorded:
    """Record an export batch of the flow in the ledger (the flow's scenario, exemption and
    recipient), then link it to the flow. A retired flow records nothing."""
    from kuajing.services.tenant_ledger import record_upload  # noqa: PLC0415  (heavy readers)

    flow = _open_flow(store, who, key)
    recorded = record_upload(
        ledger, catalog, who, stream, filename, date=date, key=columns, sensitive=sensitive,
        scenario=flow.scenario, exemption=flow.exemption, recipient=flow.recipient.name,
        max_bytes=max_bytes,
    )  # fmt: skip
    link_batch(store, who, key, recorded.batch)
    return recorded


def batch_options(
    store: FlowStore, who: Principal, key: str
) -> tuple[str | None, Exemption | None, str | None]:
    """(scenario, exemption, recipient) a batch of the running flow is recorded with."""
    flow = _open_flow(store, who, key)
    return flow.scenario, flow.exemption, flow.recipient.name


def _open_flow(store: FlowStore, who: Principal, key: str) -> Flow:
    flow = store.get(who, key).flow
    if flow.status == "retired":
        raise RegisterError(
            f"flow '{flow.key}' is retired: batches are recorded against a running flow",
            zh=f"数据流“{flow.key}”已停用：批次只能记在运行中的数据流名下",
            path="flow",
        )
    return flow


# --- the register page's summary ------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """One row of the register page: the flow, its latest decision's pathway and status for
    it, its open filings and the soonest deadline among them."""

    stored: Stored
    decision_id: str | None
    pathway: str | None  # None: not assessed yet
    status: str | None  # determined or needs_review
    open_filings: list[Filing]
    next_deadline: DeadlineStatus | None
    next_filing: Filing | None  # the filing whose deadline it is


def summaries(
    accounts: Accounts,
    store: FlowStore,
    filings: Filings,
    who: Principal,
    catalog: Catalog,
    day: dt.date,
    lang: Lang,
    status: list[FlowStatus] | None = None,
) -> list[Summary]:
    """A summary per flow (see `Summary`): the open filings are read once, each flow's latest
    decision once."""
    latest = store.latest_decisions(who)
    open_filings = filings.all(who, include_closed=False)
    out = []
    for stored in store.all(who, status):
        decision_id = latest.get(stored.key)
        found = (
            transfer_of(accounts.decision(who, decision_id), stored.key) if decision_id else None
        )
        mine = [f for f in open_filings if stored.key in f.transfers and f.decision_id]
        if mine:  # made from one of the flow's decisions, not another flow's of that key
            decided = set(store.decision_ids(who, stored.key))
            mine = [f for f in mine if f.decision_id in decided]
        deadline, filing = _soonest(mine, catalog, day, lang)
        out.append(
            Summary(
                stored, decision_id, found.get("pathway") if found else None,
                found.get("status") if found else None, mine, deadline, filing,
            )
        )  # fmt: skip
    return out


def _soonest(
    found: list[Filing], catalog: Catalog, day: dt.date, lang: Lang
) -> tuple[DeadlineStatus | None, Filing | None]:
    best: tuple[DeadlineStatus | None, Filing | None] = (None, None)
    for f in found:
        try:
            d = next_deadline(view(f, catalog, day, lang))
        except FilingError:  # made under another catalogue: no deadline to show
            continue
        if d is not None and (best[0] is None or _when(d) < _when(best[0])):
            best = (d, f)
    return best


def _when(d: DeadlineStatus) -> dt.date:
    return d.date or dt.date.max
