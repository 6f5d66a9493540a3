"""Where users may name a dataset for a Spark job: under the datasets directory, or a table;
an absolute path, `..` and symbolic links out of the directory are refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kuajing.errors import RequestError
from kuajing.jobs.datasets import Datasets


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    root = tmp_path / "lake"
    (root / "trips" / "region=110101").mkdir(parents=True)
    (root / "trips" / "region=110101" / "part-0.parquet").write_bytes(b"PAR1")
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "keys.csv").write_text("sfzh\n")
    return root


def test_a_path_under_the_directory_is_read_there(lake: Path) -> None:
    where = Datasets(lake)
    assert where.locate("trips") == str(lake / "trips")
    assert where.locate(" trips/region=110101/ ") == str(lake / "trips" / "region=110101")


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("/etc", "absolute"),
        ("../secret", "'..'"),
        ("trips/../../secret", "'..'"),
        ("C:\\data", "absolute"),
        ("", "name a dataset"),
        ("nothing/here", "no dataset nothing/here"),
    ],
)
def test_names_out_of_the_directory_are_refused(lake: Path, name: str, why: str) -> None:
    with pytest.raises(RequestError, match=why) as refused:
        Datasets(lake).locate(name)
    assert refused.value.path == "dataset"
    assert str(lake) not in str(refused.value)  # where the server keeps data: never said


def test_symbolic_links_out_of_the_directory_are_refused(lake: Path) -> None:
    os.symlink(lake.parent / "secret", lake / "elsewhere")
    os.symlink(lake.parent / "secret" / "keys.csv", lake / "trips" / "region=110101" / "k.csv")
    where = Datasets(lake)
    for name in ("elsewhere", "trips", "trips/region=110101/k.csv"):
        with pytest.raises(RequestError, match="leads out of the datasets directory"):
            where.locate(name)
    os.symlink(lake / "trips", lake / "alias")  # a link that stays inside is fine
    os.remove(lake / "trips" / "region=110101" / "k.csv")
    assert where.locate("alias") == str(lake / "trips")


def test_a_table_name_is_a_table(lake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Datasets(lake).locate("sales.trips_2024") == "sales.trips_2024"
    assert Datasets(None).locate("trips") == "trips"  # no directory: tables only
    with pytest.raises(RequestError):
        Datasets(None).locate("trips/2024")
    # A name the server's working directory holds as a file is not taken as a table.
    monkeypatch.chdir(lake.parent)
    with pytest.raises(RequestError, match="not a table name"):
        Datasets(None).locate("secret")


def test_messages_leave_out_the_directory(lake: Path) -> None:
    where = Datasets(lake)
    assert where.private(f"{lake}/trips: no rows") == "trips: no rows"
    assert where.private(f"Path does not exist: {lake.as_uri()}/x") == "Path does not exist: x"
    assert where.private_json({"sources": [str(lake / "trips")]}) == {"sources": ["trips"]}
