"""The ``parity`` command's entry point.

Subcommands live one per module and are imported only when they run, so
``parity --help`` loads neither uv, rich nor the TOML/YAML libraries.  click
itself costs ~50 ms to import, so the top-level ``--help`` and ``--version``
answer without it (the text is built from the same table click uses).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from parity import __version__
from parity.cli.commands import COMMANDS, DESCRIPTION


def top_level_help() -> str:
    width = max(len(name) for name in COMMANDS) + 1
    rows = "\n".join(f"  {name:<{width}} {text}" for name, (_, text) in COMMANDS.items())
    description = "\n".join(f"  {line}" if line else "" for line in DESCRIPTION.splitlines())
    return (
        "Usage: parity [OPTIONS] COMMAND [ARGS]...\n\n"
        f"{description}\n\n"
        "Options:\n"
        "  -V, --version  Show the version and exit.\n"
        "  -h, --help     Show this message and exit.\n\n"
        f"Commands:\n{rows}\n"
    )


def _fast_path(argv: list[str]) -> bool:
    if argv in (["-h"], ["--help"]):
        sys.stdout.write(top_level_help())
        return True
    if argv in (["-V"], ["--version"]):
        sys.stdout.write(f"parity, version {__version__}\n")
        return True
    return False


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; turn a ParityError into a clear message and exit code 2."""
    args = sys.argv[1:] if argv is None else list(argv)
    if _fast_path(args):
        return
    if os.environ.get("PARITY_DEBUG"):
        _log_to_stderr()
    import click

    from parity.cli.app import cli
    from parity.errors import ParityError

    try:
        cli.main(args=args, prog_name="parity", standalone_mode=False)
    except ParityError as exc:
        _print_error(exc)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)


def _log_to_stderr() -> None:
    """``PARITY_DEBUG=1``: the commands parity runs (uv, ...) and their timings on stderr."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("debug: %(message)s"))
    logger = logging.getLogger("parity")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def _print_error(exc: Any) -> None:
    where = exc.location
    head = f"error: {where}: {exc.message}" if where else f"error: {exc.message}"
    sys.stderr.write(head + "\n")
    if exc.hint:
        sys.stderr.write(f"  hint: {exc.hint}\n")


def __getattr__(name: str) -> Any:
    # ``parity.cli.main.cli`` (the click group) for tests and embedding.
    if name == "cli":
        from parity.cli.app import cli

        return cli
    raise AttributeError(name)
