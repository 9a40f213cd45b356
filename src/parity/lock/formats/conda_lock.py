"""Conda lock files read into plain values: rattler's (pixi's) format and conda-lock's.

parity writes ``conda.lock`` in rattler's lock format (the YAML pixi.lock uses,
``version: 6`` or later) through py-rattler, with ``# parity:`` comment lines
on top holding the freshness digests, as in parity's requirements files.
Reading needs no py-rattler: ``check``, ``diff`` and the writers of other
strategies read the YAML here.  conda-lock's ``conda-lock.yml`` (``version:
1``) is read too, for ``parity diff``.

Paths of packages in a channel inside the project are written relative to the
project (``./channel/noarch/x.tar.bz2``), so the lock names no machine path;
:func:`absolute_text` turns them back before py-rattler reads the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from parity.errors import LockFileError
from parity.frozen import dataclass, field
from parity.lock.model import InputDigest, LockMeta, input_lines, with_parts

CONDA_LOCK = "conda.lock"
CONDA_LOCK_FORMAT = "conda-lock"
RATTLER_FORMAT = "rattler"
DEFAULT_ENVIRONMENT = "default"
_META = re.compile(r"^#\s*parity:([a-z-]+)\s+(.*?)\s*$")
_ARCHIVE = re.compile(r"^(?P<stem>.+)\.(tar\.bz2|conda)$")


@dataclass(frozen=True)
class CondaRecord:
    """One locked conda package of one platform."""

    name: str
    version: str
    build: str
    subdir: str
    location: str
    sha256: str | None = None
    md5: str | None = None
    channel: str | None = None
    depends: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        return self.location.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class PypiRecord:
    """A PyPI package a conda lock file lists (pixi's pypi entries, conda-lock's pip ones)."""

    name: str
    version: str
    location: str | None = None


@dataclass(frozen=True)
class CondaLockEnvironment:
    name: str
    channels: tuple[str, ...]
    conda: Mapping[str, tuple[CondaRecord, ...]]
    pypi: Mapping[str, tuple[PypiRecord, ...]] = field(default_factory=dict)

    @property
    def platforms(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.conda) | set(self.pypi)))


@dataclass(frozen=True)
class CondaLock:
    format: str
    environments: Mapping[str, CondaLockEnvironment]
    meta: LockMeta | None = None
    groups: Mapping[str, str] = field(default_factory=dict)  # group -> environment

    def environment(self, name: str) -> CondaLockEnvironment | None:
        return self.environments.get(name)

    def for_group(self, group: str) -> CondaLockEnvironment | None:
        return self.environments.get(self.groups.get(group, environment_name(group)))


def environment_name(group: str) -> str:
    """The lock's environment for a group: prod is rattler's ``default``."""
    return DEFAULT_ENVIRONMENT if group == "prod" else group


# -- reading -----------------------------------------------------------------------


def read_conda_lock(path: Path, *, display: str | None = None) -> CondaLock:
    label = display or path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LockFileError("not found", path=label, hint="Run `parity lock`.") from None
    except UnicodeDecodeError:
        raise LockFileError("not a UTF-8 text file", path=label) from None
    return parse_conda_lock(text, path=label)


def parse_conda_lock(text: str, *, path: str = CONDA_LOCK) -> CondaLock:
    """Read a rattler/pixi lock (version 6+) or a conda-lock file (version 1)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe", pure=True).load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LockFileError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            path=path,
            line=mark.line + 1 if mark is not None else None,
            hint="Run `parity lock` to write it again.",
        ) from None
    if not isinstance(data, dict) or "version" not in data:
        raise LockFileError(
            "not a conda lock file (no `version:`)",
            path=path,
            hint="parity reads rattler/pixi lock files and conda-lock files.",
        )
    version = data["version"]
    meta, groups = parse_header(text)
    if version == 1 and "package" in data:
        return CondaLock(CONDA_LOCK_FORMAT, _conda_lock_environments(data, path), meta, groups)
    if isinstance(version, int) and version >= 6 and "environments" in data:
        return CondaLock(RATTLER_FORMAT, _rattler_environments(data, path), meta, groups)
    raise LockFileError(
        f"unsupported conda lock file version {version!r}",
        path=path,
        hint="parity reads rattler/pixi lock files of version 6 or later and conda-lock's version 1.",
    )


