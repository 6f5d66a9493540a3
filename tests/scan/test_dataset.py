"""A directory of Parquet or CSV files read as one dataset: which files, in what order, which
columns (Hive partitions too), its digest, the errors that refuse it, and scanning it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import polars as pl
import pytest

from kuajing.catalog.loader import default_catalog
from kuajing.errors import DatasetError
from kuajing.scan.dataset import file_sha256, open_dataset
from kuajing.scan.models import ScanReport
from kuajing.services.scan import scan_datasets
from tests.scan.synth import Dataset as Synth
from tests.scan.synth import generate

AS_OF = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def people() -> Synth:
    return generate(1200, 900, "plain", as_of=AS_OF)


def _scan(*paths: Path, sample: int = 10_000) -> ScanReport:
    return scan_datasets([str(p) for p in paths], default_catalog(), as_of=AS_OF, sample=sample)


def _spark_leftovers(root: Path) -> None:
    """What Spark leaves beside its data files, which readers skip."""
    (root / "_SUCCESS").write_bytes(b"")
    (root / ".part-0.parquet.crc").write_bytes(b"crc")
    (root / "_temporary" / "0").mkdir(parents=True)
    (root / "_temporary" / "0" / "part-9.parquet").write_bytes(b"half written")


def _parquet_dir(root: Path, frame: pl.DataFrame, parts: int = 3) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    size = -(-frame.height // parts)
    paths = []
    for i in range(parts):
        path = root / f"part-{i:05d}.snappy.parquet"
        frame.slice(i * size, size).write_parquet(path)
        paths.append(path)
    return paths


def test_parquet_files_in_path_order_skipping_what_spark_leaves(
    people: Synth, tmp_path: Path
) -> None:
    root = tmp_path / "exports"
    paths = _parquet_dir(root, people.frame)
    _spark_leftovers(root)
    dataset = open_dataset(root)
    assert dataset.format == "parquet"
    assert [f.path for f in dataset.files] == paths
    assert [f.relative for f in dataset.files] == [p.name for p in paths]
    assert dataset.columns == tuple(people.frame.columns)
    assert dataset.partition_columns == ()
    assert dataset.name == "exports"


def test_a_directory_scans_as_its_files_listed_one_by_one(people: Synth, tmp_path: Path) -> None:
    paths = _parquet_dir(tmp_path / "exports", people.frame)
    _spark_leftovers(tmp_path / "exports")
    # A sample smaller than a file: the first rows of each file, as for files named one by one.
    whole, listed = _scan(tmp_path / "exports", sample=300), _scan(*paths, sample=300)
    assert whole.columns == listed.columns
    assert whole.persons == listed.persons
    assert whole.sources == listed.sources == [str(p) for p in paths]
    assert whole.rows == 1200
    assert whole.persons.distinct == people.persons


def test_a_csv_directory_scans_as_its_files(people: Synth, tmp_path: Path) -> None:
    root = tmp_path / "csv"
    root.mkdir()
    for i in range(3):
        people.frame.slice(i * 400, 400).write_csv(root / f"part-{i}.csv")
    (root / "part-3.csv").write_text(",".join(people.frame.columns) + "\n")  # a header only
    people.frame.write_csv(tmp_path / "all.csv")
    assert open_dataset(root).format == "csv"
    whole = _scan(root)
    listed = _scan(*(root / f"part-{i}.csv" for i in range(3)))  # the file without rows: none
    assert whole.columns == listed.columns
    assert whole.persons == listed.persons == _scan(tmp_path / "all.csv").persons


def test_hive_partitions_are_text_columns_after_the_data(people: Synth, tmp_path: Path) -> None:
    root = tmp_path / "trips"
    frame = people.frame
    layout = {
        "region=%E5%8D%8E%E4%B8%9C/year=2024": (0, 500),  # 华东, URL-quoted as Spark writes it
        "region=west/year=2025": (500, 400),
        "region=__HIVE_DEFAULT_PARTITION__/year=2025": (900, 300),  # null
    }
    for folder, (start, rows) in layout.items():
        (root / folder).mkdir(parents=True)
        frame.slice(start, rows).write_parquet(root / folder / "part-0.parquet")
    dataset = open_dataset(root)
    assert dataset.partition_columns == ("region", "year")
    assert dataset.columns == (*frame.columns, "region", "year")
    assert [f.partitions for f in dataset.files] == [  # in path order: "%" < "_" < "w"
        (("region", "华东"), ("year", "2024")),
        (("region", None), ("year", "2025")),
        (("region", "west"), ("year", "2025")),
    ]
    report = _scan(root)
    filled = {c.name: c.filled for c in report.columns}
    assert [c.name for c in report.columns][-2:] == ["region", "year"]
    assert filled["region"] == 900 and filled["year"] == 1200
    assert report.persons.distinct == people.persons


def test_the_digest_is_the_manifest_of_file_hashes(people: Synth, tmp_path: Path) -> None:
    paths = _parquet_dir(tmp_path / "d", people.frame)
    dataset = open_dataset(tmp_path / "d")
    manifest = "".join(f"{p.name}\t{hashlib.sha256(p.read_bytes()).hexdigest()}\n" for p in paths)
    assert dataset.digest() == hashlib.sha256(manifest.encode()).hexdigest()
    assert file_sha256(io.BytesIO(paths[0].read_bytes())) == file_sha256(paths[0])
    before = dataset.digest()
    people.frame.slice(400, 399).write_parquet(paths[1])  # one file changes
    assert open_dataset(tmp_path / "d").digest() != before


def _one_line_naming(exc: pytest.ExceptionInfo[DatasetError], path: Path, *words: str) -> None:
    message = str(exc.value)
    assert "\n" not in message and str(path) in message, message
    for word in words:
        assert word in message, message
    assert exc.value.zh and "\n" not in exc.value.in_lang("zh")


def test_no_data_files(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    _spark_leftovers(root)
    with pytest.raises(DatasetError) as exc:
        open_dataset(root)
    _one_line_naming(exc, root, "no data files")


def test_files_of_two_formats(tmp_path: Path) -> None:
    frame = pl.DataFrame({"id": ["1"]})
    frame.write_parquet(tmp_path / "a.parquet")
    frame.write_csv(tmp_path / "b.csv")
    with pytest.raises(DatasetError) as exc:
        open_dataset(tmp_path)
    _one_line_naming(exc, tmp_path, "two formats", "a.parquet", "b.csv")


def test_a_file_neither_parquet_nor_csv(tmp_path: Path) -> None:
    pl.DataFrame({"id": ["1"]}).write_parquet(tmp_path / "a.parquet")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(DatasetError) as exc:
        open_dataset(tmp_path)
    _one_line_naming(exc, tmp_path / "notes.txt", "not a Parquet or CSV file")


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_mixed_schemas(fmt: str, tmp_path: Path) -> None:
    first = pl.DataFrame({"id": ["1"], "phone": ["13800138000"]})
    other = pl.DataFrame({"id": ["2"], "mobile": ["13900139000"]})
    for name, frame in (("part-0", first), ("part-1", other)):
        path = tmp_path / f"{name}.{fmt}"
        frame.write_parquet(path) if fmt == "parquet" else frame.write_csv(path)
    with pytest.raises(DatasetError) as exc:
        open_dataset(tmp_path)
    _one_line_naming(exc, tmp_path / f"part-1.{fmt}", f"part-0.{fmt}", "'phone'")


def test_parquet_columns_in_another_order_are_the_same_schema(tmp_path: Path) -> None:
    pl.DataFrame({"id": ["1"], "name": ["a"]}).write_parquet(tmp_path / "a.parquet")
    pl.DataFrame({"name": ["b"], "id": ["2"]}).write_parquet(tmp_path / "b.parquet")
    assert open_dataset(tmp_path).columns == ("id", "name")


def test_inconsistent_partition_keys(tmp_path: Path) -> None:
    frame = pl.DataFrame({"id": ["1"]})
    (tmp_path / "year=2024").mkdir()
    (tmp_path / "month=1").mkdir()
    frame.write_parquet(tmp_path / "year=2024" / "a.parquet")
    frame.write_parquet(tmp_path / "month=1" / "b.parquet")
    with pytest.raises(DatasetError) as exc:
        open_dataset(tmp_path)
    _one_line_naming(exc, tmp_path, "partition", "(year)", "(month)")


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_no_rows_in_any_file(fmt: str, tmp_path: Path) -> None:
    for name in ("a", "b"):
        path = tmp_path / f"{name}.{fmt}"
        if fmt == "parquet":
            pl.DataFrame({"id": []}, schema={"id": pl.String}).write_parquet(path)
        else:
            path.write_text("id,phone\n")
    with pytest.raises(DatasetError) as exc:
        _scan(tmp_path)
    _one_line_naming(exc, tmp_path, "no rows")
