"""Recording through Spark stays all or nothing: `kuajing ledger record --engine spark` killed
while Spark counts, and killed while the persons stream into the ledger, leaves the ledger as it
was (verified, nothing counted); the recording run again to its end gives the local engine's
ledger. The command runs as users run it, its own Spark application on the standalone cluster
(so this module keeps no session of its own: the cluster's two cores are the command's)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kuajing.catalog.loader import default_catalog
from kuajing.ledger.ledger import Ledger
from kuajing.services.recording import record_file
from tests.spark.conftest import CLUSTER_CONF, Cluster
from tests.spark.lake import write_lake

pytestmark = pytest.mark.spark

DAY = dt.date(2026, 3, 2)
KUAJING = str(Path(sys.executable).with_name("kuajing"))


def _command(lake: Path, cluster: Cluster) -> list[str]:
    conf = [a for k, v in CLUSTER_CONF.items() for a in ("--spark-conf", f"{k}={v}")]
    return [
        KUAJING,
        "ledger",
        "record",
        "--processor",
        "P",
        "--date",
        DAY.isoformat(),
        "--file",
        str(lake),
        "--engine",
        "spark",
        "--spark-master",
        cluster.master,
        *conf,
        "--lang",
        "en",
    ]


def _killed_at(cmd: list[str], env: dict[str, str], stage: str, after: float) -> None:
    """Run `cmd` until its progress names `stage`, wait `after` seconds, kill it and its
    Spark driver (SIGKILL: no clean-up of any kind)."""
    proc = subprocess.Popen(
        cmd, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, start_new_session=True
    )
    assert proc.stderr is not None
    seen = []
    for raw in proc.stderr:
        line = raw.decode(errors="replace").strip()
        seen.append(line)
        if line.startswith(stage):
            time.sleep(after)
            break
    still_running = proc.poll() is None
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    assert still_running, f"it finished before it could be killed at {stage!r}: {seen[-5:]}"


def test_a_kill_at_any_point_leaves_the_ledger_exact(
    spark_cluster: Cluster, tmp_path: Path
) -> None:
    lake = tmp_path / "lake"
    write_lake(lake, 100_000, files=3)
    key = tmp_path / "ledger.key"
    key.write_text(os.urandom(32).hex())
    key.chmod(0o600)
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    env = {**os.environ, "KUAJING_DATABASE_URL": url, "KUAJING_KEY_FILE": str(key)}
    cmd = _command(lake, spark_cluster)
    for stage, after in (("Spark 3/5", 1.0), ("Spark 5/5", 0.3)):
        _killed_at(cmd, env, stage, after)
        with Ledger.open(url, key) as ledger:
            assert ledger.batches() == [], stage
            assert ledger.counts("P", 2026, DAY) == {}, stage
            assert ledger.verify().ok, stage
    done = subprocess.run(cmd, env=env, capture_output=True, check=False, timeout=600)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    local_url = f"sqlite:///{tmp_path / 'local.db'}"
    with Ledger.open(url, key) as ledger, Ledger.open(local_url, key) as local:
        record_file(local, default_catalog(), who=None, processor="P", date=DAY, path=lake)
        assert ledger.counts("P", 2026, DAY) == local.counts("P", 2026, DAY)
        assert [b.digest for b in ledger.batches()] == [b.digest for b in local.batches()]
        assert ledger.verify().ok
