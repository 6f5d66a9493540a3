"""Where code lives: `services/` holds what the CLI, the API and the pages share; what shapes one
page (its view-model) lives with the pages in `web/views/`. So services never import the web,
not even inside a function or for type checking only."""

from __future__ import annotations

from pathlib import Path

import kuajing
from tests.unit.test_import_cycles import _write, import_graph

ROOT = Path(kuajing.__file__).parent


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def imports_of(graph: dict[str, set[str]], layer: str, banned: str) -> dict[str, list[str]]:
    """The modules of package `layer` that import any of package `banned`, with what."""
    out = {}
    for name, targets in sorted(graph.items()):
        hits = sorted(t for t in targets if _within(t, banned))
        if _within(name, layer) and hits:
            out[name] = hits
    return out


def test_no_page_view_model_is_left_in_services() -> None:
    found = sorted(p.name for p in (ROOT / "services").glob("*_pages.py"))
    assert found == [], f"page view-models belong in kuajing/web/views/: {found}"


def test_services_do_not_import_the_web() -> None:
    graph = import_graph(ROOT, type_checking=True)
    assert imports_of(graph, "kuajing.services", "kuajing.web") == {}


def test_every_service_has_a_caller_besides_the_pages() -> None:
    """A services module only the pages import shapes a page: it is a view-model."""
    graph = import_graph(ROOT, type_checking=True)
    callers: dict[str, set[str]] = {}
    for name, targets in graph.items():
        for t in targets:
            callers.setdefault(t, set()).add(name)
    pages_only = [
        m
        for m in sorted(graph)
        if m.startswith("kuajing.services.")
        and callers.get(m)
        and all(_within(c, "kuajing.web") for c in callers[m])
    ]
    assert pages_only == [], f"move these to kuajing/web/views/: {pages_only}"


def test_deferred_relative_and_type_checking_imports_of_the_web_are_caught(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/web/__init__.py": "",
            "pkg/web/views.py": "x = 1\n",
            "pkg/services/__init__.py": "",
            "pkg/services/a.py": "def f():\n    from pkg.web.views import x\n",
            "pkg/services/b.py": "from ..web import views\n",
            "pkg/services/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    import pkg.web\n",
            "pkg/services/d.py": "import pkg.webbing\n",  # a name that only starts alike
        },
    )
    graph = import_graph(root, type_checking=True)
    assert imports_of(graph, "pkg.services", "pkg.web") == {
        "pkg.services.a": ["pkg.web.views"],
        "pkg.services.b": ["pkg.web.views"],
        "pkg.services.c": ["pkg.web"],
    }
