"""Turn each input of ``parity diff`` into a Snapshot.

A side is one of: a snapshot JSON file (``parity/snapshot@1``), a live
environment (an interpreter or an environment directory), a lockfile
(parity's or pip-compile's requirements.txt, a PEP 751 pylock.toml, a
uv.lock, a poetry.lock, conda's lock files), a plain requirements list
(requirements.in, an environment.yml) or a project directory (its lock is
used).

- ``model``: what a side is before it becomes a Snapshot (:class:`DeclaredSide`);
- ``read``: which file or directory the user named, and reading it;
- ``requirements``: requirements files, as a lock or as a list of wants;
- ``lockfiles``: pylock.toml, poetry.lock, uv.lock and conda's files, with ``-g``;
- ``resolve``: evaluating markers for the environment compared with.

Which format a file is comes from ``parity.lock.formats.detect``, the one
detector ``lock`` uses too.
"""

from parity.diagnose.sides.model import (
    CONDA_ENV,
    CONDA_LOCK,
    POETRY_LOCK,
    PYLOCK,
    REQUIREMENTS,
    REQUIREMENTS_LOCK,
    SNAPSHOT_JSON,
    UV_LOCK,
    DeclaredSide,
    Side,
)
from parity.diagnose.sides.read import (
    PROJECT_LOCKS,
    declared_from_text,
    display_label,
    live_side,
    project_direct_names,
    read_side,
)
from parity.diagnose.sides.requirements import spec_pins
from parity.diagnose.sides.resolve import (
    declared_snapshot,
    marker_environment,
    marker_holds,
    resolve_sides,
)
from parity.lock.formats.detect import detect_format

__all__ = [
    "CONDA_ENV",
    "CONDA_LOCK",
    "POETRY_LOCK",
    "PROJECT_LOCKS",
    "PYLOCK",
    "REQUIREMENTS",
    "REQUIREMENTS_LOCK",
    "SNAPSHOT_JSON",
    "UV_LOCK",
    "DeclaredSide",
    "Side",
    "declared_from_text",
    "declared_snapshot",
    "detect_format",
    "display_label",
    "live_side",
    "marker_environment",
    "marker_holds",
    "project_direct_names",
    "read_side",
    "resolve_sides",
    "spec_pins",
]
