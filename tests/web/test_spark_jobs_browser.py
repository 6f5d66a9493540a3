"""A Spark job from the scan page in a real browser: the form sends it, its page reloads itself
while the job waits or runs, and stops reloading once the job has failed with its one-line
reason (here a cluster that does not answer: the page flow without the cost of a real cluster,
which tests/spark/test_service_jobs.py runs jobs on)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from playwright.sync_api import Page, expect

from kuajing.api.app import create_app
from kuajing.services.spark_queue import SparkSetup
from kuajing.spark.cluster import Cluster
from tests.web.support import add_user, served, sign_in_browser
from tests.web.test_spark_jobs_pages import _closed_port


@pytest.fixture
def spark_url(web_db: str, tmp_path: Path) -> Iterator[str]:
    lake = tmp_path / "lake"
    (lake / "trips").mkdir(parents=True)
    frame = pl.DataFrame({"sfzh": ["11010519491231002X"], "km": [3]})
    frame.write_parquet(lake / "trips" / "part-0.parquet")
    silent = Cluster(master=f"spark://127.0.0.1:{_closed_port()}")
    app = create_app(web_db, key_file=tmp_path / "ledger.key", spark=SparkSetup(silent, lake))
    with served(app) as url:
        yield url


def test_a_job_page_reloads_until_the_job_ends(page: Page, spark_url: str, web_db: str) -> None:
    add_user(web_db, "pharma", "ops@pharma.example", "member")
    sign_in_browser(page, spark_url, "ops@pharma.example")
    page.goto(f"{spark_url}/scan")
    page.get_by_label("Dataset or table").fill("trips")
    page.get_by_test_id("spark-scan").click()
    expect(page).to_have_url(re.compile(re.escape(spark_url) + r"/spark/jobs/[^/]+$"))
    status = page.get_by_test_id("job-status")
    expect(status).to_contain_text("this page refreshes itself")
    # The cluster is given 5 seconds to answer; the page reloads every 3 until it shows the end.
    expect(status).to_have_attribute("data-status", "failed", timeout=30_000)
    expect(page.get_by_test_id("job-error")).to_have_text(
        re.compile(r"Spark cluster spark://127\.0\.0\.1:\d+ did not answer: .+")
    )
    expect(status).not_to_contain_text("refreshes itself")
    page.get_by_role("link", name="Spark jobs").first.click()
    expect(page).to_have_url(f"{spark_url}/spark/jobs")
    expect(page.locator("main")).to_contain_text("trips")
