"""Benchmark of the zone what-if on a register-sized request.

One request of 200 transfers (a register of recurring exports: varied scenarios and volumes),
compared across every zone option. Baseline, measured in the same run (shared machines are
noisy): one `assess` of the same request. Target: the whole what-if in under 2 s on the 2-core
reference machine.

    make bench        or        .venv/bin/python bench/whatif.py [--n 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from typing import Any

from kuajing.catalog import default_catalog
from kuajing.engine import Request, assess
from kuajing.services.whatif import whatif_request

SCENARIOS = [
    None,
    "临床试验",
    "药物警戒",
    "汽车",
    "充电站服务",
    "人身险再保险",
    "船员管理",
    "跨境支付",
]
TARGET_S = 2.0


def _transfer(rng: random.Random, i: int) -> dict[str, Any]:
    return {
        "id": f"flow-{i}",
        "scenario": rng.choice(SCENARIOS),
        "personal": rng.choice([0, rng.randint(1, 2_000), rng.randint(10_000, 200_000)]),
        "sensitive": rng.choice([0, 0, rng.randint(1, 500), rng.randint(1_000, 20_000)]),
        "exemption": rng.choice([None] * 9 + ["contract"]),
        "recipient": {"country": rng.choice(["DE", "US", "SG", "GB", "JP"])},
    }


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(20260301)
    catalog = default_catalog()  # loaded once per process, as in the CLI and the service
    request = Request.model_validate(
        {
            "date": "2025-06-01",
            "processor": {"name": "Bench Co.", "zone": "shanghai"},
            "transfers": [_transfer(rng, i) for i in range(args.n)],
        }
    )
    base = _best(lambda: assess(request, catalog), args.repeat)
    work = _best(lambda: whatif_request(request, catalog), args.repeat)
    options = len(whatif_request(request, catalog).options)
    verdict = "ok" if work <= TARGET_S else "SLOW"
    head = f"{'workload':34} {'baseline (assess)':>18} {'what-if':>10} {'ratio':>7}"
    print(f"{head} target <= {TARGET_S}s")
    name = f"{args.n} transfers, {options} options"
    print(f"{name:34} {base:17.3f}s {work:9.3f}s {work / base:6.1f}x {verdict}")


if __name__ == "__main__":
    main()
