"""Which interpreter a snapshot probes, and how reports name it.

An interpreter path, a command on PATH, an environment directory, or the
running interpreter; the label names the environment (``.venv``), not
``python``, and never holds a path outside the working directory.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from parity.errors import EnvironmentError_
from parity.interpreters import environment_interpreter, find_command, is_running

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads
if TYPE_CHECKING:
    from collections.abc import Mapping


class Target:
    """The interpreter to probe; ``interpreter`` None means the running one.

    A plain class, not a dataclass: dataclasses (with inspect) cost a third of a snapshot.
    """

    __slots__ = ("interpreter", "label", "shown")

    def __init__(self, interpreter: Path | None, shown: str, label: str) -> None:
        self.interpreter = interpreter
        self.shown = shown  # how messages name it (relative to the working directory when inside)
        self.label = label  # the default snapshot label

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Target):
            return NotImplemented
        return (self.interpreter, self.shown, self.label) == (
            other.interpreter,
            other.shown,
            other.label,
        )

    def __hash__(self) -> int:
        return hash((self.interpreter, self.shown, self.label))

    def __repr__(self) -> str:
        return (
            f"Target(interpreter={self.interpreter!r}, shown={self.shown!r}, label={self.label!r})"
        )


def locate_target(
    *,
    python: Path | str | None,
    env_dir: Path | str | None,
    cwd: Path,
    environ: Mapping[str, str],
) -> Target:
    """Which interpreter to run, and how to name it; raises when there is none."""
    if python is not None and env_dir is not None:
        raise EnvironmentError_(
            "give an interpreter or an environment directory, not both",
            hint="Use --python for an interpreter, or --env for a venv or conda prefix.",
        )
    if env_dir is not None:
        root = _absolute(Path(env_dir), cwd)
        shown = display_path(Path(env_dir), cwd)
        return Target(env_interpreter(root, shown), shown, shown)
    if python is not None:
        return _python_target(str(python), cwd, environ)
    current = Path(sys.executable)
    root = Path(sys.prefix)
    if sys.prefix != getattr(sys, "base_prefix", sys.prefix) or (root / "conda-meta").is_dir():
        name = display_path(root, cwd)
    else:
        name = current.name or "python"
    return Target(None, name, name)


def _python_target(arg: str, cwd: Path, environ: Mapping[str, str]) -> Target:
    given = Path(arg)
    path_like = given.is_absolute() or "/" in arg or "\\" in arg
    if path_like:
        full = _absolute(given, cwd)
        shown = display_path(given, cwd)
    else:
        found = find_command(arg, environ)
        if found is None:
            raise EnvironmentError_(
                "no such interpreter on PATH",
                path=arg,
                hint="Give the path of a Python executable, or a command on PATH such as python3.11.",
            )
        full, shown = found, arg
    if full.is_dir():  # an environment directory given as --python: be helpful
        return Target(env_interpreter(full, shown), shown, shown)
    if not full.is_file() or not os.access(full, os.X_OK):
        raise EnvironmentError_(
            "no such interpreter" if not full.exists() else "not an executable file",
            path=shown,
            hint="Give the path of a Python executable (for a venv: .venv/bin/python), "
            "or the environment directory with --env.",
        )
    label = shown
    if path_like:
        # Inside a venv or conda prefix the environment names the side, not "python".
        depth = 2 if given.parent.name in ("bin", "Scripts") else 1
        root = given.parents[depth - 1] if len(given.parents) >= depth else given.parent
        full_root = _absolute(root, cwd)
        if (full_root / "pyvenv.cfg").is_file() or (full_root / "conda-meta").is_dir():
            label = display_path(root, cwd)
    interpreter = None if is_running(full) else full
    return Target(interpreter, shown, label)


def env_interpreter(root: Path, shown: str) -> Path | None:
    """The interpreter of a venv or conda prefix; None when it is the running one."""
    if not root.is_dir():
        raise EnvironmentError_(
            "no such directory",
            path=shown,
            hint="Give the root of a virtual environment or conda prefix, "
            "or an interpreter with --python.",
        )
    candidate = environment_interpreter(root)
    if candidate is not None:
        return None if is_running(candidate) else candidate
    raise EnvironmentError_(
        "no Python interpreter in this directory (looked for bin/python and Scripts/python.exe)",
        path=shown,
        hint="Give the root of a virtual environment (the directory that holds pyvenv.cfg) or "
        "of a conda prefix (it holds conda-meta/), or an interpreter with --python.",
    )


def _absolute(path: Path, cwd: Path) -> Path:
    return path if path.is_absolute() else cwd / path


def display_path(path: Path, cwd: Path) -> str:
    """A path as reports show it: relative to ``cwd`` when inside, else its last component."""
    if not path.is_absolute():
        text = path.as_posix().rstrip("/")
        return text or "."
    try:
        return path.relative_to(cwd).as_posix() or "."
    except ValueError:
        return path.name or "/"
