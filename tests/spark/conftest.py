"""A real standalone Spark cluster for the Spark tests: one master and two workers (1 core and
1 GiB each) started on this machine for the whole test session, and a session on it.

Tests that use `spark_cluster` (directly or through `spark`) are marked `spark`. Ports are
picked free at start; everything the cluster writes (its logs, the executors' work directories
with their stdout and stderr) lives in one temporary directory, removed at the end."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyspark
import pytest
from pyspark.sql import SparkSession

from kuajing.spark.session import spark_session, wait_for_executors

SPARK_HOME = Path(pyspark.__file__).parent
WORKERS = 2
START_TIMEOUT = 120.0
# Executors small enough for two on a 2-core machine with the other suites running.
CLUSTER_CONF = {
    "spark.executor.memory": "768m",
    "spark.executor.cores": "1",
    "spark.cores.max": str(WORKERS),
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.task.maxFailures": "2",  # one retry (4 by default): failing tests end sooner
}


@dataclass(frozen=True)
class Cluster:
    master: str  # spark://127.0.0.1:PORT
    ui: str  # the master's web UI (its JSON status at /json/)
    root: Path  # logs of the master and workers, and the workers' work directories

    @property
    def worker_dirs(self) -> list[Path]:
        """Where each worker puts its executors' work directories (stdout, stderr, files)."""
        return [self.root / f"worker{i}" for i in range(WORKERS)]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "spark_cluster" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.spark)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def spark_cluster() -> Iterator[Cluster]:
    root = Path(tempfile.mkdtemp(prefix="kuajing-spark-"))
    env = _cluster_env(root)
    port, ui = free_port(), free_port()
    master = f"spark://127.0.0.1:{port}"
    daemons: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []
    try:
        daemons.append(
            _daemon(
                root / "master.log",
                env,
                "master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--webui-port",
                str(ui),
            )
        )
        for i in range(WORKERS):
            (root / f"worker{i}").mkdir()
            worker_env = {**env, "SPARK_WORKER_DIR": str(root / f"worker{i}")}
            daemons.append(
                _daemon(
                    root / f"worker{i}.log",
                    worker_env,
                    "worker.Worker",
                    master,
                    "--cores",
                    "1",
                    "--memory",
                    "1g",
                    "--host",
                    "127.0.0.1",
                    "--webui-port",
                    str(free_port()),
                )
            )
        _await_workers(f"http://127.0.0.1:{ui}", root, [d[0] for d in daemons])
        yield Cluster(master=master, ui=f"http://127.0.0.1:{ui}", root=root)
    finally:
        _stop(daemons)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def spark(spark_cluster: Cluster) -> Iterator[SparkSession]:
    """A session on the cluster with both executors registered (so a job spreads over both)."""
    with spark_session(master=spark_cluster.master, conf=CLUSTER_CONF) as session:
        wait_for_executors(session, WORKERS, 60)
        yield session


def _cluster_env(root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SPARK_HOME": str(SPARK_HOME),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_LOG_DIR": str(root),
        "PYSPARK_PYTHON": sys.executable,  # executors run this venv's Python, kuajing installed
        "PYTHONPATH": str(Path(__file__).parents[2]),  # and import the tests' own functions
        "SPARK_MASTER_OPTS": "-Dspark.deploy.recoveryMode=NONE",
        "SPARK_WORKER_OPTS": "-Dspark.worker.cleanup.enabled=false",
    }


@pytest.fixture(scope="module")
def spark_connect(spark_cluster: Cluster) -> Iterator[str]:
    """The address (sc://127.0.0.1:PORT) of a Spark Connect server whose jobs run on the
    cluster. Module-scoped: its executors hold the cluster's cores while it runs."""
    port = free_port()
    log = spark_cluster.root / f"connect-{port}.log"
    command = [
        str(SPARK_HOME / "bin" / "spark-submit"),
        "--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
        "--name", "kuajing tests' Spark Connect server",
        "--master", spark_cluster.master,
        *(a for key, value in CLUSTER_CONF.items() for a in ("--conf", f"{key}={value}")),
        "--conf", f"spark.connect.grpc.binding.port={port}",
        "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
        # Progress every 100 ms (2 s by default), so the tests' short jobs report some.
        "--conf", "spark.connect.progress.reportInterval=100ms",
    ]  # fmt: skip
    server = _spawn(log, _cluster_env(spark_cluster.root), command)
    try:
        _await_port(port, server[0], log)
        yield f"sc://127.0.0.1:{port}"
    finally:
        _stop([server])


def _await_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.5)
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
    pytest.fail(f"the Spark Connect server did not start:\n{tail}")


def _daemon(
    log: Path, env: dict[str, str], cls: str, *args: str
) -> tuple[subprocess.Popen[bytes], IO[bytes]]:
    command = [str(SPARK_HOME / "bin" / "spark-class"), f"org.apache.spark.deploy.{cls}", *args]
    return _spawn(log, env, command)


def _spawn(
    log: Path, env: dict[str, str], command: list[str]
) -> tuple[subprocess.Popen[bytes], IO[bytes]]:
    out = log.open("wb")
    process = subprocess.Popen(
        command,
        stdout=out,
        stderr=subprocess.STDOUT,
        env=env,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    return process, out


def _await_workers(ui: str, root: Path, processes: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            break
        if _alive_workers(ui) >= WORKERS:
            return
        time.sleep(0.5)
    pytest.fail(f"the Spark cluster did not start ({WORKERS} workers alive):\n{_tails(root)}")


def _alive_workers(ui: str) -> int:
    try:
        with urllib.request.urlopen(f"{ui}/json/", timeout=2) as answer:
            status = json.load(answer)
    except (OSError, ValueError):
        return 0
    return sum(1 for w in status.get("workers", []) if w.get("state") == "ALIVE")


def _tails(root: Path, lines: int = 15) -> str:
    return "\n".join(
        f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
        for log in sorted(root.glob("*.log"))
    )


def _stop(daemons: list[tuple[subprocess.Popen[bytes], IO[bytes]]]) -> None:
    """Each daemon's process group (spark-class's launcher and its JVM): SIGTERM, then SIGKILL."""
    for process, _ in reversed(daemons):
        _signal(process, signal.SIGTERM)
    for process, out in reversed(daemons):
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            _signal(process, signal.SIGKILL)
            process.wait()
        _signal(process, signal.SIGKILL)  # what the leader left behind: executors, Python workers
        out.close()


def _signal(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
