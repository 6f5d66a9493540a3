"""Where the catalogue's importers live: one package, `catalog/importers/`, one module per format
(and modules for what the formats share), each small enough to read. A format registry maps a
file's suffix to its reader and an export's suffix to its writer, so that a next format is a
module and a registry line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kuajing
from kuajing.catalog.importers import formats

CATALOG = Path(kuajing.__file__).parent / "catalog"
IMPORTERS = CATALOG / "importers"
MAX_LINES = 400  # of a module
MAX_FUNCTION = 50  # lines of a function, its signature and docstring included: one screen


def test_the_old_modules_are_gone() -> None:
    assert not (CATALOG / "tabular.py").exists()
    assert not (CATALOG / "documents").exists()


def _modules() -> list[Path]:
    modules = sorted(IMPORTERS.glob("*.py"))
    assert len(modules) > 10, "catalog/importers/ holds a module per format and the shared ones"
    return modules


def test_every_importer_module_is_small() -> None:
    modules = _modules()
    long = {p.name: n for p in modules if (n := len(p.read_text().splitlines())) >= MAX_LINES}
    assert not long, f"modules of {MAX_LINES} lines or more: {long}"


def test_every_importer_function_fits_on_a_screen() -> None:
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION:
                    long[f"{path.name}:{node.name}"] = lines
    assert not long, f"functions over {MAX_FUNCTION} lines: {long}"


SUFFIXES = [
    ".csv", ".tsv", ".txt", ".xlsx", ".xlsm",  # tables
    ".pdf", ".png", ".jpg", ".jpeg", ".docx", ".html", ".htm",  # documents
]  # fmt: skip


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_every_supported_suffix_dispatches_to_a_reader_module(suffix: str) -> None:
    function = formats.READERS[formats.SUFFIXES[suffix]].load()
    assert callable(function)
    module = function.__module__
    assert module.startswith("kuajing.catalog.importers."), module
    assert (IMPORTERS / f"{module.rpartition('.')[2]}.py").is_file()


def test_every_format_has_a_reader_and_no_reader_is_unreachable() -> None:
    assert set(formats.SUFFIXES) == set(SUFFIXES)
    assert set(formats.SUFFIXES.values()) == set(formats.READERS)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_export_suffix_dispatches_to_a_writer_module(suffix: str) -> None:
    writer = formats.WRITERS[suffix].load()
    assert callable(writer)
    assert writer.__module__.startswith("kuajing.catalog.importers."), writer.__module__
