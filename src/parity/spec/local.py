"""Local path requirements (``-e ./libs/foo``, ``.``, ``name @ file:...``).

They are stored relative to the project root, so no machine path reaches a
spec (nor, therefore, a lockfile).  The distribution name comes from the
directory's own metadata when the line does not give it.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from packaging.requirements import InvalidRequirement, Requirement

from parity import toml as tomllib
from parity.errors import SpecError
from parity.spec.model import DirectRequirement, SourceRef


def local_requirement(
    root: Path, base: PurePosixPath, value: str, ref: SourceRef, *, editable: bool
) -> DirectRequirement:
    value = value.strip()
    name: str | None = None
    marker = ""
    if ";" in value:
        value, marker_text = value.split(";", 1)
        value, marker = value.strip(), marker_text.strip()
    if " @ " in value or re.match(r"^[A-Za-z0-9._-]+(\[[^\]]*\])?\s*@", value):
        try:
            req = Requirement(value)
        except InvalidRequirement as exc:
            raise SpecError(
                f"not a valid requirement: {value!r} ({exc})", path=ref.path, line=ref.line
            ) from None
        name, location, extras = req.name, req.url or "", sorted(req.extras)
    else:
        match = re.match(r"^(?P<loc>.*?)(\[(?P<extras>[^\]]*)\])?$", value)
        assert match is not None
        location = match.group("loc")
        extras = sorted(e.strip() for e in (match.group("extras") or "").split(",") if e.strip())
    if location.startswith("file:"):
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
    directory = (root / str(base) / location).resolve()
    try:
        relative = directory.relative_to(root.resolve()).as_posix() or "."
    except ValueError:
        relative = _relative_outside(root.resolve(), directory)
    if name is None:
        name = project_name(directory)
    if name is None:
        raise SpecError(
            f"cannot tell the package name of local path {location!r}",
            path=ref.path,
            line=ref.line,
            hint=f"Write it as `name @ ./{relative}`, or give that directory a pyproject.toml with [project] name.",
        )
    shown = "." if relative == "." else (relative if relative.startswith(".") else f"./{relative}")
    extra_text = f"[{','.join(extras)}]" if extras else ""
    text = f"{name}{extra_text} @ {shown}" + (f" ; {marker}" if marker else "")
    return DirectRequirement.make(text, ref, name=name, editable=editable, path=relative)


def _relative_outside(root: Path, directory: Path) -> str:
    import os

    return Path(os.path.relpath(directory, root)).as_posix()


def project_name(directory: Path) -> str | None:
    """The distribution name a source directory declares, if it says."""
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, OSError):
            data = {}
        name = data.get("project", {}).get("name") or data.get("tool", {}).get("poetry", {}).get(
            "name"
        )
        if isinstance(name, str):
            return name
    setup_cfg = directory / "setup.cfg"
    if setup_cfg.is_file():
        parser = configparser.ConfigParser()
        try:
            parser.read(setup_cfg, encoding="utf-8")
            if parser.has_option("metadata", "name"):
                return parser.get("metadata", "name")
        except configparser.Error:
            return None
    return None
