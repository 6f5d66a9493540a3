"""GET /v1/ledger/verify?head=…: counters the live batches do not give, and a chain cut back
behind a noted head, reported to the organisation whose counters they are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from kuajing.api.app import create_app
from tests.ledger.test_verify_counters import _drop_last_batch
from tests.tenants import api_token


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, key_file=tmp_path / "ledger.key")) as test:
        yield test


def _upload(client: TestClient, token: str, path: Path, date: str) -> None:
    with path.open("rb") as handle:
        made = client.post(
            "/v1/ledger/batches",
            headers={"Authorization": f"Bearer {token}"},
            data={"date": date, "key": "id", "sensitive": "false"},
            files={"file": (path.name, handle, "text/csv")},
        )
    assert made.status_code == 201, made.text


def test_verify_with_a_head_catches_a_deleted_batch(
    client: TestClient, db_url: str, tmp_path: Path
) -> None:
    pharma = api_token(db_url, "pharma", "a@pharma.example", "admin")
    bank = api_token(db_url, "bank", "a@bank.example", "admin")
    auth = {"Authorization": f"Bearer {pharma}"}
    for name, start, date in (("a.csv", 0, "2026-02-10"), ("b.csv", 10, "2026-02-11")):
        rows = "".join(f"P{i:07d}\n" for i in range(start, start + 10))
        (tmp_path / name).write_text("id\n" + rows)
        _upload(client, pharma, tmp_path / name, date)
    noted = client.get("/v1/ledger/verify", headers=auth).json()["head"]
    good = client.get("/v1/ledger/verify", headers=auth, params={"head": noted}).json()
    assert good["ok"] and good["head_check"]["found"] and good["counters"] == []
    bad = client.get("/v1/ledger/verify", headers=auth, params={"head": "xyz"})
    assert bad.status_code == 422 and "head" in bad.text
    engine = create_engine(db_url)
    with engine.begin() as conn:
        _drop_last_batch(conn)
    engine.dispose()
    tampered = client.get("/v1/ledger/verify", headers=auth, params={"head": noted}).json()
    assert not tampered["ok"] and not tampered["head_check"]["found"]
    days = {(c["scope"], c["day"]) for c in tampered["counters"]}
    assert ("*", "2026-02-11") in days
    assert all(c["processor"] == "pharma Co., Ltd." for c in tampered["counters"])
    seen_by_bank = client.get("/v1/ledger/verify", headers={"Authorization": f"Bearer {bank}"})
    assert seen_by_bank.json()["counters"] == [] and seen_by_bank.json()["other_problems"] >= 1
    assert "pharma" not in seen_by_bank.text
