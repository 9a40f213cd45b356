"""Capturing a snapshot: find the interpreter, run the probe in it once, decode.

The only module of ``env/snapshot`` that starts a process or reads the
machine's configuration; what a snapshot holds is decided in ``decode``,
``native`` and ``settings`` from plain values.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parity.env.snapshot.decode import snapshot_from_probe
from parity.env.snapshot.settings import (
    behaviour_variables,
    index_configuration,
    pip_config_files,
    read_pip_configs,
)
from parity.env.snapshot_model import Snapshot
from parity.errors import EnvironmentError_

PROBE_PATH = Path(__file__).with_name("probe.py")
PROBE_TIMEOUT = 120.0
# The standard modules the probe imports, loaded before its directory goes first
# on sys.path: a module of parity's named like one of them must not shadow it.
PROBE_STDLIB = ("json", "os", "platform", "re", "site", "sys", "sysconfig")
_PROBE_COMMAND = (
    "import sys; sys.path = [p for p in sys.path if p]; sys.version_info >= (3, 8) or sys.exit("
    "'Python %s is older than 3.8, the oldest parity reads' % sys.version.split()[0]); "
    f"import {', '.join(PROBE_STDLIB)}; sys.path.insert(0, {str(PROBE_PATH.parent)!r}); "
    "import probe; del sys.path[0]; probe.main()"
)


@dataclass(frozen=True)
class Target:
    """The interpreter to probe; ``interpreter`` None means the running one."""

    interpreter: Path | None
    shown: str  # how messages name it (relative to the working directory when inside)
    label: str  # the default snapshot label


def capture_snapshot(
    *,
    python: Path | str | None = None,
    env_dir: Path | str | None = None,
    label: str | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Snapshot:
    """Fingerprint an environment: the running interpreter, ``python`` or ``env_dir``.

    ``python`` is an interpreter path or a command on PATH (``python3.9``);
    ``env_dir`` the root of a venv or conda prefix.  One process is started
    for the whole environment (none for the running interpreter).  Raises
    :class:`EnvironmentError_` when there is no interpreter to run or it fails.
    """
    base = cwd or Path.cwd()
    env = os.environ if environ is None else environ
    target = locate_target(python=python, env_dir=env_dir, cwd=base, environ=env)
    raw = run_probe(target, environ=env)
    home = env.get("HOME") or str(Path.home())
    prefix = raw.get("prefix")
    configs = read_pip_configs(
        pip_config_files(env, prefix=prefix if isinstance(prefix, str) else None, home=Path(home))
    )
    return snapshot_from_probe(
        raw,
        label=label or target.label,
        env_vars=behaviour_variables(env, home=home),
        index=index_configuration(env, configs),
        taken_at=_now(),
    )


def locate_target(
    *,
    python: Path | str | None,
    env_dir: Path | str | None,
    cwd: Path,
    environ: Mapping[str, str],
) -> Target:
    """Which interpreter to run, and how to name it; raises when there is none."""
    if python is not None and env_dir is not None:
        raise EnvironmentError_(
            "give an interpreter or an environment directory, not both",
            hint="Use --python for an interpreter, or --env for a venv or conda prefix.",
        )
    if env_dir is not None:
        root = _absolute(Path(env_dir), cwd)
        shown = display_path(Path(env_dir), cwd)
        return Target(env_interpreter(root, shown), shown, shown)
    if python is not None:
        return _python_target(str(python), cwd, environ)
    current = Path(sys.executable)
    root = Path(sys.prefix)
    if sys.prefix != getattr(sys, "base_prefix", sys.prefix) or (root / "conda-meta").is_dir():
        name = display_path(root, cwd)
    else:
        name = current.name or "python"
    return Target(None, name, name)


def _python_target(arg: str, cwd: Path, environ: Mapping[str, str]) -> Target:
    import shutil

    given = Path(arg)
    path_like = given.is_absolute() or "/" in arg or "\\" in arg
    if path_like:
        full = _absolute(given, cwd)
        shown = display_path(given, cwd)
    else:
        found = shutil.which(arg, path=environ.get("PATH"))
        if found is None:
            raise EnvironmentError_(
                "no such interpreter on PATH",
                path=arg,
                hint="Give the path of a Python executable, or a command on PATH such as python3.11.",
            )
        full, shown = _past_shim(Path(found), arg, environ), arg
    if full.is_dir():  # an environment directory given as --python: be helpful
        return Target(env_interpreter(full, shown), shown, shown)
    if not full.is_file() or not os.access(full, os.X_OK):
        raise EnvironmentError_(
            "no such interpreter" if not full.exists() else "not an executable file",
            path=shown,
            hint="Give the path of a Python executable (for a venv: .venv/bin/python), "
            "or the environment directory with --env.",
        )
    label = shown
    if path_like:
        # Inside a venv or conda prefix the environment names the side, not "python".
        depth = 2 if given.parent.name in ("bin", "Scripts") else 1
        root = given.parents[depth - 1] if len(given.parents) >= depth else given.parent
        full_root = _absolute(root, cwd)
        if (full_root / "pyvenv.cfg").is_file() or (full_root / "conda-meta").is_dir():
            label = display_path(root, cwd)
    interpreter = None if _is_running(full) else full
    return Target(interpreter, shown, label)


def _past_shim(found: Path, command: str, environ: Mapping[str, str]) -> Path:
    """The real interpreter behind a version manager's shim for ``pythonX.Y``.

    pyenv's and asdf's shims answer on PATH for every installed version but fail
    for one that is not active; the install directories say where it really is
    (read, not run: still one process per environment).
    """
    wanted = re.fullmatch(r"python(\d+\.\d+)", command)
    if found.parent.name != "shims" or wanted is None:
        return found
    from parity.env.python import managed_candidates, matches

    for candidate in managed_candidates(environ):
        if candidate.version and matches(candidate.version, wanted.group(1)):
            return candidate.path
    return found


def env_interpreter(root: Path, shown: str) -> Path | None:
    """The interpreter of a venv or conda prefix; None when it is the running one."""
    if not root.is_dir():
        raise EnvironmentError_(
            "no such directory",
            path=shown,
            hint="Give the root of a virtual environment or conda prefix, "
            "or an interpreter with --python.",
        )
    for relative in ("bin/python", "bin/python3", "Scripts/python.exe", "python.exe"):
        candidate = root / relative
        if candidate.is_file():
            return None if _is_running(candidate) else candidate
    raise EnvironmentError_(
        "no Python interpreter in this directory (looked for bin/python and Scripts/python.exe)",
        path=shown,
        hint="Give the root of a virtual environment (the directory that holds pyvenv.cfg) or "
        "of a conda prefix (it holds conda-meta/), or an interpreter with --python.",
    )


def _is_running(interpreter: Path) -> bool:
    # Compared without resolving symlinks: a venv's bin/python links to the base
    # interpreter but is another environment.
    return os.path.normcase(os.path.abspath(interpreter)) == os.path.normcase(
        os.path.abspath(sys.executable)
    )


def run_probe(target: Target, *, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The probe's raw facts about the target: one process, or none for the running Python."""
    if target.interpreter is None:
        from parity.env.snapshot import probe

        return probe.collect()
    import json
    import subprocess

    # -E -s and no working directory on sys.path (what -I does, but Python 2
    # knows no -I and must get as far as the version check): neither PYTHON*
    # variables, the user's site-packages nor files where parity runs leak into
    # what is probed.  The probe is imported rather than run by path so that
    # each interpreter caches its compiled form.
    command = [str(target.interpreter), "-E", "-s", "-c", _PROBE_COMMAND]
    try:
        proc = subprocess.run(
            command,
            capture_output=True,
            timeout=PROBE_TIMEOUT,
            env=None if environ is None else dict(environ),
            stdin=subprocess.DEVNULL,
        )
    except OSError as exc:
        raise EnvironmentError_(
            f"cannot run the interpreter: {exc.strerror or exc}",
            path=target.shown,
            hint="Check that it is a working Python executable (run it with -c pass).",
        ) from None
    except subprocess.TimeoutExpired:
        raise EnvironmentError_(
            f"the interpreter did not answer within {PROBE_TIMEOUT:.0f} s",
            path=target.shown,
            hint="Check that it starts on its own (run it with -c pass).",
        ) from None
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        last = stderr.splitlines()[-1] if stderr else f"exit status {proc.returncode}"
        raise EnvironmentError_(
            f"reading the environment failed: {last}",
            path=target.shown,
            hint="parity reads environments of Python 3.8 and newer; check that the interpreter "
            "starts (run it with -c pass).",
        )
    try:
        data = json.loads(proc.stdout.decode("utf-8", "replace"))
    except ValueError:
        data = None
    if not isinstance(data, dict) or "python" not in data:
        raise EnvironmentError_(
            "the interpreter printed something other than the environment's description",
            path=target.shown,
            hint="Check that it is a Python interpreter and that its startup prints nothing.",
        )
    return data


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _absolute(path: Path, cwd: Path) -> Path:
    return path if path.is_absolute() else cwd / path


def display_path(path: Path, cwd: Path) -> str:
    """A path as reports show it: relative to ``cwd`` when inside, else its last component."""
    if not path.is_absolute():
        text = path.as_posix().rstrip("/")
        return text or "."
    try:
        return path.relative_to(cwd).as_posix() or "."
    except ValueError:
        return path.name or "/"
