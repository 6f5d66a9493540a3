"""How `kuajing serve` runs the service under uvicorn."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI


def config(
    app: FastAPI,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    forwarded_allow_ips: str | None = None,
    log_level: str = "info",
) -> uvicorn.Config:
    """The server's settings. X-Forwarded-For and X-Forwarded-Proto are believed only from the
    proxies in `forwarded_allow_ips` (comma-separated addresses or networks), and by default
    from none: uvicorn's own default believes any process on the loopback, so a client there
    could pick a new address for every failed sign-in and never meet the per-address limit."""
    import uvicorn  # noqa: PLC0415 (the CLI's other commands do not need the server)

    trusted = (forwarded_allow_ips or "").strip()
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        lifespan="on",  # a service that cannot start stops, instead of serving half-made
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
    )
