"""Recording a directory of Parquet or CSV files as one export batch: named after the directory,
identified by its files' digest (twice adds nothing), bad directories recording nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from kuajing.catalog.loader import default_catalog
from kuajing.errors import DatasetError
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import Recorded
from kuajing.services import recording

from .test_ledger_cli import CLI, IDS, write_csv

DAY = dt.date(2026, 3, 2)


def record(ledger: Ledger, path: Path, key: list[str] | None = None) -> Recorded:
    return recording.record_file(
        ledger, default_catalog(), who=None, processor="Acme", date=DAY, path=path,
        key=key or [], sensitive=None if key is None else False, today=DAY,
    )  # fmt: skip


def _ids(start: int, stop: int) -> list[str]:
    return [f"P{i:07d}" for i in range(start, stop)]


def _lake(root: Path, fmt: str = "parquet") -> Path:
    """Three files, persons recurring across them, and what Spark leaves beside them."""
    root.mkdir(parents=True)
    for i, ids in enumerate([_ids(0, 400), _ids(300, 700), _ids(650, 1000) + _ids(0, 10)]):
        frame = pl.DataFrame({"id": ids, "amount": [str(n) for n in range(len(ids))]})
        path = root / f"part-{i:05d}.{fmt}"
        frame.write_parquet(path) if fmt == "parquet" else frame.write_csv(path)
    (root / "_SUCCESS").write_bytes(b"")
    return root


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_a_directory_is_one_batch_and_twice_adds_nothing(
    fmt: str, db_url: str, key_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recording, "CHUNK_ROWS", 150)  # several frames per file
    root = _lake(tmp_path / "orders_2026", fmt)
    with Ledger.open(db_url, key_file) as ledger:
        done = record(ledger, root, ["id"])
        assert done.new
        batch = done.batch
        assert (batch.source, batch.format) == ("orders_2026", fmt)
        assert (batch.rows, batch.persons) == (1160, 1000)
        again = record(ledger, root, ["id"])
        assert not again.new and again.batch.id == batch.id
        assert len(ledger.batches("Acme")) == 1
        assert ledger.counts("Acme", 2026, DAY)["*"].personal == 1000
        pl.DataFrame({"id": ["NEW0001"], "amount": ["1"]}).write_parquet(
            root / f"part-00001.{fmt}"
        ) if fmt == "parquet" else (root / "part-00001.csv").write_text("id,amount\nNEW0001,1\n")
        changed = record(ledger, root, ["id"])  # one file changed: another batch
        assert changed.new and changed.batch.digest != batch.digest
        assert ledger.verify().ok


def test_the_scanner_picks_the_key_of_a_partitioned_directory(
    db_url: str, key_file: Path, tmp_path: Path
) -> None:
    root = tmp_path / "members"
    for region, ids in (("north", IDS[:2]), ("south", IDS[1:])):
        (root / f"region={region}").mkdir(parents=True)
        frame = pl.DataFrame({"身份证号": ids, "姓名": ["张三"] * len(ids)})
        frame.write_parquet(root / f"region={region}" / "part-0.parquet")
    with Ledger.open(db_url, key_file) as ledger:
        done = record(ledger, root)
        assert done.scan is not None and done.scan.key == ["身份证号"]
        assert (done.batch.rows, done.batch.persons) == (4, 3)


def test_a_partition_column_can_be_part_of_the_key(
    db_url: str, key_file: Path, tmp_path: Path
) -> None:
    root = tmp_path / "by_branch"
    for branch in ("a", "b"):
        (root / f"branch={branch}").mkdir(parents=True)
        pl.DataFrame({"no": ["1", "2"]}).write_parquet(root / f"branch={branch}" / "p.parquet")
    with Ledger.open(db_url, key_file) as ledger:
        assert record(ledger, root, ["branch,no"]).batch.persons == 4


def test_a_row_without_a_person_names_its_file_and_line(
    db_url: str, key_file: Path, tmp_path: Path
) -> None:
    root = _lake(tmp_path / "lake", "csv")
    bad = root / "part-00001.csv"
    bad.write_text("id,amount\nA1,1\nA2,2\n,3\n")
    with Ledger.open(db_url, key_file) as ledger, pytest.raises(DatasetError) as exc:
        record(ledger, root, ["id"])
    assert (exc.value.file, exc.value.line) == (str(bad), 4)
    with Ledger.open(db_url, key_file) as ledger:
        assert ledger.batches("Acme") == []


def _mixed(root: Path) -> None:
    pl.DataFrame({"id": ["1"]}).write_parquet(root / "a.parquet")
    pl.DataFrame({"key": ["2"]}).write_parquet(root / "b.parquet")


def _empty(root: Path) -> None:
    (root / "a.csv").write_text("id,amount\n")


def _two_formats(root: Path) -> None:
    pl.DataFrame({"id": ["1"]}).write_parquet(root / "a.parquet")
    (root / "b.csv").write_text("id\n2\n")


def _unknown_key(root: Path) -> None:
    pl.DataFrame({"name": ["1"]}).write_parquet(root / "a.parquet")


BAD = {
    "mixed schemas": (_mixed, "differ from those of a.parquet"),
    "no rows": (_empty, "no rows"),
    "two formats": (_two_formats, "two formats"),
    "unknown key column": (_unknown_key, "unknown key column 'id'"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_directories_record_nothing(
    case: str, db_url: str, key_file: Path, tmp_path: Path
) -> None:
    cli = CLI(db_url, key_file)
    cli.record(write_csv(tmp_path / "good.csv", [["A1", "x"]]))
    root = tmp_path / "bad"
    root.mkdir()
    make, message = BAD[case]
    make(root)
    run = cli.record(root, ok=False)
    assert run.returncode == 2, run.stdout
    assert message in run.stderr and str(root) in run.stderr, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    assert cli.status()["batches"] == 1


def test_cli_records_and_scans_a_directory(db_url: str, key_file: Path, tmp_path: Path) -> None:
    cli = CLI(db_url, key_file)
    root = _lake(tmp_path / "lake")
    out = cli.record(root).stdout
    assert "lake, 1,160 rows, 1,000 distinct persons" in out, out
    assert "already recorded" in cli.record(root).stdout
    assert cli.status()["batches"] == 1
    scanned = cli("scan", str(root), "--key", "id", "--format", "json").stdout
    assert '"distinct": 1000' in scanned
