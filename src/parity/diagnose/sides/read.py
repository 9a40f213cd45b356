"""Read the side the user named: a file, an environment or a project directory."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from parity.diagnose.sides.lockfiles import conda_side, poetry_side, pylock_side, uv_side
from parity.diagnose.sides.model import (
    CONDA_ENV,
    CONDA_LOCK,
    POETRY_LOCK,
    PYLOCK,
    REQUIREMENTS,
    SNAPSHOT_JSON,
    UV_LOCK,
    DeclaredSide,
    Side,
)
from parity.diagnose.sides.requirements import requirements_side
from parity.env.snapshot_model import Snapshot
from parity.errors import LockFileError, ParityError, UsageError
from parity.frozen import replace
from parity.lock.formats.detect import detect_format

# Which file of a project directory stands for it, in order of preference.
PROJECT_LOCKS = ("requirements.txt", "pylock.toml", "uv.lock", "poetry.lock")


def read_side(arg: str, *, cwd: Path | None = None, groups: frozenset[str] = frozenset()) -> Side:
    """Read the side the user named on the command line (a file or a directory)."""
    base = cwd or Path.cwd()
    path = Path(arg)
    full = path if path.is_absolute() else base / path
    label = display_label(arg, base)
    if full.is_dir():
        if (full / "pyvenv.cfg").is_file() or (full / "conda-meta").is_dir():
            return live_side(env_dir=arg, cwd=base)
        return project_side(full, label, groups)
    if not full.exists() and not full.is_symlink():
        raise UsageError(
            f"{label}: no such file or directory",
            hint="Give a snapshot JSON file, a lockfile, a requirements file, an environment "
            "directory or a project directory.",
        )
    text = read_text(full, label)
    fmt = detect_format(full.name, text, label=label)
    if fmt == SNAPSHOT_JSON:
        return _snapshot_file(full, label)
    return declared_from_text(
        text,
        fmt=fmt,
        label=label,
        groups=groups,
        include=_includer(full.parent),
        directory=full.parent,
    )


def live_side(
    *, python: str | None = None, env_dir: str | None = None, cwd: Path | None = None
) -> Snapshot:
    """Capture a live environment: an interpreter (``--python``) or a directory (``--env``)."""
    base = cwd or Path.cwd()
    arg = python or env_dir or ""
    label = display_label(arg, base)
    capture = _optional("parity.env.snapshot", "capture_snapshot")
    if capture is None:
        raise UsageError(
            "capturing a live environment is not available in this build of parity",
            hint="Compare snapshot files instead: `parity snapshot` on each machine, then "
            "`parity diff a.json b.json`.",
        )
    env_path = None
    if env_dir is not None:
        env_path = Path(env_dir) if Path(env_dir).is_absolute() else base / env_dir
    snapshot: Snapshot = capture(python=python, env_dir=env_path, label=label)
    return snapshot if snapshot.label == label else replace(snapshot, label=label)


def declared_from_text(
    text: str,
    *,
    fmt: str,
    label: str,
    groups: frozenset[str] = frozenset(),
    include: Callable[[str], str] | None = None,
    directory: Path | None = None,
) -> DeclaredSide:
    """Read the pins of a lock or requirements file (``fmt`` from ``detect_format``).

    ``directory``: where the file is, for a poetry.lock that needs its pyproject.toml.
    """
    if fmt in (CONDA_ENV, CONDA_LOCK):
        return conda_side(text, fmt=fmt, label=label, groups=groups, include=include)
    if fmt == PYLOCK:
        return pylock_side(text, label, groups)
    if fmt == POETRY_LOCK:
        return poetry_side(text, label, groups, project=directory)
    if fmt == UV_LOCK:
        return uv_side(text, label, groups)
    if fmt == REQUIREMENTS:
        recorded = re.search(r"^# parity:group (\S+)\s*$", text[:4000], re.M)
        if groups and not (recorded and groups == {recorded.group(1)}):
            # A parity lockfile of exactly the group asked for is that group: fine.
            raise UsageError(
                f"{label} is one group's file, so -g {', '.join(sorted(groups))} cannot "
                "select in it",
                hint="Name the group's own lockfile instead, or the project directory with -g.",
            )
        return requirements_side(text, label=label, include=include)
    raise UsageError(f"{label}: cannot read a {fmt} file as pins", hint=None)


def project_side(root: Path, label: str, groups: frozenset[str]) -> DeclaredSide:
    """A project directory: its parity lock for the groups asked, else the lock it has."""
    own = _group_lock(root, groups)
    candidates = [root / own] if own else []
    if not candidates:
        candidates = [root / name for name in PROJECT_LOCKS]
        candidates += sorted(
            p for p in root.glob("requirements*.txt") if p.name not in PROJECT_LOCKS
        )
    for candidate in candidates:
        if candidate.is_file():
            shown = candidate.relative_to(root).as_posix()
            inner = f"{label.rstrip('/')}/{shown}" if label not in ("", ".") else shown
            text = read_text(candidate, inner)
            fmt = detect_format(candidate.name, text, label=inner)
            return declared_from_text(
                text,
                fmt=fmt,
                label=inner,
                groups=frozenset() if own else groups,
                include=_includer(candidate.parent),
                directory=candidate.parent,
            )
    raise UsageError(
        f"{label}: no lockfile in this directory (looked for {', '.join(PROJECT_LOCKS)}, "
        "requirements*.txt)",
        hint="Run `parity lock` there, or name the file to compare.",
    )


def _group_lock(root: Path, groups: frozenset[str]) -> str | None:
    """The lockfile of the one group ``-g`` names, when the directory is a parity project."""
    if len(groups) != 1:
        return None
    load = _optional("parity.spec.load", "load_project")
    if load is None:
        return None
    try:
        spec = load(root.resolve())
    except ParityError:
        return None
    (group,) = groups
    if not spec.has_group(group):
        if not (root / "uv.lock").is_file() and not (root / "pylock.toml").is_file():
            raise UsageError(
                f"{root.name} has no group {group!r}",
                hint=f"Its groups are: {', '.join(spec.group_names)}.",
            )
        return None
    output: str = spec.group(group).output
    return output if (root / output).is_file() else None


def display_label(arg: str, cwd: Path) -> str:
    """How reports name a side: the path as the user gave it, never a machine path.

    An absolute path becomes relative to the working directory, or its last
    component when it lies elsewhere.
    """
    path = Path(arg)
    if not path.is_absolute():
        return arg.rstrip("/\\") or arg
    try:
        return path.relative_to(cwd).as_posix() or "."
    except ValueError:
        return path.name or arg


def _snapshot_file(path: Path, label: str) -> Snapshot:
    read = _optional("parity.env.snapshot_json", "read_snapshot")
    if read is None:
        raise UsageError(
            f"{label}: reading snapshot files is not available in this build of parity",
            hint="Compare lockfiles or live environments instead.",
        )
    snapshot: Snapshot = read(path, source=label)
    return replace(snapshot, label=label)


def read_text(path: Path, label: str) -> str:
    from parity.textfile import read_text_file

    try:
        return read_text_file(path, shown=label, error=LockFileError)
    except FileNotFoundError:
        raise UsageError(f"{label}: no such file", hint=None) from None


def _includer(directory: Path) -> Callable[[str], str]:
    """Reads the files of ``-r`` lines, relative to the including file."""

    def read(name: str) -> str:
        path = directory / name
        if not path.is_file():
            raise LockFileError(
                f"included file {name} not found",
                path=name,
                hint="Fix the -r line, or compare the lockfile instead.",
            )
        return read_text(path, name)

    return read


def _optional(module: str, attribute: str) -> Any:
    """A function of a module that may not be part of this build (None when absent)."""
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return None
    return getattr(loaded, attribute, None)


def project_direct_names(root: Path) -> tuple[frozenset[str], str | None]:
    """The names the project requires directly (every group), and a note when unknown."""
    load = _optional("parity.spec.load", "load_project")
    if load is None:
        return frozenset(), "--project ignored: reading project requirements is not available"
    spec = load(root.resolve())
    names = {
        canonicalize_name(str(req.name)) for group in spec.groups for req in group.requirements
    }
    return frozenset(names), None
