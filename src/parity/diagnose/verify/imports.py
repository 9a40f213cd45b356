"""The import test: the venv's own interpreter imports each module, in a few workers at once."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from packaging.utils import canonicalize_name

from parity.env.installed import VenvInfo, interpreter_path
from parity.frozen import dataclass

# A module that hangs on import must not hang verify.
IMPORT_TIMEOUT_S = 300.0

# Prints its interpreter, then one line per module; flushes before each import so
# a crash still tells which module caused it.  os._exit skips interpreter teardown
# (slow after heavy imports, and a stray non-daemon thread must not hang it).
_MARK = "##parity## "
_IMPORT_SCRIPT = f"""
import importlib, os, sys
same = os.path.realpath(sys.prefix) == os.path.realpath(sys.argv[1])
print({_MARK!r} + "ACTIVE", sys.version.split()[0], sys.implementation.name, int(same), flush=True)
for name in sys.argv[2:]:
    print({_MARK!r} + "TRY", name, flush=True)
    try:
        importlib.import_module(name)
    except BaseException as exc:
        text = [line for line in str(exc).splitlines() if line.strip()]
        detail = type(exc).__name__ + (": " + text[0].strip() if text else "")
        print({_MARK!r} + "FAILED", name, detail, flush=True)
sys.stdout.flush()
os._exit(0)
"""


@dataclass(frozen=True)
class ImportRun:
    version: str | None
    implementation: str
    in_venv: bool
    failures: tuple[str, ...]
    errors: tuple[str, ...] = ()
    # When the modules were not imported again: when they were (an ISO date).
    reused_from: str | None = None


def parse_import_output(
    stdout: str, returncode: int | None, *, timeout_s: float | None = None
) -> ImportRun:
    """What one import worker printed: its interpreter, failed imports, a crash."""
    version, implementation, in_venv = None, "", False
    failures: list[str] = []
    errors: list[str] = []
    last_try: str | None = None
    for raw in stdout.splitlines():
        if not raw.startswith(_MARK):
            continue
        kind, _, rest = raw.removeprefix(_MARK).partition(" ")
        if kind == "ACTIVE":
            parts = rest.split()
            version, implementation, in_venv = parts[0], _impl(parts[1]), parts[2] == "1"
        elif kind == "TRY":
            last_try = rest.strip()
        elif kind == "FAILED":
            module, _, detail = rest.partition(" ")
            failures.append(f"{module} failed: {detail}")
    # The script ends with os._exit(0): any other exit is a crash or a timeout
    # during the last import it announced.
    if version is not None and returncode != 0:
        module = last_try or "(before the first module)"
        if timeout_s is not None:
            errors.append(f"import {module} did not finish within {timeout_s:.0f} s")
        else:
            errors.append(f"import {module} crashed the interpreter (exit code {returncode})")
    return ImportRun(version, implementation, in_venv, tuple(failures), tuple(errors))


def _impl(name: str) -> str:
    return {"cpython": "CPython", "pypy": "PyPy"}.get(name, name)


def split_modules(weights: Mapping[str, int], workers: int) -> list[list[str]]:
    """Share modules among import workers, heaviest first onto the lightest worker."""
    shares: list[tuple[int, list[str]]] = [(0, []) for _ in range(max(1, workers))]
    for module, weight in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0])):
        index = min(range(len(shares)), key=lambda i: shares[i][0])
        total, modules = shares[index]
        shares[index] = (total + weight, [*modules, module])
    return [modules for _, modules in shares if modules] or [[]]


def run_imports(
    venv: VenvInfo,
    modules: Mapping[str, Sequence[str]] | Sequence[str],
    *,
    pycache: Path | None = None,
) -> ImportRun:
    """Start the venv's interpreter (proof it activates) and import every module.

    A fresh venv has no bytecode yet, so importing compiles; on more than one
    core the modules are shared among a few interpreters, heaviest first.
    Bytecode goes to ``pycache`` (shared by the interpreters, kept for the
    next run of the same lock: see ``place``); without one, none is written.
    """
    per_dist = modules if isinstance(modules, Mapping) else {"": tuple(modules)}
    weights = {m: _weight(venv.site_packages, dist) for dist, ms in per_dist.items() for m in ms}
    workers = min(os.cpu_count() or 1, 4, max(1, len(weights)))
    shares = split_modules(weights, workers)
    python = str(interpreter_path(venv.root))
    # -X, not PYTHONPYCACHEPREFIX: -I ignores every PYTHON* variable.
    bytecode = ["-X", f"pycache_prefix={pycache}"] if pycache is not None else ["-B"]
    procs = [
        subprocess.Popen(
            [python, "-I", *bytecode, "-c", _IMPORT_SCRIPT, str(venv.root), *share],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            cwd=venv.root.parent,
        )
        for share in shares
    ]
    runs = [_collect(proc) for proc in procs]
    first = runs[0]
    return ImportRun(
        version=first.version,
        implementation=first.implementation,
        in_venv=all(r.in_venv for r in runs),
        failures=tuple(f for r in runs for f in r.failures),
        errors=tuple(e for r in runs for e in r.errors),
    )


def _collect(proc: subprocess.Popen[str]) -> ImportRun:
    try:
        out, err = proc.communicate(timeout=IMPORT_TIMEOUT_S)
        run = parse_import_output(out, proc.returncode)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        run = parse_import_output(out, proc.returncode, timeout_s=IMPORT_TIMEOUT_S)
    if run.version is None:
        tail = [line for line in err.splitlines() if line.strip()][-1:]
        return ImportRun(None, "", False, (), tuple(tail))
    return run


def _weight(site_packages: Path, dist: str) -> int:
    """How much there is to compile, roughly: the lines of the distribution's RECORD."""
    for info in site_packages.glob("*.dist-info"):
        if canonicalize_name(info.name.removesuffix(".dist-info").rpartition("-")[0]) == dist:
            try:
                return (info / "RECORD").read_text(encoding="utf-8", errors="replace").count("\n")
            except OSError:
                return 1
    return 1
