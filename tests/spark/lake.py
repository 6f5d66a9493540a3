"""A generated data lake: a Hive-partitioned directory of Parquet (or CSV) files about persons
keyed by resident ID, written the ways real exports write them (full-width digits, a lower-case
check letter, blank keys), with sensitive values in some rows and minors among the persons.
Vectorised, so the benchmark's 50M rows are written in a bounded number of seconds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

REGIONS = (110101, 310104, 440305, 510107, 330106, 120101)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = np.array(list("10X98765432"))
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂")
DIAGNOSES = ["高血压", "2型糖尿病", "支气管哮喘", "慢性乙型病毒性肝炎"]
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class Lake:
    root: Path
    rows: int
    files: int


def resident_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """`n` valid resident IDs, born 1940-2022 (some are minors), as strings."""
    region = np.array(REGIONS, dtype=np.int64)[rng.integers(0, len(REGIONS), n)]
    born = rng.integers(
        np.datetime64("1940-01-01").astype(int), np.datetime64("2022-12-31").astype(int), n
    )
    days = born.astype("datetime64[D]")
    year = days.astype("datetime64[Y]").astype(int) + 1970
    month = days.astype("datetime64[M]").astype(int) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(int) + 1
    body = region * 10**11 + (year * 10_000 + month * 100 + day) * 1000 + rng.integers(0, 1000, n)
    total = sum((body // 10 ** (16 - i) % 10) * w for i, w in enumerate(WEIGHTS))
    return np.char.add(body.astype(str), CHECK[total % 11])


def write_lake(
    root: Path,
    rows: int,
    files: int = 4,
    persons: int | None = None,
    fmt: str = "parquet",
    blank: int = 0,
    seed: int = 11,
    row_group: int = 50_000,
) -> Lake:
    """`rows` rows about `persons` distinct persons (default: rows * 0.6) in `files` files
    under region=... directories; `blank` rows name nobody."""
    rng = np.random.default_rng(seed)
    pool = pl.Series(resident_ids(rng, persons or max(1, int(rows * 0.6)))).unique(
        maintain_order=True
    )
    per_file = -(-rows // files)
    for i in range(files):
        n = min(per_file, rows - i * per_file)
        if n <= 0:
            break
        frame = _frame(rng, pool, n, blank if i == files - 1 else 0)
        folder = root / f"region={'north' if i % 2 == 0 else 'south'}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"part-{i:05d}.{fmt}"
        if fmt == "parquet":
            frame.write_parquet(path, row_group_size=row_group)
        else:
            frame.write_csv(path)
    return Lake(root, rows, files)


def _frame(rng: np.random.Generator, pool: pl.Series, n: int, blank: int) -> pl.DataFrame:
    ids = pool.gather(rng.integers(0, len(pool), n))
    # The ways exports write the same ID: a lower-case check letter, full-width digits.
    lower = pl.Series(rng.random(n) < 0.5)
    ids = pl.select(pl.when(lower).then(ids.str.replace("X", "x")).otherwise(ids)).to_series()
    full = np.flatnonzero(rng.random(n) < 0.01)
    if len(full):
        ids = ids.scatter(full, [v.translate(_FULL) for v in ids.gather(full).to_list()])
    if blank:
        ids = ids.scatter(rng.choice(n, blank, replace=False), None)
    names = pl.Series([s + g for s in SURNAMES for g in GIVEN])
    sick = rng.random(n) < 0.3
    named = pl.Series(DIAGNOSES).gather(rng.integers(0, len(DIAGNOSES), n))
    diagnosis = pl.select(pl.when(pl.Series(sick)).then(named)).to_series()
    return pl.DataFrame(
        {
            "身份证号": ids,
            "姓名": names.gather(rng.integers(0, len(names), n)),
            "诊断": diagnosis,
            "金额": pl.Series(rng.integers(100, 1_000_000, n) / 100),
        }
    )
