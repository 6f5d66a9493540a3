"""Benchmark of the REST API as `kuajing serve` runs it.

A fresh SQLite database and ledger key in a temporary folder, an organisation, a member and their
API token; then the real server (`kuajing serve`, uvicorn) in its own process, on a free port.
Two requests, each against the other in the same run (shared machines are noisy):
  - baseline `GET /v1/me`, which authenticates the token (a SHA-256 and a query) and assesses
    nothing: the server's floor;
  - `POST /v1/assess` of one clinical-trial transfer of 12,000 persons from Beijing: the token,
    the assessment, the decision logged (an insert and a commit), the JSON answer.
Two workloads (bench/http_load.py, a light client on keep-alive connections):
  - closed loop, for throughput: 32 connections sending back to back for 30 s, the two requests
    taking turns in 6 slices so that drift in the machine's load falls on both alike.
    Target: assess at least 0.8x the baseline's requests a second;
  - open loop, for latency: 100 requests a second for 30 s at fixed times whatever the answers,
    at most 32 in flight, each timed from when it was due. Target: assess p99 <= 50 ms.
A non-200 answer or a lost connection is an error; both targets need none. The closed loop also
prints the server's CPU time a request, all its threads, user and system (Linux's /proc): what
the ratio comes from when the server is bound by its CPU.

    .venv/bin/python bench/api.py [--clients 32] [--seconds 30] [--rate 100]   (--seconds 2: smoke)
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

import httpx

from http_load import Run, closed_loop, open_loop, request
from kuajing.accounts.store import Accounts

EXE = str(Path(sys.executable).parent / "kuajing")
PASSWORD = "correct horse battery"
REQUEST = {
    "date": "2026-03-01",
    "processor": {"name": "Bench Pharma", "zone": "beijing"},
    "transfers": [{"id": "t1", "scenario": "临床试验", "personal": 12000}],
}
TARGET_RATIO = 0.8  # closed loop: assess's requests a second against the baseline's
TARGET_P99_MS = 50.0  # open loop
SLICES = 6  # turns each request takes in the closed loop
START_S = 30.0  # for the server to answer


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


def _server_cpu(pid: int) -> float:
    """The server's CPU seconds so far, all its threads, user and system (Linux's /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _closed(
    port: int, pid: int, raws: dict[str, bytes], clients: int, seconds: float
) -> tuple[list[Run], list[float]]:
    """Each request's closed-loop run, the two taking turns slice by slice, and the server's
    CPU seconds spent on each."""
    runs = {name: Run() for name in raws}
    cpu = dict.fromkeys(raws, 0.0)
    for _ in range(SLICES):
        for name, raw in raws.items():
            before = _server_cpu(pid)
            part = closed_loop("127.0.0.1", port, raw, clients, seconds / SLICES)
            cpu[name] += _server_cpu(pid) - before
            run = runs[name]
            run.latencies += part.latencies
            run.errors += part.errors
            run.elapsed += part.elapsed
            run.first_error = run.first_error or part.first_error
    return list(runs.values()), list(cpu.values())


def _table(title: str, names: list[str], runs: list[Run]) -> None:
    print(title)
    head = f"{'workload':22} {'requests':>9} {'errors':>7} {'req/s':>8}"
    print(f"{head} {'p50':>7} {'p90':>7} {'p99':>7} {'max':>7}  (ms)")
    for name, run in zip(names, runs, strict=True):
        print(_row(name, run), flush=True)
        if run.first_error:
            print(f"  first error: {run.first_error}")


def _verdicts(closed: list[Run], opened: list[Run]) -> None:
    (base, assess), (_, late) = closed, opened
    ratio = (len(assess.latencies) / assess.elapsed) / (len(base.latencies) / base.elapsed)
    ok = ratio >= TARGET_RATIO and not base.errors + assess.errors
    print(
        f"throughput: assess {ratio:.2f}x the baseline, {assess.errors} errors: "
        f"target >= {TARGET_RATIO:g}x, no errors: {'PASS' if ok else 'FAIL'}"
    )
    p99 = _percentile(sorted(late.latencies), 99)
    floor = _percentile(sorted(opened[0].latencies), 99)
    ok = p99 <= TARGET_P99_MS and not late.errors
    print(
        f"open loop: assess p99 {p99:.1f} ms (the baseline's {floor:.1f} ms), {late.errors} "
        f"errors: target p99 <= {TARGET_P99_MS:g} ms, no errors: {'PASS' if ok else 'FAIL'}"
    )


def _measure(
    port: int, pid: int, token: str, args: argparse.Namespace
) -> tuple[list[Run], list[Run]]:
    host, auth = f"127.0.0.1:{port}", _auth(token)
    body = json.dumps(REQUEST, ensure_ascii=False).encode()
    json_auth = {**auth, "Content-Type": "application/json"}
    raws = {
        "baseline GET /v1/me": request("GET", "/v1/me", host, auth),
        "POST /v1/assess": request("POST", "/v1/assess", host, json_auth, body),
    }
    names = list(raws)
    closed, cpu = _closed(port, pid, raws, args.clients, args.seconds)
    _table(f"closed loop: {args.clients} connections, {args.seconds:g} s each", names, closed)
    per = [
        f"{name.split()[-1]} {s / len(r.latencies) * 1e6:,.0f} µs"
        for name, r, s in zip(names, closed, cpu, strict=True)
    ]
    print("server CPU a request (all threads, user + system): " + ", ".join(per))
    opened = [
        open_loop("127.0.0.1", port, raw, args.clients, args.rate, args.seconds)
        for raw in raws.values()
    ]
    title = f"open loop: {args.rate:g} requests/s for {args.seconds:g} s each, at most "
    _table(title + f"{args.clients} in flight, timed from when each was due", names, opened)
    return closed, opened


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32, help="connections")
    parser.add_argument("--seconds", type=float, default=30.0, help="of each workload")
    parser.add_argument("--rate", type=float, default=100.0, help="open loop, requests/s")
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
                print(f"`kuajing serve` (pid {server.pid}); {os.cpu_count()} CPUs")
                closed, opened = _measure(port, server.pid, token, args)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
    _verdicts(closed, opened)


if __name__ == "__main__":
    main()
