"""The service's Spark jobs on a real standalone cluster (master and two workers): a scan job
gives the local engine's report, a recording job records the batch once (a second job finds it
recorded), the audit trail naming the user who sent it. Few jobs: each costs seconds."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kuajing.api.app import create_app
from kuajing.catalog import default_catalog
from kuajing.services.scan import scan_datasets
from kuajing.services.spark_queue import SparkSetup
from kuajing.spark.cluster import Cluster
from tests.spark.conftest import CLUSTER_CONF
from tests.spark.conftest import Cluster as Standalone
from tests.spark.lake import write_lake
from tests.tenants import api_token
from tests.web.support import sign_in

pytestmark = pytest.mark.spark

DAY = dt.date.today()


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    datasets = tmp_path_factory.mktemp("datasets")
    write_lake(datasets / "visits", 24_000, files=4, persons=9_000, row_group=2_000)
    return datasets


@pytest.fixture
def service(
    spark_cluster: Standalone, lake: Path, tmp_path: Path
) -> Iterator[tuple[TestClient, str]]:
    db = f"sqlite:///{tmp_path / 'web.db'}"
    setup = SparkSetup(Cluster(master=spark_cluster.master, conf=CLUSTER_CONF), lake)
    app = create_app(db, key_file=tmp_path / "ledger.key", spark=setup)
    with TestClient(app, base_url="https://testserver") as client:
        yield client, db


def _wait(client: TestClient, auth: dict[str, str], job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/v1/spark/jobs/{job_id}", headers=auth).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} did not end")


def _send(client: TestClient, auth: dict[str, str], kind: str) -> dict[str, Any]:
    body = {"kind": kind, "dataset": "visits", "date": DAY.isoformat()}
    sent = client.post("/v1/spark/jobs", json=body, headers=auth)
    assert sent.status_code == 202, sent.text
    return _wait(client, auth, sent.json()["id"])


def test_scan_and_record_jobs_on_the_cluster(service: tuple[TestClient, str], lake: Path) -> None:
    client, db = service
    auth = {"Authorization": f"Bearer {api_token(db, 'pharma', 'ops@pharma.example')}"}

    scanned = _send(client, auth, "scan")
    assert scanned["status"] == "done", scanned["error"]
    local = scan_datasets([str(lake / "visits")], default_catalog(), as_of=DAY)
    # The job names files by their paths under the datasets directory, not the server's.
    local_json = local.model_dump(mode="json")
    assert local_json["sources"][0].startswith(f"{lake}/visits/region=")
    ours = [s.removeprefix(f"{lake}/") for s in local_json["sources"]]
    assert scanned["result"] == {
        **local_json,
        "sources": ours,
        "files": [{**f, "source": s} for f, s in zip(local_json["files"], ours, strict=True)],
    }
    sign_in(client, "ops@pharma.example")
    page = client.get(f"/spark/jobs/{scanned['id']}").text
    assert f'data-testid="distinct">{local.persons.distinct:,}<' in page
    assert str(lake) not in page

    recorded = _send(client, auth, "record")
    assert recorded["status"] == "done", recorded["error"]
    assert recorded["result"]["new"] is True
    assert recorded["result"]["persons"] == local.persons.distinct
    again = _send(client, auth, "record")
    assert again["status"] == "done" and again["result"]["new"] is False
    assert again["result"]["batch"] == recorded["result"]["batch"]
    page = client.get(f"/spark/jobs/{again['id']}").text
    assert 'data-new="no"' in page and 'href="/ledger/batches?year=' in page

    admin = {"Authorization": f"Bearer {api_token(db, 'pharma', 'a@pharma.example', 'admin')}"}
    trail = client.get("/v1/audit", headers=admin).json()["entries"]
    entries = [e for e in trail if e["action"] == "ledger.batch_recorded"]
    assert [e["actor"]["email"] for e in entries] == ["ops@pharma.example"]
    assert entries[0]["subject"] == recorded["result"]["batch"]
