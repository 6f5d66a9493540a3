"""Mount the web application on the service's FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kuajing.web.errors import sign_in_first
from kuajing.web.routes import ROUTERS
from kuajing.web.session import SignInNeeded


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(packages=[("kuajing.web", "static")]), name="static")
    app.add_exception_handler(SignInNeeded, sign_in_first)
    for router in ROUTERS:
        app.include_router(router)
