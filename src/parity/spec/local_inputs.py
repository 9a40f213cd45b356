"""Digests of the source-tree packages a lock depends on.

A workspace member or a local path requirement (``-e ./libs/foo``) brings
its own requirements into the lock: they are read by the resolver from that
directory's metadata, not by parity from the project's inputs.  Without a
digest of them, adding a dependency to ``backend/pyproject.toml`` would leave
the lock "fresh" while it lacks that dependency.  So each such directory's
metadata files are inputs of their own: the tables of a pyproject.toml that
decide what the package needs (as parsed, so a comment or a tool setting does
not make the lock stale), and setup.py / setup.cfg as text (they can declare
requirements in code, and parity does not run them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from parity import toml as tomllib
from parity.fsutil import sha256_text
from parity.spec.digest import digest_data
from parity.spec.model import InputFile

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from typing import Any

# The pyproject tables that change what a package requires or how it is built.
_PROJECT_KEYS = (
    "name",
    "version",
    "dependencies",
    "optional-dependencies",
    "requires-python",
    "dynamic",
)


# The input that stands for the project's own metadata when a requirement installs the
# project (``-e .``) and its pyproject.toml is not otherwise read for requirements.
ROOT_METADATA = "pyproject.toml [project]"


def local_package_inputs(
    root: Path, directories: Iterable[str], *, root_pyproject_read: bool = True
) -> list[InputFile]:
    """One input per metadata file of each local package directory (project-relative).

    The project's own pyproject.toml is usually an input already (its
    requirements, as parsed); when the project is installed by a requirement
    (``-e .`` in a requirements file) and ``root_pyproject_read`` is False, its
    metadata is an input of its own, since uv reads its dependencies from it.
    """
    out: list[InputFile] = []
    for directory in sorted(set(directories)):
        base = root / directory
        if not base.is_dir():
            continue
        prefix = "" if directory in ("", ".") else directory.rstrip("/") + "/"
        pyproject = base / "pyproject.toml"
        if pyproject.is_file() and prefix:
            out.append(_pyproject_input(f"{prefix}pyproject.toml", pyproject))
        elif pyproject.is_file() and not root_pyproject_read:
            out.append(_pyproject_input(ROOT_METADATA, pyproject))
        for name in ("setup.py", "setup.cfg"):
            path = base / name
            if path.is_file():
                out.append(InputFile(f"{prefix}{name}", sha256_text(_text(path))))
    return out


def _pyproject_input(shown: str, path: Path) -> InputFile:
    text = _text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        # Unreadable here; the resolver reports it. Any edit still counts.
        return InputFile(shown, sha256_text(text))
    return digest_data(shown, _resolution_tables(data))


def _resolution_tables(data: Mapping[str, Any]) -> dict[str, Any]:
    project = data.get("project")
    tool = data.get("tool")
    tool = tool if isinstance(tool, Mapping) else {}
    uv = tool.get("uv")
    poetry = tool.get("poetry")
    setuptools = tool.get("setuptools")
    return {
        "project": {k: project.get(k) for k in _PROJECT_KEYS}
        if isinstance(project, Mapping)
        else None,
        "dependency-groups": data.get("dependency-groups"),
        "build-system": data.get("build-system"),
        "uv": {k: uv.get(k) for k in ("sources", "dev-dependencies")}
        if isinstance(uv, Mapping)
        else None,
        "poetry": {k: poetry.get(k) for k in ("dependencies", "group", "dev-dependencies")}
        if isinstance(poetry, Mapping)
        else None,
        "setuptools-dynamic": setuptools.get("dynamic")
        if isinstance(setuptools, Mapping)
        else None,
    }


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""
