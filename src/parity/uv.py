"""Running uv: the one place parity starts a uv process.

uv resolves and installs for parity; to parity it is an edge of the system,
like the disk.  Every uv command goes through :func:`run_uv` (or
:func:`start_uv` for commands that run side by side), which

- finds the uv binary that came with parity, else the one on PATH;
- gives uv a clean environment (no colour codes, no ``VIRTUAL_ENV`` of the
  caller, no interpreter downloads unless the user asked for them);
- stops a command that runs longer than ``PARITY_UV_TIMEOUT`` seconds
  (default one hour) with a clear error instead of hanging a CI job;
- logs each command, its exit status and its duration at debug level on
  the ``parity.uv`` logger (``PARITY_DEBUG=1`` shows them on stderr), with
  credentials in URLs redacted.

Interpreting what uv printed is the caller's job (``lock/engines/uv.py``,
``env/sync.py``, ...).
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from parity.errors import EngineError

DEFAULT_TIMEOUT_S = 3600.0
TIMEOUT_VARIABLE = "PARITY_UV_TIMEOUT"


def find_uv() -> str:
    """The uv binary that came with parity (a dependency), else the one on PATH."""
    bundled = _bundled_uv()
    if bundled is not None:
        return bundled
    import shutil

    found = shutil.which("uv")
    if found:
        return found
    raise EngineError(
        "uv was not found",
        hint="parity resolves and installs with uv; install it with `pip install uv`.",
    )


# The bundled binary's place depends only on this interpreter's install: found once
# (a lock starts four uv processes), and looked for again if it has gone.
_bundled: list[str] = []


def _bundled_uv() -> str | None:
    if _bundled and os.path.isfile(_bundled[0]):
        return _bundled[0]
    _bundled.clear()
    try:
        from uv import find_uv_bin

        path = _venv_scripts_uv() or str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        return None
    _bundled.append(path)
    return path


def _venv_scripts_uv() -> str | None:
    """The uv package's binary in the scripts folder of the venv parity runs in.

    ``find_uv_bin`` looks there first too, but works out every place it might
    look before looking, which loads the interpreter's build configuration: a
    few milliseconds before the first uv command of every run.  A venv's
    scripts folder is ``<prefix>/bin`` (``<prefix>/Scripts`` on Windows).
    """
    if sys.prefix == sys.base_prefix:
        return None  # not a venv: the install scheme decides where scripts go
    if os.name == "nt":
        path = os.path.join(sys.prefix, "Scripts", "uv.exe")
    else:
        path = os.path.join(sys.prefix, "bin", "uv")
    return path if os.path.isfile(path) else None


def uv_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment uv runs with: the caller's, minus what would mislead uv."""
    env = dict(os.environ if environ is None else environ)
    # A throw-away project must not pick up the caller's activated venv, and
    # uv must not print colour codes into what parity parses.
    env.pop("VIRTUAL_ENV", None)
    env["NO_COLOR"] = "1"
    # uv wraps its messages to the terminal's width (COLUMNS): parity reads them line by line.
    env["COLUMNS"] = "100000"
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    return env


def timeout_seconds(environ: Mapping[str, str] | None = None) -> float:
    """``PARITY_UV_TIMEOUT`` when set to a positive number, else one hour."""
    text = (os.environ if environ is None else environ).get(TIMEOUT_VARIABLE, "")
    try:
        value = float(text)
    except ValueError:
        return DEFAULT_TIMEOUT_S
    return value if value > 0 else DEFAULT_TIMEOUT_S


