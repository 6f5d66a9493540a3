"""What the ledger returns: typed values the CLI and API render."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from kuajing.catalog.base import Pathway, Text

NATIONAL = "*"  # the scope of the national counters
# A person in the ledger: HMAC-SHA256 of their identifier, its first 16 bytes (128 bits).
HASH_BYTES = 16

# AMB-3, in the words every status report shows.
COUNTING_RULE = Text(
    zh="按自然人去重计数：同一处理者、同一自然年内，每人在每个计数器中只计一次。"
    "一个批次含敏感个人信息时，其人员同时计入敏感个人信息计数器和个人信息计数器（用于识别人员的"
    "标识本身即为个人信息；同时出境两类信息的人在两个计数器中均计入）；适用豁免的批次留档但不计数。"
    "依据：《促进和规范数据跨境流动规定》第七条、第八条；"
    "计数方法为 kuajing 解读（国家规则未明确之处的读法）。",
    en="Distinct natural persons, each counted once per counter, per processor and calendar "
    "year. A batch carrying sensitive PI counts its persons in the sensitive counter and in the "
    "personal-information counter as well, since the identifier that names each person is "
    "itself PI (a person whose sensitive and other PI both leave counts in both). Exempt batches "
    "are kept on record but not counted. Basis: Provisions on Promoting and Regulating "
    "Cross-Border Data Flows, Arts 7 and 8; the way of counting is a kuajing interpretation "
    "(readings where the national rules leave a point open).",
)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class BatchMeta(_Out):
    """One export batch as recorded: never an identifier, only how many and which file."""

    processor: str
    digest: str
    date: dt.date
    scenario: str | None = None
    scopes: list[str] = []
    exemption: str | None = None
    sensitive: bool
    recipient: str | None = None
    source: str
    format: str
    key_columns: list[str]
    rows: int
    persons: int

    @property
    def counted(self) -> bool:
        return self.exemption is None

    @property
    def id(self) -> str:
        return self.digest[:12]


class Batch(BatchMeta):
    recorded_at: str


class ScanDecision(_Out):
    """What the scanner decided for a batch recorded without --key or --sensitive."""

    key: list[str]
    key_detected: bool  # the scanner chose the key (else --key gave it)
    sensitive_detected: bool  # the scanner decided sensitivity (else an option gave it)
    sensitive_columns: list[str] = Field(default_factory=list)
    sensitive_persons: int | None = None  # persons with sensitive PI, of `Batch.persons`
    minors: int = 0
    minors_age: int | None = None  # the age below which all PI is sensitive (catalogue)


class Recorded(_Out):
    batch: Batch
    new: bool  # False: the same content was already recorded, and nothing changed
    added: CounterCounts | None = None  # persons the batch added to the national counters
    scan: ScanDecision | None = None


class CounterCounts(_Out):
    personal: int = 0
    sensitive: int = 0
    persons: int = 0


class ScopeCounts(_Out):
    scope: str  # "*" national, else a catalogue scope key "list/sector/scenario"
    counts: CounterCounts


class ThresholdStatus(_Out):
    rule: str
    counter: str
    pathway: Pathway
    bound: int  # the count at which the threshold is reached
    reached: bool
    reached_on: dt.date | None = None
    headroom: int | None = None  # persons still allowed before reaching it
    projected: dt.date | None = None  # at the year's rate so far; None: not this year


class Status(_Out):
    processor: str
    year: int
    as_of: dt.date
    regime: str
    rule: Text
    national: CounterCounts
    scopes: list[ScopeCounts]
    pathway: Pathway
    pathway_rules: list[str]
    thresholds: list[ThresholdStatus]
    batches: int
    exempt_batches: int
    caveats: list[Text]


class CounterProblem(_Out):
    """A pool's stored counters (or seen-set) that its live batches do not give: a batch
    removed, or counts edited, behind the ledger's back."""

    processor: str
    year: int
    scope: str  # "*" national, else a catalogue scope key
    day: dt.date | None  # the day whose counts differ; None: the seen-set (who was counted)
    stored: CounterCounts  # what `status` reads (the seen-set's totals when day is None)
    live: CounterCounts  # what the live batches' persons give
    message: Text


class HeadCheck(_Out):
    """A chain head noted earlier, looked up in the chain: gone if the log was cut back."""

    head: str
    found: bool
    entry: int | None = None  # its place in the chain (0: the empty chain's head)
    since: int | None = None  # entries added after it
    message: Text


class VerifyReport(_Out):
    ok: bool
    entries: int
    batches: int
    head: str  # the MAC of the last audit entry: note it to detect a truncated log later
    problems: list[str]  # in the audit chain and the batches
    counters: list[CounterProblem] = []
    head_check: HeadCheck | None = None  # with a head noted earlier (`verify --head`)


Recorded.model_rebuild()
