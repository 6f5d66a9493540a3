"""Benchmark of the Spark engine (`--engine spark`) against the local engine on a data lake.

For each size (default 1M, 10M and 50M rows) a Hive-partitioned Parquet lake about persons
keyed by resident ID (tests/spark/lake.py, one file per ~2M rows) is written to a temporary
directory, measured, and deleted before the next size; a size that would not fit on the disk
is skipped, saying so. In the same run, each in its own process (wall time and its own peak
memory, bench/measure.py):

- `kuajing ledger record --engine local` into a fresh SQLite ledger: the baseline;
- `kuajing ledger record --engine spark` (local[2]) into another fresh ledger. Its process is
  the Python driver; the driver JVM (which in local mode runs the executors too) has its heap
  bounded by spark.driver.memory, printed, and its peak resident memory polled from /proc;
- `kuajing ledger status --format json` on both ledgers: the same counts, yes or no;
- in this process, the driver's serial share: storing as many random keyed hashes as the
  batch has persons into a fresh ledger (`Ledger.record`), what no executor can take over;
- at the first size only, `kuajing scan --engine local|spark`: scan cost per million rows.

The machine (cores, load average at start and end) is printed, since it is shared.

    make bench     or     .venv/bin/python bench/spark.py [--rows 1000000,10000000]
                                                          [--driver-memory 2g]
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np
import pyspark

import kuajing
from kuajing.ledger.ledger import Ledger
from kuajing.ledger.models import BatchMeta
from kuajing.ledger.record import Members
from measure import run_child

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.spark.lake import write_lake  # noqa: E402

EXE = str(Path(sys.executable).parent / "kuajing")
DAY = "2026-03-02"
PROCESSOR = "Bench"
ROWS_PER_FILE = 2_000_000
# Free disk a size needs, per row: the lake (~13 B), Spark's spill of the persons' hashes and
# the two ledgers (each person's hash twice, with its index), with a wide margin.
DISK_PER_ROW = 200
# Splits of a fixed size (4 MiB), as in the runs whose figures the README gives. The Spark scan
# now fixes its own split count, so each pass places its rows whatever the size; this keeps the
# figures comparable from run to run.
SPLIT = "4m"
FLAT = 1.25  # the Spark driver's peak at the largest size within this factor of the smallest's
CHUNK = 1_000_000  # hashes per chunk, as the Spark driver receives them


@dataclass
class Run:
    seconds: float
    gib: float
    jvm_gib: float = 0.0


@dataclass
class Size:
    rows: int
    local: Run
    spark: Run
    persons: int
    serial_s: float
    same: bool


class JavaPeak:
    """The highest peak resident memory (VmHWM) of the `java` processes descended from this
    one, polled from /proc while a command runs: the Spark driver's JVM."""

    def __init__(self, every: float = 0.5) -> None:
        self.kib = 0
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> JavaPeak:
        self._thread.start()
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def gib(self) -> float:
        return self.kib / 2**20

    def _poll(self) -> None:
        while not self._stop.wait(self._every):
            for pid in _java_descendants(os.getpid()):
                self.kib = max(self.kib, _hwm_kib(pid))


def _java_descendants(root: int) -> Iterator[int]:
    children: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        name_end = stat.rindex(")")
        pid, ppid = int(entry.name), int(stat[name_end + 2 :].split()[1])
        names[pid] = stat[stat.index("(") + 1 : name_end]
        children.setdefault(ppid, []).append(pid)
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        if names.get(pid) == "java":
            yield pid


def _hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def machine(when: str) -> str:
    one, five, fifteen = os.getloadavg()
    return f"{when}: {os.cpu_count()} cores, load average {one:.2f} {five:.2f} {fifteen:.2f}"


def environment(tmp: Path, name: str, key: Path) -> dict[str, str]:
    return {
        **os.environ,
        "KUAJING_DATABASE_URL": f"sqlite:///{tmp / name}",
        "KUAJING_KEY_FILE": str(key),
        "SPARK_LOCAL_DIRS": str(tmp / "spark-local"),  # Spark's spill, deleted with the size
    }


