"""The application: `create_app(database_url)`; `kuajing serve` runs it."""

from __future__ import annotations

from fastapi import FastAPI

from kuajing import __version__
from kuajing.api import errors
from kuajing.api.routes import assess, decisions, me, scan
from kuajing.api.routes import catalog as catalog_routes
from kuajing.catalog import Catalog, default_catalog
from kuajing.services.accounts import open_accounts
from kuajing.services.uploads import MAX_UPLOAD


def create_app(
    database_url: str | None = None, catalog: Catalog | None = None, max_upload: int = MAX_UPLOAD
) -> FastAPI:
    app = FastAPI(
        title="kuajing 跨境",
        version=__version__,
        description="Which legal pathway a cross-border data export from China needs.",
    )
    app.state.accounts = open_accounts(database_url)
    app.state.catalog = catalog or default_catalog()
    app.state.max_upload = max_upload
    errors.install(app)
    for module in (assess, catalog_routes, decisions, me, scan):
        app.include_router(module.router)
    return app
