"""Strict YAML reading: safe constructors only, no duplicate keys, dates kept as strings,
and a map from every key path to its line so that validation errors can point at the source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]

_PLAIN_TAGS = {"map", "seq", "str", "int", "float", "bool", "null", "timestamp"}
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Document:
    """Parsed YAML data plus the 1-based line of every key path."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """Line of the deepest prefix of `path` that the document has."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


def parse(text: str, error: Callable[[str, int | None], Exception]) -> Document:
    """Parse `text`; syntax problems and duplicate keys are raised through `error(msg, line)`."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise error(f"YAML syntax error: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise error(f"YAML error: {exc}", None) from None
    doc = Document(data=None)
    if node is not None:
        scalars = yaml.SafeLoader("")
        doc.data = _build(node, (), doc.lines, scalars, error)
    return doc


def format_path(path: Path) -> str:
    """`("transfers", 0, "personal")` -> `transfers[0].personal`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _build(
    node: yaml.Node,
    path: Path,
    lines: dict[Path, int],
    scalars: yaml.SafeLoader,
    error: Callable[[str, int | None], Exception],
) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if node.tag.removeprefix("tag:yaml.org,2002:") not in _PLAIN_TAGS:
        raise error(f"unsupported YAML tag {node.tag!r}", _line(node))
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(key_node, path, {}, scalars, error)
            if not isinstance(key, str | int):
                raise error(
                    f"{format_path(path) or 'document'}: keys must be text", _line(key_node)
                )
            if key in out:
                where = format_path((*path, key))
                raise error(f"duplicate key {where!r}", _line(key_node))
            lines[(*path, key)] = _line(key_node)
            out[key] = _build(value_node, (*path, key), lines, scalars, error)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*path, i), lines, scalars, error) for i, item in enumerate(node.value)
        ]
    if node.tag.endswith(":timestamp"):  # dates stay text; the models parse them
        return node.value
    return scalars.construct_object(node, deep=True)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1
