"""Reuse what ``check``, ``sync``, ``lock`` or a ``--help`` printed while nothing it read changed.

The first run of a command records every fact it observed on disk (each
file it read, by its bytes; each folder it listed; each status field it
looked at; see :mod:`parity.fswatch`) and what it printed.  The next run
of the *same command* (same arguments, folder, environment variables,
terminal, Python, parity and installed packages, same day) checks those
facts again; when all still hold, it prints the recorded output and exits
with the recorded status, in the time it takes to start Python.

What is never reused: a run that wrote anything outside parity's own
scratch folders, ran a program (``lock`` may run uv: then uv itself and
its configuration files are facts too), used the network, was
interrupted, or ran on an interpreter where tracking cannot be proven
(Python 3.10).  ``PARITY_NO_CACHE=1`` turns reuse off; the records live in
``$PARITY_CACHE_DIR`` (default ``$XDG_CACHE_HOME/parity`` or
``~/.cache/parity``), under ``results/``.

Checking a record needs only the standard library: this module imports
nothing from parity until a record is missing or stale.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not typing's: this module runs before anything else is imported
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import Any

    from parity.fswatch.recorder import Recorder

SCHEMA = "parity/result@1"
COMMANDS = frozenset({"check", "sync", "lock"})
DISABLE = "PARITY_NO_CACHE"
MAX_RECORDS = 400
# Lock options that always resolve: their result is never reused.
_ALWAYS_RESOLVE = frozenset({"-U", "--upgrade", "-P", "--upgrade-package", "--dry-run"})
# Variables that differ between two shells of one user and change nothing parity does.
_SESSION_VARIABLES = frozenset(
    {
        "_",
        "OLDPWD",
        "PWD",
        "SHLVL",
        "PS1",
        "PS2",
        "PROMPT_COMMAND",
        "TERM_SESSION_ID",
        "SSH_CLIENT",
        "SSH_CONNECTION",
        "SSH_TTY",
        "SSH_AUTH_SOCK",
        "WINDOWID",
        "DISPLAY",
        "XAUTHORITY",
        "DBUS_SESSION_BUS_ADDRESS",
        "HISTFILE",
        "HISTSIZE",
        "HISTFILESIZE",
        "LS_COLORS",
        "LESSOPEN",
        "LESSCLOSE",
        "MAIL",
        "TMUX_PANE",
        "STY",
        "WT_SESSION",
        "KITTY_WINDOW_ID",
    }
)


def wanted(args: Sequence[str]) -> bool:
    """Whether this command line may be answered from (and recorded into) a record."""
    if os.environ.get(DISABLE, "") not in ("", "0") or not (3, 11) <= sys.version_info[:2] <= (
        3,
        12,
    ):
        return False
    if not args:
        return False
    if "-h" in args or "--help" in args:
        return True
    if args[0] not in COMMANDS:
        return False
    return not (args[0] == "lock" and any(a.split("=", 1)[0] in _ALWAYS_RESOLVE for a in args))


def cache_root() -> str:
    """``parity.fsutil.cache_root``, with ``os`` alone (pathlib costs a fifth of a replay)."""
    explicit = os.environ.get("PARITY_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "parity")


def _records_dir() -> str | None:
    """The folder of records, created private; None when it cannot be trusted."""
    folder = os.path.join(cache_root(), "results")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        st = os.lstat(folder)
    except OSError:
        return None
    import stat

    if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        return None
    if st.st_mode & 0o077:
        return None  # another user could plant a record
    return folder


def _code_identity() -> tuple[Any, ...]:
    """Every file of the parity package (size and mtime), and the dependencies' folders."""
    import parity

    base = os.path.dirname(parity.__file__)
    files: list[tuple[str, int, int]] = []
    pending = [base]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for item in entries:
            if item.name == "__pycache__":
                continue
            if item.is_dir(follow_symlinks=False):
                pending.append(item.path)
            else:
                st = item.stat()
                files.append((item.path[len(base) :], st.st_size, st.st_mtime_ns))
    files.sort()
    # Installing or removing a package changes its site-packages folder.
    folders = []
    for path_entry in sys.path:
        try:
            folders.append((path_entry, os.stat(path_entry or ".").st_mtime_ns))
        except OSError:
            folders.append((path_entry, -1))
    return tuple(files), tuple(folders)


def _terminal(fd: int) -> tuple[Any, ...]:
    try:
        if not os.isatty(fd):
            return (False,)
        size = os.get_terminal_size(fd)
        return (True, size.columns, size.lines)
    except OSError:
        return (False,)


