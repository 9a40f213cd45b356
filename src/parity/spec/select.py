"""Which groups a command line names: by group, or by the input files they are read from.

``parity lock requirements/dev.in`` locks the group read from that file, as
``pip-compile requirements/dev.in`` compiles it; ``parity lock pyproject.toml``
the groups read from pyproject.toml.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from parity.errors import UsageError
from parity.spec.model import ProjectSpec


def groups_of_inputs(
    spec: ProjectSpec, inputs: Sequence[str | os.PathLike[str]], *, cwd: Path | None = None
) -> tuple[str, ...]:
    """The groups read from ``inputs`` (paths relative to ``cwd``, else to the project)."""
    base = cwd or Path.cwd()
    found: list[str] = []
    for item in inputs:
        path = Path(item)
        full = (path if path.is_absolute() else base / path).resolve()
        if not full.exists():
            full = (spec.root / path).resolve()
        try:
            relative = full.relative_to(spec.root).as_posix()
        except ValueError:
            raise UsageError(
                f"{item} is outside the project", hint="Name an input file of the project."
            ) from None
        reading = [g.name for g in spec.groups if relative in g.files]
        if not reading:
            known = sorted({f for g in spec.groups for f in g.files})
            raise UsageError(
                f"{relative} is not an input of this project",
                hint=f"Its inputs are: {', '.join(known)}.",
            )
        # A file that defines a group selects that group, not those that include it.
        own = [g.name for g in spec.groups if g.source and g.source.path == relative]
        found += own or reading
    return tuple(dict.fromkeys(found))


def check_groups(spec: ProjectSpec, groups: Sequence[str]) -> tuple[str, ...]:
    """``groups``, each a group of the project (a usage error names the known ones)."""
    for name in groups:
        if not spec.has_group(name):
            raise UsageError(
                f"unknown group {name!r}",
                hint=f"This project's groups are: {', '.join(spec.group_names)}.",
            )
    return tuple(dict.fromkeys(groups))
