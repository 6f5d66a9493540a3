"""The command line's Spark options: refused combinations and an absent cluster are one line
and a non-zero exit, before any JVM starts (so these need no cluster)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.spark.conftest import free_port
from tests.spark.lake import write_lake

KUAJING = str(Path(sys.executable).with_name("kuajing"))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KUAJING, *args, "--lang", "en"], capture_output=True, text=True, check=False, timeout=120
    )


def _one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    return lines[0]


def test_spark_options_need_the_spark_engine(tmp_path: Path) -> None:
    line = _one_line(_run("scan", str(tmp_path), "--spark-master", "spark://127.0.0.1:7077"))
    assert "need --engine spark" in line


def test_an_absent_cluster_is_one_line(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    write_lake(lake, 100, files=1)
    master = f"spark://127.0.0.1:{free_port()}"
    scan = _one_line(_run("scan", str(lake), "--engine", "spark", "--spark-master", master))
    assert f"Spark cluster {master} did not answer" in scan
    key = tmp_path / "key"
    key.write_text("ab" * 32)
    key.chmod(0o600)
    env = {
        **os.environ,
        "KUAJING_DATABASE_URL": f"sqlite:///{tmp_path / 'l.db'}",
        "KUAJING_KEY_FILE": str(key),
    }
    record = _one_line(
        subprocess.run(
            [KUAJING, "ledger", "record", "--processor", "P", "--date", "2026-03-02",
             "--file", str(lake), "--engine", "spark", "--spark-master", master, "--lang", "en"],
            capture_output=True, text=True, check=False, timeout=120, env=env,
        )
    )  # fmt: skip
    assert f"Spark cluster {master} did not answer" in record


def test_a_setting_not_key_value(tmp_path: Path) -> None:
    line = _one_line(_run("scan", str(tmp_path), "--engine", "spark", "--spark-conf", "oops"))
    assert "--spark-conf" in line and "KEY=VALUE" in line


def test_one_dataset_at_a_time(tmp_path: Path) -> None:
    line = _one_line(_run("scan", str(tmp_path), str(tmp_path), "--engine", "spark"))
    assert "one dataset" in line


def test_a_csv_that_is_not_utf8_is_refused_for_spark(tmp_path: Path) -> None:
    folder = tmp_path / "gbk"
    folder.mkdir()
    (folder / "part-0.csv").write_bytes(
        "身份证号,姓名\n110101199001011237,王芳\n".encode("gb18030")
    )
    line = _one_line(_run("scan", str(folder), "--engine", "spark"))
    assert "not UTF-8" in line and "part-0.csv" in line