def split_archive_name(filename: str) -> tuple[str, str, str] | None:
    """``numpy-1.26.4-py311h_0.tar.bz2`` -> (numpy, 1.26.4, py311h_0)."""
    match = _ARCHIVE.match(filename)
    if match is None:
        return None
    parts = match.group("stem").rsplit("-", 2)
    if len(parts) != 3 or not all(parts):
        return None
    return parts[0], parts[1], parts[2]


def _rattler_environments(data: Mapping[str, Any], path: str) -> dict[str, CondaLockEnvironment]:
    packages = data.get("packages") or []
    if not isinstance(packages, list):
        raise LockFileError("`packages:` must be a list", path=path)
    conda_by_location: dict[str, Mapping[str, Any]] = {}
    pypi_by_location: dict[str, Mapping[str, Any]] = {}
    for entry in packages:
        if not isinstance(entry, dict):
            raise LockFileError("a package entry must be a mapping", path=path)
        if "conda" in entry:
            conda_by_location[str(entry["conda"])] = entry
        elif "pypi" in entry:
            pypi_by_location[str(entry["pypi"])] = entry
        elif entry.get("kind") == "conda" and "url" in entry:  # version 5 layout
            conda_by_location[str(entry["url"])] = entry
    environments: dict[str, CondaLockEnvironment] = {}
    for name, env in (data.get("environments") or {}).items():
        if not isinstance(env, dict):
            raise LockFileError(f"environment {name!r} must be a mapping", path=path)
        channels = tuple(
            str(c["url"]) if isinstance(c, dict) else str(c) for c in env.get("channels") or []
        )
        conda: dict[str, tuple[CondaRecord, ...]] = {}
        pypi: dict[str, tuple[PypiRecord, ...]] = {}
        for platform, items in (env.get("packages") or {}).items():
            records: list[CondaRecord] = []
            wheels: list[PypiRecord] = []
            for item in items or []:
                if "conda" in item:
                    location = str(item["conda"])
                    records.append(_conda_record(location, conda_by_location.get(location), path))
                elif "pypi" in item:
                    location = str(item["pypi"])
                    wheels.append(_pypi_record(location, pypi_by_location.get(location), path))
            conda[str(platform)] = tuple(sorted(records, key=lambda r: r.name))
            pypi[str(platform)] = tuple(sorted(wheels, key=lambda r: r.name))
        environments[str(name)] = CondaLockEnvironment(str(name), channels, conda, pypi)
    return environments


def _conda_record(location: str, entry: Mapping[str, Any] | None, path: str) -> CondaRecord:
    entry = entry or {}
    split = split_archive_name(location.rsplit("/", 1)[-1])
    name = entry.get("name") or (split[0] if split else None)
    version = entry.get("version") or (split[1] if split else None)
    build = entry.get("build") or (split[2] if split else None)
    if not (name and version and build):
        raise LockFileError(
            f"cannot tell the name and version of {location}",
            path=path,
            hint="Run `parity lock` to write the lock again.",
        )
    subdir = entry.get("subdir") or location.rstrip("/").rsplit("/", 2)[-2]
    return CondaRecord(
        name=str(name),
        version=str(version),
        build=str(build),
        subdir=str(subdir),
        location=location,
        sha256=_opt(entry.get("sha256")),
        md5=_opt(entry.get("md5")),
        channel=_opt(entry.get("channel")),
        depends=tuple(str(d) for d in entry.get("depends") or ()),
    )


