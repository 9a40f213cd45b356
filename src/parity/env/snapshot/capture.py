"""Capturing a snapshot: run the probe once in the target interpreter, then decode.

The only module of ``env/snapshot`` that starts a process or reads the
machine's configuration; what a snapshot holds is decided in ``decode``,
``native`` and ``settings`` from plain values.
"""

from __future__ import annotations

import os

from parity.env.snapshot.decode import snapshot_document, snapshot_from_probe
from parity.env.snapshot.settings import (
    behaviour_variables,
    index_configuration,
    pip_config_paths,
    read_pip_configs,
)
from parity.env.snapshot.target import Target, locate_target
from parity.errors import EnvironmentError_

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any

    from parity.env.snapshot_model import Snapshot

# Paths are strings here: pathlib (with re and urllib.parse) costs more than a
# whole snapshot of a 100-package venv.  PROBE_PATH (a Path) is made on request.
_PROBE_DIR = os.path.dirname(os.path.abspath(__file__))
PROBE_TIMEOUT = 120.0
# The standard modules the probe imports, loaded before its directory goes first
# on sys.path: a module of parity's named like one of them must not shadow it.
PROBE_STDLIB = ("json", "os", "platform", "re", "site", "sys", "sysconfig")
_PROBE_COMMAND = (
    "import sys; sys.path = [p for p in sys.path if p]; sys.version_info >= (3, 8) or sys.exit("
    "'Python %s is older than 3.8, the oldest parity reads' % sys.version.split()[0]); "
    f"import {', '.join(PROBE_STDLIB)}; sys.path.insert(0, {_PROBE_DIR!r}); "
    "import probe; del sys.path[0]; probe.main()"
)


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
    raw, settings = _capture(python=python, env_dir=env_dir, label=label, cwd=cwd, environ=environ)
    return snapshot_from_probe(raw, **settings)


def capture_document(
    *,
    python: Path | str | None = None,
    env_dir: Path | str | None = None,
    label: str | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """:func:`capture_snapshot` as its JSON document (schema ``parity/snapshot@1``).

    What ``parity snapshot`` writes: the same decisions on plain values,
    without building the model's dataclasses.
    """
    raw, settings = _capture(python=python, env_dir=env_dir, label=label, cwd=cwd, environ=environ)
    return snapshot_document(raw, **settings)


def _capture(
    *,
    python: Path | str | None,
    env_dir: Path | str | None,
    label: str | None,
    cwd: Path | None,
    environ: Mapping[str, str] | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The probe's raw facts, and the snapshot's other fields (label, settings, time)."""
    base = os.getcwd() if cwd is None else os.fspath(cwd)
    env = os.environ if environ is None else environ
    target = locate_target(python=python, env_dir=env_dir, cwd=base, environ=env)
    raw = run_probe(target, environ=env)
    home = env.get("HOME") or os.path.expanduser("~")
    prefix = raw.get("prefix")
    configs = read_pip_configs(
        pip_config_paths(env, prefix=prefix if isinstance(prefix, str) else None, home=home)
    )
    return raw, {
        "label": label or target.label,
        "env_vars": behaviour_variables(env, home=home),
        "index": index_configuration(env, configs),
        "taken_at": _now(),
    }


def run_probe(target: Target, *, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The probe's raw facts about the target.

    No process for the running Python, nor for a venv whose interpreter was
    probed before (see ``venvfiles``); else one.
    """
    if target.interpreter is None:
        from parity.env.snapshot import probe

        return probe.collect()
    from parity.env.snapshot import venvfiles
    from parity.fsutil import cache_dir

    cache = cache_dir(environ)
    known = venvfiles.read_from_files(target.interpreter, cache)
    if known is not None:
        return known
    raw = _probe_in(target, environ=environ)
    venvfiles.remember(target.interpreter, raw, cache)
    return raw


def _probe_in(target: Target, *, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The probe run in the target interpreter: one process."""
    import json
    import subprocess

    assert target.interpreter is not None

    # -E -s and no working directory on sys.path (what -I does, but Python 2
    # knows no -I and must get as far as the version check): neither PYTHON*
    # variables, the user's site-packages nor files where parity runs leak into
    # what is probed.  The probe is imported rather than run by path so that
    # each interpreter caches its compiled form.
    command = [target.interpreter, "-E", "-s", "-c", _PROBE_COMMAND]
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
    import time  # not datetime: a tenth of a snapshot's time to import

    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def __getattr__(name: str) -> Any:
    # ``PROBE_PATH``: the probe's file, as a Path (for tests and tools; pathlib on request).
    if name == "PROBE_PATH":
        from pathlib import Path

        return Path(_PROBE_DIR, "probe.py")
    raise AttributeError(name)
