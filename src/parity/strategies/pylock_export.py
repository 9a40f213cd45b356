"""``parity export --to pylock``: the lock as PEP 751 ``pylock.toml``.

A pylock.toml names every file's URL, which parity's requirements lockfiles do
not hold, and it is sealed together with them as one generation of the lock
(``parity.lock.integrity``).  So this export is ``parity lock`` writing
pylock.toml, allowed only when the resolution gives exactly the pins the lock
already has: first a dry run compares them and refuses, writing nothing, when
they differ; then the lock is written (requirements files with the same pins,
their seals renewed, and pylock.toml).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from parity.errors import UsageError
from parity.strategies.base import Rendered, Request

NAME = "pylock"
NEEDS_LOCK = True
OPTIONS = ()


def render(request: Request) -> Rendered:
    return Rendered({}, artifact=NAME)


def after_write(root: Path, options: Mapping[str, Any]) -> Sequence[str]:
    from parity.lock.locker import LockOptions, lock_project
    from parity.strategies.run import current_lock, load_spec

    spec = load_spec(root)
    assert spec is not None
    lock = current_lock(spec)
    assert lock is not None
    dry = lock_project(spec, LockOptions(dry_run=True, pylock=True))
    for group in lock.groups:
        fresh = {(p.name, p.version, p.marker) for p in dry.lock.group(group.name).pins}
        if fresh != {(p.name, p.version, p.marker) for p in group.pins}:
            raise UsageError(
                f"{group.output} is not what the project's inputs resolve to any more",
                path=group.output,
                hint="Run `parity lock` (it writes pylock.toml too); nothing was written.",
            )
    if dry.lock.pylock is None:
        raise UsageError(
            "pylock.toml cannot be written for this project: "
            + "; ".join(dry.notes or ("uv did not export one",))
        )
    outcome = lock_project(spec, LockOptions(pylock=True))
    return (f"parity lock: wrote {', '.join(outcome.written)} (every pin unchanged)",)
