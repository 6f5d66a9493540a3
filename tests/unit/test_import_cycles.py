"""No import cycle among kuajing's modules. An import inside a function counts: deferring an
import to call time hides a cycle from Python's start-up, not from the design. Python never runs
imports under `if TYPE_CHECKING:`, but one that closes a cycle hides it from the type checker
only (a module needing a type from its own importer), so a second test counts those too."""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest

import kuajing

Graph = dict[str, set[str]]


def modules(root: Path) -> dict[str, Path]:
    """Every module of the package at `root` by dotted name (a package by its own name)."""
    out: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = (root.name, *path.relative_to(root).with_suffix("").parts)
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def import_graph(root: Path, type_checking: bool = False) -> Graph:
    """Which of the package's modules each of its modules imports (with `type_checking`, also
    under `if TYPE_CHECKING:`)."""
    known = modules(root)
    graph: Graph = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_bytes(), str(path))
        nodes = _imports(tree, type_checking)
        graph[name] = {t for node in nodes for t in _targets(node, package, known)}
    return graph


def _imports(tree: ast.AST, type_checking: bool) -> Iterator[ast.Import | ast.ImportFrom]:
    stack = [tree]
    while stack:
        node = stack.pop()
        if not type_checking and isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(node: ast.Import | ast.ImportFrom, package: str, known: dict[str, Path]) -> set[str]:
    """The package's modules one import statement loads: `from p import m` loads the module
    p.m when there is one, else p (m is a name defined in p)."""
    if isinstance(node, ast.Import):
        return {m for m in (_nearest(a.name, known) for a in node.names) if m}
    base = node.module or ""
    if node.level:
        up = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*up, base] if base else up)
    found = {_nearest(f"{base}.{a.name}" if base else a.name, known) for a in node.names}
    return {m for m in found if m}


def _nearest(name: str, known: dict[str, Path]) -> str | None:
    """`name` or the longest dotted prefix of it that is one of the package's modules."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def cycles(graph: Graph) -> list[list[str]]:
    """A shortest cycle through each module that is on one, each starting at its least name."""
    found: set[tuple[str, ...]] = set()
    for start in sorted(graph):
        path = _shortest_path(graph, start)
        if path:
            i = path.index(min(path))
            found.add(tuple(path[i:] + path[:i]))
    return [[*c, c[0]] for c in sorted(found)]


def _shortest_path(graph: Graph, start: str) -> list[str] | None:
    """The modules of a shortest import chain from `start` back to itself, `start` first."""
    came: dict[str, str] = {}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for there in sorted(graph.get(here, ())):
            if there == start:
                path = [here]
                while path[-1] != start:
                    path.append(came[path[-1]])
                return path[::-1]
            if there not in came:
                came[there] = here
                queue.append(there)
    return None


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root / "pkg"


@pytest.mark.parametrize("type_checking", [False, True], ids=["run_time", "type_checking"])
def test_kuajing_has_no_import_cycle(type_checking: bool) -> None:
    found = cycles(import_graph(Path(kuajing.__file__).parent, type_checking))
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_cycles_through_relative_and_deferred_imports_are_found(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from . import b\n",  # a submodule imported from its package
            "pkg/b.py": "def f():\n    from .sub.c import x\n",  # inside a function
            "pkg/sub/__init__.py": "",
            "pkg/sub/c.py": "import pkg.a\nx = 1\n",
        },
    )
    assert cycles(import_graph(root)) == [["pkg.a", "pkg.b", "pkg.sub.c", "pkg.a"]]


def test_type_checking_imports_and_package_names_are_told_apart(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.a import A\n",
            "pkg/a.py": "import typing\nif typing.TYPE_CHECKING:\n    from pkg.b import B\nA = 1\n",
            "pkg/b.py": "from . import A\nfrom os import path\n",
        },
    )
    graph = import_graph(root)
    assert graph == {"pkg": {"pkg.a"}, "pkg.a": set(), "pkg.b": {"pkg"}}
    assert cycles(graph) == []
    assert cycles(import_graph(root, type_checking=True)) == [["pkg", "pkg.a", "pkg.b", "pkg"]]
