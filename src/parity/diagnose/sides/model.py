"""What a ``parity diff`` side is before it becomes a Snapshot."""

from __future__ import annotations

from parity.env.snapshot_model import Snapshot
from parity.frozen import dataclass
from parity.lock.formats.detect import (
    CONDA_ENV,
    CONDA_LOCK,
    POETRY_LOCK,
    PYLOCK,
    REQUIREMENTS,
    SNAPSHOT_JSON,
    UV_LOCK,
)
from parity.lock.formats.uv_lock import UvLock
from parity.lock.model import Pin

# A requirements file in which every entry is pinned (a lock, not a list).
REQUIREMENTS_LOCK = "requirements-lock"

__all__ = [
    "CONDA_ENV",
    "CONDA_LOCK",
    "POETRY_LOCK",
    "PYLOCK",
    "REQUIREMENTS",
    "REQUIREMENTS_LOCK",
    "SNAPSHOT_JSON",
    "UV_LOCK",
    "DeclaredSide",
    "Side",
]


@dataclass(frozen=True)
class DeclaredSide:
    """A side read from a file of pins or requirements, before markers are evaluated.

    ``kind`` is "lock" (every package pinned) or "spec" (a list of requirements
    that names only what the user asked for).  ``python`` is the interpreter
    version the file was made for, when it says; ``requires_python`` the range
    of versions, when it records one (a lock for ">=3.11").  ``groups`` are the
    dependency groups a lock is read for.  ``graph`` is set for a uv.lock,
    whose pins depend on the environment along every edge, not only per pin.
    """

    label: str
    kind: str
    format: str
    pins: tuple[Pin, ...]
    python: str | None = None
    direct: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    # What the reader could not compare (conda-only packages, ...), for the report.
    notes: tuple[str, ...] = ()
    graph: UvLock | None = None
    # The Python range the lock was made for (requires-python), when it records one.
    requires_python: str | None = None


Side = Snapshot | DeclaredSide