def record(lake: Path, env: dict[str, str], engine: str, conf: list[str], out: Path) -> Run:
    cmd = [EXE, "ledger", "record", "--processor", PROCESSOR, "--date", DAY]
    cmd += ["--file", str(lake), "--engine", engine, "--format", "json", *conf]
    with JavaPeak() as java:
        seconds, gib = run_child(cmd, env=env, stdout=out)
    return Run(seconds, gib, java.gib)


def counts(env: dict[str, str], out: Path) -> dict[str, object]:
    cmd = [EXE, "ledger", "status", "--processor", PROCESSOR, "--as-of", DAY, "--format", "json"]
    run_child(cmd, env=env, stdout=out)
    status = json.loads(out.read_text())
    return {"national": status["national"], "scopes": status["scopes"]}


def serial_share(tmp: Path, key: Path, persons: int, rows: int) -> float:
    """Seconds to store `persons` keyed hashes, in byte order and in chunks as the Spark driver
    receives them, into a fresh ledger: the driver's part, which does not scale out."""
    rng = np.random.default_rng(5)
    table = rng.integers(0, 256, size=(persons, 16), dtype=np.uint8)
    words = table.view(">u8")
    table = table[np.lexsort((words[:, 1], words[:, 0]))]
    chunks = (table[i : i + CHUNK] for i in range(0, persons, CHUNK))
    meta = BatchMeta(
        processor=PROCESSOR,
        digest="0" * 64,
        date=dt.date.fromisoformat(DAY),
        sensitive=True,
        source="serial",
        format="parquet",
        key_columns=["身份证号"],
        rows=rows,
        persons=persons,
    )
    with Ledger.open(f"sqlite:///{tmp / 'serial.sqlite3'}", key) as ledger:
        start = time.perf_counter()
        ledger.record(meta, Members(chunks, rows=rows))
        return time.perf_counter() - start


def bench_scan(lake: Path, rows: int, env: dict[str, str], conf: list[str]) -> None:
    million = rows / 1e6
    print(f"  scan of the lake ({rows:,} rows), each in its own process:")
    for engine in ("local", "spark"):
        cmd = [EXE, "scan", str(lake), "--engine", engine, "--date", DAY, "--format", "json"]
        with JavaPeak() as java:
            seconds, gib = run_child(cmd + (conf if engine == "spark" else []), env=env)
        jvm = f"  JVM peak {java.gib:.2f} GiB" if engine == "spark" else ""
        print(
            f"    kuajing scan --engine {engine:5s} {seconds:7.2f} s  "
            f"{seconds / million:6.2f} s per M rows  peak {gib:.2f} GiB{jvm}"
        )


def fits(rows: int) -> bool:
    free = shutil.disk_usage(tempfile.gettempdir()).free
    need = rows * DISK_PER_ROW
    if free < need:
        print(
            f"{rows:,} rows: SKIPPED, {free / 2**30:.1f} GiB free in {tempfile.gettempdir()},"
            f" about {need / 2**30:.1f} GiB needed"
        )
    return free >= need


