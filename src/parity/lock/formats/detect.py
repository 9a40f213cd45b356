"""Which kind of lock (or pin) file a file is: the one detector every reader uses.

``lock`` reads existing lockfiles as preferences and ``diff`` reads them as
sides; both ask this module, so a uv.lock is never taken for a poetry.lock
in one place and not the other.  The name decides first (``uv.lock``,
``poetry.lock``, ``pylock.toml``, conda's lock and environment files), the
content second (a renamed file).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from parity.errors import UsageError

SNAPSHOT_JSON = "snapshot-json"
UV_LOCK = "uv-lock"
POETRY_LOCK = "poetry-lock"
PYLOCK = "pylock"
REQUIREMENTS = "requirements"
CONDA_ENV = "conda-env"
CONDA_LOCK = "conda-lock"

_CONDA_ENV_NAME = re.compile(r"^environment([-.][A-Za-z0-9_.-]+)?\.ya?ml$")
_CONDA_LOCK_NAMES = ("conda.lock", "pixi.lock", "conda-lock.yml", "conda-lock.yaml")
READS = (
    "parity reads uv.lock, poetry.lock, pylock.toml, conda lock files, requirements files "
    "and snapshot JSON"
)


def conda_format(name: str) -> str | None:
    lower = PurePosixPath(name).name.lower()
    if lower in _CONDA_LOCK_NAMES or lower.endswith((".conda-lock.yml", ".conda-lock.yaml")):
        return CONDA_LOCK
    if _CONDA_ENV_NAME.match(lower):
        return CONDA_ENV
    return None


def detect_lock_format(name: str, text: str) -> str | None:
    """The format of a file, or None for a TOML or lock file of no known kind."""
    lower = PurePosixPath(name).name.lower()
    if lower.endswith(".json") or text.lstrip().startswith("{"):
        return SNAPSHOT_JSON
    conda = conda_format(lower)
    if conda is not None:
        return conda
    if lower == "uv.lock":
        return UV_LOCK
    if lower == "poetry.lock":
        return POETRY_LOCK
    if lower.endswith((".toml", ".lock")):
        # The readers only when the name does not decide (``lock`` imports this module).
        from parity.lock.formats import poetry_lock, pylock, uv_lock

        if pylock.detect(lower, text):
            return PYLOCK
        if uv_lock.detect(lower, text):
            return UV_LOCK
        if poetry_lock.detect(lower, text) or re.search(r"^\[\[package\]\]", text, re.M):
            return POETRY_LOCK
        return None
    return REQUIREMENTS


def detect_format(name: str, text: str, *, label: str | None = None) -> str:
    """Like :func:`detect_lock_format`, with a clear error for an unknown TOML file."""
    found = detect_lock_format(name, text)
    if found is None:
        raise UsageError(
            f"{label or name}: not a lockfile parity can compare",
            hint=f"{READS}; for a pyproject.toml pass the project directory (its lock is used) "
            "or --project for its direct requirements.",
        )
    return found
