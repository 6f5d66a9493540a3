"""Benchmark of the zone what-if on a register-sized request.

Two workloads: one request of 200 transfers (varied scenarios and volumes), and the test
suite's 200-flow register as an XLSX file (read through the register's import, its planned and
active flows made one request, then compared), each across every zone option. Baseline,
measured in the same run (shared machines are noisy): one `assess` of the same request.
Target: the whole what-if in under 2 s on the 2-core reference machine.

    make bench        or        .venv/bin/python bench/whatif.py [--n 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kuajing.catalog import Catalog, default_catalog
from kuajing.engine import Request, assess
from kuajing.register.models import IN_REQUEST
from kuajing.register.tabular import read_flows
from kuajing.services.whatif import whatif_request

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.register.fixture import write_register

from measure import best_of

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
    head = f"{'workload':46} {'baseline (assess)':>18} {'what-if':>10} {'ratio':>7}"
    print(f"{head} target <= {TARGET_S}s")
    _row(f"{args.n} transfers", request, catalog, args.repeat, lambda: request)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_register(Path(tmp))
        day = dt.date(2026, 3, 1)

        def from_file() -> Request:  # what the register's what-if does, from its XLSX file
            flows = [f for f in read_flows(path) if f.status in IN_REQUEST]
            processor = {"name": "Example Pharma (Beijing) Co., Ltd.", "zone": "beijing"}
            return Request(
                date=day, processor=processor, transfers=[f.transfer(2026) for f in flows]
            )

        _row("200-flow register (XLSX + what-if)", from_file(), catalog, args.repeat, from_file)


def _row(
    name: str, request: Request, catalog: Catalog, repeat: int, make: Callable[[], Request]
) -> None:
    base = best_of(lambda: assess(request, catalog), repeat)
    work = best_of(lambda: whatif_request(make(), catalog), repeat)
    options = len(whatif_request(request, catalog).options)
    verdict = "ok" if work <= TARGET_S else "SLOW"
    label = f"{name}, {options} options"
    print(f"{label:46} {base:17.3f}s {work:9.3f}s {work / base:6.1f}x {verdict}")


if __name__ == "__main__":
    main()
