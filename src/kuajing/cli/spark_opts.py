"""The options that send `scan` and `ledger record` to Spark (`--engine spark`)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from kuajing.spark.cluster import Cluster


class Engine(StrEnum):
    local = "local"
    spark = "spark"


EngineOpt = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="local (this process) or spark (a Spark cluster; pip install 'kuajing[spark]').",
    ),
]
MasterOpt = Annotated[
    str | None,
    typer.Option(
        "--spark-master",
        metavar="URL",
        envvar="KUAJING_SPARK_MASTER",
        help="With --engine spark: spark://HOST:PORT, yarn, k8s://… (default: local[2]).",
    ),
]
RemoteOpt = Annotated[
    str | None,
    typer.Option(
        "--spark-remote",
        metavar="sc://HOST:PORT",
        envvar="KUAJING_SPARK_REMOTE",
        help="With --engine spark: a Spark Connect server instead of a master.",
    ),
]
ConfOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--spark-conf",
        metavar="KEY=VALUE",
        help="With --engine spark: a Spark setting (repeat), e.g. spark.executor.memory=4g.",
    ),
]


def cluster(
    engine: Engine, master: str | None, remote: str | None, conf: list[str] | None
) -> Cluster | None:
    """The cluster asked for, or None for the local engine (Spark options then refused)."""
    from kuajing.errors import RequestError
    from kuajing.spark.cluster import Cluster

    if engine == Engine.local:
        if master or remote or conf:
            raise RequestError(
                "--spark-master, --spark-remote and --spark-conf need --engine spark",
                zh="--spark-master、--spark-remote 与 --spark-conf 须与 --engine spark 同用",
                path="--engine",
            )
        return None
    settings = {}
    for item in conf or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise RequestError(
                f"not KEY=VALUE: {item!r}", zh=f"不是 KEY=VALUE 形式：{item!r}", path="--spark-conf"
            )
        settings[name.strip()] = value.strip()
    return Cluster(master=master, remote=remote, conf=settings)
