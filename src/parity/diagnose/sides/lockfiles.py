"""Lock files as diff sides: pylock.toml, poetry.lock, uv.lock and conda's files.

Each knows its groups, so ``-g`` selects among them, and a group a lock does
not have is a usage error (exit 2), never an empty side.
"""

from __future__ import annotations

from collections.abc import Callable

from parity.diagnose.sides.model import POETRY_LOCK, PYLOCK, UV_LOCK, DeclaredSide
from parity.errors import UsageError


def _unknown(label: str, group: str, known: tuple[str, ...] | list[str]) -> UsageError:
    return UsageError(
        f"{label} has no group {group!r}",
        hint=f"Its groups are: {', '.join(known) or 'none recorded'}.",
    )


def pylock_side(text: str, label: str, groups: frozenset[str]) -> DeclaredSide:
    from parity.lock.formats import pylock

    lock = pylock.parse(text, path=label)
    known = list(dict.fromkeys([*lock.dependency_groups, *lock.extras]))
    for group in sorted(groups):
        if group not in known:
            raise _unknown(label, group, known)
    chosen = groups or frozenset(lock.default_groups or lock.dependency_groups)
    return DeclaredSide(
        label=label,
        kind="lock",
        format=PYLOCK,
        pins=lock.pins,
        python=lock.python,
        groups=chosen,
    )


def poetry_side(text: str, label: str, groups: frozenset[str]) -> DeclaredSide:
    from parity.lock.formats import poetry_lock

    lock = poetry_lock.parse(text, path=label)
    main_group = poetry_lock.MAIN_GROUP
    if groups:
        known = sorted({g for p in lock.packages for g in p.groups} | {main_group})
        if not lock.records_groups and groups != {main_group}:
            raise UsageError(
                f"{label} does not record which group each package belongs to "
                f"(lock-version {lock.lock_version or 'unknown'}), so -g cannot select "
                f"{', '.join(sorted(groups))}",
                hint="Compare it without -g (every package), or relock with Poetry 2.1 or "
                "newer, which records groups.",
            )
        for group in sorted(groups):
            if group not in known:
                raise _unknown(label, group, known)
    return DeclaredSide(
        label=label, kind="lock", format=POETRY_LOCK, pins=lock.pins(groups or None)
    )


def uv_side(text: str, label: str, groups: frozenset[str]) -> DeclaredSide:
    """A uv.lock: prod plus the groups asked for, walked per environment."""
    from parity.lock.formats import uv_lock

    lock = uv_lock.parse(text, path=label)
    lock.check_groups(groups, label=label)
    roots = {r.name for r in lock.roots}
    return DeclaredSide(
        label=label,
        kind="lock",
        format=UV_LOCK,
        pins=lock.all_pins(),
        groups=groups,
        direct=frozenset(
            edge.name
            for root in lock.roots
            for edges in (root.dependencies, *(root.groups.get(g, ()) for g in groups))
            for edge in edges
            if edge.name not in roots
        ),
        graph=lock,
    )


def conda_side(
    text: str,
    *,
    fmt: str,
    label: str,
    groups: frozenset[str],
    include: Callable[[str], str] | None,
) -> DeclaredSide:
    from parity.diagnose import conda_sides

    if fmt == conda_sides.CONDA_ENV:
        pins, python, direct, notes = conda_sides.environment_side(
            text, label=label, include=include
        )
        return DeclaredSide(label, "spec", fmt, pins, python, direct, notes=notes)
    pins, python, notes = conda_sides.lock_side(text, label=label, groups=groups)
    return DeclaredSide(label, "lock", fmt, pins, python, notes=notes)
