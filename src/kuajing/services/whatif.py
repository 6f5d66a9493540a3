"""The zone what-if for the CLI, the API and the pages: a request (from a file, a body, a logged
decision, or built from a register of flows) compared across zones (`kuajing.whatif`)."""

from __future__ import annotations

from kuajing.catalog import Catalog, default_catalog
from kuajing.catalog.base import Lang
from kuajing.engine import Request
from kuajing.errors import RequestError
from kuajing.filing.required import Route
from kuajing.services.assess import parse_request
from kuajing.whatif import WhatIf, what_if
from kuajing.yamlio import parse


def whatif_request(
    request: Request,
    catalog: Catalog | None = None,
    lang: Lang = "en",
    route: Route = "standard_contract",
) -> WhatIf:
    """Any validated request: one export, or a register's flows as its transfers."""
    return what_if(request, catalog or default_catalog(), lang=lang, route=route)


def whatif_text(
    text: str,
    name: str = "<request>",
    lang: Lang = "en",
    catalog: Catalog | None = None,
    route: Route = "standard_contract",
) -> WhatIf:
    """Request text as `kuajing assess` reads it, with the same one-line errors."""
    request = parse_request(text, name)
    try:
        return whatif_request(request, catalog, lang, route)
    except RequestError as exc:  # an unknown zone or scenario: point at its line
        exc.file = exc.file or name
        if exc.line is None and exc.loc:
            exc.line = parse(text, lambda m, ln: RequestError(m)).line_of(exc.loc)
        raise
