"""What a filing document is built from: the decision, optionally its request and filing."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kuajing.catalog.base import Text
from kuajing.engine.decision import Decision, TransferDecision
from kuajing.engine.request import Request, Transfer


class DocumentKind(StrEnum):
    """The documents kuajing writes. Each has one form definition in `rules/documents/`."""

    PIPIA = "pipia"  # 个人信息保护影响评估报告
    SCC_FILING_COVER = "scc_filing_cover"  # 标准合同备案 cover sheet
    SCC_DATA_ANNEX = "scc_data_annex"  # data annex of the standard contract filing
    SA_CHECKLIST = "sa_checklist"  # 数据出境安全评估申报 materials checklist
    ZONE_LIST_USE = "zone_list_use"  # zone list-use application and filing form
    SHANGHAI_POST_EXPORT = "shanghai_post_export"  # Shanghai post-export report


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FilingDeadline(_Input):
    label: Text
    date: dt.date | None = None  # None: its anchor event has not happened yet
    provisional: bool = False  # counted across a year whose holidays are not yet announced
    rule: str


class FilingFacts(_Input):
    """The filing a document belongs to, as the filing store knows it."""

    id: str
    procedure: str
    procedure_name: Text
    state: str | None = None
    deadlines: list[FilingDeadline] = Field(default_factory=list)


class DocumentInput(_Input):
    """Everything a document may show. `request` is None for a bare decision file: then every
    value that only the request holds is shown as not given, never invented."""

    organisation: str = Field(min_length=1)
    processor: str = Field(min_length=1)
    zone: str | None = None
    sector: str | None = None
    ciio: bool | None = None  # None: not given
    decision_id: str | None = None
    created_at: dt.datetime
    catalog_version: str
    catalog_digest: str
    request: Request | None = None
    decision: Decision
    transfer_ids: list[str] | None = None  # None: every transfer of the decision
    filing: FilingFacts | None = None

    @model_validator(mode="after")
    def _known_transfers(self) -> DocumentInput:
        known = [t.id for t in self.decision.transfers]
        unknown = [t for t in self.transfer_ids or [] if t not in known]
        if unknown:
            raise ValueError(f"transfer_ids not in the decision: {', '.join(unknown)}")
        if self.transfer_ids == []:
            raise ValueError("transfer_ids is empty: omit it to cover every transfer")
        if self.request is not None and [t.id for t in self.request.transfers] != known:
            raise ValueError("the request's transfers are not the decision's")
        return self

    def covered(self) -> list[TransferDecision]:
        """The decision's transfers this document covers, in the decision's order."""
        wanted = self.transfer_ids
        return [t for t in self.decision.transfers if wanted is None or t.id in wanted]

    def requested(self, transfer_id: str) -> Transfer | None:
        """The request's transfer of that id, or None for a bare decision."""
        if self.request is None:
            return None
        return next(t for t in self.request.transfers if t.id == transfer_id)
