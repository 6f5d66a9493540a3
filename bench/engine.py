"""Benchmark of the pathway engine.

Two workloads, each timed against a baseline measured in the same run (shared machines are noisy):
  1. one request of 10,000 transfers;
  2. a stream of 10,000 single-transfer requests.
Baseline: validating the same requests (pydantic) without assessing them. Target: each workload
assessed in at most 1 s on the 2-core reference machine.

    make bench        or        .venv/bin/python bench/engine.py [--n 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
from typing import Any

from kuajing.catalog import default_catalog
from kuajing.engine import Request, assess
from measure import best_of

SCENARIOS = [None, None, "临床试验", "药物警戒", "汽车", "充电站服务", "人身险再保险", "船员管理"]
TARGET_S = 1.0


def _transfer(rng: random.Random, i: int) -> dict[str, Any]:
    return {
        "id": f"t{i}",
        "scenario": rng.choice(SCENARIOS),
        "personal": rng.choice([0, rng.randint(1, 200)]),
        "sensitive": rng.choice([0, 0, rng.randint(1, 50)]),
        "exemption": rng.choice([None] * 9 + ["contract"]),
        "fields": rng.choice([[], ["姓名", "保单号"], ["充电桩位置信息"]]),
    }


def _request(transfers: list[dict[str, Any]], zone: str) -> dict[str, Any]:
    return {
        "date": "2025-06-01",
        "processor": {"name": "Bench Co.", "zone": zone},
        "prior": {"personal": 5000, "sensitive": 10},
        "transfers": transfers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(20261121)
    catalog = default_catalog()  # loaded once per process, as in the CLI and the service
    big = _request([_transfer(rng, i) for i in range(args.n)], "beijing")
    stream = [
        _request([_transfer(rng, 0)], rng.choice(["beijing", "shanghai", "tianjin"]))
        for _ in range(args.n)
    ]

    def one_big(check: bool) -> None:
        req = Request.model_validate(big)
        if check:
            assess(req, catalog)

    def many_small(check: bool) -> None:
        for data in stream:
            req = Request.model_validate(data)
            if check:
                assess(req, catalog)

    rows = [
        (f"1 request x {args.n} transfers", lambda: one_big(False), lambda: one_big(True)),
        (f"{args.n} requests x 1 transfer", lambda: many_small(False), lambda: many_small(True)),
    ]
    head = f"{'workload':32} {'baseline (validate)':>20} {'assess':>10} {'ratio':>7}"
    print(f"{head} target <= {TARGET_S}s")
    for name, base, work in rows:
        b, w = best_of(base, args.repeat), best_of(work, args.repeat)
        verdict = "ok" if w <= TARGET_S else "SLOW"
        print(f"{name:32} {b:19.3f}s {w:9.3f}s {w / b:6.1f}x {verdict}")


if __name__ == "__main__":
    main()
