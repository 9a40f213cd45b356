"""Which interpreter a snapshot probes, and how reports name it.

An interpreter path, a command on PATH, an environment directory, or the
running interpreter; the label names the environment (``.venv``), not
``python``, and never holds a path outside the working directory.
"""

from __future__ import annotations

import os
import sys

from parity.envpython import environment_python, is_running
from parity.errors import EnvironmentError_
from parity.fsutil import path_text

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads
if TYPE_CHECKING:
    from collections.abc import Mapping

# Paths are strings spelled as pathlib spells them (fsutil.path_text): pathlib
# itself, with re and urllib.parse, costs more than a whole snapshot.


class Target:
    """The interpreter to probe; ``interpreter`` None means the running one.

    A plain class, not a dataclass: dataclasses (with inspect) cost a third of a snapshot.
    """

    __slots__ = ("interpreter", "label", "shown")

    def __init__(self, interpreter: str | None, shown: str, label: str) -> None:
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
    python: os.PathLike[str] | str | None,
    env_dir: os.PathLike[str] | str | None,
    cwd: os.PathLike[str] | str,
    environ: Mapping[str, str],
) -> Target:
    """Which interpreter to run, and how to name it; raises when there is none."""
    if python is not None and env_dir is not None:
        raise EnvironmentError_(
            "give an interpreter or an environment directory, not both",
            hint="Use --python for an interpreter, or --env for a venv or conda prefix.",
        )
    base = path_text(cwd)
    if env_dir is not None:
        given = path_text(env_dir)
        root = _absolute(given, base)
        shown = display_path(given, base)
        return Target(env_interpreter(root, shown), shown, shown)
    if python is not None:
        return _python_target(os.fspath(python), base, environ)
    root = sys.prefix
    if sys.prefix != getattr(sys, "base_prefix", sys.prefix) or os.path.isdir(
        os.path.join(root, "conda-meta")
    ):
        name = display_path(path_text(root), base)
        if _elsewhere(root, base) and os.path.exists(os.path.join(base, name)):
            # parity installed apart (pipx, uv tool) and run in a project with its own .venv:
            # the bare name would pass for the project's environment.
            name = f"{name} (parity's own, outside this directory)"
    else:
        executable = path_text(sys.executable)
        name = (os.path.basename(executable) if executable != "." else "") or "python"
    return Target(None, name, name)


def _elsewhere(root: str, cwd: str) -> bool:
    """Whether ``root`` lies outside ``cwd`` (links resolved)."""
    real_root, real_cwd = os.path.realpath(root), os.path.realpath(cwd)
    inside = real_cwd if real_cwd.endswith(os.sep) else real_cwd + os.sep
    return real_root != real_cwd and not real_root.startswith(inside)


def _python_target(arg: str, cwd: str, environ: Mapping[str, str]) -> Target:
    given = path_text(arg)
    path_like = os.path.isabs(given) or "/" in arg or "\\" in arg
    if path_like:
        full = _absolute(given, cwd)
        shown = display_path(given, cwd)
    else:
        from parity.interpreters import find_command  # a command on PATH: shims and all

        found = find_command(arg, environ)
        if found is None:
            raise EnvironmentError_(
                "no such interpreter on PATH",
                path=arg,
                hint="Give the path of a Python executable, or a command on PATH such as python3.11.",
            )
        full, shown = str(found), arg
    if os.path.isdir(full):  # an environment directory given as --python: be helpful
        return Target(env_interpreter(full, shown), shown, shown)
    if not os.path.isfile(full) or not os.access(full, os.X_OK):
        raise EnvironmentError_(
            "no such interpreter" if not os.path.exists(full) else "not an executable file",
            path=shown,
            hint="Give the path of a Python executable (for a venv: .venv/bin/python), "
            "or the environment directory with --env.",
        )
    label = shown
    if path_like:
        # Inside a venv or conda prefix the environment names the side, not "python".
        parents = _parents(given)
        parent = parents[0] if parents else given
        depth = 2 if os.path.basename(parent) in ("bin", "Scripts") else 1
        root = parents[depth - 1] if len(parents) >= depth else parent
        full_root = _absolute(root, cwd)
        if os.path.isfile(os.path.join(full_root, "pyvenv.cfg")) or os.path.isdir(
            os.path.join(full_root, "conda-meta")
        ):
            label = display_path(root, cwd)
    interpreter = None if is_running(full) else full
    return Target(interpreter, shown, label)


def env_interpreter(root: str, shown: str) -> str | None:
    """The interpreter of a venv or conda prefix; None when it is the running one."""
    if not os.path.isdir(root):
        raise EnvironmentError_(
            "no such directory",
            path=shown,
            hint="Give the root of a virtual environment or conda prefix, "
            "or an interpreter with --python.",
        )
    candidate = environment_python(root)
    if candidate is not None:
        return None if is_running(candidate) else candidate
    raise EnvironmentError_(
        "no Python interpreter in this directory (looked for bin/python and Scripts/python.exe)",
        path=shown,
        hint="Give the root of a virtual environment (the directory that holds pyvenv.cfg) or "
        "of a conda prefix (it holds conda-meta/), or an interpreter with --python.",
    )


def _absolute(path: str, cwd: str) -> str:
    return path if os.path.isabs(path) else os.path.join(cwd, path)


def _parents(path: str) -> list[str]:
    """``Path(path).parents``, as strings."""
    out: list[str] = []
    current = path
    while True:
        parent = os.path.dirname(current) or "."
        if parent == current:
            return out
        out.append(parent)
        current = parent


def display_path(path: str, cwd: str) -> str:
    """A path as reports show it: relative to ``cwd`` when inside, else its last component.

    Both are spelled as pathlib spells them (:func:`parity.fsutil.path_text`).
    """
    if not os.path.isabs(path):
        text = path.replace(os.sep, "/").rstrip("/")
        return text or "."
    if path == cwd:
        return "."
    inside = cwd if cwd.endswith(os.sep) else cwd + os.sep
    if path.startswith(inside):
        return path[len(inside) :].replace(os.sep, "/")
    return os.path.basename(path) or "/"
