"""A logged decision's documents and evidence archive over the API, on SQLite and PostgreSQL: the
archive verifies against the installation's key, documents are listed and downloaded, and
another organisation gets 404 for all of them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kuajing.api.app import create_app
from kuajing.filing.evidence import public_key_bytes, signing_key, verify
from tests.tenants import api_token

REQUEST = {
    "date": "2026-03-01",
    "processor": {"name": "Example Pharma (Beijing) Co., Ltd.", "zone": "beijing"},
    "transfers": [{"id": "t1", "scenario": "临床试验", "personal": 12000}],
}


@pytest.fixture
def client(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(
        db_url, key_file=tmp_path / "ledger.key", signing_key_file=tmp_path / "signing.key"
    )
    with TestClient(app) as test:
        yield test


def _auth(db_url: str, org: str, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(db_url, org, email, 'member', zone='beijing')}"}


def test_documents_and_the_evidence_archive_of_a_decision(
    client: TestClient, db_url: str, tmp_path: Path
) -> None:
    pharma = _auth(db_url, "pharma", "a@pharma.example")
    decision_id = client.post("/v1/assess", json=REQUEST, headers=pharma).headers[
        "Kuajing-Decision-Id"
    ]
    names = client.get(f"/v1/decisions/{decision_id}/documents", headers=pharma).json()
    assert "scc-filing-pipia.zh.pdf" in names and "beijing-list-use-zone_list_use.en.docx" in names
    pdf = client.get(
        f"/v1/decisions/{decision_id}/documents/scc-filing-pipia.zh.pdf", headers=pharma
    )
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    absent = client.get(f"/v1/decisions/{decision_id}/documents/memo.zh.pdf", headers=pharma)
    assert absent.status_code == 404 and absent.json()["error"]["code"] == "not_found"

    packed = client.get(f"/v1/decisions/{decision_id}/evidence", headers=pharma)
    assert packed.status_code == 200 and packed.headers["content-type"] == "application/zip"
    archive = tmp_path / "evidence.zip"
    archive.write_bytes(packed.content)
    key = public_key_bytes(signing_key(tmp_path / "signing.key"))
    assert verify(archive, key).ok
    with zipfile.ZipFile(io.BytesIO(packed.content)) as zf:
        assert (
            "decision.json" in zf.namelist()
            and "documents/scc-filing-pipia.zh.pdf" in zf.namelist()
        )

    bank = _auth(db_url, "bank", "a@bank.example")
    for path in ("documents", "documents/scc-filing-pipia.zh.pdf", "evidence"):
        seen = client.get(f"/v1/decisions/{decision_id}/{path}", headers=bank)
        assert seen.status_code == 404, path
