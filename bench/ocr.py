"""Benchmark of the OCR engines that read scanned list tables, to choose the default.

Workload: the FICTIONAL two-page list of tests/documents/fictional.py printed and "scanned" by
tests/documents/make_scan.py (landscape A4, 0.7° skew, blur, grey uneven paper, noise,
specks) at 150, 200 and 300 dpi, three scans (seeds) each; every page is read by
`read_page_image` with each engine, all in this run (the machines are shared: only figures of
one run compare). Per engine and dpi:
- thresholds: character accuracy of the threshold phrases (100万人以上, 不满1000万人, ...)
  found in the read cells, and whether every cell's numbers (100万人, 1.5万人) came out exactly;
- text: character accuracy over all cell text (1 - edit distance / length);
- structure: the pages' rows, columns and merged cells as printed;
- s/page: wall time per page, grid finding included, the engine loaded beforehand.
The default engine is the one most accurate on the thresholds (means over the dpis), ties
broken by the accuracy on all text, then by time. An engine that is not installed is
skipped, saying so.

    .venv/bin/python bench/ocr.py [--dpi 150,200,300] [--engines rapidocr,tesseract]
                                  [--seeds 1,2,3] [--skew 0.7] [--noise 10]
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from kuajing.catalog.importers import ocr, ocr_engines

ROOT = Path(__file__).resolve().parents[1]


def load_scan() -> ModuleType:
    """tests/documents/make_scan.py, the page generator with ground truth the tests use."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module("tests.documents.make_scan")


@dataclass
class Result:
    engine: str
    dpi: int
    thresholds: float
    numbers: bool
    text: float
    structure: bool
    seconds: float  # per page


def measure(engine: ocr_engines.Engine, dpi: int, scan: ModuleType, hows: list[object]) -> Result:
    """The engine on both pages of every scan (one per seed), figures over all of them."""
    scores, spent, pages = [], 0.0, 0
    for how in hows:
        for number, (image, want) in enumerate(
            zip(scan.scanned_pages(dpi, how), scan.expected_pages(), strict=True), start=1
        ):
            began = time.perf_counter()
            tables = ocr.read_page_image(image, number, number, engine)
            spent += time.perf_counter() - began
            pages += 1
            rows = tables[0].rows if len(tables) == 1 else []
            scores.append(scan.score(want, [[cell.text for cell in row] for row in rows]))
    phrases = sum(s.phrases for s in scores) or 1
    return Result(
        engine.name,
        dpi,
        sum(s.thresholds * s.phrases for s in scores) / phrases,
        all(s.numbers for s in scores),
        sum(s.text for s in scores) / len(scores),
        all(s.structure for s in scores),
        spent / pages,
    )


def engines(names: list[str]) -> list[ocr_engines.Engine]:
    found = []
    for name in names:
        try:
            found.append(ocr_engines.ENGINES[name]())
        except ocr_engines.EngineMissing as exc:
            print(f"{name}: skipped, {exc}")
        except KeyError:
            print(f"{name}: skipped, unknown engine (known: {', '.join(ocr_engines.ENGINES)})")
    return found


def verdict(results: list[Result]) -> str:
    by_engine: dict[str, list[Result]] = {}
    for r in results:
        by_engine.setdefault(r.engine, []).append(r)

    def rank(name: str) -> tuple[float, float, float]:
        rs = by_engine[name]
        mean = sum(r.thresholds for r in rs) / len(rs)
        text = sum(r.text for r in rs) / len(rs)
        return (round(mean, 3), round(text, 3), -sum(r.seconds for r in rs))

    best = max(by_engine, key=rank)
    default = (
        "the default"
        if best == ocr_engines.DEFAULT_ENGINE
        else f"NOT the default ({ocr_engines.DEFAULT_ENGINE})"
    )
    figures = "; ".join(
        f"{name}: thresholds {rank(name)[0]:.1%}, text {rank(name)[1]:.1%},"
        f" {-rank(name)[2] / len(by_engine[name]):.2f} s/page"
        for name in sorted(by_engine, key=rank, reverse=True)
    )
    if len(by_engine) == 1:
        return f"verdict: none, only {best} was measured ({figures})"
    return f"verdict: {best} is best ({figures}), {default}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", default="150,200,300")
    parser.add_argument("--engines", default=",".join(ocr_engines.ENGINES))
    parser.add_argument("--skew", type=float, default=0.7)
    parser.add_argument("--noise", type=float, default=10.0)
    parser.add_argument("--seeds", default="1,2,3", help="one scan of the two pages per seed")
    args = parser.parse_args()
    scan = load_scan()
    hows = [scan.Scan(skew=args.skew, noise=args.noise, seed=int(s)) for s in args.seeds.split(",")]
    found = engines(args.engines.split(","))
    if not found:
        print("no OCR engine installed: nothing to compare")
        return
    print(f"{'engine':<11}{'dpi':>5}{'thresholds':>12}{'numbers':>9}{'text':>8}"
          f"{'structure':>11}{'s/page':>8}")  # fmt: skip
    results = []
    for dpi in (int(d) for d in args.dpi.split(",")):
        for engine in found:
            r = measure(engine, dpi, scan, hows)
            results.append(r)
            numbers, structure = "exact" if r.numbers else "WRONG", "ok" if r.structure else "WRONG"
            print(
                f"{r.engine:<11}{r.dpi:>5}{r.thresholds:>12.1%}{numbers:>9}{r.text:>8.1%}"
                f"{structure:>11}{r.seconds:>8.2f}"
            )
    print(verdict(results))


if __name__ == "__main__":
    main()
