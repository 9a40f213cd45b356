"""The ``parity`` command's entry point.

Subcommands live one per module and are imported only when they run, so
``parity --help`` loads neither uv, rich nor the TOML/YAML libraries.  click
itself costs ~50 ms to import, so the top-level ``--help`` and ``--version``
answer without it (the text is built from the same table click uses).
"""

from __future__ import annotations

import os
import sys

from parity.cli.commands import COMMANDS, DESCRIPTION
from parity.version import __version__

TYPE_CHECKING = False  # not typing's: importing it costs a third of Python's start-up
if TYPE_CHECKING:
    from typing import Any


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
    if argv[:2] == ["fleet", "push"]:
        # Every CI job pushes: plain arguments skip click's import (see fleet_push).
        from parity.cli.fleet_push import fast_push

        return _without_click(fast_push, argv[2:])
    if argv[:1] == ["snapshot"]:
        # Every machine snapshots itself: plain arguments skip click (see snapshot_fast).
        from parity.cli.snapshot_fast import fast_snapshot

        return _without_click(fast_snapshot, argv[1:])
    return False


def _without_click(run: Any, args: list[str]) -> bool:
    from parity.cli.redacting import redacted_output
    from parity.errors import ParityError

    with redacted_output():
        try:
            return bool(run(args))
        except ParityError as exc:
            _print_error(exc)
            sys.exit(exc.exit_code)


class Terminated(SystemExit):
    """SIGTERM, raised as an exception so that every ``finally`` runs on the way out.

    Python's default for SIGTERM ends the process on the spot: temp folders
    stay, and uv (in a session of its own) runs on.  As an exception it
    stops uv, removes work folders and leaves files as a ``with`` block
    leaves them.
    """

    def __init__(self) -> None:
        super().__init__(143)


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated()


def main(argv: list[str] | None = None, *, reuse: bool | None = None) -> None:
    """Run the CLI; turn a ParityError into a clear message and exit code 2.

    ``reuse`` lets ``check``, ``sync``, ``lock`` and ``--help`` answer from
    the record of an identical earlier run while nothing it read changed
    (see ``cli/resultcache.py``); by default only the real command line
    (``argv`` None) does.
    """
    # ``_signal``, not ``signal``: the module wraps numbers in enums, and importing
    # ``enum`` costs a fifth of Python's start-up.
    import _signal  # type: ignore[import-not-found,unused-ignore]

    from parity._startup import usual_interrupts

    usual_interrupts()
    try:
        previous = _signal.signal(_signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (parity embedded in a program)
        previous = None
    try:
        _main(argv, reuse=argv is None if reuse is None else reuse)
    except Terminated:
        sys.stderr.write("Terminated.\n")
        raise
    except KeyboardInterrupt:  # Ctrl-C, even while parity is still starting
        sys.stderr.write("Interrupted.\n")
        sys.exit(130)
    except SystemExit as exc:
        if argv is None:
            _exit_now(exc.code)
        raise
    finally:
        if previous is not None:
            _signal.signal(_signal.SIGTERM, previous)
    if argv is None:
        _exit_now(None)


def _exit_now(code: object) -> None:
    """End the ``parity`` process here, without the interpreter's teardown; or return.

    Once a command has finished, Python would still free every object and
    module one by one before the process ends: 30 to 60 ms after a lock, longer
    than parity's own work on the lock (everything parity writes is already
    written, flushed and renamed into place by then).  So the exit handlers run
    (logging's flush among them), the standard streams are flushed, and the
    process ends with the status it would have had.  Only for the real command
    line (a program that calls ``main(argv)`` keeps its interpreter), and only
    when nothing else could still need the teardown: another thread running, a
    status that is not a number, or a stream that cannot be flushed (a closed
    pipe) let Python end as usual, with its own message.
    """
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        return
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return
    import atexit

    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return  # Python reports it on the way out, as it always did
    os._exit(status & 0xFF)  # what the system keeps of sys.exit(status)


def _main(argv: list[str] | None, *, reuse: bool) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if _fast_path(args):
        return
    if reuse:
        from parity.cli import resultcache

        reuse = resultcache.wanted(args)
    if not reuse:
        _run_with_click(args)
        return
    code = resultcache.replay(args)
    if code is not None:
        if code:
            sys.exit(code)
        return
    with resultcache.Recording(args):
        _run_with_click(args)


def _run_with_click(args: list[str]) -> None:
    from parity.cli.redacting import redacted_output

    with redacted_output():
        if os.environ.get("PARITY_DEBUG"):
            _log_to_stderr()
        if args[:1] in (["lock"], ["check"], ["sync"]):
            # Everyday arguments need no click (see plain).
            from parity.cli.plain import plain_run
            from parity.errors import ParityError

            try:
                if plain_run(args):
                    return
            except ParityError as exc:
                _print_error(exc)
                sys.exit(exc.exit_code)
        from parity.cli.app import cli

        _run(cli, args)


def _run(cli: Any, args: list[str]) -> None:
    import click

    from parity.errors import ParityError

    try:
        cli.main(args=args, prog_name="parity", standalone_mode=False)
    except ParityError as exc:
        _print_error(exc)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        # Click's usage errors in parity's one error format.
        command = exc.ctx.command_path if exc.ctx is not None else "parity"
        sys.stderr.write(f"error: {exc.format_message()}\n")
        sys.stderr.write(f"  hint: Run `{command} --help` for its options.\n")
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)


def _log_to_stderr() -> None:
    """``PARITY_DEBUG=1``: the commands parity runs (uv, ...) and their timings on stderr."""
    import logging

    class CurrentStderr(logging.Handler):
        # Whatever sys.stderr is when a record comes: a second run in one process
        # (a test, an embedding program) must not write to the first one's stream.
        def emit(self, record: logging.LogRecord) -> None:
            sys.stderr.write(self.format(record) + "\n")

    logger = logging.getLogger("parity")
    if not any(getattr(h, "parity_debug", False) for h in logger.handlers):
        handler = CurrentStderr()
        handler.parity_debug = True  # type: ignore[attr-defined]
        handler.setFormatter(logging.Formatter("debug: %(message)s"))
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
