"""The click command group behind ``parity``; subcommands load lazily."""

from __future__ import annotations

import importlib

import click

from parity.cli.commands import COMMANDS, DESCRIPTION
from parity.version import __version__


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(entry[0])
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, help_text) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    # \b keeps click from re-wrapping, so this equals the fast path's text.
    help=DESCRIPTION.replace("\n\n", "\n\n\b\n"),
    # A fixed width keeps this help identical to the fast path in cli/main.py.
    context_settings={
        "help_option_names": ["-h", "--help"],
        "terminal_width": 80,
        "max_content_width": 80,
    },
)
@click.version_option(__version__, "-V", "--version", prog_name="parity")
def cli() -> None:
    pass
