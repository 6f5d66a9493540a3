"""A newcomer's first commands: `make run` on another port, a taken port said at once, and a
`make demo` that scans and records the batch as the same scenario."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _make_n(*args: str) -> str:
    """What `make` would run, without running it."""
    run = subprocess.run(
        ["make", "-n", "-C", str(ROOT), *args], capture_output=True, text=True, check=True
    )
    return run.stdout


def test_make_run_takes_a_port() -> None:
    lines = [line for line in _make_n("run", "PORT=8080").splitlines() if "kuajing" in line]
    serve = [line for line in lines if " serve " in line]
    assert serve and "--port 8080" in serve[-1]
    # The sample is loaded by `serve` itself, after it has checked the port.
    assert "--sample examples" in serve[-1]
    assert not any(" sample " in line for line in lines if line not in serve)


def test_make_demo_scans_and_records_the_same_scenario() -> None:
    text = _make_n("demo").replace("\\\n", " ")
    scan = re.search(r"kuajing scan examples/trial-batch\.csv .*?--scenario (\S+)", text)
    record = re.search(r"kuajing ledger record .*?--file examples/trial-batch\.csv.*", text)
    assert scan and record
    recorded = re.search(r"--scenario (\S+)", record.group(0))
    assert recorded and scan.group(1) == recorded.group(1)


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def _serve(port: int, tmp_path: Path, lang_env: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("kuajing", path=str(Path(sys.executable).parent)) or "kuajing"
    env = {**os.environ, "LC_ALL": "", "LC_MESSAGES": "", "LANG": lang_env}
    db = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    args = ["serve", "--port", str(port), "--sample", str(EXAMPLES), "--database", db]
    args += ["--key-file", str(tmp_path / "ledger.key")]
    return subprocess.run(
        [exe, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_a_taken_port_is_one_line_before_anything_loads(taken_port: int, tmp_path: Path) -> None:
    run = _serve(taken_port, tmp_path, "C.UTF-8")
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1, run.stderr
    assert f"port {taken_port} on 127.0.0.1 is in use" in run.stderr
    assert "--port 8080" in run.stderr and "make run PORT=8080" in run.stderr
    assert "sample:" not in run.stdout
    assert not (tmp_path / "demo.sqlite3").exists()  # nothing loaded


def test_a_taken_port_in_chinese(taken_port: int, tmp_path: Path) -> None:
    run = _serve(taken_port, tmp_path, "zh_CN.UTF-8")
    assert run.returncode == 2
    assert run.stderr == (
        f"kuajing: 错误: 127.0.0.1 的端口 {taken_port} 已被其他程序占用："
        "请用 --port 8080 换一个端口（make run PORT=8080）\n"
    )