def key_material(args: Sequence[str]) -> tuple[Any, ...]:
    """Everything besides files that a command's output depends on."""
    import time

    environment = tuple(
        sorted((k, v) for k, v in os.environ.items() if k not in _SESSION_VARIABLES)
    )
    return (
        SCHEMA,
        tuple(args),
        os.getcwd(),
        environment,
        sys.executable,
        sys.version,
        sys.prefix,
        os.getuid() if hasattr(os, "getuid") else 0,
        _terminal(1),
        _terminal(2),
        # Risk rules weigh end-of-life dates: a record is good for the day it was made.
        time.strftime("%Y-%m-%d"),
        # Markers read the platform (kernel release, machine).
        tuple(os.uname()) if hasattr(os, "uname") else (),
        _code_identity(),
    )


def _key_digest(material: tuple[Any, ...]) -> str:
    """What a record keeps of its key: a digest, never the values.

    The key holds every environment variable and argument, secrets included
    (tokens, index passwords); a record on disk must not.
    """
    from parity.fswatch.facts import sha256_hex

    # repr, not marshal: marshal's bytes depend on which equal strings are one object.
    return sha256_hex(repr(material).encode("utf-8", "surrogateescape"))


def _record_path(folder: str, material: tuple[Any, ...]) -> str:
    return os.path.join(folder, _key_digest(material)[:40] + ".bin")


# The key material of the last lookup (its arguments with it), taken by the Recording
# of the same run: the key walks every file of the parity package.
_looked_up: list[tuple[tuple[str, ...], tuple[Any, ...]]] = []


def _material_of(args: tuple[str, ...]) -> tuple[Any, ...]:
    """The key material ``replay`` computed for ``args`` in this run, else computed now."""
    found = _looked_up.pop() if _looked_up else None
    if found is not None and found[0] == args:
        return found[1]
    return key_material(args)


