"""`kuajing serve`: the web application and its REST API on the embedded default database, or
the one given."""

from __future__ import annotations

import errno
import socket
from pathlib import Path
from typing import Annotated

import typer

from kuajing.cli.state import DatabaseOpt, KeyFileOpt
from kuajing.errors import KuajingError


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
) -> None:
    """Serve the web application and its API (pages at /, OpenAPI document at /openapi.json,
    interactive docs at /docs)."""
    import uvicorn

    from kuajing.api.app import create_app
    from kuajing.api.serving import config

    port_free(host, port)  # before loading anything: the sample takes a while
    if sample is not None:
        sample_cmd(sample, database, key_file)
    app = create_app(database, key_file=Path(key_file) if key_file else None)
    settings = config(app, host=host, port=port, forwarded_allow_ips=forwarded_allow_ips)
    uvicorn.Server(settings).run()


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
