"""`kuajing serve`: the web application and its REST API on the embedded default database, or
the one given."""

from __future__ import annotations

import errno
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kuajing.cli.state import DatabaseOpt, KeyFileOpt
from kuajing.errors import KuajingError

if TYPE_CHECKING:
    from kuajing.services.spark_queue import SparkSetup


def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    database: DatabaseOpt = None,
    key_file: KeyFileOpt = None,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            help="Behind a reverse proxy: the proxies' addresses (comma-separated; networks "
            "such as 10.0.0.0/8 allowed) whose X-Forwarded-For and X-Forwarded-Proto headers "
            "are believed. Default: none, every client is who it connects from."
        ),
    ] = None,
    sample: Annotated[
        Path | None,
        typer.Option(help="Load the sample from this examples/ folder first (a demo database)."),
    ] = None,
    spark_master: Annotated[
        str | None,
        typer.Option(
            metavar="URL",
            envvar="KUAJING_SPARK_MASTER",
            help="A Spark cluster (spark://HOST:PORT, yarn, k8s://…) users may send scans "
            "and recordings of data-lake datasets to. Default: none, no Spark jobs.",
        ),
    ] = None,
    spark_remote: Annotated[
        str | None,
        typer.Option(
            metavar="sc://HOST:PORT",
            envvar="KUAJING_SPARK_REMOTE",
            help="A Spark Connect server instead of --spark-master.",
        ),
    ] = None,
    spark_conf: Annotated[
        list[str] | None,
        typer.Option(
            metavar="KEY=VALUE",
            help="A Spark setting for the jobs (repeat), e.g. spark.executor.memory=4g.",
        ),
    ] = None,
    spark_datasets: Annotated[
        Path | None,
        typer.Option(
            "--spark-datasets",
            metavar="DIR",
            envvar="KUAJING_SPARK_DATASETS",
            help="With a Spark cluster: the directory (shared with the cluster) under which "
            "users name the datasets of their Spark jobs; nothing outside it can be named.",
        ),
    ] = None,
) -> None:
    """Serve the web application and its API (pages at /, OpenAPI document at /openapi.json,
    interactive docs at /docs).

    With --spark-master or --spark-remote, users may send scans and recordings of data-lake
    datasets to that Spark cluster."""
    import uvicorn

    from kuajing.api.app import create_app
    from kuajing.api.serving import config

    port_free(host, port)  # before loading anything: the sample takes a while
    if sample is not None:
        sample_cmd(sample, database, key_file)
    spark = _spark(spark_master, spark_remote, spark_conf, spark_datasets)
    app = create_app(database, key_file=Path(key_file) if key_file else None, spark=spark)
    settings = config(app, host=host, port=port, forwarded_allow_ips=forwarded_allow_ips)
    uvicorn.Server(settings).run()


def _spark(
    master: str | None, remote: str | None, conf: list[str] | None, datasets: Path | None
) -> SparkSetup | None:
    """The Spark cluster the service sends jobs to; None: no cluster, no Spark jobs."""
    from kuajing.cli.spark_opts import Engine, cluster
    from kuajing.errors import RequestError
    from kuajing.services.spark_queue import SparkSetup

    if not (master or remote):
        if conf or datasets:
            raise RequestError(
                "--spark-conf and --spark-datasets need --spark-master or --spark-remote",
                zh="--spark-conf 与 --spark-datasets 须与 --spark-master 或 --spark-remote 同用",
                path="--spark-master",
            )
        return None
    if master and remote:
        raise RequestError(
            "give either --spark-master or --spark-remote, not both",
            zh="--spark-master 与 --spark-remote 只能给一个",
            path="--spark-remote",
        )
    if datasets is not None and not datasets.is_dir():
        raise RequestError(
            f"{datasets}: no such directory",
            zh=f"{datasets}：没有该文件夹",
            path="--spark-datasets",
        )
    found = cluster(Engine.spark, master, remote, conf)
    assert found is not None
    return SparkSetup(found, datasets)


def sample_cmd(
    examples: Annotated[
        Path, typer.Option(help="The repository's examples/ folder (sample dataset, request).")
    ] = Path("examples"),
    database: DatabaseOpt = None,
    key_file: KeyFileOpt = None,
) -> None:
    """Load the sample organisations, users, ledger batch and decision (for a demo database:
    the sample users' password is public)."""
    from kuajing.accounts.store import Accounts
    from kuajing.catalog import default_catalog
    from kuajing.db.engine import default_url
    from kuajing.ledger.ledger import Ledger
    from kuajing.services.sample import PASSWORD, USERS, load_sample

    url, key = database or default_url(), Path(key_file) if key_file else None
    with Accounts.open(url, key) as accounts, Ledger.open(url, key) as book:
        added = load_sample(accounts, book, default_catalog(), examples)
    for line in added or ["nothing: the sample is loaded already"]:
        typer.echo(f"sample: {line}")
    typer.echo(f"sign in as any of these, password {PASSWORD!r} (a demo only):")
    for u in USERS:
        typer.echo(f"  {u.email:<28} {u.role:<7} {u.organisation}")


def port_free(host: str, port: int) -> None:
    """Refuse at once, in one line, a port another program listens on (uvicorn would say so
    only in a traceback-like log, after the application has started)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror:
        return  # an unknown host: uvicorn says so
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                return
            other = 8080 if port != 8080 else 8081
            raise KuajingError(
                f"port {port} on {host} is in use by another program: choose another with "
                f"--port {other} (make run PORT={other})",
                zh=f"{host} 的端口 {port} 已被其他程序占用：请用 --port {other} 换一个端口"
                f"（make run PORT={other}）",
            ) from None
