"""``lock``, ``check`` and ``sync`` with their everyday arguments, run without click.

A first ``parity check`` in a CI job, or a ``parity lock`` that resolves,
imports click only to read ``-p DIR --offline``: a tenth of a check's time.
This parser accepts the options below in their usual spellings (``--opt
VALUE``, ``--opt=VALUE``); anything else (help, another option, a repeated
one, a positional argument) goes to click, which handles it.  Both paths
call the same functions (:func:`run_lock`, :func:`run_check`), and tests
compare their output.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

TYPE_CHECKING = False  # not typing's: these paths must stay cheap
if TYPE_CHECKING:
    from typing import Any

_LOCK_FLAGS = {
    "--offline": "offline",
    "--no-pylock": "no_pylock",
    "--json": "as_json",
    "-q": "quiet",
    "--quiet": "quiet",
    "--pre": "prerelease",
    "--dry-run": "dry_run",
}
_CHECK_FLAGS = {"--lock-only": "lock_only", "--deep": "deep", "--json": "as_json"}
_SYNC_FLAGS = {
    "--offline": "offline",
    "--recreate": "recreate",
    "--reinstall": "reinstall",
    "--no-install-project": "no_install_project",
    "--json": "as_json",
    "-q": "quiet",
    "--quiet": "quiet",
}
_PROJECT = {"-p": "project", "--project": "project"}
_CHECK_VALUED = {**_PROJECT, "-g": "group", "--group": "group", "--venv": "venv"}
_SYNC_VALUED = _CHECK_VALUED


def parse(
    argv: Sequence[str], flags: Mapping[str, str], valued: Mapping[str, str]
) -> dict[str, Any] | None:
    """The options, or None when click must handle the arguments."""
    options: dict[str, Any] = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in flags:
            if flags[arg] in options:
                return None
            options[flags[arg]] = True
            i += 1
            continue
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        key = valued.get(name)
        if key is None:
            return None
        if not eq:
            i += 1
            if i == len(argv):
                return None
            value = argv[i]
        if key in options or not value or value.startswith("-"):
            return None
        options[key] = value
        i += 1
    return options


def plain_run(args: Sequence[str]) -> bool:
    """Run ``lock``, ``check`` or ``sync`` if the arguments are plain; False for click."""
    if args[:1] == ["lock"]:
        options = parse(args[1:], _LOCK_FLAGS, _PROJECT)
        if options is None:
            return False
        run_lock(project=Path(options.pop("project", ".")), **options)
        return True
    if args[:1] == ["check"]:
        options = parse(args[1:], _CHECK_FLAGS, _CHECK_VALUED)
        if options is None:
            return False
        run_check(project=Path(options.pop("project", ".")), **options)
        return True
    if args[:1] == ["sync"]:
        options = parse(args[1:], _SYNC_FLAGS, _SYNC_VALUED)
        if options is None:
            return False
        run_sync(project=Path(options.pop("project", ".")), **options)
        return True
    return False


@contextlib.contextmanager
def spinner(message: str, *, quiet: bool) -> Iterator[None]:
    """A spinner on stderr while long work runs, when stderr is a terminal (not with -q)."""
    if quiet or not sys.stderr.isatty():
        yield
        return
    from parity.cli.resultcache import paused

    # A spinner is not part of what a command reports: a replay does not draw it.
    with paused(), _Spinner(sys.stderr, message):
        yield


class _Spinner:
    """One line on a terminal, ``<frame> <message>``, redrawn by a thread until the block ends.

    rich's status spinner cost 60 ms before ``parity lock`` could start uv (50 ms
    to import rich, 10 ms to start it), in every run at a terminal: half of
    parity's own time in a lock.  This draws the same frames with nothing to
    import.  The thread waits on an event between frames, so the block's end
    stops it at once, and the line and the cursor are restored as rich leaves them.
    It writes to the terminal's file descriptor, not through ``sys.stderr``: the
    stream parity wraps (redaction, the record of a run) is the main thread's.
    """

    INTERVAL = 0.08  # rich's "dots" spinner: 80 ms a frame
    FRAMES = "\u280b\u2819\u2839\u2838\u283c\u2834\u2826\u2827\u2807\u280f"
    ASCII_FRAMES = "|/-\\"

    def __init__(self, stream: Any, message: str) -> None:
        import threading

        self.stream = stream
        self.message = message
        self.encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            self.FRAMES.encode(self.encoding)
            self.frames = self.FRAMES
        except (UnicodeEncodeError, LookupError):
            self.encoding, self.frames = "ascii", self.ASCII_FRAMES
        try:
            self.fd: int | None = stream.fileno()
        except (AttributeError, OSError, ValueError):
            self.fd = None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._draw, name="parity-spinner", daemon=True)

    def __enter__(self) -> _Spinner:
        with contextlib.suppress(OSError, ValueError):  # what was written, before the line
            self.stream.flush()
        self._write("\x1b[?25l")  # the cursor hidden while the line is redrawn
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()
        self._write("\r\x1b[2K\x1b[?25h")  # the line erased, the cursor shown again

    def _draw(self) -> None:
        i = 0
        while True:
            self._write(f"\r{self.frames[i % len(self.frames)]} {self.message}")
            i += 1
            if self.done.wait(self.INTERVAL):
                return

    def _write(self, text: str) -> None:
        import os

        try:
            if self.fd is not None:
                os.write(self.fd, text.encode(self.encoding, "replace"))
            else:
                self.stream.write(text)
                self.stream.flush()
        except (OSError, ValueError):  # the terminal has gone: nothing to draw on
            pass


def run_lock(
    *,
    project: Path,
    spec_format: str | None = None,
    inputs: tuple[Path, ...] = (),
    groups: tuple[str, ...] = (),
    output_file: str | None = None,
    upgrade: bool = False,
    upgrade_packages: tuple[str, ...] = (),
    python_version: str | None = None,
    python_platform: str | None = None,
    index_url: str | None = None,
    extra_index_urls: tuple[str, ...] = (),
    offline: bool = False,
    prerelease: bool = False,
    no_pylock: bool = False,
    dry_run: bool = False,
    as_json: bool = False,
    quiet: bool = False,
) -> None:
    """``parity lock``, as the click command and the plain path both run it."""
    from parity.api import load_project, lock

    spec = load_project(project, format=spec_format)
    with spinner("Resolving...", quiet=quiet):
        outcome = lock(
            spec,
            upgrade=upgrade,
            upgrade_packages=upgrade_packages,
            python_version=python_version,
            python_platform=python_platform,
            offline=offline,
            prerelease=prerelease,
            pylock=not no_pylock,
            dry_run=dry_run,
            groups=groups,
            inputs=inputs,
            output_file=output_file,
            index_url=index_url,
            extra_index_urls=extra_index_urls,
        )
    # Imported once the lock is made (while uv resolves, by the locker): not before uv starts.
    from parity.report.lock_report import render_lock

    render_lock(outcome, as_json=as_json, dry_run=dry_run, quiet=quiet)
    if (
        not (as_json or quiet or dry_run)
        and not getattr(outcome, "changed_files", True)
        and getattr(outcome, "resolved", True)
    ):
        from parity.cli.resultcache import note_on_replay
        from parity.report.lock_report import UP_TO_DATE

        note_on_replay(UP_TO_DATE)


def run_check(
    *,
    project: Path,
    spec_format: str | None = None,
    group: str | None = None,
    venv: str | None = None,
    lock_only: bool = False,
    deep: bool = False,
    as_json: bool = False,
    markdown: bool = False,
) -> None:
    """``parity check``, as the click command and the plain path both run it; exits 0 or 1."""
    from parity.api import check, load_project
    from parity.report.check_report import render_check

    report = check(
        load_project(project, format=spec_format),
        group=group,
        venv=venv,
        environment=not lock_only,
        deep=deep,
    )
    if markdown:
        from parity.report.check_markdown import check_markdown

        sys.stdout.write(check_markdown(report, project=str(project)))
    else:
        render_check(report, as_json=as_json)
    sys.exit(0 if report.ok else 1)


def run_sync(
    *,
    project: Path,
    spec_format: str | None = None,
    group: str | None = None,
    venv: str | None = None,
    offline: bool = False,
    recreate: bool = False,
    reinstall: bool = False,
    extras: tuple[str, ...] = (),
    no_install_project: bool = False,
    as_json: bool = False,
    quiet: bool = False,
) -> None:
    """``parity sync``, as the click command and the plain path both run it."""
    from parity.api import load_project, sync

    spec = load_project(project, format=spec_format)
    with spinner("Installing...", quiet=quiet):
        outcome = sync(
            spec,
            group=group,
            venv=venv,
            offline=offline,
            recreate=recreate,
            reinstall=reinstall,
            extras=extras,
            install_project=not no_install_project,
        )
    if not quiet or as_json:
        from parity.report.sync_report import render_sync

        render_sync(outcome, as_json=as_json)
