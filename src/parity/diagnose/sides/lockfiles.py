"""Lock files as diff sides: pylock.toml, poetry.lock, uv.lock and conda's files.

Each knows its groups, so ``-g`` selects among them, and a group a lock does
not have is a usage error (exit 2), never an empty side.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from parity.diagnose.sides.model import POETRY_LOCK, PYLOCK, UV_LOCK, DeclaredSide
from parity.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from parity.lock.formats.poetry_lock import PoetryLock
    from parity.spec.model import ProjectSpec


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
        requires_python=lock.requires_python,
    )


def poetry_side(
    text: str, label: str, groups: frozenset[str], *, project: Path | None = None
) -> DeclaredSide:
    """A poetry.lock: the main group, or main and the groups asked for.

    A lock that records no groups (Poetry 1.x, lock-version 2.0) is walked from
    the requirements of those groups in the pyproject.toml beside it, as
    ``parity export`` and ``poetry export`` do; without one it can only be
    compared whole.
    """
    from parity.lock.formats import poetry_lock

    lock = poetry_lock.parse(text, path=label)
    main_group = poetry_lock.MAIN_GROUP
    # parity's prod is Poetry's main; and a group is installed on top of main, as
    # `poetry install --with dev` does and as every other side's -g dev reads.
    groups = frozenset(main_group if g == "prod" else g for g in groups)
    if not lock.records_groups:
        walked = _walked_poetry_side(lock, label, groups, project)
        if walked is not None:
            return walked
    if groups:
        known = sorted({g for p in lock.packages for g in p.groups} | {main_group})
        if not lock.records_groups and groups != {main_group}:
            raise UsageError(
                f"{label} does not record which group each package belongs to "
                f"(lock-version {lock.lock_version or 'unknown'}) and no pyproject.toml "
                f"beside it says, so -g cannot select {', '.join(sorted(groups))}",
                hint="Compare it without -g (every package), compare the project directory, "
                "or relock with Poetry 2.1 or newer, which records groups.",
            )
        for group in sorted(groups):
            if group not in known:
                raise _unknown(label, group, known)
    notes: tuple[str, ...] = ()
    if not lock.records_groups:
        notes = (
            f"{label} records no groups and no pyproject.toml beside it names the main "
            "dependencies: every package of every group is compared (but those only an extra "
            "installs)",
        )
    return DeclaredSide(
        label=label,
        kind="lock",
        format=POETRY_LOCK,
        # A package only an extra of the project installs is not in the group's environment.
        pins=lock.pins({main_group, *groups} if lock.records_groups else None, optional=False),
        notes=notes,
        requires_python=poetry_python_range(lock),
    )


def _walked_poetry_side(
    lock: PoetryLock, label: str, groups: frozenset[str], project: Path | None
) -> DeclaredSide | None:
    """The packages the groups' requirements reach in ``lock``; None without a Poetry pyproject."""
    from parity.lock.formats.poetry_lock import MAIN_GROUP, group_roots
    from parity.spec.model import DEFAULT_GROUP

    spec = _poetry_spec(project)
    if spec is None:
        return None
    # parity calls Poetry's main group prod; -g names the groups as Poetry does.
    asked = {DEFAULT_GROUP if g == MAIN_GROUP else g for g in groups}
    for group in sorted(asked):
        if not spec.has_group(group):
            known = [MAIN_GROUP if g == DEFAULT_GROUP else g for g in spec.group_names]
            raise _unknown(label, group, known)
    wanted = sorted(asked | ({DEFAULT_GROUP} if spec.has_group(DEFAULT_GROUP) else set()))
    shown = ", ".join(MAIN_GROUP if g == DEFAULT_GROUP else g for g in wanted)
    return DeclaredSide(
        label=label,
        kind="lock",
        format=POETRY_LOCK,
        pins=lock.closure(group_roots(spec, wanted)),
        groups=frozenset(groups),
        notes=(
            f"{label} records no groups (lock-version {lock.lock_version or 'unknown'}): "
            f"the packages of {shown} are those their requirements in pyproject.toml reach",
        ),
        requires_python=poetry_python_range(lock),
    )


def poetry_python_range(lock: PoetryLock) -> str | None:
    """The lock's ``python-versions`` as a PEP 440 range (None: none, or not one range)."""
    from parity.errors import SpecError
    from parity.spec.poetry import requires_python

    if not lock.python_versions:
        return None
    try:
        return requires_python(lock.python_versions)
    except SpecError:
        return None  # "^2.7 || >=3.5,<3.6" style: not one range to compare with


def _poetry_spec(project: Path | None) -> ProjectSpec | None:
    """The Poetry project beside a poetry.lock, or None (none there, or not a Poetry one)."""
    if project is None or not (project / "pyproject.toml").is_file():
        return None
    from parity.spec.load import load_project
    from parity.spec.pyproject import is_poetry, read_toml

    if not is_poetry(read_toml(project, "pyproject.toml")):
        return None
    # A pyproject.toml parity cannot read stops here with its line: comparing
    # every package instead would report the dev tools as differences.
    return load_project(project, format="poetry")


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
        requires_python=lock.requires_python,
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
