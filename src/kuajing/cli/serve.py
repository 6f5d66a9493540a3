"""`kuajing serve`: the REST API on the embedded default database, or the one given."""

from __future__ import annotations

from typing import Annotated

import typer

from kuajing.cli.accounts import DatabaseOpt


def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    database: DatabaseOpt = None,
) -> None:
    """Serve the API (OpenAPI document at /openapi.json, interactive docs at /docs)."""
    import uvicorn

    from kuajing.api.app import create_app

    uvicorn.run(create_app(database), host=host, port=port, log_level="info")
