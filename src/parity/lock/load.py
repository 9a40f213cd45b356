"""Reading a project's lock back from its lockfiles: the one place that knows where.

Each group of a :class:`~parity.spec.model.ProjectSpec` is locked into its own
requirements file (``Group.output``); together they are the project's
:class:`~parity.lock.model.Lock`.  Everything that needs the lock (sync,
check, why, verify, export, the next ``parity lock``) reads it here.
"""

from __future__ import annotations

from collections.abc import Iterable

from parity.errors import LockFileError
from parity.lock.formats import requirements_txt
from parity.lock.model import Lock, LockedGroup
from parity.spec.model import ProjectSpec


def read_group(spec: ProjectSpec, name: str, *, sealed: bool = False) -> LockedGroup:
    """The lock of one group; raises :class:`LockFileError` (``LockFileMissing`` when absent).

    ``sealed``: for a caller that reports a file whose seal does not hold (``check``):
    a file whose seal holds has its markers taken as written, as parity wrote them.
    """
    output = spec.group(name).output
    return requirements_txt.read(spec.root / output, display=output, sealed=sealed)


def read_groups(
    spec: ProjectSpec, names: Iterable[str] | None = None, *, sealed: bool = False
) -> tuple[dict[str, LockedGroup], dict[str, LockFileError]]:
    """Every group's lock (or the named groups'), and why each unreadable one is not there."""
    wanted = spec.group_names if names is None else tuple(names)
    locks: dict[str, LockedGroup] = {}
    errors: dict[str, LockFileError] = {}
    for name in wanted:
        try:
            locks[name] = read_group(spec, name, sealed=sealed)
        except LockFileError as exc:
            errors[name] = exc
    return locks, errors


def load_lock(spec: ProjectSpec, *, groups: Iterable[str] | None = None) -> Lock:
    """The project's lock: every group (or those named); raises for any it cannot read."""
    locks, errors = read_groups(spec, groups)
    if errors:
        raise next(iter(errors.values()))
    ordered = tuple(locks.values())
    if not ordered:
        raise LockFileError("the project has no groups to read a lock for")
    return Lock(groups=ordered, meta=ordered[0].meta)