def _pypi_record(location: str, entry: Mapping[str, Any] | None, path: str) -> PypiRecord:
    entry = entry or {}
    if not entry.get("name") or not entry.get("version"):
        raise LockFileError(f"the pypi package {location} has no name or version", path=path)
    return PypiRecord(name=str(entry["name"]), version=str(entry["version"]), location=location)


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def _conda_lock_environments(data: Mapping[str, Any], path: str) -> dict[str, CondaLockEnvironment]:
    metadata = data.get("metadata") or {}
    channels = tuple(
        str(c["url"]) if isinstance(c, dict) else str(c) for c in metadata.get("channels") or []
    )
    by_category: dict[str, dict[str, tuple[list[CondaRecord], list[PypiRecord]]]] = {}
    for entry in data.get("package") or []:
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("version"):
            raise LockFileError("a package entry needs a name and a version", path=path)
        category = str(entry.get("category") or "main")
        env = DEFAULT_ENVIRONMENT if category == "main" else category
        platform = str(entry.get("platform") or "noarch")
        conda, pypi = by_category.setdefault(env, {}).setdefault(platform, ([], []))
        url = str(entry.get("url") or "")
        if entry.get("manager") == "pip":
            pypi.append(PypiRecord(str(entry["name"]), str(entry["version"]), url or None))
            continue
        split = split_archive_name(url.rsplit("/", 1)[-1]) if url else None
        hashes = entry.get("hash") or {}
        conda.append(
            CondaRecord(
                name=str(entry["name"]),
                version=str(entry["version"]),
                build=str(entry.get("build") or (split[2] if split else "")),
                subdir=url.rstrip("/").rsplit("/", 2)[-2] if url.count("/") >= 2 else platform,
                location=url,
                sha256=_opt(hashes.get("sha256")),
                md5=_opt(hashes.get("md5")),
                depends=tuple(
                    f"{k} {v}".strip() for k, v in (entry.get("dependencies") or {}).items()
                ),
            )
        )
    out: dict[str, CondaLockEnvironment] = {}
    for env, platforms in by_category.items():
        out[env] = CondaLockEnvironment(
            env,
            channels,
            {p: tuple(sorted(c, key=lambda r: r.name)) for p, (c, _) in platforms.items()},
            {p: tuple(sorted(w, key=lambda r: r.name)) for p, (_, w) in platforms.items()},
        )
    return out


# -- the parity header ----------------------------------------------------------------


def render_header(meta: LockMeta, groups: Mapping[str, str]) -> str:
    """``# parity:`` lines: the groups, the Python, the digests (sorted, byte-stable)."""
    lines = [
        "# This file is autogenerated by parity (a rattler lock file, as pixi.lock).",
        "# Regenerate it with:",
        "#",
        f"#    {meta.command}",
        "#",
    ]
    for group, env in groups.items():
        lines.append(f"# parity:group {group} {env}")
    if meta.python:
        lines.append(f"# parity:python {meta.python}")
    if meta.requires_python:
        lines.append(f"# parity:requires-python {meta.requires_python}")
    lines.append(f"# parity:digest {meta.digest}")
    lines += input_lines(meta.inputs)
    return "\n".join(lines) + "\n#\n"


def parse_header(text: str) -> tuple[LockMeta | None, dict[str, str]]:
    values: dict[str, str] = {}
    inputs: list[InputDigest] = []
    parts: list[str] = []
    groups: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _META.match(line)
        if match is None:
            continue
        key, value = match.group(1), match.group(2)
        if key == "input":
            name, _, digest = value.rpartition(" ")
            inputs.append(InputDigest(name=name, digest=digest))
        elif key == "parts":
            parts.append(value)
        elif key == "group":
            group, _, env = value.partition(" ")
            groups[group] = env or environment_name(group)
        else:
            values[key] = value
    if "digest" not in values:
        return None, groups
    meta = LockMeta(
        digest=values["digest"],
        inputs=with_parts(inputs, parts),
        requires_python=values.get("requires-python"),
        python=values.get("python"),
    )
    return meta, groups


def strip_header(text: str) -> str:
    lines = text.splitlines(keepends=True)
    index = 0
    while index < len(lines) and lines[index].startswith("#"):
        index += 1
    return "".join(lines[index:])


# -- portable paths -----------------------------------------------------------------


def portable_text(text: str, root: Path) -> str:
    """Paths under the project root written relative to it (``./channel/...``)."""
    prefix = str(root.resolve()).rstrip("/") + "/"
    uri = root.resolve().as_uri().rstrip("/") + "/"
    text = text.replace(f": {uri}", ": ./").replace(f": {prefix}", ": ./")
    return text.replace(f": {uri.rstrip('/')}\n", ": .\n")


def absolute_text(text: str, root: Path) -> str:
    """The inverse of :func:`portable_text`, for py-rattler (it reads absolute locations)."""
    prefix = str(root.resolve()).rstrip("/") + "/"
    uri = root.resolve().as_uri().rstrip("/") + "/"
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        stripped = line.lstrip()
        if stripped.startswith(("- url: ./", "url: ./")):
            line = line.replace(": ./", f": {uri}", 1)
        elif stripped.startswith(("- conda: ./", "conda: ./")):
            line = line.replace(": ./", f": {prefix}", 1)
        elif stripped.startswith("channel: ./"):
            line = line.replace(": ./", f": {uri}", 1)
        out.append(line)
    return "".join(out)


def python_version_of(records: Sequence[CondaRecord]) -> str | None:
    return next((r.version for r in records if r.name == "python"), None)
