"""Which reader a file needs, from its first bytes; a name that says otherwise is refused.

The readers are imported when a file needs them (`formats`), so that the command line starts
fast and a machine without an OCR engine still reads text PDFs, DOCX and HTML."""

from __future__ import annotations

import importlib
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kuajing.catalog.importers.formats import READERS, SUFFIXES
from kuajing.catalog.importers.model import Document, DocumentError, Format, Limits
from kuajing.zipcheck import MAX_MEMBERS, check_members

_NAMES: dict[str, str] = {
    **{found: reader.name for found, reader in READERS.items()},
    "zip": "a ZIP archive",
    "data": "binary data",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted Office files and the old .doc/.xls


def _zip_kind(path: Path) -> str:
    try:
        with path.open("rb") as fp:
            check_members(fp, MAX_MEMBERS, _refuse(path), "ZIP")  # before zipfile lists them
            with zipfile.ZipFile(fp) as archive:
                names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return "damaged"
    if "word/document.xml" in names:
        return "docx"
    return "xlsx" if "xl/workbook.xml" in names else "zip"


def _refuse(path: Path) -> Callable[[str], DocumentError]:
    return lambda message: DocumentError(message, file=path.name)


def _text_kind(head: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding).lower()
        except UnicodeDecodeError as exc:
            if exc.start > len(head) - 4:  # a character cut by the 4 KB window
                text = head[: exc.start].decode(encoding).lower()
            else:
                continue
        return "html" if any(tag in text for tag in ("<html", "<table", "<!doctype")) else "csv"
    return "data"


def detect(path: Path) -> str:
    """What the file is, from its content: a format, or "zip", "ole", "damaged", "data"."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        return "image"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if head.startswith(_OLE):
        return "ole"
    return _text_kind(head.removeprefix(b"\xef\xbb\xbf"))


def format_of(path: Path, limits: Limits) -> Format:
    """The file's format, checked against its name and the size limit (`DocumentError`)."""
    if not path.is_file():
        raise DocumentError("no such file", file=str(path))
    if path.stat().st_size > limits.max_bytes:
        raise DocumentError(
            f"too large: {path.stat().st_size:,} bytes; the limits are {limits.describe()}",
            file=path.name,
        )
    found, named = detect(path), SUFFIXES.get(path.suffix.lower())
    if found == "ole":
        raise DocumentError(
            "encrypted (password-protected) or an old .doc/.xls file: save it as .docx or .xlsx"
            " without a password and import that",
            file=path.name,
        )
    if found == "damaged":
        raise DocumentError("damaged: the ZIP container cannot be read", file=path.name)
    if found not in _NAMES or found in ("zip", "data"):
        raise DocumentError(f"not a list document: {_NAMES.get(found, found)}", file=path.name)
    if named is not None and named != found:
        raise DocumentError(
            f"named {path.suffix} but is {_NAMES[found]}: rename it or export it again",
            file=path.name,
        )
    return found  # type: ignore[return-value]


def read_document(path: Path, limits: Limits | None = None) -> Document:
    """The tables of a PDF (text or scanned), page image, DOCX or HTML file."""
    limits = limits or Limits()
    found = format_of(path, limits)
    if READERS[found].grids:
        raise DocumentError(f"{_NAMES[found]} is read as a table, not a document", file=path.name)
    reader: Any = READERS[found].load()
    if found == "pdf":
        ocr = importlib.import_module("kuajing.catalog.importers.ocr")
        document: Document = reader(path, limits, ocr=ocr.ocr_hook())
    else:
        document = reader(path, limits)
    return document
