"""Collects the YAML decision cases in tests/cases as pytest items (`pytest -k` works on names)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.casefile import Case, load, run
from tests.databases import db_url, postgres_server  # noqa: F401  (fixtures for every test)
from tests.whatifcases import WhatIfFile

CASES = Path(__file__).parent / "cases"


@pytest.fixture(autouse=True)
def _signing_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Evidence archives made in a test are signed with a key of the test's own, never with one
    created in the user's data directory."""
    monkeypatch.setenv("KUAJING_SIGNING_KEY_FILE", str(tmp_path / "keys" / "signing.key"))


@pytest.fixture(autouse=True)
def _ledger_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The installation secret of a test's accounts (their audit trail) is the test's own, and
    the one most tests give their ledger and service, so the two agree as in an installation."""
    monkeypatch.setenv("KUAJING_KEY_FILE", str(tmp_path / "ledger.key"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow suites carry markers, so the fast ones can run alone while working:
    `pytest -m "not browser and not postgresql"`. `make test` runs everything."""
    for item in items:
        if item.path.name.endswith("_browser.py"):
            item.add_marker(pytest.mark.browser)
        if item.path.name.endswith("_ocr.py"):
            item.add_marker(pytest.mark.ocr)
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "postgresql" in params.values():
            item.add_marker(pytest.mark.postgresql)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and file_path.parent == CASES:
        if file_path.stem.startswith("whatif"):  # zone what-if cases (tests/whatifcases.py)
            return WhatIfFile.from_parent(parent, path=file_path)
        return CaseFileItem.from_parent(parent, path=file_path)
    return None


class CaseFileItem(pytest.File):
    def collect(self) -> Any:
        data = load(self.path)
        for case in data.cases:
            yield CaseItem.from_parent(self, name=case.name, case=case, base=data.base)


class CaseItem(pytest.Item):
    def __init__(self, *, case: Case, base: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.base = base

    def runtest(self) -> None:
        problems = run(self.case, self.base)
        if problems:
            raise CaseFailed(problems)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailed):
            lines = [f"case: {self.case.name}", f"basis: {self.case.basis}", *excinfo.value.args[0]]
            return "\n".join(lines)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"case: {self.name}"


class CaseFailed(Exception):
    pass
