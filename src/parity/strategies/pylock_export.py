"""``parity export --to pylock``: the lock as PEP 751 ``pylock.toml``.

A pylock.toml names every file's URL, which parity's requirements lockfiles do
not hold, so the export asks uv again with the current pins kept (no network
when its cache has the pages, ``parity lock`` usually filled it) and refuses
when the answer is not exactly the current lock: a pylock.toml that disagreed
with requirements*.txt would be worse than none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parity.errors import UsageError
from parity.lock.model import Lock
from parity.spec.model import ProjectSpec
from parity.strategies.base import FileOutput, Rendered, Request, check_relative

NAME = "pylock"
NEEDS_LOCK = True
OPTIONS = ("output",)
DEFAULT_OUTPUT = "pylock.toml"


def prepare(spec: ProjectSpec, lock: Lock, options: Mapping[str, Any]) -> Lock:
    """The current lock with its pylock.toml text, from a dry-run resolution."""
    from parity.lock.locker import LockOptions, lock_project

    outcome = lock_project(spec, LockOptions(dry_run=True, pylock=True))
    for group in lock.groups:
        fresh = {(p.name, p.version, p.marker) for p in outcome.lock.group(group.name).pins}
        current = {(p.name, p.version, p.marker) for p in group.pins}
        if fresh != current:
            raise UsageError(
                f"{group.output} is not what the project's inputs resolve to any more",
                path=group.output,
                hint="Run `parity lock` (it writes pylock.toml too), then export.",
            )
    if outcome.lock.pylock is None:
        raise UsageError(
            "pylock.toml cannot be written for this project: "
            + "; ".join(outcome.notes or ("uv did not export one",)),
        )
    return outcome.lock


def render(request: Request) -> Rendered:
    lock = request.lock
    assert lock is not None
    if lock.pylock is None:
        raise UsageError("no pylock.toml text to write", hint="Run `parity lock` first.")
    output = check_relative(request.option("output") or DEFAULT_OUTPUT)
    name = output.rsplit("/", 1)[-1]
    if not (name == "pylock.toml" or (name.startswith("pylock.") and name.endswith(".toml"))):
        raise UsageError(
            f"PEP 751 names lockfiles pylock.toml or pylock.<name>.toml, not {name}",
            hint="Write -o pylock.toml or -o pylock.<name>.toml.",
        )
    text = FileOutput(lock.pylock, adopt=r"^\[tool\.parity\]")
    return Rendered({output: text}, artifact=NAME)