def replay(args: Sequence[str]) -> int | None:
    """Print the recorded output and return its exit status, or None when there is no good record."""
    import marshal

    from parity.fswatch.facts import facts_hold

    _looked_up.clear()
    folder = _records_dir()
    if folder is None:
        return None
    material = key_material(args)
    # The run that follows a miss records under the same key: computed once.
    _looked_up.append((tuple(args), material))
    path = _record_path(folder, material)
    try:
        with open(path, "rb") as handle:
            record = marshal.loads(handle.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(record, dict) or record.get("key") != _key_digest(material):
        return None
    if not facts_hold(record["facts"], record["made_ns"]):
        return None
    streams = {1: sys.stdout, 2: sys.stderr}
    for fd, text in record["output"]:
        streams[fd].write(text)
    if record.get("note"):
        sys.stdout.write(record["note"])
    for stream in streams.values():
        stream.flush()
    if os.environ.get("PARITY_DEBUG"):
        sys.stderr.write("debug: answered from the record of an identical earlier run\n")
    _looked_up.clear()  # nothing runs, so nothing records
    code: int = record["code"]
    return code


# -- recording ------------------------------------------------------------------------------------


class _Capture:
    """A stream that passes text on and remembers it, in order with its sibling."""

    def __init__(self, inner: Any, fd: int, log: list[tuple[int, str]]) -> None:
        self._inner = inner
        self._fd = fd
        self._log = log
        self.paused = 0

    def write(self, text: str) -> int:
        if not self.paused:
            if self._log and self._log[-1][0] == self._fd:
                self._log[-1] = (self._fd, self._log[-1][1] + text)
            else:
                self._log.append((self._fd, text))
        result: int = self._inner.write(text)
        return result

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class Session:
    """One recorded run: its facts, its output, the note a replay adds."""

    def __init__(self, args: Sequence[str], recorder: Recorder) -> None:
        self.args = tuple(args)
        self.recorder = recorder
        self.output: list[tuple[int, str]] = []
        self.note = ""
        self.streams: list[_Capture] = []


_session: Session | None = None


def note_on_replay(text: str) -> None:
    """A line a replay prints after the recorded output (a lock says it did not resolve)."""
    if _session is not None:
        _session.note = text


def paused() -> Any:
    """Output that is not part of the result (a progress spinner): not recorded.

    What the code observes meanwhile still is.
    """
    import contextlib

    @contextlib.contextmanager
    def pause() -> Iterator[None]:
        session = _session
        if session is None:
            yield
            return
        for stream in session.streams:
            stream.paused += 1
        try:
            yield
        finally:
            for stream in session.streams:
                stream.paused -= 1

    return pause()


def _uv_only(argv: Sequence[str]) -> bool:
    name = os.path.basename(argv[0]) if argv else ""
    return name in ("uv", "uv.exe")


class Recording:
    """Record the run of ``args``; save the record when the run may be replayed."""

    def __init__(self, args: Sequence[str]) -> None:
        self.args = tuple(args)
        self.session: Session | None = None
        self.code: int | None = None

    def __enter__(self) -> Recording:
        global _session
        from parity.fswatch.recorder import Recorder
        from parity.tempdirs import parity_temp_root

        folder = _records_dir()
        if folder is None or not _tracking_proven():
            return self
        scratch = [folder]
        temp = parity_temp_root()
        if temp is not None:
            scratch.append(str(temp))
        recorder = Recorder(
            writable=scratch, allow_subprocess=_uv_only if self.args[:1] == ("lock",) else None
        )
        session = Session(self.args, recorder)
        for fd, name in ((1, "stdout"), (2, "stderr")):
            capture = _Capture(getattr(sys, name), fd, session.output)
            session.streams.append(capture)
            setattr(sys, name, capture)
        import time

        self.material = _material_of(self.args)
        self.made_ns = time.time_ns()
        recorder.__enter__()
        self.session = session
        _session = session
        return self

    def __exit__(self, kind: Any, value: Any, tb: Any) -> None:
        global _session
        session = self.session
        if session is None:
            return
        session.recorder.__exit__(kind, value, tb)
        _session = None
        for capture, name in zip(session.streams, ("stdout", "stderr"), strict=True):
            if getattr(sys, name) is capture:
                setattr(sys, name, capture._inner)
        code = _exit_status(kind, value)
        if session.recorder.unsafe and os.environ.get("PARITY_DEBUG"):
            reasons = "; ".join(session.recorder.unsafe[:5])
            sys.stderr.write(f"debug: this run is not recorded for reuse: {reasons}\n")
        if code is None or session.recorder.unsafe:
            return
        if session.recorder.subprocesses:
            _add_uv_configuration(session.recorder)
        _save(self.material, session, code, self.made_ns)


def _exit_status(kind: Any, value: Any) -> int | None:
    if kind is None:
        return 0
    if kind is SystemExit and type(value) is SystemExit:
        code = value.code
        if code is None:
            return 0
        if isinstance(code, int) and code in (0, 1, 2):
            return code
    return None  # an interruption, an unexpected error: never replayed


def _add_uv_configuration(recorder: Recorder) -> None:
    """uv read its own configuration files: each is a fact of the result too."""
    from parity.fswatch.facts import file_identity
    from parity.uvconf import uv_config_files

    candidates = uv_config_files(os.environ)
    for path in candidates:
        full = os.path.abspath(path)
        recorder.facts.setdefault(("read", full), file_identity(full))


def _tracking_proven() -> bool:
    """The self-test of :mod:`parity.fswatch`, run once per interpreter and remembered."""
    folder = _records_dir()
    if folder is None:
        return False
    marker = os.path.join(folder, "tracking-" + _interpreter_tag())
    if os.path.exists(marker):
        return True
    import tempfile

    from parity.fswatch.selftest import tracking_works

    with tempfile.TemporaryDirectory(prefix="parity-fswatch-") as scratch:
        works = tracking_works(scratch)
    if works:
        with open(marker, "w", encoding="utf-8") as handle:
            handle.write("ok\n")
    return works


def _interpreter_tag() -> str:
    from parity.fswatch.facts import sha256_hex

    return sha256_hex(f"{sys.executable}\0{sys.version}".encode())[:16]


def _save(material: tuple[Any, ...], session: Session, code: int, made_ns: int) -> None:
    import contextlib
    import marshal

    folder = _records_dir()
    if folder is None:
        return
    record = {
        "key": _key_digest(material),
        "facts": session.recorder.observed(),
        "output": session.output,
        "note": session.note,
        "code": code,
        "made_ns": made_ns,
    }
    path = _record_path(folder, material)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as handle:
            handle.write(marshal.dumps(record))
        os.replace(tmp, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return
    _prune(folder)


def _prune(folder: str) -> None:
    """Keep the newest records only."""
    import contextlib

    try:
        entries = [e for e in os.scandir(folder) if e.name.endswith(".bin")]
    except OSError:
        return
    if len(entries) <= MAX_RECORDS:
        return
    entries.sort(key=lambda e: e.stat().st_mtime_ns)
    for entry in entries[: len(entries) - MAX_RECORDS // 2]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
