"""A Typer group that imports a sub-command's module only when that sub-command is used.

Building every sub-app's click commands is most of `kuajing --help`'s start-up, so the top
level lists its commands from a static table (name, where it lives, the first paragraph of its
help) and imports one only to run it or show its own help. tests/unit/test_cli_lazy.py checks
the table against the real commands, so the listing cannot drift from them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info, get_group_from_info

from kuajing.cli.helpfmt import HelpContext, adopt

if TYPE_CHECKING:  # typer vendors click as typer._click
    from typer._click import Command, Context, HelpFormatter


@dataclass(frozen=True)
class Lazy:
    """One top-level command: `target` is "module:attribute", a typer.Typer or a function."""

    name: str
    target: str
    help: str  # the first paragraph of its help, as the top-level listing shows it


class Placeholder(TyperCommand):
    """Stands in for a command not imported yet: what the help listing needs, nothing more."""

    def get_short_help_str(self, limit: int = 45) -> str:
        return " ".join((self.help or "").split())  # the whole paragraph: click would cut it


class LazyGroup(TyperGroup):
    """Subclass it with the table in `lazy`, and pass it as `typer.Typer(cls=...)`."""

    lazy: ClassVar[tuple[Lazy, ...]] = ()
    context_class = HelpContext  # help wrapped as prose (kuajing.cli.helpfmt)
    pretty_exceptions_short: ClassVar[bool] = True  # as typer.Typer's default

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        eager = dict(self.commands)  # any registered the usual way
        markup = self.rich_markup_mode
        self.commands = {e.name: Placeholder(e.name, help=e.help, rich_markup_mode=markup)
                         for e in self.lazy}  # fmt: skip
        self.commands.update(eager)
        self._targets = {e.name: e.target for e in self.lazy}
        self._listing = False

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        cmd = self.commands.get(cmd_name)
        if isinstance(cmd, Placeholder) and not self._listing:
            cmd = self.commands[cmd_name] = self._load(cmd_name)
            adopt(cmd)
        return cmd

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        self._listing = True  # list the placeholders: no imports
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def _load(self, name: str) -> Command:
        """Build the command exactly as `app.add_typer(sub, name=...)` or `app.command(...)`."""
        module, _, attribute = self._targets[name].partition(":")
        target = getattr(importlib.import_module(module), attribute)
        holder = typer.Typer()
        if isinstance(target, typer.Typer):
            holder.add_typer(target, name=name)
            return get_group_from_info(
                holder.registered_groups[0],
                pretty_exceptions_short=self.pretty_exceptions_short,
                suggest_commands=self.suggest_commands,
                rich_markup_mode=self.rich_markup_mode,
            )
        holder.command(name)(target)
        return get_command_from_info(
            holder.registered_commands[0],
            pretty_exceptions_short=self.pretty_exceptions_short,
            rich_markup_mode=self.rich_markup_mode,
        )
