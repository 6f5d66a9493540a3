"""Pages from Jinja2 templates (autoescaped), in the visitor's language, with the security
headers every page gets."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from kuajing import __version__
from kuajing.accounts.sessions import Session
from kuajing.catalog.base import Text
from kuajing.engine.countries import country_names
from kuajing.filing.models import Filing
from kuajing.filing.subject import subject_text
from kuajing.lang import Lang
from kuajing.web.i18n import phrases, t
from kuajing.web.session import lang_of
from kuajing.web.views import names
from kuajing.zone.store import ZoneStore

# Everything comes from this site: no inline scripts or styles, no frames, no other origins.
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",  # pages show an organisation's data: never cache them
}


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("kuajing.web", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,  # a misspelt variable fails the test, not the page silently
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = lambda n: f"{n:,}" if isinstance(n, int) else n
    env.filters["pretty"] = lambda v: json.dumps(v, ensure_ascii=False, indent=2, default=str)
    env.filters["country"] = country_names  # an ISO 3166-1 code's names, for text()
    return env


def page(
    request: Request,
    template: str,
    session: Session | None,
    *,
    status: int = 200,
    lang: Lang | None = None,
    **context: Any,
) -> HTMLResponse:
    chosen = lang or lang_of(request, session)

    def text(value: Text | dict[str, str] | str | None) -> str:
        """A bilingual value in the page's language."""
        if value is None:
            return ""
        if isinstance(value, Text):
            return value.zh if chosen == "zh" else value.en
        if isinstance(value, dict):
            return str(value.get(chosen) or value.get("en") or value.get("zh") or "")
        return value

    def named(sentence: str) -> str:
        """An engine's sentence with the lists it names by id named by their titles."""
        return names.named(sentence, request.app.state.catalog, chosen)

    def subject(filing: Filing) -> str:
        """A filing's subject in the page's language (see `filing.subject`)."""
        return text(subject_text(filing, request.app.state.catalog.procedures))

    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            session=session,
            who=session.principal if session else None,
            csrf=session.csrf if session else "",
            lang=chosen,
            t=lambda key, **values: t(key, chosen, **values),
            text=text,
            subject=subject,
            named=named,
            version=__version__,
            phrase_keys=phrases(),
            path=request.url.path,
            unread=ZoneStore(request.app.state.accounts.engine).unread(session.principal)
            if session
            else 0,
            **context,
        )
    )
    return HTMLResponse(html, status_code=status, headers=HEADERS)
