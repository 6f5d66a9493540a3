"""Spark jobs from the pages and the API, without a real cluster (tests/spark/test_service_jobs
runs them on one): no word of Spark without a configured cluster; dataset names out of the
datasets directory refused before anything is queued; a job on a bad dataset, or on a cluster
that does not answer, failed with its one-line reason; another organisation's job not found;
jobs left running by a stopped service failed at start-up; no internal words on the pages."""

from __future__ import annotations

import datetime as dt
import re
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import polars as pl
import pytest
from fastapi.testclient import TestClient

from kuajing.accounts.store import Accounts
from kuajing.api.app import create_app
from kuajing.db.engine import open_engine
from kuajing.jobs.models import Job
from kuajing.jobs.store import JobStore
from kuajing.services.spark_queue import SparkSetup
from kuajing.spark.cluster import Cluster
from tests.tenants import api_token
from tests.web.support import add_user, form_csrf, sign_in
from tests.web.test_page_words import problems

TODAY = dt.date.today().isoformat()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port  # nothing listens on it once the probe is closed


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    root = tmp_path / "lake"
    (root / "trips").mkdir(parents=True)
    frame = pl.DataFrame({"sfzh": ["11010519491231002X", "110105196505047382"], "km": [3, 4]})
    frame.write_parquet(root / "trips" / "part-0.parquet")
    (root / "empty").mkdir()
    (tmp_path / "secret").mkdir()
    return root


@contextmanager
def _service(db: str, tmp: Path, lake: Path | None) -> Iterator[TestClient]:
    setup = None
    if lake is not None:
        setup = SparkSetup(Cluster(master=f"spark://127.0.0.1:{_closed_port()}"), lake)
    app = create_app(db, key_file=tmp / "ledger.key", spark=setup)
    with TestClient(app, base_url="https://testserver") as client:
        yield client


@pytest.fixture
def spark_client(web_db: str, tmp_path: Path, lake: Path) -> Iterator[TestClient]:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    with _service(web_db, tmp_path, lake) as client:
        yield client


def _send(client: TestClient, dataset: str, kind: str = "scan", **form: str) -> httpx.Response:
    csrf = form_csrf(client.get("/scan").text)
    data = {"csrf": csrf, "kind": kind, "dataset": dataset, "date": TODAY, **form}
    return client.post("/spark/jobs", data=data, follow_redirects=False)


def _finished(client: TestClient, job_id: str, timeout: float = 60) -> Job:
    store = client.app.state.spark_jobs.store  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Accounts.open(str(store.engine.url)) as accounts:
            who = accounts.principal_by_email("ops@pharma.example")
        job: Job = store.get(who, job_id)
        if not job.waiting:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not end")


