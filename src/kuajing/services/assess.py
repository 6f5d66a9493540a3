"""Read a request (YAML or JSON), validate it, and assess it against the shipped catalogue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from kuajing.catalog import Catalog, default_catalog
from kuajing.catalog.base import Lang
from kuajing.engine import Decision, Request, assess
from kuajing.engine.request import Prior
from kuajing.errors import KuajingError, RequestError
from kuajing.services.field_errors import field_error_zh
from kuajing.services.scan_input import with_scans
from kuajing.yamlio import Document, format_path, parse


def read_file(path: Path) -> str:
    """A user's UTF-8 file; a missing or unreadable one is a one-line error."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KuajingError(f"{path}: no such file", zh=f"{path}: 文件不存在") from None
    except (OSError, UnicodeDecodeError) as exc:
        name = exc.__class__.__name__
        raise KuajingError(
            f"{path}: cannot read ({name})", zh=f"{path}: 无法读取（{name}）"
        ) from None


def parse_request(text: str, name: str = "<request>") -> Request:
    """Parse and validate request text; errors name the field and line."""
    return _parse(text, name)[0]


def _parse(text: str, name: str) -> tuple[Request, Document]:
    doc = parse(text, lambda msg, line: RequestError(msg, file=name, line=line))
    if not isinstance(doc.data, dict):
        raise RequestError(
            "a request is a mapping with 'processor' and 'transfers'",
            zh="请求应为包含 processor 和 transfers 的映射",
            file=name,
        )
    data = with_scans(doc.data, doc, name)
    try:
        return Request.model_validate(data), doc
    except ValidationError as exc:
        raise _first_error(exc, doc, name) from None


def _first_error(exc: ValidationError, doc: Document, name: str) -> RequestError:
    err = exc.errors()[0]
    loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        message = "is required"
    elif err["type"] == "extra_forbidden":
        message = "is not a known field"
    return RequestError(
        message,
        zh=field_error_zh(err["type"], err.get("ctx") or {}),
        file=name,
        line=doc.line_of(loc),
        path=format_path(loc) or "request",
    )


def assess_text(
    text: str,
    name: str = "<request>",
    lang: Lang = "en",
    explain: bool = False,
    catalog: Catalog | None = None,
    fill_prior: Callable[[Request], Prior] | None = None,
) -> Decision:
    """Assess request text. `fill_prior` supplies the prior counts (from the ledger)."""
    request, doc = _parse(text, name)
    try:
        if fill_prior is not None:
            request = request.model_copy(update={"prior": fill_prior(request)})
        return assess(request, catalog or default_catalog(), lang=lang, explain=explain)
    except RequestError as exc:
        exc.file = exc.file or name
        if exc.line is None and exc.loc:
            exc.line = doc.line_of(exc.loc)
        raise
