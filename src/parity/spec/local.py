"""Local path requirements (``-e ./libs/foo``, ``.``, ``name @ file:...``).

They are stored relative to the project root, so no machine path reaches a
spec (nor, therefore, a lockfile).  The distribution name comes from the
directory's own metadata (or an archive's file name) when the line does not
give it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

from parity import toml as tomllib
from parity.errors import SpecError
from parity.patterns import lazy_pattern
from parity.spec.model import DirectRequirement, SourceRef

_PROJECT_ROOT = ("file:///${PROJECT_ROOT}", "file://${PROJECT_ROOT}")


_named = lazy_pattern(r"^[A-Za-z0-9._-]+(\[[^\]]*\])?\s*@")


def local_requirement(
    root: Path, base: PurePosixPath, value: str, ref: SourceRef, *, editable: bool
) -> DirectRequirement:
    """A local directory or archive, as ``name @ ./relative/path`` from the project root.

    ``base`` is the directory (relative to ``root``) relative paths are read
    from: the project root for requirements files (pip and uv read them from the
    working directory), the directory of a pyproject.toml for its tables.
    """
    value = value.strip()
    name: str | None = None
    marker = ""
    if ";" in value:
        value, marker_text = value.split(";", 1)
        value, marker = value.strip(), marker_text.strip()
    if _named().match(value):
        from packaging.requirements import InvalidRequirement, Requirement

        try:
            req = Requirement(value)
        except InvalidRequirement as exc:
            raise SpecError(
                f"not a valid requirement: {value!r} ({exc})",
                path=ref.path,
                line=ref.line,
                hint="Write a local path as `name @ ./path`.",
            ) from None
        name, location, extras = req.name, req.url or "", sorted(req.extras)
    else:
        match = re.match(r"^(?P<loc>.*?)(\[(?P<extras>[^\]]*)\])?$", value)
        assert match is not None
        location = match.group("loc")
        extras = sorted(e.strip() for e in (match.group("extras") or "").split(",") if e.strip())
    for project_root in _PROJECT_ROOT:
        # PDM's (and uv's) ${PROJECT_ROOT}: the directory the project is locked from.
        if location.startswith(project_root):
            location = "." + location[len(project_root) :]
    if location.startswith("file:"):
        from urllib.parse import unquote, urlsplit

        location = unquote(urlsplit(location).path)
    if "://" in location:
        if name is None:
            raise SpecError(
                f"cannot tell the package name of {value!r}",
                path=ref.path,
                line=ref.line,
                hint="Write it as `name @ <url>`.",
            )
        return DirectRequirement.make(
            value if not marker else f"{value} ; {marker}", ref, name=name, editable=editable
        )
    target = Path(os.path.normpath(root / str(base) / location))
    real_root = Path(os.path.normpath(root))
    try:
        relative = target.relative_to(real_root).as_posix() or "."
    except ValueError:
        relative = Path(os.path.relpath(target, real_root)).as_posix()
    shown = "." if relative == "." else (relative if relative.startswith(".") else f"./{relative}")
    if not target.exists():
        raise SpecError(
            f"local path {shown} does not exist",
            path=ref.path,
            line=ref.line,
            hint="Paths are relative to the file they are written in; fix the path or create it.",
        )
    if name is None:
        name = project_name(target) if target.is_dir() else archive_name(target.name)
    if name is None:
        raise SpecError(
            f"cannot tell the package name of local path {location!r}",
            path=ref.path,
            line=ref.line,
            hint=f"Write it as `name @ {shown}`, or give that directory a pyproject.toml "
            "with [project] name.",
        )
    extra_text = f"[{','.join(extras)}]" if extras else ""
    text = f"{name}{extra_text} @ {shown}" + (f" ; {marker}" if marker else "")
    return DirectRequirement.make(text, ref, name=name, editable=editable, path=relative)


def archive_name(filename: str) -> str | None:
    """The project name in a wheel's or sdist's file name, if it is one."""
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[0])
        if filename.endswith((".tar.gz", ".zip")):
            return str(parse_sdist_filename(filename)[0])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None


def project_name(directory: Path) -> str | None:
    """The distribution name a source directory declares, if it says."""
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
            data = {}
        project = data.get("project")
        tool = data.get("tool")
        poetry = tool.get("poetry") if isinstance(tool, dict) else None
        for table in (project, poetry):
            if isinstance(table, dict) and isinstance(table.get("name"), str):
                return str(table["name"])
    setup_cfg = directory / "setup.cfg"
    if setup_cfg.is_file():
        import configparser  # only for a setup.cfg: a lock of requirements files never needs it

        parser = configparser.ConfigParser()
        try:
            parser.read(setup_cfg, encoding="utf-8")
            if parser.has_option("metadata", "name"):
                return parser.get("metadata", "name")
        except (configparser.Error, UnicodeDecodeError):
            return None
    setup_py = directory / "setup.py"
    if setup_py.is_file():
        try:
            return setup_py_name(setup_py.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return None
    return None


def setup_py_name(source: str) -> str | None:
    """The ``name=`` a setup.py passes to ``setup()`` as a plain string, read without
    running it (``setup(name='latent-diffusion', ...)``); None when it is computed."""
    import ast

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if called != "setup":
            continue
        for keyword in node.keywords:
            value = keyword.value
            if (
                keyword.arg == "name"
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
            ):
                return value.value or None
    return None
