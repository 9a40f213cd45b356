"""The ``parity`` command: argument parsing only.

Each subcommand lives in its own module and is imported only when it runs,
so ``parity --help`` loads neither uv, rich nor the TOML/YAML libraries.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from parity import __version__

# name -> (module, one-line help); modules are imported on first use.
COMMANDS: dict[str, tuple[str, str]] = {
    "lock": ("parity.cli.lock_cmd", "Resolve every group in one go and write the lockfiles."),
    "sync": ("parity.cli.sync_cmd", "Make an environment exactly match a group's lock."),
    "check": ("parity.cli.check_cmd", "CI gate: is the lock fresh and the environment in sync?"),
    "snapshot": ("parity.cli.snapshot_cmd", "Fingerprint an environment into a JSON file."),
    "diff": ("parity.cli.diff_cmd", "Explain how environments or locks differ, riskiest first."),
    "why": ("parity.cli.why_cmd", "Show why a package is installed: direct, or through which chain."),
    "verify": ("parity.cli.verify_cmd", "Rebuild from scratch and prove the result equals the lock."),
}


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


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="parity")
def cli() -> None:
    """parity: pinned, reproducible Python environments.

    Lock every group of a project in one resolution, sync environments to the
    lock with hash checks, and gate CI on a fresh lock and an environment
    that matches it.
    """


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI; turn a ParityError into a clear message and exit 2."""
    from parity.errors import ParityError

    try:
        cli.main(args=argv, prog_name="parity", standalone_mode=False)
    except ParityError as exc:
        _print_error(exc)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if exc.exit_code == 2 else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)


def _print_error(exc: Any) -> None:
    where = exc.location
    head = f"error: {where}: {exc.message}" if where else f"error: {exc.message}"
    click.echo(head, err=True)
    if exc.hint:
        click.echo(f"  hint: {exc.hint}", err=True)
