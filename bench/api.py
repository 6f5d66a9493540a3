"""Benchmark of the REST API as `kuajing serve` runs it.

A fresh SQLite database and ledger key in a temporary folder, an organisation, a member and their
API token; then the real server (`kuajing serve`, uvicorn) in its own process, on a free port.
Workload: 32 clients, each on its own keep-alive connection (one thread and `httpx.Client`
each), sending requests back to back for 30 s:
  - baseline, in the same run (shared machines are noisy): `GET /v1/me`, which authenticates the
    token (a SHA-256 and two queries) and assesses nothing: the server's floor;
  - `POST /v1/assess` of one clinical-trial transfer of 12,000 persons from Beijing: the token,
    the assessment, the decision logged (an insert and a commit), the JSON answer.
Every request's latency is measured; a non-200 answer or an exception is an error. Target:
p99 <= 50 ms for `POST /v1/assess` with no errors, on the 2-core reference machine.

    .venv/bin/python bench/api.py [--clients 32] [--seconds 30]      (--seconds 2: a smoke run)
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from kuajing.accounts.store import Accounts

EXE = str(Path(sys.executable).parent / "kuajing")
PASSWORD = "correct horse battery"
REQUEST = {
    "date": "2026-03-01",
    "processor": {"name": "Bench Pharma", "zone": "beijing"},
    "transfers": [{"id": "t1", "scenario": "临床试验", "personal": 12000}],
}
TARGET_P99_MS = 50.0
START_S = 30.0  # for the server to answer


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)  # seconds, of every request
    errors: int = 0
    elapsed: float = 0.0
    first_error: str = ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _account(url: str, key_file: Path) -> str:
    """A member of a new organisation, and their API token (the audit trail keyed as the
    server's ledger)."""
    with Accounts.open(url, key_file) as store:
        store.create_organisation("bench", "Bench Pharma Co., Ltd.", zone="beijing")
        store.create_user("bench", "member@bench.example", PASSWORD, role="member")
        who = store.authenticate("member@bench.example", PASSWORD)
        assert who is not None
        return store.create_token(who, "bench")[0]


def _wait_until_up(base: str, token: str, server: subprocess.Popen[bytes], log: IO[str]) -> None:
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            sys.exit(f"the server stopped (exit {server.returncode}):\n{log.read()}")
        try:
            if httpx.get(f"{base}/v1/me", headers=_auth(token), timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    sys.exit(f"the server did not answer within {START_S:.0f} s")


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _load(
    base: str, token: str, clients: int, seconds: float, send: Callable[[httpx.Client], Any]
) -> Run:
    """`clients` threads sending back to back until `seconds` have passed since they all began."""
    runs = [Run() for _ in range(clients)]
    deadline: list[float] = []  # set once every client is connected, as they are let go
    ready = threading.Barrier(
        clients + 1, action=lambda: deadline.append(time.perf_counter() + seconds)
    )

    def client(run: Run) -> None:
        with httpx.Client(base_url=base, headers=_auth(token), timeout=30) as http:
            try:
                send(http)  # opens the connection, which is then kept alive
            finally:
                ready.wait(timeout=START_S)
            while (start := time.perf_counter()) < deadline[0]:
                try:
                    answer = send(http)
                    ok = answer.status_code == 200
                    if not ok and not run.first_error:
                        run.first_error = f"{answer.status_code} {answer.text[:200]}"
                except httpx.HTTPError as exc:
                    ok = False
                    run.first_error = run.first_error or repr(exc)
                run.latencies.append(time.perf_counter() - start)
                run.errors += not ok

    threads = [threading.Thread(target=client, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    ready.wait(timeout=START_S)
    began = deadline[0] - seconds
    for thread in threads:
        thread.join()
    merged = Run(elapsed=time.perf_counter() - began)
    for run in runs:
        merged.latencies += run.latencies
        merged.errors += run.errors
        merged.first_error = merged.first_error or run.first_error
    return merged


def _percentile(ordered: list[float], p: float) -> float:
    """Nearest rank, in milliseconds."""
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return ordered[int(rank) - 1] * 1000


def _row(name: str, run: Run) -> str:
    ordered = sorted(run.latencies)
    rate = len(ordered) / run.elapsed if run.elapsed else 0.0
    ms = [_percentile(ordered, p) for p in (50, 90, 99, 100)]
    return f"{name:22} {len(ordered):9} {run.errors:7} {rate:8.1f} " + " ".join(
        f"{v:7.1f}" for v in ms
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30.0, help="of each workload")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kuajing-bench-api-") as folder:
        url = f"sqlite:///{Path(folder) / 'api.sqlite3'}"
        token = _account(url, Path(folder) / "ledger.key")
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        command = [EXE, "serve", "--host", "127.0.0.1", "--port", str(port)]
        command += ["--database", url, "--key-file", str(Path(folder) / "ledger.key")]
        # The server logs every request: to a file, as a pipe nobody reads would fill and stall it.
        with (Path(folder) / "server.log").open("w+", encoding="utf-8") as log:
            server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
            try:
                _wait_until_up(base, token, server, log)
                check = httpx.post(f"{base}/v1/assess", json=REQUEST, headers=_auth(token))
                if check.status_code != 200:
                    sys.exit(f"the request is refused: {check.status_code} {check.text}")
                print(
                    f"{args.clients} clients x {args.seconds:g} s each, keep-alive; "
                    f"`kuajing serve` (pid {server.pid}); {os.cpu_count()} CPUs"
                )
                head = f"{'workload':22} {'requests':>9} {'errors':>7} {'req/s':>8}"
                print(f"{head} {'p50':>7} {'p90':>7} {'p99':>7} {'max':>7}  (ms)")
                rows = [
                    ("baseline GET /v1/me", lambda http: http.get("/v1/me")),
                    ("POST /v1/assess", lambda http: http.post("/v1/assess", json=REQUEST)),
                ]
                results = []
                for name, send in rows:
                    run = _load(base, token, args.clients, args.seconds, send)
                    results.append(run)
                    print(_row(name, run), flush=True)
                    if run.first_error:
                        print(f"  first error: {run.first_error}")
            finally:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
    base_run, assess_run = results
    p99 = _percentile(sorted(assess_run.latencies), 99)
    floor = _percentile(sorted(base_run.latencies), 99)
    verdict = "PASS" if p99 <= TARGET_P99_MS and assess_run.errors == 0 else "FAIL"
    print(
        f"assess p99 {p99:.1f} ms ({p99 / floor:.1f}x the baseline's {floor:.1f} ms), "
        f"{assess_run.errors} errors: target p99 <= {TARGET_P99_MS:g} ms, no errors: {verdict}"
    )


if __name__ == "__main__":
    main()
