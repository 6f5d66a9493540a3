"""A Spark job as the store returns it and the API shows it."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kuajing.catalog.base import Text
from kuajing.catalog.models import Exemption

JobKind = Literal["scan", "record"]
JobStatus = Literal["queued", "running", "done", "failed"]
INTERRUPTED = Text(
    en="interrupted: the service stopped while the job ran; send it again",
    zh="已中断：作业运行期间服务停止；请重新提交",
)


class Job(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    who: str  # the user who sent it
    kind: JobKind
    dataset: str  # its path under the datasets directory, or a table of the Spark catalog
    params: dict[str, Any]  # date, scenario, key columns; for a recording also sensitive...
    status: JobStatus
    error: Text | None = None  # one line in both languages, when failed
    result: dict[str, Any] | None = None  # the scan report, or the recorded batch
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None

    @property
    def waiting(self) -> bool:
        return self.status in ("queued", "running")


class JobRequest(BaseModel):
    """A job to send: scan or record `dataset` (a path under the datasets directory, or a table
    of the Spark catalog). The batch is the caller's organisation's, exported on `date`."""

    model_config = ConfigDict(extra="forbid")

    kind: JobKind
    dataset: str = Field(min_length=1, max_length=1000)
    date: dt.date
    scenario: str | None = Field(default=None, max_length=300)
    keys: list[str] = Field(default_factory=list, max_length=20)  # column(s) naming persons
    sensitive: bool | None = None  # a recording's: None, as the scanner decides
    exemption: Exemption | None = None
    recipient: str | None = Field(default=None, max_length=200)

    def params(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude={"kind", "dataset"})
