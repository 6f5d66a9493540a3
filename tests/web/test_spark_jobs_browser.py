"""A Spark job from the scan page in a real browser: the form sends it, its page reloads itself
while the job waits or runs, and stops reloading once the job has failed with its one-line
reason (here a cluster that does not answer: the page flow without the cost of a real cluster,
which tests/spark/test_service_jobs.py runs jobs on). The cluster's port refuses at once, so the
job is held at its first contact with the cluster until the page has been seen reloading: on a
loaded machine the job had failed before its page was first drawn."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from playwright.sync_api import Page, expect

from kuajing.api.app import create_app
from kuajing.services.spark_queue import SparkSetup
from kuajing.spark import session
from kuajing.spark.cluster import Cluster
from tests.web.support import add_user, served, sign_in_browser
from tests.web.test_spark_jobs_pages import _closed_port


class Hold(threading.Event):
    """Set it to let the job reach the cluster (and fail); `reached` lists the addresses tried."""

    def __init__(self) -> None:
        super().__init__()
        self.reached: list[str] = []


@pytest.fixture
def contact(monkeypatch: pytest.MonkeyPatch) -> Hold:
    hold = Hold()
    real = session._check_reachable

    def held(url: str) -> None:
        hold.wait(timeout=60)
        hold.reached.append(url)
        real(url)

    monkeypatch.setattr(session, "_check_reachable", held)
    return hold


@pytest.fixture
def spark_url(web_db: str, tmp_path: Path, contact: Hold) -> Iterator[str]:
    lake = tmp_path / "lake"
    (lake / "trips").mkdir(parents=True)
    frame = pl.DataFrame({"sfzh": ["11010519491231002X"], "km": [3]})
    frame.write_parquet(lake / "trips" / "part-0.parquet")
    silent = Cluster(master=f"spark://127.0.0.1:{_closed_port()}")
    app = create_app(web_db, key_file=tmp_path / "ledger.key", spark=SparkSetup(silent, lake))
    with served(app) as url:
        try:
            yield url
        finally:
            contact.set()  # a test that failed before letting the job go: the service can stop


def test_a_job_page_reloads_until_the_job_ends(
    page: Page, spark_url: str, web_db: str, contact: Hold
) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    sign_in_browser(page, spark_url, "ops@pharma.example")
    page.goto(f"{spark_url}/scan")
    page.get_by_label("Dataset or table").fill("trips")
    page.get_by_test_id("spark-scan").click()
    expect(page).to_have_url(re.compile(re.escape(spark_url) + r"/spark/jobs/[^/]+$"))
    status = page.get_by_test_id("job-status")
    expect(status).to_contain_text("this page refreshes itself")
    contact.set()
    # The cluster is given 5 seconds to answer; the page reloads every 3 until it shows the end.
    expect(status).to_have_attribute("data-status", "failed", timeout=30_000)
    expect(page.get_by_test_id("job-error")).to_have_text(
        re.compile(r"Spark cluster spark://127\.0\.0\.1:\d+ did not answer: .+")
    )
    expect(status).not_to_contain_text("refreshes itself")
    page.get_by_role("link", name="Spark jobs").first.click()
    expect(page).to_have_url(f"{spark_url}/spark/jobs")
    expect(page.locator("main")).to_contain_text("trips")
    assert len(contact.reached) == 1  # the job was held where it first meets the cluster
