"""Poetry as an engine: ``poetry lock`` writes poetry.lock when the user asks for it.

poetry.lock is Poetry's own format (its content-hash covers pyproject.toml
as Poetry reads it), so parity never writes it by hand: it runs Poetry, and
says clearly when Poetry is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from parity.errors import EngineError

TIMEOUT_SECONDS = 600


def find_poetry() -> str | None:
    """``poetry`` on PATH, else next to the running interpreter (parity's own venv)."""
    found = shutil.which("poetry")
    if found:
        return found
    beside = Path(sys.executable).parent / "poetry"
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


def missing_poetry() -> EngineError:
    return EngineError(
        "Poetry is not installed, and poetry.lock is Poetry's to write: nothing was written",
        hint="Install Poetry 2 (e.g. `pipx install poetry`) and run this again, or drop --lock "
        "(`parity lock` writes parity's own lockfiles).",
    )


def poetry_version(exe: str) -> str:
    proc = subprocess.run(
        [exe, "--version", "--no-ansi"], capture_output=True, text=True, timeout=60, check=False
    )
    words = proc.stdout.strip().rstrip(")").split()
    return words[-1] if words else "unknown"


def seed_lock(pins: Iterable[tuple[str, str]]) -> str:
    """A minimal poetry.lock naming parity's versions, for Poetry to prefer.

    ``poetry lock`` keeps the versions an existing lock names while they still
    fit, exactly as it does when a dependency is added; seeding it with the
    versions of parity's lock makes Poetry's answer agree with it instead of
    jumping to whatever is newest today.  Poetry rewrites the whole file.
    """
    out = ["# A seed for `poetry lock` (parity's versions); Poetry replaces this file.", ""]
    for name, version in sorted(set(pins)):
        out += [
            "[[package]]",
            f"name = {json.dumps(name)}",
            f"version = {json.dumps(version)}",
            'description = ""',
            "optional = false",
            'python-versions = "*"',
            "files = []",
            "",
        ]
    out += ["[metadata]", 'lock-version = "2.1"', 'python-versions = "*"', 'content-hash = ""', ""]
    return "\n".join(out)


def poetry_lock(root: Path, prefer: Iterable[tuple[str, str]] = ()) -> str:
    """Run ``poetry lock`` in ``root``; a line saying what it wrote, or an EngineError.

    Without a poetry.lock yet, the versions in ``prefer`` (parity's lock) seed
    one, so both locks agree; an existing poetry.lock is Poetry's own preference.
    """
    exe = find_poetry()
    if exe is None:
        raise missing_poetry()
    target = root / "poetry.lock"
    seeded = False
    preferred = list(prefer)
    if preferred and not target.exists():
        target.write_text(seed_lock(preferred), encoding="utf-8")
        seeded = True
    try:
        return _run_lock(exe, root)
    except BaseException:
        if seeded:
            target.unlink(missing_ok=True)
        raise


def _run_lock(exe: str, root: Path) -> str:
    try:
        proc = subprocess.run(
            [exe, "lock", "--no-interaction", "--no-ansi"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise EngineError(
            f"`poetry lock` did not finish in {TIMEOUT_SECONDS} s",
            hint="Run it yourself to see why.",
        ) from None
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-8:])
        raise EngineError(
            f"`poetry lock` failed:\n{tail}",
            hint="pyproject.toml was written; fix what Poetry says and run `poetry lock`.",
        )
    return f"poetry lock: wrote poetry.lock (Poetry {poetry_version(exe)})"
