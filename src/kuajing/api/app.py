"""The application: `create_app(database_url)`; `kuajing serve` runs it."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kuajing import __version__
from kuajing.api import errors
from kuajing.api.routes import assess, decisions, ledger, me, scan
from kuajing.api.routes import catalog as catalog_routes
from kuajing.catalog import Catalog, default_catalog
from kuajing.ledger.ledger import Ledger
from kuajing.services.accounts import open_accounts
from kuajing.services.uploads import MAX_UPLOAD


def create_app(
    database_url: str | None = None,
    catalog: Catalog | None = None,
    *,
    key_file: Path | None = None,
    max_upload: int = MAX_UPLOAD,
) -> FastAPI:
    """The API over the database at `database_url` (default: the ledger's), whose ledger hashes
    persons with the key in `key_file` (default: the ledger's key file)."""
    app = FastAPI(
        title="kuajing 跨境",
        version=__version__,
        description="Which legal pathway a cross-border data export from China needs.",
    )
    app.state.accounts = open_accounts(database_url)
    app.state.ledger = Ledger.open(database_url, key_file)
    app.state.catalog = catalog or default_catalog()
    app.state.max_upload = max_upload
    errors.install(app)
    for module in (assess, catalog_routes, decisions, ledger, me, scan):
        app.include_router(module.router)
    return app
