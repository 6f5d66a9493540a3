"""`kuajing serve`: the REST API on the embedded default database, or the one given."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kuajing.cli.state import DatabaseOpt, KeyFileOpt


def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    database: DatabaseOpt = None,
    key_file: KeyFileOpt = None,
) -> None:
    """Serve the API (OpenAPI document at /openapi.json, interactive docs at /docs)."""
    import uvicorn

    from kuajing.api.app import create_app

    app = create_app(database, key_file=Path(key_file) if key_file else None)
    uvicorn.run(app, host=host, port=port, log_level="info")
