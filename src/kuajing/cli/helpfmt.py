"""Plain-text help that wraps like prose: click's wrapper splits words at their hyphens
("X-Forwarded-" / "Proto", "no-" / "explain") and cuts a group's listing short with "...".
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:  # typer vendors click as typer._click; older typers use click itself
    from typer._click.formatting import HelpFormatter
else:
    HelpFormatter = typer.Context.formatter_class


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """Each paragraph filled to `width`, never breaking a word; a "\\b" paragraph kept as is."""
    lines: list[str] = []
    for number, para in enumerate(inspect.cleandoc(text).split("\n\n")):
        if number:
            lines.append("")
        if para.startswith("\b\n"):
            lines += [indent + line for line in para.splitlines()[1:]]
            continue
        head = indent if number or first is None else first
        lines += textwrap.wrap(
            re.sub(r"\s*\n\s*", " ", para.strip()),  # keeps click's two spaces before [...]
            max(width, 20),
            initial_indent=head,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [head]
    return lines


class Formatter(HelpFormatter):
    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write("\n".join(wrap(text, self.width, indent)) + "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        first_col = min(max((len(r[0]) for r in rows), default=0), col_max) + col_spacing
        pad = " " * (self.current_indent + first_col)
        for term, text in rows:
            lead = " " * self.current_indent + term
            if not text:
                self.write(lead + "\n")
                continue
            if len(term) <= first_col - col_spacing:
                head = lead.ljust(len(pad))
            else:
                self.write(lead + "\n")
                head = pad
            width = max(self.width - first_col - 2, 10) + len(pad)
            self.write("\n".join(wrap(text, width, pad, head)) + "\n")


class HelpContext(typer.Context):
    formatter_class = Formatter


def first_paragraph(help_text: str | None) -> str:
    return " ".join(inspect.cleandoc(help_text or "").split("\n\n")[0].split())


def adopt(command: Any) -> None:
    """Give a command built by typer, and every sub-command, this help's wrapping and its whole
    first paragraph in a group's listing."""
    command.context_class = HelpContext
    for sub in getattr(command, "commands", {}).values():
        if not sub.short_help:
            sub.short_help = first_paragraph(sub.help)
        adopt(sub)
