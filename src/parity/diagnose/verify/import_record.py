"""The import record: the outcome of an import test of byte-identical packages, reused."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from parity.diagnose.verify.imports import ImportRun
from parity.diagnose.verify.lockfile import hashes_enforced
from parity.env.installed import VenvInfo, installed_distributions, interpreter_path
from parity.errors import ParityError
from parity.lock.model import LockedGroup, Pin
from parity.spec.model import ProjectSpec

#
# Importing the direct requirements is most of what verify costs (mlflow alone
# takes two seconds with its bytecode compiled).  Its outcome is a function of
# the bytes installed, the interpreter, the machine and the environment
# variables: when all are what they were for an earlier import test that
# passed, that outcome is reused instead of importing again.  The packages are
# known byte-identical because uv checked every archive against the lock's
# hashes (--require-hashes); a lock with a pin it cannot check (VCS, local
# path) or a project installed on top (its own code could shadow a module) is
# always imported for real.

IMPORT_RECORD_SCHEMA = "parity/import-record@2"


def import_record_key(
    spec: ProjectSpec,
    venv: VenvInfo,
    locked: LockedGroup,
    expected: Sequence[Pin],
    modules: Mapping[str, Sequence[str]],
) -> str | None:
    """What an import test's outcome depends on, or None when it must run for real."""
    import json
    import sys

    from parity.fsutil import sha256_text

    if spec.installable or not hashes_enforced(locked):
        return None
    try:
        interpreter = os.path.realpath(interpreter_path(venv.root))
        binary = os.stat(interpreter)
    except OSError:
        return None
    try:
        libc = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (AttributeError, ValueError, OSError):
        libc = ""
    skip = {"_", "OLDPWD", "PWD", "SHLVL", "TMPDIR"}
    material = {
        "schema": IMPORT_RECORD_SCHEMA,
        "interpreter": [interpreter, binary.st_size, binary.st_mtime_ns, binary.st_ino],
        "python": venv.python_version,
        "machine": [*(os.uname() if hasattr(os, "uname") else [sys.platform]), libc],
        "packages": sorted([p.name, p.version or "", sorted(p.hashes)] for p in expected),
        "installed": sorted(installed_distributions(venv.site_packages)),
        "modules": {name: list(ms) for name, ms in sorted(modules.items())},
        "environment": sorted((k, v) for k, v in os.environ.items() if k not in skip),
        "libraries": system_libraries(),
    }
    return sha256_text(json.dumps(material, sort_keys=True)).split(":", 1)[1]


# The dynamic loader's cache: installing or removing a system library (a
# package manager runs ldconfig) rewrites it, and an extension module that
# loaded before may not load now.
_LOADER_CACHES = ("/etc/ld.so.cache",)


def system_libraries() -> list[str]:
    """The system's shared libraries, as the loader knows them (a digest per cache file)."""
    import hashlib

    out = []
    for path in _LOADER_CACHES:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            out.append(f"{path}: {exc.errno}")
            continue
        out.append(f"{path}: {hashlib.sha256(data).hexdigest()}")
    return out


def _import_record_path(key: str) -> Path:
    from parity.fsutil import cache_root

    return cache_root() / "imports" / f"{key[:40]}.json"


def read_import_record(key: str) -> ImportRun | None:
    """The passing import test recorded for ``key``; None when there is none (or reuse is off)."""
    import json

    if os.environ.get("PARITY_NO_CACHE", "") not in ("", "0"):
        return None
    try:
        data = json.loads(_import_record_path(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("at"), str):
        return None
    return ImportRun(
        version=None, implementation="", in_venv=True, failures=(), reused_from=data["at"]
    )


def write_import_record(key: str, run: ImportRun) -> None:
    import json
    import time

    from parity.fsutil import atomic_write_text

    if os.environ.get("PARITY_NO_CACHE", "") not in ("", "0"):
        return
    path = _import_record_path(key)
    record = {"key": key, "at": time.strftime("%Y-%m-%d %H:%M"), "python": run.version}
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_text(path, json.dumps(record) + "\n")
    except (OSError, ParityError):
        return  # only a speed-up is lost


def replace_run(activation: ImportRun, known: ImportRun) -> ImportRun:
    """This venv's own interpreter run, with the module outcome of the record."""
    return ImportRun(
        version=activation.version,
        implementation=activation.implementation,
        in_venv=activation.in_venv,
        failures=activation.failures,
        errors=activation.errors,
        reused_from=known.reused_from,
    )
