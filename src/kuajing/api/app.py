"""The application: `create_app(database_url)`; `kuajing serve` runs it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from kuajing import __version__
from kuajing.api import docs, errors, routes
from kuajing.api.caching import NoStore
from kuajing.catalog import Catalog, default_catalog
from kuajing.ledger.ledger import Ledger
from kuajing.services import zone_editions
from kuajing.services.accounts import open_accounts
from kuajing.services.pending import close_pending
from kuajing.services.spark_queue import SparkJobs, SparkSetup
from kuajing.services.uploads import MAX_UPLOAD
from kuajing.web import app as web
from kuajing.web.errors import html_error


def create_app(
    database_url: str | None = None,
    catalog: Catalog | None = None,
    *,
    key_file: Path | None = None,
    max_upload: int = MAX_UPLOAD,
    signing_key_file: Path | None = None,
    spark: SparkSetup | None = None,
) -> FastAPI:
    """The API over the database at `database_url` (default: the ledger's), whose ledger hashes
    persons with the key in `key_file` (default: the ledger's key file) and whose evidence
    archives are signed with the key in `signing_key_file` (default: the usual place). With
    `spark`, users may send scans and recordings of data-lake datasets to that cluster."""
    accounts = open_accounts(database_url, key_file)  # the trail is keyed like the ledger
    book = Ledger.open(database_url, key_file)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if jobs is not None:
            jobs.start()  # after any jobs a stopped service left running are marked failed
        yield
        if jobs is not None:
            jobs.stop()
        accounts.close()  # their connections, when the server stops
        book.close()
        close_pending(app)  # uploads kept for review between scanning and recording

    app = FastAPI(
        title="kuajing 跨境",
        version=__version__,
        description="Which legal pathway a cross-border data export from China needs.",
        lifespan=lifespan,
        docs_url=None,  # served by `docs` from this site, not from a CDN
        redoc_url=None,
    )
    app.state.accounts = accounts
    app.state.ledger = book
    # The catalogue the service starts from, and the one it uses: that plus the list editions
    # zones have published (replaced when a zone publishes another; services.zone_editions).
    app.state.base_catalog = catalog or default_catalog()
    app.state.catalog = zone_editions.current(accounts, app.state.base_catalog)
    app.state.max_upload = max_upload
    app.state.signing_key_file = signing_key_file
    jobs = None
    if spark is not None:  # a Spark cluster: users may send it jobs
        jobs = SparkJobs(spark, accounts.engine, book, lambda: app.state.catalog)
    app.state.spark_jobs = jobs
    app.add_middleware(NoStore)
    errors.install(app, html_error)
    docs.install(app)
    for router in routes.ROUTERS:
        app.include_router(router)
    web.install(app)
    return app
