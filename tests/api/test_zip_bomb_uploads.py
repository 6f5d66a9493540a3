"""Uploads to the API that unpack to far more than they weigh are refused (422, naming the file
and the limit) before they are parsed: a dataset to scan or record, an edition's list table. A
normal workbook is still scanned."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from kuajing.api.app import create_app
from tests.api.test_editions_api import token
from tests.tenants import api_token
from tests.zipbombs import SHEET, workbook, xlsx_bomb
from tests.zone.test_editions import FORM

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'service.sqlite3'}"


@pytest.fixture
def client(sqlite_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_url, key_file=tmp_path / "ledger.key")) as test:
        yield test


@pytest.fixture
def bomb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """A 64 MB sheet in 230 KB; openpyxl must not be asked to open it."""
    data = xlsx_bomb(tmp_path / "bomb.xlsx", megabytes=64).read_bytes()

    def parse(*_: object, **__: object) -> None:
        raise AssertionError("openpyxl parsed the upload")

    monkeypatch.setattr(openpyxl, "load_workbook", parse)
    return data


def _refused(answer: Response) -> None:
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["message"].startswith(f"{SHEET} unpacks to 67,10")
    assert error["message"].endswith("the limit is 100 times (a ZIP bomb?)")


@pytest.mark.parametrize(
    ("path", "form"),
    [("/v1/scan", {}), ("/v1/ledger/batches", {"date": "2026-02-10", "scenario": "临床试验"})],
)
def test_a_dataset_bomb_is_refused(
    client: TestClient, sqlite_url: str, bomb: bytes, path: str, form: dict[str, str]
) -> None:
    auth = {"Authorization": f"Bearer {api_token(sqlite_url, 'pharma', 'a@ph.example', 'admin')}"}
    started = time.perf_counter()
    answer = client.post(path, headers=auth, data=form, files={"file": ("batch.xlsx", bomb, XLSX)})
    assert time.perf_counter() - started < 5
    _refused(answer)


def test_a_list_table_bomb_is_refused(client: TestClient, sqlite_url: str, bomb: bytes) -> None:
    admin = token(sqlite_url, "bj-centre", "a@bj.example", "admin", "beijing", "zone")
    answer = client.post(
        "/v1/editions", data=FORM, files={"file": ("list.xlsx", bomb, XLSX)}, headers=admin
    )
    _refused(answer)
    assert client.get("/v1/editions", headers=admin).json() == []


def test_a_normal_workbook_is_scanned(client: TestClient, sqlite_url: str, tmp_path: Path) -> None:
    auth = {"Authorization": f"Bearer {api_token(sqlite_url, 'pharma', 'a@ph.example', 'member')}"}
    path = workbook(tmp_path / "ok.xlsx", [["身份证号"], ["110101199003074514"]])
    answer = client.post(
        "/v1/scan", headers=auth, files={"file": ("ok.xlsx", path.read_bytes(), XLSX)}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["columns"][0]["kind"] == "resident_id"
