"""The scanner end to end on generated datasets: kinds, sensitivity, exact person counts, every
file format and encoding, database tables, and bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import polars as pl
import pytest
import sqlalchemy as sa

from kuajing.catalog.loader import default_catalog
from kuajing.errors import DatasetError
from kuajing.scan.models import ScanReport
from kuajing.scan.scanner import Options, scan
from kuajing.services.scan import scan_datasets
from tests.scan.synth import NAME_ONLY, Dataset, generate

AS_OF = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def plain() -> Dataset:
    return generate(2000, 1500, "plain", as_of=AS_OF)


def _scan(path: Path | str, **options: object) -> ScanReport:
    return scan_datasets([str(path)], default_catalog(), as_of=AS_OF, **options)  # type: ignore[arg-type]


def _kinds(report: ScanReport) -> dict[str, str]:
    return {c.name: c.kind for c in report.columns}


@pytest.mark.parametrize("layout", ["plain", "pinyin", "unnamed"])
def test_kinds_by_name_and_by_value(layout: str, tmp_path: Path) -> None:
    data = generate(2000, 1500, layout, as_of=AS_OF)
    path = tmp_path / "data.csv"
    data.frame.write_csv(path)
    report = _scan(path)
    found = _kinds(report)
    for column, kind in data.kinds.items():
        if layout == "unnamed" and kind in NAME_ONLY:
            continue
        assert found[column] == kind, f"{layout}: {column} is {found[column]}, expected {kind}"
    assert report.rows == 2000
    assert report.persons.distinct == data.persons
    assert report.persons.basis == "detected"
    assert report.persons.key_kind == "resident_id"


def test_decoys_stay_none(plain: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    plain.frame.select("订单号", "商品编码", "金额", "创建时间").write_csv(path)
    report = _scan(path)
    assert set(_kinds(report).values()) == {"none"}
    assert report.persons.distinct is None
    assert not report.personal


def test_sensitivity_and_minors(plain: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    plain.frame.write_csv(path)
    report = _scan(path)
    by_name = {c.name: c for c in report.columns}
    assert by_name["诊断"].sensitive and by_name["银行卡号"].sensitive
    assert not by_name["身份证号"].sensitive  # an ID number is ordinary PI (CAC Q&A)
    assert not by_name["统一社会信用代码"].personal
    assert report.sensitive
    assert report.persons.sensitive == plain.persons  # every row has a diagnosis
    assert report.persons.minors == plain.minors > 0


def test_no_sensitive_column_counts_only_minors(plain: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    plain.frame.select("身份证号", "姓名").write_csv(path)
    report = _scan(path)
    assert not any(c.sensitive for c in report.columns)
    assert report.persons.sensitive == report.persons.minors == plain.minors
    assert report.sensitive is (plain.minors > 0)


def test_distinct_persons_after_normalisation(tmp_path: Path) -> None:
    path = tmp_path / "phones.csv"
    path.write_text(
        "手机号\n13812345678\n+86 138 1234 5678\n138-1234-5678\n"
        "１３８１２３４５６７８\n13912345678\n",
        encoding="utf-8",
    )
    report = _scan(path)
    assert report.columns[0].kind == "mobile_phone"
    assert report.persons.distinct == 2


def test_given_key_and_missing_keys(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text("编号,备注\nA1,x\nA2,y\n,z\nA1,w\n", encoding="utf-8")
    report = _scan(path, keys=["编号"])
    assert report.persons.key == ["编号"] and report.persons.basis == "given"
    assert report.persons.distinct == 2
    assert report.persons.missing == 1


def test_unknown_key_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text("编号,备注\nA1,x\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"unknown --key column '编码'") as caught:
        _scan(path, keys=["编码"])
    assert caught.value.file == str(path)


def _formats(frame: pl.DataFrame, tmp_path: Path) -> dict[str, Path]:
    out = {}
    out["csv"] = tmp_path / "d.csv"
    frame.write_csv(out["csv"])
    text = out["csv"].read_text(encoding="utf-8")
    for name, codec in (("bom", "utf-8-sig"), ("gbk", "gbk"), ("gb18030", "gb18030")):
        out[name] = tmp_path / f"d-{name}.csv"
        out[name].write_bytes(text.encode(codec))
    out["utf16"] = tmp_path / "d-utf16.txt"
    out["utf16"].write_bytes(text.replace(",", "\t").encode("utf-16"))
    out["xlsx"] = tmp_path / "d.xlsx"
    _write_xlsx(frame, out["xlsx"])
    out["parquet"] = tmp_path / "d.parquet"
    frame.write_parquet(out["parquet"])
    out["jsonl"] = tmp_path / "d.jsonl"
    frame.write_ndjson(out["jsonl"])
    return out


def _write_xlsx(frame: pl.DataFrame, path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(frame.columns)
    for row in frame.iter_rows():
        sheet.append(list(row))
    book.save(path)


def test_every_format_gives_the_same_report(tmp_path: Path) -> None:
    data = generate(300, 250, "plain", as_of=AS_OF)
    frame = data.frame.drop("地址") if "地址" in data.frame.columns else data.frame
    reports = {name: _scan(path) for name, path in _formats(frame, tmp_path).items()}
    expected = _kinds(reports["csv"])
    for name, report in reports.items():
        assert _kinds(report) == expected, name
        assert report.persons.distinct == data.persons, name
        assert report.rows == 300, name
    assert reports["gbk"].files[0].encoding == "gb18030"
    assert reports["utf16"].files[0].encoding == "utf-16"


def test_streams_in_batches(tmp_path: Path) -> None:
    """Batches far smaller than the file: the same figures as one batch."""
    data = generate(1000, 700, "plain", as_of=AS_OF)
    path = tmp_path / "d.csv"
    data.frame.write_csv(path)
    pd = default_catalog().personal_data
    assert pd is not None
    small = scan([str(path)], pd, Options(as_of=AS_OF, batch_rows=64))
    whole = scan([str(path)], pd, Options(as_of=AS_OF))
    # Only the evidence of columns no kind fits may differ: it comes from the first batch.
    exclude = {"notes": True, "columns": {"__all__": {"evidence"}}}
    assert small.model_dump(exclude=exclude) == whole.model_dump(exclude=exclude)  # type: ignore[arg-type]
    assert small.persons.distinct == 700


def test_sample_limits_detectors_not_persons(plain: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    plain.frame.write_csv(path)
    report = _scan(path, sample=100)
    assert all(c.checked <= 100 for c in report.columns)
    assert report.persons.distinct == plain.persons
    assert report.sample == 100


def test_several_files_are_one_dataset(plain: Dataset, tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    plain.frame.head(1000).write_csv(first)
    plain.frame.tail(1000).write_csv(second)
    report = scan_datasets([str(first), str(second)], default_catalog(), as_of=AS_OF)
    assert report.rows == 2000
    assert report.persons.distinct == plain.persons
    assert report.sources == [str(first), str(second)]


def test_database_table(plain: Dataset, db_url: str) -> None:
    """A table on each backend (db_url: SQLite and PostgreSQL, tests/databases.py)."""
    engine = sa.create_engine(db_url)
    columns = [sa.Column(name, sa.Text) for name in plain.frame.columns]
    table = sa.Table("patients", sa.MetaData(), *columns)
    with engine.begin() as conn:
        table.create(conn)
        conn.execute(table.insert(), plain.frame.to_dicts())
    engine.dispose()
    report = _scan(db_url, table="patients")
    assert report.persons.distinct == plain.persons
    assert _kinds(report)["身份证号"] == "resident_id"
    with pytest.raises(DatasetError, match="no table 'patient'"):
        _scan(db_url, table="patient")


def test_zone_list_entries(tmp_path: Path) -> None:
    path = tmp_path / "trial.csv"
    path.write_text(
        "受试者编号,身份证号,不良事件描述\nS1,11010519491231002X,头痛\n", encoding="utf-8"
    )
    report = scan_datasets(
        [str(path)],
        default_catalog(),
        as_of=dt.date(2026, 3, 1),
        zone="beijing",
        scenario="药物警戒",
    )
    by_name = {c.name: c for c in report.columns}
    # The 2024 Beijing list names adverse-event descriptions under pharmacovigilance.
    assert {"bj24-pharma-pi-sa-2", "bj24-pharma-pi-scc-2"} <= set(by_name["不良事件描述"].entries)
    assert by_name["受试者编号"].entries == []
    assert report.zone == "beijing"
    # The 2025 edition incorporates the 2024 pharmaceutical sector: the same entries.
    later = _scan(path, zone="beijing", scenario="药物警戒")
    entries = {c.name: c.entries for c in later.columns}["不良事件描述"]
    assert "bj24-pharma-pi-sa-2" in entries
    medical = _scan(path, zone="beijing", scenario="医疗器械")  # a new sector: headers only
    assert {c.name: c.entries for c in medical.columns}["不良事件描述"] == []


def test_a_zone_list_own_definition_of_sensitive_pi(tmp_path: Path) -> None:
    """Chongqing's ICV list counts ID numbers and vehicle licence numbers as sensitive PI
    (CQ25-SPI); nationally ID numbers are ordinary PI. Given that zone and scenario, the scan
    follows the list and says so per column."""
    path = tmp_path / "owners.csv"
    path.write_text(
        "车主姓名,身份证号,车牌号\n张三,11010519491231002X,渝A12345\n李四,110105194912310021,渝B67890\n",
        encoding="utf-8",
    )
    national = scan_datasets([str(path)], as_of=dt.date(2026, 12, 6))
    assert not {c.name: c for c in national.columns}["身份证号"].sensitive
    assert national.persons.sensitive == 0
    report = scan_datasets(
        [str(path)], default_catalog(), as_of=dt.date(2026, 12, 6), zone="chongqing",
        scenario="智能网联汽车",
    )  # fmt: skip
    by_name = {c.name: c for c in report.columns}
    assert by_name["身份证号"].sensitive and by_name["身份证号"].sensitive_by == (
        "chongqing-2025: CQ25-SPI"
    )
    assert by_name["车牌号"].sensitive and by_name["车牌号"].review is not None  # read as L
    assert not by_name["车主姓名"].sensitive and by_name["车主姓名"].sensitive_by is None
    assert report.persons.sensitive == 2
    assert any("CQ25-SPI" in n.en and "身份证号" in n.en for n in report.notes)


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (b"", "empty file", None),
        (b"a,b\n1,2\n3,4,5\n", "3 fields, but the header has 2", 3),
        (b'a,b\n1,"2\n', "never closed", 2),
        ("姓名\n张三\n".encode() + b"\xff\xfe\x00\n", "not UTF-8, GBK or GB18030", 3),
    ],
    ids=["empty", "ragged", "unclosed-quote", "bad-encoding"],
)
def test_bad_input_names_file_and_line(
    tmp_path: Path, content: bytes, message: str, line: int | None
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DatasetError, match=message) as caught:
        _scan(path)
    assert caught.value.file == str(path)
    assert caught.value.line == line


def test_header_only_file_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("姓名,手机号\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="no rows"):
        _scan(path)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        _scan(tmp_path / "missing.csv")
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(DatasetError, match="unsupported file type"):
        _scan(tmp_path / "x.pdf")