def test_without_a_cluster_no_word_of_spark(client: TestClient, web_db: str) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    sign_in(client, "ops@pharma.example")
    assert "Spark" not in client.get("/scan").text
    assert client.get("/spark/jobs").status_code == 404
    token = api_token(web_db, "pharma", "api@pharma.example")
    answer = client.get("/v1/spark/jobs", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 404


def test_names_out_of_the_datasets_directory_are_refused(
    spark_client: TestClient, web_db: str, lake: Path
) -> None:
    sign_in(spark_client, "ops@pharma.example")
    page = spark_client.get("/scan")
    assert "Run on the Spark cluster" in page.text and 'data-testid="spark-form"' in page.text
    for name in ("../secret", "/etc", f"{lake.parent}/secret"):
        answer = _send(spark_client, name)
        assert answer.status_code == 422, name
        assert 'data-testid="spark-error"' in answer.text and "not sent" in answer.text
        assert f'value="{name}"' in answer.text  # the form as the user filled it
    token = api_token(web_db, "pharma", "api@pharma.example")
    auth = {"Authorization": f"Bearer {token}"}
    body = {"kind": "scan", "dataset": "../secret", "date": TODAY}
    answer = spark_client.post("/v1/spark/jobs", json=body, headers=auth)
    assert answer.status_code == 422 and answer.json()["error"]["field"] == "dataset"
    assert spark_client.get("/v1/spark/jobs", headers=auth).json() == []  # nothing queued


def test_a_bad_dataset_or_a_silent_cluster_fails_the_job_in_one_line(
    spark_client: TestClient, lake: Path
) -> None:
    sign_in(spark_client, "ops@pharma.example")
    sent = _send(spark_client, "empty", kind="record", sensitive="yes")
    assert sent.status_code == 303
    job_id = sent.headers["location"].rsplit("/", 1)[1]
    job = _finished(spark_client, job_id)
    assert job.status == "failed" and job.error is not None
    assert job.error.en == "empty: no data files (Parquet or CSV) in the directory"
    assert job.error.zh == "empty: 文件夹中没有数据文件（Parquet 或 CSV）"
    page = spark_client.get(f"/spark/jobs/{job_id}")
    assert 'data-status="failed"' in page.text and "no data files" in page.text
    assert 'http-equiv="refresh"' not in page.text  # finished: no more reloading
    assert str(lake) not in page.text

    sent = _send(spark_client, "trips")
    job = _finished(spark_client, sent.headers["location"].rsplit("/", 1)[1])
    assert job.status == "failed" and job.error is not None
    assert re.fullmatch(r"Spark cluster spark://127\.0\.0\.1:\d+ did not answer: .+", job.error.en)


def test_another_organisation_cannot_see_a_job(spark_client: TestClient, web_db: str) -> None:
    sign_in(spark_client, "ops@pharma.example")
    job_id = _send(spark_client, "empty").headers["location"].rsplit("/", 1)[1]
    assert spark_client.get(f"/spark/jobs/{job_id}").status_code == 200
    assert job_id in spark_client.get("/spark/jobs").text

    add_user(web_db, "bank", "ops@bank.example", "member")
    spark_client.cookies.clear()
    sign_in(spark_client, "ops@bank.example")
    assert spark_client.get(f"/spark/jobs/{job_id}").status_code == 404
    assert job_id not in spark_client.get("/spark/jobs").text
    token = api_token(web_db, "bank", "api@bank.example")
    auth = {"Authorization": f"Bearer {token}"}
    assert spark_client.get(f"/v1/spark/jobs/{job_id}", headers=auth).status_code == 404
    assert spark_client.get("/v1/spark/jobs", headers=auth).json() == []

    ours = api_token(web_db, "pharma", "api@pharma.example")
    mine = spark_client.get(f"/v1/spark/jobs/{job_id}", headers={"Authorization": f"Bearer {ours}"})
    assert mine.status_code == 200 and mine.json()["dataset"] == "empty"


def test_a_viewer_cannot_send_a_job(spark_client: TestClient, web_db: str) -> None:
    token = api_token(web_db, "pharma", "viewer@pharma.example", "viewer")
    body = {"kind": "scan", "dataset": "trips", "date": TODAY}
    auth = {"Authorization": f"Bearer {token}"}
    assert spark_client.post("/v1/spark/jobs", json=body, headers=auth).status_code == 403


def test_jobs_left_running_are_failed_at_start_up(web_db: str, tmp_path: Path, lake: Path) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    with Accounts.open(web_db) as accounts:
        who = accounts.principal_by_email("ops@pharma.example")
    store = JobStore(open_engine(web_db))
    job = store.create(who, "record", "trips", {"date": TODAY})
    assert store.claim() is not None  # running when the service stopped
    with _service(web_db, tmp_path, lake) as client:
        sign_in(client, "ops@pharma.example")
        page = client.get(f"/spark/jobs/{job.id}")
        assert 'data-status="failed"' in page.text
        assert "interrupted: the service stopped" in page.text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_internal_words_on_the_job_pages(
    spark_client: TestClient, lake: Path, lang: str
) -> None:
    sign_in(spark_client, "ops@pharma.example")
    spark_client.post(
        "/lang", data={"lang": lang, "csrf": form_csrf(spark_client.get("/account").text)}
    )
    job_id = _send(spark_client, "empty").headers["location"].rsplit("/", 1)[1]
    _finished(spark_client, job_id)
    waiting = _send(spark_client, "empty").headers["location"]
    for url in ("/scan", "/spark/jobs", f"/spark/jobs/{job_id}", waiting):
        html = spark_client.get(url).text
        assert problems(html, lang) == [], url
        assert str(lake) not in html