def run_uv(
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    timeout: float | None = None,
    environ: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run one uv command to completion and capture its output.

    A non-zero exit status is returned, not raised: only the caller knows what
    it means.  A command that outlives the timeout is killed and raises
    :class:`EngineError`.
    """
    return start_uv(args, cwd=cwd, timeout=timeout, environ=environ).wait()


def start_uv(
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    timeout: float | None = None,
    environ: Mapping[str, str] | None = None,
    die_with_parity: bool = True,
) -> UvProcess:
    """Start one uv command without waiting for it (to run several side by side).

    ``die_with_parity=False`` is for a short command that only reads local
    files, such as ``uv export --frozen --offline``: see :class:`UvProcess`.
    Only an ``--offline`` command may go without the guarantee (nothing that
    can wait on a network may outlive parity).
    """
    if not die_with_parity and "--offline" not in args:
        raise ValueError("only an --offline uv command may run without dying with parity")
    return UvProcess(
        args, cwd=cwd, timeout=timeout, environ=environ, die_with_parity=die_with_parity
    )


class UvProcess:
    """A running uv command; :meth:`wait` collects it, :meth:`kill` stops it.

    uv runs in a process group of its own, so that stopping it also stops
    what it started (build backends, interpreters), and no orphan keeps
    running after parity was interrupted.  On Linux the kernel also kills it
    when parity dies, even by SIGKILL (see :func:`_die_with_parent`).

    That last guarantee costs a full ``fork`` of parity (about 3 ms, where
    a command started without it costs a fraction of one), so a command that
    cannot outlive parity for long does without it (``die_with_parity=False``):
    ``uv export --frozen --offline`` reads the uv.lock beside it and nothing
    else (no index, no cache, no build), so once parity is gone it ends within
    its own short run, writing only into parity's work folder (removed by the
    next parity run) or into a pipe nobody reads (which ends it sooner).
    Anything that may reach an index, build or install keeps the guarantee.
    """

    def __init__(
        self,
        args: Sequence[str],
        *,
        cwd: Path | None = None,
        timeout: float | None = None,
        environ: Mapping[str, str] | None = None,
        die_with_parity: bool = True,
    ) -> None:
        self.args = tuple(args)
        self.cwd = cwd
        self.timeout = timeout if timeout is not None else timeout_seconds(environ)
        self._started = time.monotonic()
        self._proc = subprocess.Popen(
            [find_uv(), *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=uv_environment(environ),
            start_new_session=os.name != "nt",
            preexec_fn=_die_with_parent() if die_with_parity else None,
        )

    def wait(self) -> subprocess.CompletedProcess[str]:
        """Its exit status and output; raises :class:`EngineError` past the timeout.

        The timeout is a timer that stops uv, not a timeout of ``communicate``:
        with one, subprocess waits for the process's end by polling, sleeping
        1, 2, 4 ms... between looks, and uv has often closed its output a moment
        before it has ended, so each uv command ended up to a few ms late.
        Without one, the end is waited for, and seen, at once.
        """
        remaining = max(0.0, self.timeout - (time.monotonic() - self._started))
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            self._stop()

        timer = threading.Timer(remaining, expire)
        timer.daemon = True
        timer.start()
        try:
            out, err = self._proc.communicate()
        except BaseException:  # interrupted: take uv down too
            self.kill()
            raise
        finally:
            timer.cancel()
            timer.join()
        if expired.is_set():
            _log_end(self.args, self.cwd, None, self._started)
            raise _timeout_error(self.args, self.timeout)
        _log_end(self.args, self.cwd, self._proc.returncode, self._started)
        return subprocess.CompletedProcess(self._proc.args, self._proc.returncode, out, err)

    def kill(self) -> None:
        """Stop it and everything it started (a no-op once it has finished)."""
        if self._proc.returncode is not None:
            return
        self._stop()
        self._proc.communicate()

    def _stop(self) -> None:
        """Send the kill signal to uv and its process group (collecting it is the caller's)."""
        if self._proc.returncode is not None:
            return
        if os.name != "nt":
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._proc.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self._proc.kill()


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, have the kernel kill uv when parity dies, even by SIGKILL.

    uv runs in a session of its own (so that stopping it stops what it
    started), which also means nothing else stops it: without this, a
    killed parity would leave uv resolving or installing on its own.  The
    signal follows the *thread* that started uv, so it is asked for only
    from the main thread, which lives as long as parity.
    """
    if not sys.platform.startswith("linux") or threading.current_thread() is not (
        threading.main_thread()
    ):
        return None
    prctl = _prctl()
    if prctl is None:
        return None

    parent = os.getpid()

    def set_death_signal() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # parity died before the signal was armed
            os._exit(1)

    return set_death_signal


_PR_SET_PDEATHSIG = 1


@functools.cache
def _prctl() -> Callable[[int, int], int] | None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        function: Callable[[int, int], int] = libc.prctl
    except (OSError, AttributeError):
        return None
    return function


def command_text(args: Sequence[str]) -> str:
    """A uv command as the debug log shows it: credentials in URLs redacted."""
    from parity.redact import redact_credentials

    shown = [redact_credentials(a) if "://" in a else a for a in args]
    return " ".join(["uv", *shown])


def _log_end(args: Sequence[str], cwd: Path | None, status: int | None, started: float) -> None:
    # Whoever wants the "parity.uv" log has imported logging to ask for it; importing
    # it here only to find nobody listening cost milliseconds before every uv run.
    logging = sys.modules.get("logging")
    if logging is None:
        return
    log = logging.getLogger("parity.uv")
    if not log.isEnabledFor(logging.DEBUG):
        return
    elapsed = time.monotonic() - started
    outcome = "timed out" if status is None else f"exit {status}"
    where = f" (in {cwd})" if cwd is not None else ""
    log.debug("%s%s: %s in %.2f s", command_text(args), where, outcome, elapsed)


def _timeout_error(args: Sequence[str], limit: float) -> EngineError:
    what = " ".join(a for a in args[:2] if not a.startswith("-"))
    return EngineError(
        f"uv {what} did not finish within {limit:.0f} s and was stopped",
        hint=f"Check the network and the index, or allow more time with {TIMEOUT_VARIABLE}=<seconds>.",
    )
