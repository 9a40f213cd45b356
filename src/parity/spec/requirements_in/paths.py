"""Paths a requirements file names, made project-relative and kept inside the project."""

from __future__ import annotations

import errno
import os
from pathlib import Path, PurePosixPath

from parity.errors import SpecError
from parity.fsutil import is_link_loop
from parity.spec.model import SourceRef
from parity.spec.requirements_in.line import URL


def relative_target(base: PurePosixPath, value: str, ref: SourceRef) -> str:
    """A -r/-c target as a project-relative POSIX path (pip reads it from the file's dir)."""
    if URL.match(value):
        raise SpecError(
            f"remote file {value} cannot be an input",
            path=ref.path,
            line=ref.line,
            hint="Copy the file into the project and name it by its path.",
        )
    if "${" in value:
        raise SpecError(
            f"cannot follow {value!r}: it names an environment variable",
            path=ref.path,
            line=ref.line,
            hint="Name the file by its path; parity must read it to lock.",
        )
    return _normalize(PurePosixPath(base, value.replace("\\", "/")))


def project_relative(root: Path, target: str) -> str:
    """An absolute include named relative to the project: a spec holds no machine path."""
    if not target.startswith("/"):
        return target
    return Path(os.path.relpath(target, root)).as_posix()


ALLOW_VARIABLE = "PARITY_ALLOW_INCLUDE"


def _refuse_link_loop(path: Path) -> None:
    """Raise OSError for a link loop: Python 3.13's resolve() no longer does."""
    if path.is_symlink():
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise


def confine(root: Path, target: str, ref: SourceRef, option: str) -> None:
    """Refuse a ``-r``/``-c`` file outside the project, unless the user allowed its folder.

    A requirements file is code review's blind spot: ``-r /etc/shadow`` or a
    link to it in a pull request would print a line of it into a CI log.  So
    includes stay inside the project (links resolved); folders outside it
    are allowed only through the ``PARITY_ALLOW_INCLUDE`` environment variable
    (paths separated by the OS path separator), which no repository can set.
    """
    try:
        _refuse_link_loop(root / target)
        resolved = (root / target).resolve()
        inside = resolved.is_relative_to(root.resolve())
        if is_link_loop(root / target):
            raise RuntimeError("symbolic link loop")  # as Python < 3.13 does
    except (OSError, RuntimeError):
        raise SpecError(
            f"{option} {target}: a symbolic link loop",
            path=ref.path,
            line=ref.line,
            hint="Fix or remove the link.",
        ) from None
    if inside:
        return
    allowed = [
        Path(d).expanduser().resolve()
        for d in os.environ.get(ALLOW_VARIABLE, "").split(os.pathsep)
        if d.strip()
    ]
    if any(resolved.is_relative_to(folder) for folder in allowed):
        return
    raise SpecError(
        f"{option} {target}: the file is outside the project",
        path=ref.path,
        line=ref.line,
        hint="Copy it into the project, or allow its folder with "
        f"{ALLOW_VARIABLE}=<folder> in the environment (not in the repository).",
    )


def _normalize(path: PurePosixPath) -> str:
    if path.is_absolute():
        return "/" + _normalize(PurePosixPath(*path.parts[1:]))
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            else:
                parts.append(part)
        elif part != ".":
            parts.append(part)
    return "/".join(parts) or "."


def rebase_location(base: PurePosixPath, value: str) -> str:
    """A relative find-links directory of a nested file, made relative to the project.

    pip reads it relative to the file; the spec keeps every path relative to
    the project root.  URLs, absolute paths and ``${VAR}`` stay as written.
    """
    if str(base) in ("", ".") or URL.match(value) or value.startswith(("/", "~", "$", "file:")):
        return value
    rebased = _normalize(PurePosixPath(base, value))
    return rebased if rebased.startswith(".") else f"./{rebased}"
