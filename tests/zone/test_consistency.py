"""Consistency sampling inspections (BJ24-SUP-1): what a filing declared against what the data
and the ledger show. Each case reads as a lawyer would state it."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kuajing.catalog.loader import default_catalog, default_personal_data
from kuajing.engine import Request, assess
from kuajing.errors import RequestError
from kuajing.ledger.models import Batch
from kuajing.scan.models import ScanReport
from kuajing.services.scan import scan_datasets
from kuajing.zone import consistency
from kuajing.zone.consistency import (
    Basis,
    Declared,
    Observed,
    ObservedColumn,
    Report,
    declared_of,
    observed_of,
)
from tests.scan.synth import generate

AS_OF = dt.date(2026, 6, 1)
# Every finding cites the supervision procedure, as the catalogue gives it.
BASIS = Basis.of(default_catalog().procedures["zone-consistency-inspection"])


def compare(declared: Declared, observed: Observed) -> Report:
    return consistency.compare(declared, observed, BASIS)


ID_AND_PHONE = ["身份证号", "手机号"]


# --- builders -------------------------------------------------------------------------------


def _declared(
    fields: list[str] | None = None,
    persons: int | None = None,
    sensitive: int | None = None,
    recipients: list[str] | None = None,
) -> Declared:
    return Declared(
        transfers=["t1"],
        scenarios=[],
        fields=ID_AND_PHONE if fields is None else fields,
        sub_classes=[],
        persons=persons,
        sensitive=sensitive,
        recipients=recipients or [],
    )


def _column(name: str, kind: str) -> ObservedColumn:
    item = default_personal_data().kinds[kind]
    return ObservedColumn(name=name, kind=kind, personal=item.personal, sensitive=item.sensitive)


def _observed(
    columns: list[ObservedColumn] | None = None,
    persons: int | None = None,
    sensitive: int | None = None,
    recipients: list[str] | None = None,
) -> Observed:
    return Observed(
        columns=columns or [],
        persons=persons,
        sensitive=sensitive,
        recipients=recipients or [],
        basis=["test"],
        scanned=columns is not None,
    )


def _batch(recipient: str | None, persons: int = 100, sensitive: bool = False) -> Batch:
    return Batch(
        processor="Example Pharma (Beijing) Co., Ltd.",
        digest=hashlib.sha256(f"{recipient}/{persons}/{sensitive}".encode()).hexdigest(),
        date=dt.date(2026, 3, 1),
        scenario="药物警戒",
        sensitive=sensitive,
        recipient=recipient,
        source="batch.csv",
        format="csv",
        key_columns=["身份证号"],
        rows=persons,
        persons=persons,
        recorded_at="2026-03-01T00:00:00Z",
    )


def _kinds(report: Report) -> list[tuple[str, str]]:
    return [(f.kind, f.subject) for f in report.findings]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> ScanReport:
    """A real scan: 200 patients over 300 rows, with ID, phone, a medical-record column, a bank
    card and an order number (not personal)."""
    data = generate(300, 200, "plain", as_of=AS_OF)
    frame = data.frame.select("身份证号", "手机号", "诊断", "银行卡号", "订单号")
    path = tmp_path_factory.mktemp("sample") / "sample.csv"
    frame.rename({"诊断": "病历诊断"}).write_csv(path)
    return scan_datasets([str(path)], as_of=AS_OF)


def _only(report: ScanReport, *names: str) -> ScanReport:
    return report.model_copy(update={"columns": [c for c in report.columns if c.name in names]})


# --- fields ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "column",
    ["病历诊断", "银行卡号"],
    ids=["medical record column not declared", "bank card column not declared"],
)
def test_declared_id_and_phone_but_sample_has_a_sensitive_column(
    sample: ScanReport, column: str
) -> None:
    observed = observed_of(_only(sample, "身份证号", "手机号", column), [])
    report = compare(_declared(persons=200, sensitive=200), observed)
    assert _kinds(report) == [("undeclared_sensitive_field", column)]
    finding = report.findings[0]
    assert finding.severity == "high"
    assert (finding.rule, finding.cite, finding.confidence) == ("BJ24-SUP-1", "SEED-BJ-2024", "M")
    assert f"「{column}」" in finding.text["zh"]
    assert f"“{column}”" in finding.text["en"]
    assert not report.consistent


def test_biometric_column_not_declared() -> None:
    observed = _observed([_column("身份证号", "resident_id"), _column("人脸特征", "biometric")])
    report = compare(_declared(), observed)
    assert _kinds(report) == [("undeclared_sensitive_field", "人脸特征")]


def test_real_sample_keeps_non_personal_columns_out(sample: ScanReport) -> None:
    observed = observed_of(sample, [])
    assert [c.name for c in observed.columns] == ["身份证号", "手机号", "病历诊断", "银行卡号"]
    assert observed.persons == 200
    assert observed.basis == [f"scan: {sample.sources[0]} (300 rows)"]


@pytest.mark.parametrize(
    "field",
    ["病历", "诊疗记录", "医疗健康信息", "病历诊断"],
    ids=["list field name", "another list field name", "kind's Chinese name", "the column name"],
)
def test_a_declared_field_naming_the_kind_covers_the_column(sample: ScanReport, field: str) -> None:
    observed = observed_of(_only(sample, "身份证号", "手机号", "病历诊断"), [])
    report = compare(_declared([*ID_AND_PHONE, field], persons=200, sensitive=200), observed)
    assert report.findings == []


@pytest.mark.parametrize(
    "field",
    ["Treatment Records", "诊疗 记录", "银行卡号（借记卡）"],
    ids=["English synonym of a list field", "spacing ignored", "a longer name containing it"],
)
def test_declared_fields_match_as_the_engine_matches_them(field: str) -> None:
    observed = _observed([_column("诊断", "medical"), _column("银行卡号", "bank_card")])
    report = compare(_declared([field]), observed)
    assert len(report.findings) == 1


def test_plain_personal_column_not_declared_is_medium() -> None:
    observed = _observed([_column("身份证号", "resident_id"), _column("电子邮箱", "email")])
    report = compare(_declared(["身份证号"]), observed)
    assert _kinds(report) == [("undeclared_field", "电子邮箱")]
    assert report.findings[0].severity == "medium"


def test_basic_personal_information_covers_id_name_and_phone() -> None:
    columns = [_column("身份证号", "resident_id"), _column("姓名", "person_name")]
    report = compare(_declared(["基本个人信息"]), _observed(columns))
    assert report.findings == []


# --- scale ----------------------------------------------------------------------------------


def test_scale_equal_to_the_filing_is_consistent() -> None:
    report = compare(_declared(persons=10_000, sensitive=0), _observed(persons=10_000, sensitive=0))
    assert report.findings == []


def test_one_person_beyond_the_filed_scale() -> None:
    report = compare(_declared(persons=10_000, sensitive=0), _observed(persons=10_001, sensitive=0))
    assert _kinds(report) == [("volume_beyond_scale", "persons")]
    finding = report.findings[0]
    assert (finding.declared, finding.observed) == ("10,000", "10,001")
    assert "10,001" in finding.text["en"] and "10,000" in finding.text["en"]


def test_sensitive_persons_beyond_the_filed_scale() -> None:
    report = compare(_declared(persons=500, sensitive=50), _observed(persons=500, sensitive=51))
    assert _kinds(report) == [("sensitive_volume_beyond_scale", "sensitive")]


def test_scale_not_declared_is_a_note_not_a_finding() -> None:
    report = compare(_declared(), _observed(persons=10_001, sensitive=10))
    assert report.findings == []
    assert any("scale" in m["en"] for m in report.missing)
    assert all(set(m) == {"zh", "en"} for m in report.missing)


def test_unknown_persons_in_the_sample_is_a_note() -> None:
    report = compare(_declared(persons=10), _observed([_column("手机号", "mobile_phone")]))
    assert report.findings == []
    assert any("unknown" in m["en"] for m in report.missing)


# --- recipients -----------------------------------------------------------------------------


def test_recipient_spelt_differently_is_the_same() -> None:
    declared = _declared(recipients=["Acme GmbH"])
    observed = observed_of(None, [_batch("ACME  GmbH"), _batch("ＡＣＭＥ GmbH", persons=5)])
    assert observed.recipients == ["ACME  GmbH"]
    assert compare(declared, observed).findings == []


def test_recipient_not_in_the_filing() -> None:
    observed = observed_of(None, [_batch("Acme GmbH"), _batch("Other Ltd")])
    report = compare(_declared(recipients=["Acme GmbH"]), observed)
    assert _kinds(report) == [("unfiled_recipient", "Other Ltd")]
    assert report.findings[0].declared == "Acme GmbH"
    assert "「Other Ltd」" in report.findings[0].text["zh"]


def test_filing_without_recipients_makes_every_recipient_unfiled() -> None:
    observed = observed_of(None, [_batch("Acme GmbH"), _batch("Other Ltd")])
    report = compare(_declared(), observed)
    assert _kinds(report) == [
        ("unfiled_recipient", "Acme GmbH"),
        ("unfiled_recipient", "Other Ltd"),
    ]
    assert any("names no overseas recipient" in m["en"] for m in report.missing)


# --- nothing to compare, and everything consistent ------------------------------------------


def test_nothing_observed_is_never_consistent() -> None:
    observed = observed_of(None, [])
    report = compare(_declared(persons=10, sensitive=0, recipients=["Acme GmbH"]), observed)
    assert report.findings == []
    assert report.consistent is False
    assert report.missing and "nothing to compare" in report.missing[0]["en"]


def test_consistent_when_compared_and_nothing_found(sample: ScanReport) -> None:
    scan = _only(sample, "身份证号", "手机号", "病历诊断", "银行卡号")
    observed = observed_of(scan, [_batch("Acme GmbH", persons=150, sensitive=True)])
    declared = _declared([*ID_AND_PHONE, "病历", "银行卡号"], 200, 200, ["Acme GmbH"])
    report = compare(declared, observed)
    assert report.consistent and report.findings == [] and report.missing == []
    assert observed.persons == 200  # the sample's distinct persons, not the ledger's sum
    assert observed.basis[1] == "ledger: 1 batches 2026"


def test_findings_ordered_high_first_then_kind_then_subject() -> None:
    columns = [
        _column("电子邮箱", "email"),
        _column("银行卡号", "bank_card"),
        _column("病历诊断", "medical"),
    ]
    observed = _observed(columns, persons=11, sensitive=11, recipients=["B Ltd", "A Ltd"])
    report = compare(_declared([], persons=10, sensitive=10, recipients=["C Ltd"]), observed)
    assert _kinds(report) == [
        ("undeclared_sensitive_field", "病历诊断"),
        ("undeclared_sensitive_field", "银行卡号"),
        ("volume_beyond_scale", "persons"),
        ("sensitive_volume_beyond_scale", "sensitive"),
        ("unfiled_recipient", "A Ltd"),
        ("unfiled_recipient", "B Ltd"),
        ("undeclared_field", "电子邮箱"),
    ]
    assert Report.model_validate_json(report.model_dump_json()) == report


# --- the declared side from a logged request and decision -----------------------------------


def _logged(transfers: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    body = {
        "date": "2026-03-01",
        "processor": {"name": "Example Pharma", "zone": "beijing", "sector": "pharmaceuticals"},
        "transfers": transfers,
    }
    request = Request.model_validate(body)
    decision = assess(request, default_catalog())
    return request.model_dump(mode="json"), decision.model_dump(mode="json")


def test_declared_from_a_logged_pharmacovigilance_decision() -> None:
    request, decision = _logged(
        [
            {
                "id": "pv",
                "scenario": "药物警戒",
                "sensitive": 10_000,
                "fields": ["不良事件描述", "用药记录", "用药记录", "身份证号"],
                "recipient": {"name": "Acme GmbH", "country": "DE"},
            },
            {"id": "other", "personal": 50, "recipient": {"name": None}},
        ]
    )
    declared = declared_of(request, decision, ["pv"])
    assert declared.transfers == ["pv"]
    assert declared.scenarios == ["药物警戒"]
    assert declared.fields == ["不良事件描述", "用药记录", "身份证号"]
    assert "bj24-pharma-pi-scc-2" in declared.sub_classes
    assert (declared.persons, declared.sensitive) == (10_000, 10_000)
    assert declared.recipients == ["Acme GmbH"]
    everything = declared_of(request, decision, None)
    assert everything.transfers == ["pv", "other"]
    assert (everything.persons, everything.sensitive) == (10_050, 10_000)
    assert declared_of(request, decision, []) == everything


def test_declared_scale_missing_when_the_request_gives_none() -> None:
    declared = declared_of({"transfers": [{"id": "t1", "fields": ["姓名"]}]}, {}, None)
    assert (declared.persons, declared.sensitive) == (None, None)
    assert declared.recipients == []


def test_declared_distinct_persons_preferred_over_the_counters() -> None:
    request, decision = _logged(
        [{"id": "t", "personal": 1_200, "sensitive": 1_200, "persons": 1_200}]
    )
    declared = declared_of(request, decision, None)
    assert declared.persons == 1_200 and not declared.persons_bound


def test_declared_without_distinct_total_is_a_bound_and_says_so() -> None:
    request, decision = _logged([{"id": "t", "personal": 1_200, "sensitive": 1_200}])
    declared = declared_of(request, decision, None)
    assert declared.persons == 2_400 and declared.persons_bound
    report = compare(declared, _observed(persons=2_000, sensitive=1_200))
    assert report.findings == []
    assert any("distinct total" in m["en"] for m in report.missing)


def test_unknown_transfer_of_the_filing_is_an_error() -> None:
    request, decision = _logged([{"id": "t", "personal": 10}])
    with pytest.raises(RequestError, match="'gone'"):
        declared_of(request, decision, ["gone"])


def test_ledger_batches_sum_persons_and_name_recipients() -> None:
    batches = [
        _batch("Acme GmbH", persons=300, sensitive=True),
        _batch("Acme GmbH", persons=200),
        _batch(None, persons=50),
    ]
    observed = observed_of(None, batches)
    assert (observed.persons, observed.sensitive) == (550, 300)
    assert observed.recipients == ["Acme GmbH"]
    assert observed.columns == [] and not observed.scanned
    assert observed.basis == ["ledger: 3 batches 2026"]
    report = compare(_declared(persons=600, sensitive=300, recipients=["Acme GmbH"]), observed)
    assert report.consistent
    assert any("No data sample" in m["en"] for m in report.missing)


# --- properties -----------------------------------------------------------------------------

_KINDS = {k: v for k, v in default_personal_data().kinds.items() if v.personal}
_FIELD_NAMES = sorted({f for v in _KINDS.values() for f in [*v.fields, v.name.zh]})
column = st.sampled_from(sorted(_KINDS)).flatmap(
    lambda kind: st.sampled_from(_KINDS[kind].names).map(lambda name: _column(name, kind))
)
field = st.one_of(st.sampled_from(_FIELD_NAMES), st.text(min_size=1, max_size=8))


@settings(max_examples=200, deadline=None)
@given(st.lists(column, max_size=6), st.lists(field, max_size=6), field)
def test_declaring_another_field_never_adds_a_finding(
    columns: list[ObservedColumn], fields: list[str], extra: str
) -> None:
    observed = _observed(columns)
    before = set(_kinds(compare(_declared(fields), observed)))
    after = set(_kinds(compare(_declared([*fields, extra]), observed)))
    assert after <= before


@settings(max_examples=200, deadline=None)
@given(st.lists(column, max_size=6), st.lists(field, max_size=6))
def test_declaring_nothing_keeps_every_sensitive_finding(
    columns: list[ObservedColumn], fields: list[str]
) -> None:
    observed = _observed(columns)
    sensitive = {
        k
        for k in _kinds(compare(_declared(fields), observed))
        if k[0] == "undeclared_sensitive_field"
    }
    nothing = set(_kinds(compare(_declared([]), observed)))
    assert sensitive <= nothing
    assert {c.name for c in columns if c.sensitive} == {
        s for k, s in nothing if k == "undeclared_sensitive_field"
    }