def bench_size(rows: int, conf: list[str], scan: bool) -> Size | None:
    if not fits(rows):
        return None
    with tempfile.TemporaryDirectory(prefix="kuajing-bench-spark-") as name:
        tmp = Path(name)
        key = tmp / "ledger.key"
        key.write_text(os.urandom(32).hex())
        key.chmod(0o600)
        lake = tmp / "lake"
        files = max(1, -(-rows // ROWS_PER_FILE))
        start = time.perf_counter()
        write_lake(lake, rows, files=files)
        written = time.perf_counter() - start
        mib = sum(p.stat().st_size for p in lake.rglob("*.parquet")) / 2**20
        print(
            f"{rows:,} rows: a lake of {files} Parquet files, {mib:,.0f} MiB"
            f" (written in {written:.0f} s)"
        )
        local_env = environment(tmp, "local.sqlite3", key)
        spark_env = environment(tmp, "spark.sqlite3", key)
        if scan:
            bench_scan(lake, rows, local_env, conf)
        local = record(lake, local_env, "local", [], tmp / "local.json")
        spark = record(lake, spark_env, "spark", conf, tmp / "spark.json")
        persons = json.loads((tmp / "local.json").read_text())["batch"]["persons"]
        same = counts(local_env, tmp / "a.json") == counts(spark_env, tmp / "b.json")
        serial = serial_share(tmp, key, persons, rows)
    result = Size(rows, local, spark, persons, serial, same)
    show_size(result)
    return result


def show_size(size: Size) -> None:
    million = size.rows / 1e6
    local, spark = size.local, size.spark
    print(f"  ledger record ({size.persons:,} distinct persons), each in its own process:")
    print(
        f"    baseline --engine local: {local.seconds:8.2f} s  "
        f"{local.seconds / million:6.2f} s per M rows  driver peak {local.gib:.2f} GiB"
    )
    print(
        f"    --engine spark local[2]: {spark.seconds:8.2f} s  "
        f"{spark.seconds / million:6.2f} s per M rows  driver peak {spark.gib:.2f} GiB (Python),"
        f" JVM peak {spark.jvm_gib:.2f} GiB  ratio Spark/local {spark.seconds / local.seconds:.2f}x"
    )
    print(
        f"    driver's serial share, {size.persons:,} keyed hashes into a fresh ledger: "
        f"{size.serial_s:.2f} s ({size.serial_s / (size.persons / 1e6):.2f} s per M persons)"
    )
    print(f"  same counts: {'yes' if size.same else 'no'}")


def summary(sizes: list[Size], driver_memory: str) -> None:
    print("summary: rows, local s, Spark s, ratio, driver peak GiB local / Spark (Python) / JVM")
    for s in sizes:
        print(
            f"  {s.rows:>12,}  {s.local.seconds:8.1f}  {s.spark.seconds:8.1f}"
            f"  {s.spark.seconds / s.local.seconds:5.2f}x"
            f"  {s.local.gib:.2f} / {s.spark.gib:.2f} / {s.spark.jvm_gib:.2f}"
        )
    print(
        f"  the driver JVM's heap is bounded by spark.driver.memory={driver_memory}"
        " (its resident memory adds Spark's off-heap and the JVM's own)"
    )
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        flat = last.spark.gib <= FLAT * first.spark.gib
        print(
            f"Spark driver's peak stayed flat: {'yes' if flat else 'no'}"
            f" ({last.rows:,} rows {last.spark.gib:.2f} GiB, {first.rows:,} rows"
            f" {first.spark.gib:.2f} GiB: {last.spark.gib / first.spark.gib:.2f}x,"
            f" flat means within {FLAT}x)"
        )
        print(
            "  (bounded by: the Python driver with pyspark, one chunk of hashes in flight, and"
            " the ledger connection's SQLite page cache)"
        )
    if not all(s.same for s in sizes):
        print("same counts: NO for some size")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000000,10000000,50000000")
    parser.add_argument("--driver-memory", default="2g", help="spark.driver.memory")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # each line as it comes
    sizes = sorted(int(n.replace("_", "")) for n in args.rows.split(","))
    conf = ["--spark-conf", f"spark.driver.memory={args.driver_memory}"]
    conf += ["--spark-conf", f"spark.sql.files.maxPartitionBytes={SPLIT}"]
    compileall.compile_dir(Path(kuajing.__file__).parent, quiet=1)  # as installing it does
    print(machine("machine at start"))
    print(
        f"Spark {pyspark.__version__}, master local[2],"
        f" spark.driver.memory={args.driver_memory} (bounds the driver JVM's heap),"
        f" spark.sql.files.maxPartitionBytes={SPLIT}"
    )
    done = [s for i, rows in enumerate(sizes) if (s := bench_size(rows, conf, i == 0))]
    summary(done, args.driver_memory)
    print(machine("machine at end"))


if __name__ == "__main__":
    main()
