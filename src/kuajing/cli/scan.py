"""`kuajing scan PATH…`: what a dataset holds, and how many persons it covers."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kuajing.cli.spark_opts import ConfOpt, Engine, EngineOpt, MasterOpt, RemoteOpt, cluster
from kuajing.cli.state import LangOpt, catalog, language

if TYPE_CHECKING:
    from kuajing.catalog import Catalog
    from kuajing.lang import Lang
    from kuajing.scan.models import ScanReport
    from kuajing.spark.cluster import Cluster


@contextmanager
def _kept_for_good() -> Iterator[None]:
    """No garbage collection while the scan's modules are imported, and everything loaded so far
    frozen: those objects live until the process exits, and walking them (some tens of
    milliseconds with pydantic and polars loaded) at each full collection, and once more at
    exit, would be all the collector did."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


class Fmt(StrEnum):
    text = "text"
    json = "json"


def scan_cmd(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...",
            help="Files (CSV, XLSX, Parquet, JSON Lines), a directory of Parquet or CSV files"
            " (one dataset), or a database URL.",
        ),
    ],
    fmt: Annotated[Fmt, typer.Option("--format", help="text or json.")] = Fmt.text,
    key: Annotated[
        list[str] | None,
        typer.Option(
            "--key",
            metavar="COLUMN",
            help="Column(s) naming each row's person (default: detected).",
        ),
    ] = None,
    sample: Annotated[
        int,
        typer.Option(
            "--sample", help="Rows of each file the detectors check (0: every row). Persons: all."
        ),
    ] = 10_000,
    table: Annotated[
        str | None, typer.Option("--table", help="Table to scan when PATH is a database URL.")
    ] = None,
    zone: Annotated[
        str | None, typer.Option("--zone", help="Match columns to this zone's list.")
    ] = None,
    scenario: Annotated[
        str | None, typer.Option("--scenario", help="The export's scenario (with --zone).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--date", help="Export date, for minors' ages (default: today).")
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Also write the JSON report to this file.")
    ] = None,
    engine: EngineOpt = Engine.local,
    spark_master: MasterOpt = None,
    spark_remote: RemoteOpt = None,
    spark_conf: ConfOpt = None,
    lang: LangOpt = None,
) -> None:
    """Scan datasets about to leave China: each column's kind, sensitivity and list entries, and
    the number of distinct persons."""
    with _kept_for_good():
        from kuajing.catalog.personal import default_personal_data
        from kuajing.errors import RequestError
        from kuajing.fileio import write_text_atomic
        from kuajing.services.scan import personal_data, scan_datasets

    chosen = language(lang)
    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise RequestError(
            f"not a date (YYYY-MM-DD): {as_of!r}",
            zh=f"不是日期（YYYY-MM-DD）：{as_of!r}",
            path="--date",
        ) from None
    cat = catalog() if zone else None  # without a zone only the personal-data rules are read
    on = cluster(engine, spark_master, spark_remote, spark_conf)
    if on is None:
        report = scan_datasets(
            paths,
            cat,
            keys=key or (),
            sample=sample,
            as_of=day,
            table=table,
            zone=zone,
            scenario=scenario,
        )
    else:
        report = _on_spark(paths, on, cat, key, sample, day, table, zone, scenario, chosen)
    text = report.model_dump_json(indent=2)
    if output:
        write_text_atomic(Path(output), text + "\n")
    if fmt == Fmt.json:
        typer.echo(text)
    else:
        from kuajing.cli.scan_render import render

        data = personal_data(cat) if cat else default_personal_data()
        typer.echo(render(report, data, chosen))


def _on_spark(
    paths: list[str],
    on: Cluster,
    cat: Catalog | None,
    key: list[str] | None,
    sample: int,
    day: dt.date | None,
    table: str | None,
    zone: str | None,
    scenario: str | None,
    lang: Lang,
) -> ScanReport:
    """One dataset, table or file on Spark: a name that is no file is a table of the catalog."""
    from kuajing.cli.spark_progress import shown
    from kuajing.errors import RequestError
    from kuajing.services.spark_jobs import scan_on_cluster

    if table is not None or len(paths) != 1:
        raise RequestError(
            "--engine spark scans one dataset: a directory, a Parquet or CSV file, or a table",
            zh="--engine spark 一次扫描一个数据集：文件夹、Parquet 或 CSV 文件，或一张表",
            path="PATH",
        )
    with shown(lang) as report:
        return scan_on_cluster(
            paths[0],
            on,
            cat,
            keys=key or (),
            sample=sample,
            as_of=day,
            zone=zone,
            scenario=scenario,
            report=report,
        )
