"""Create environments, and remove only those parity can prove it created.

``sync --venv DIR`` names a directory that parity may have to replace (a
wrong Python, ``--recreate``).  Replacing means deleting, and a typo in
``--venv`` must never cost a user their source folder or their project.  So
every environment parity creates gets a marker, written *before* uv fills the
directory, that records a digest of the directory's own resolved path.  A
directory is removed only when it carries that marker and still sits where the
marker says; anything else is refused with exit code 2.

The marker is removed last, so an interrupted removal leaves a directory that
can still be proven parity's and is cleaned up by the next run.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from parity.env.installed import VenvInfo, read_venv
from parity.errors import EngineError, EnvironmentError_
from parity.frozen import dataclass

MARKER_NAME = ".parity-venv.json"
MARKER_SCHEMA = "parity/venv@1"


@dataclass(frozen=True)
class Placement:
    """Where an environment goes, and what is there now."""

    path: Path
    shown: str  # how messages name it (as the user wrote it)
    exists: bool
    empty: bool
    owned: bool  # carries parity's marker for this very path
    venv: VenvInfo | None


def path_digest(path: Path) -> str:
    """A digest of the directory's resolved location (the marker never holds the path itself)."""
    return "sha256:" + hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()


def marker_text(path: Path) -> str:
    data = {"schema": MARKER_SCHEMA, "created-by": "parity", "location": path_digest(path)}
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def is_owned(path: Path) -> bool:
    """Whether ``path`` holds parity's marker, written for this very location."""
    try:
        data = json.loads((path / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return (
        isinstance(data, dict)
        and data.get("schema") == MARKER_SCHEMA
        and data.get("location") == path_digest(path)
    )


def place(root: Path, venv: str) -> Placement:
    """Decide where ``--venv`` points and refuse places no environment may go.

    Raises for the project folder itself or one of its parents, a file, and a
    symbolic link (whose target parity cannot vouch for).
    """
    shown = venv
    path = Path(os.path.abspath(root / venv))
    resolved_root = root.resolve()
    if path.is_symlink():
        raise EnvironmentError_(
            f"{shown} is a symbolic link; parity does not create or replace environments "
            "through links",
            hint="Point --venv at a real directory.",
        )
    resolved = path.resolve()
    if resolved == resolved_root or resolved in resolved_root.parents:
        raise EnvironmentError_(
            f"--venv {shown} is the project folder or one of its parents, not an environment",
            hint="Use a folder of its own, such as the default .venv.",
        )
    if path.exists() and not path.is_dir():
        raise EnvironmentError_(
            f"{shown} exists and is not a directory",
            hint="Remove it or choose another --venv.",
        )
    exists = path.is_dir()
    empty = exists and not any(os.scandir(path))
    try:
        venv_info = read_venv(path) if exists else None
    except EnvironmentError_:
        venv_info = None
    return Placement(
        path=path,
        shown=shown,
        exists=exists,
        empty=empty,
        owned=exists and is_owned(path),
        venv=venv_info,
    )


def refuse_replace(placement: Placement, why: str) -> EnvironmentError_:
    """The error for a directory parity would have to delete but cannot prove it created."""
    shown = placement.shown
    if placement.venv is not None:
        return EnvironmentError_(
            f"{shown} must be rebuilt ({why}), but it is an environment parity did not "
            "create, so parity will not delete it",
            hint=f"Remove it yourself (rm -rf {shown}) and run the command again, "
            "or pass --venv to use another folder.",
        )
    return EnvironmentError_(
        f"{shown} exists and is not a virtual environment; parity will not replace it",
        hint="Choose another folder with --venv (the default is .venv).",
    )


def remove_owned(placement: Placement) -> None:
    """Delete an environment parity created (the marker goes last)."""
    if not placement.owned:
        raise refuse_replace(placement, "it must be replaced")
    path = placement.path
    try:
        for entry in os.scandir(path):
            if entry.name == MARKER_NAME:
                continue
            if entry.is_dir(follow_symlinks=False):
                import shutil

                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        (path / MARKER_NAME).unlink(missing_ok=True)
        path.rmdir()
    except OSError as exc:
        raise EnvironmentError_(
            f"cannot remove {placement.shown}: {exc.strerror or exc}",
            hint="Check its permissions, then run the command again.",
        ) from None


def create(placement: Placement, interpreter: Path) -> VenvInfo:
    """A fresh venv at an absent or empty directory, marked as parity's before uv fills it."""
    from parity.uv import run_uv

    path = placement.path
    try:
        path.mkdir(parents=True, exist_ok=True)
        (path / MARKER_NAME).write_text(marker_text(path), encoding="utf-8")
    except OSError as exc:
        raise EnvironmentError_(
            f"cannot create {placement.shown}: {exc.strerror or exc}",
            hint="Check that the folder is writable.",
        ) from None
    proc = run_uv(
        [
            "venv",
            str(path),
            "--quiet",
            "--no-project",
            "--allow-existing",
            "--python",
            str(interpreter),
        ]
    )
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        raise EngineError(
            f"could not create {placement.shown}: {lines[-1] if lines else 'uv venv failed'}",
            hint="Check that the directory is writable and the interpreter runs.",
        )
    venv = read_venv(path)
    if venv is None:
        raise EngineError(f"uv created no virtual environment at {placement.shown}")
    return venv
