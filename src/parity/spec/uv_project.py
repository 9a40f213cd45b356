"""uv's project tables: ``[tool.uv.sources]``, ``[tool.uv.workspace]`` and settings.

A source says where a package comes from instead of the index: a local path,
a git repository, a URL, a workspace member or one named index.  parity applies
it to the requirement it belongs to, so the requirement says the same thing on
its own (``name @ git+https://...``, a project-relative path, or an index URL
kept beside the requirement).  Sources that only hold for one extra or group
cannot be carried into one resolution of every group, so they are refused
with the reason, as is ``conflicts``.

Every other ``[tool.uv]`` key is either carried into the resolution as written
(RESOLVER_SETTINGS: what ``uv lock`` in the project would read and act on),
refused at its line (REFUSED_SETTINGS), or known to have no effect on a lock
(KNOWN_KEYS); a key uv does not know is refused, since uv then reads none of
the file's settings.  No key that changes a lock is dropped in silence.
"""

from __future__ import annotations

import glob
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

from parity.errors import SpecError
from parity.frozen import dataclass, field
from parity.names import canonical_name
from parity.spec.local import local_requirement, project_name
from parity.spec.model import DirectRequirement, LocalPackage, SourceRef

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from typing import Any

PYPROJECT = "pyproject.toml"
_SOURCE_KINDS = ("path", "git", "url", "workspace", "index")


@dataclass(frozen=True)
class WorkspaceMember:
    name: str
    path: str  # project-relative POSIX path


@dataclass
class UvProject:
    """What ``[tool.uv]`` of one pyproject.toml says that changes a lock."""

    sources: dict[str, list[Mapping[str, Any]]] = field(default_factory=dict)
    source_lines: dict[str, int | None] = field(default_factory=dict)
    indexes: dict[str, str] = field(default_factory=dict)
    members: list[WorkspaceMember] = field(default_factory=list)
    constraints: list[str] = field(default_factory=list)
    overrides: list[str] = field(default_factory=list)
    prerelease: bool = False
    environments: list[str] = field(default_factory=list)
    # Resolver settings carried as written into the resolution (see RESOLVER_SETTINGS).
    settings: list[tuple[str, Any]] = field(default_factory=list)
    # The settings UV_NO_CONFIG made uv (and so parity) leave out, by key.
    ignored: list[str] = field(default_factory=list)

    @property
    def is_workspace(self) -> bool:
        return bool(self.members)


# [tool.uv] settings that change what `uv lock` gives, carried as written into the
# resolution (the temp project's [tool.uv]), as `uv lock` would read them in the user's
# project, and into the freshness digest.  The value says what uv takes: a tuple lists the
# strings it accepts; otherwise one of the shapes below, checked here as uv (0.13) reads
# them (uv_settings.py), so that a value uv refuses is an error at its line in
# pyproject.toml: uv itself fails on some, and on the others warns and then reads none of
# the file's settings, so a lock would silently drop every one of them.
_STRING = "a string"
_BOOL = "true or false"
_NAMES = "a list of package names"
_STRINGS = "a list of strings"
_TABLE = "a table"
_TABLES = "a list of tables"
_EXCLUDE_NEWER = "exclude-newer"
_PRERELEASES = "prerelease-package"
_CONFIG = "config-settings"
_CONFIG_PACKAGE = "config-settings-package"
_BUILD_DEPENDENCIES = "extra-build-dependencies"
_BUILD_VARIABLES = "extra-build-variables"
_REQUIREMENTS = "a list of requirements"
_METADATA = "dependency-metadata"
_MARKERS = "required-environments"
_LIBC = "minimum-libc-version"
RESOLVER_SETTINGS: dict[str, tuple[str, ...] | str] = {
    "exclude-newer": _EXCLUDE_NEWER,  # a date, a timestamp, a span ("1 week"), or false
    "resolution": ("highest", "lowest", "lowest-direct"),
    "fork-strategy": ("fewest", "requires-python"),
    # "allow" is the project-wide pre-release switch (ProjectSpec.prerelease); the
    # others narrow or widen it and are carried as written.
    "prerelease": ("disallow", "if-necessary", "explicit", "if-necessary-or-explicit"),
    "prerelease-package": _PRERELEASES,
    "index-strategy": ("first-index", "unsafe-first-match", "unsafe-best-match"),
    # Which files uv may use: a package without a wheel (or an sdist) it may use has no
    # version to pick.
    "no-build": _BOOL,
    "no-build-package": _NAMES,
    "no-binary": _BOOL,
    "no-binary-package": _NAMES,
    # How sdists are built for their metadata, and metadata given instead of building.
    "no-build-isolation": _BOOL,
    "no-build-isolation-package": _NAMES,
    "config-settings": _CONFIG,
    "config-settings-package": _CONFIG_PACKAGE,
    "extra-build-dependencies": _BUILD_DEPENDENCIES,
    "extra-build-variables": _BUILD_VARIABLES,
    "require-build-hashes": _BOOL,
    "build-constraint-dependencies": _REQUIREMENTS,
    "dependency-metadata": _METADATA,
    "exclude-dependencies": _NAMES,
    # Which platforms the lock must cover with wheels, and the oldest libc it targets.
    "required-environments": _MARKERS,
    "minimum-libc-version": _LIBC,
}
_PER_PACKAGE = "exclude-newer-package"
# The RESOLVER_SETTINGS uv reads from the project's tables, not as configuration:
# UV_NO_CONFIG leaves them in effect (the rest it turns off).
PROJECT_TABLE_SETTINGS = frozenset(
    {"exclude-dependencies", "required-environments", "build-constraint-dependencies"}
)
# The index keys uv reads as configuration (the named indexes that sources refer
# to are read from the project either way).
INDEX_SETTINGS = ("index", "index-url", "extra-index-url", "find-links", "no-index")

# [tool.uv] settings that change a resolution in a way one temp-project resolution of
# every group cannot carry: refused at their line, with what to do (see docs/lock.md).
REFUSED_SETTINGS: dict[str, tuple[str, str]] = {
    "no-sources": (
        "uv lock then ignores [tool.uv.sources], which parity applies to the requirements "
        "as it reads them",
        "Remove no-sources (or the sources it turns off), or keep using uv for this project.",
    ),
    "no-sources-package": (
        "uv lock then ignores those packages' [tool.uv.sources], which parity applies to the "
        "requirements as it reads them",
        "Remove the sources of those packages instead, or keep using uv for this project.",
    ),
    "upgrade": (
        "uv lock then moves every pin on every run, so no lock is ever current",
        "Remove it and run `parity lock --upgrade` when you mean to upgrade.",
    ),
    "upgrade-package": (
        "uv lock then moves those pins on every run, so no lock is ever current",
        "Remove it and run `parity lock --upgrade-package NAME` when you mean to upgrade.",
    ),
    "dependency-groups": (
        "its per-group requires-python cannot be carried into parity's one resolution of "
        "every group",
        "Give the group's requirements markers instead (e.g. ; python_version >= '3.12'), or "
        "keep using uv for this project.",
    ),
}

# Every other [tool.uv] key uv knows: read elsewhere in parity (sources, index, workspace,
# constraint/override-dependencies, environments, dev-dependencies, package, conflicts,
# the index-url family, prerelease = "allow"), or without effect on a lock (install,
# cache, network, interpreter download, publish and preview settings; `pip` holds the
# `uv pip` interface's own settings, which `uv lock` does not read).  docs/lock.md has
# the table.
KNOWN_KEYS = frozenset(
    {
        "sources", "index", "index-url", "extra-index-url", "find-links", "no-index",
        "workspace", "constraint-dependencies", "override-dependencies", "environments",
        "dev-dependencies", "package", "conflicts", _PER_PACKAGE,
        "default-groups", "managed", "reinstall", "reinstall-package", "compile-bytecode",
        "link-mode", "torch-backend", "pip", "required-version", "system-certs",
        "native-tls", "offline", "no-cache", "cache-dir", "cache-keys", "preview",
        "preview-features", "python-preference", "python-downloads", "concurrent-downloads",
        "concurrent-builds", "concurrent-installs", "keyring-provider", "http-proxy",
        "https-proxy", "no-proxy", "allow-insecure-host", "python-install-mirror",
        "pypy-install-mirror", "graalpy-install-mirror", "pyodide-install-mirror",
        "python-downloads-json-url", "publish-url", "trusted-publishing", "check-url",
        "add-bounds", "audit", "build-backend",
    }
)  # fmt: skip


def _fits(value: Any, shape: tuple[str, ...] | str) -> bool:
    if isinstance(shape, tuple):
        return isinstance(value, str) and value in shape
    if shape == _STRING:
        return isinstance(value, str)
    if shape == _BOOL:
        return isinstance(value, bool)
    if shape == _STRINGS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if shape == _TABLE:
        return isinstance(value, Mapping)
    return isinstance(value, list) and all(isinstance(v, Mapping) for v in value)


def _problem(key: str, value: Any, shape: tuple[str, ...] | str) -> str | None:
    """What uv would refuse in a resolver setting's value (None: uv reads it)."""
    from parity.spec import uv_settings as check

    if isinstance(shape, tuple) or shape in (_STRING, _BOOL, _STRINGS, _TABLE, _TABLES):
        return None if _fits(value, shape) else _wanted(key, shape)
    checks = {
        _NAMES: check.names,
        _EXCLUDE_NEWER: check.exclude_newer,
        _PRERELEASES: check.prerelease_package,
        _CONFIG: check.config_settings,
        _CONFIG_PACKAGE: check.config_settings_package,
        _BUILD_DEPENDENCIES: check.extra_build_dependencies,
        _BUILD_VARIABLES: check.extra_build_variables,
        _REQUIREMENTS: check.requirements,
        _METADATA: check.dependency_metadata,
        _MARKERS: check.markers,
        _LIBC: check.minimum_libc_version,
    }
    return checks[shape](value)


def _wanted(key: str, shape: tuple[str, ...] | str) -> str:
    if not isinstance(shape, tuple):
        return f"must be {shape}"
    wanted = "one of " + ", ".join(f'"{a}"' for a in shape)
    if key == "prerelease":
        wanted = wanted.replace("one of ", 'one of "allow", ')
    return f"must be {wanted}"


def _plain(value: Any) -> Any:
    """A TOML value as plain dicts and lists (what the temp project and the digest hold)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _check_keys(uv: Mapping[str, Any], key_line: Any) -> None:
    """Refuse the keys parity cannot carry, and the keys uv does not know."""
    at = ("tool", "uv")
    for key in uv:
        if key in REFUSED_SETTINGS:
            why, hint = REFUSED_SETTINGS[key]
            raise SpecError(
                f"[tool.uv] {key}: {why}",
                path=PYPROJECT,
                line=key_line(at, key),
                hint=hint,
            )
        if key in KNOWN_KEYS:
            from parity.spec.uv_settings import other_setting

            # Not carried, but a value uv refuses makes it ignore every setting of the file.
            problem = other_setting(key, uv[key])
            if problem is not None:
                raise SpecError(
                    f"[tool.uv] {key} {problem}",
                    path=PYPROJECT,
                    line=key_line(at, key),
                    hint="uv would read none of the file's [tool.uv] settings with it.",
                )
        if key not in RESOLVER_SETTINGS and key not in KNOWN_KEYS:
            # uv warns and then reads none of the file's settings: parity would carry
            # what uv drops.
            raise SpecError(
                f"[tool.uv] {key} is not a setting uv knows; uv lock would then ignore "
                "every [tool.uv] setting of this file",
                path=PYPROJECT,
                line=key_line(at, key),
                hint="Fix or remove the key (uv's settings reference lists the keys).",
            )


def _resolver_settings(uv: Mapping[str, Any], key_line: Any) -> list[tuple[str, Any]]:
    """The RESOLVER_SETTINGS the project sets, checked; then exclude-newer-package."""
    at = ("tool", "uv")
    out: list[tuple[str, Any]] = []
    for key, shape in RESOLVER_SETTINGS.items():
        if key not in uv:
            continue
        value = uv[key]
        if key == "prerelease" and value == "allow":
            continue  # ProjectSpec.prerelease: `--prerelease allow`
        if key == "required-environments" and isinstance(value, str):
            value = [value]
        problem = _problem(key, value, shape)
        if problem is not None:
            raise SpecError(
                f"[tool.uv] {key} {problem}",
                path=PYPROJECT,
                line=key_line(at, key),
                hint=_HINTS.get(shape),
            )
        out.append((key, _plain(value)))
    if _PER_PACKAGE in uv:
        from parity.spec.uv_settings import exclude_newer_package

        table = uv[_PER_PACKAGE]
        problem = exclude_newer_package(table)
        if problem is not None:
            raise SpecError(
                f"[tool.uv] {_PER_PACKAGE} {problem}",
                path=PYPROJECT,
                line=key_line(at, _PER_PACKAGE),
                hint=_HINTS[_EXCLUDE_NEWER],
            )
        out.append((_PER_PACKAGE, tuple((str(k), v) for k, v in table.items())))
    return out


_HINTS: dict[tuple[str, ...] | str, str] = {
    _EXCLUDE_NEWER: 'uv takes a date ("2024-06-01"), a timestamp ("2024-06-01T00:00:00Z"), '
    'a span in weeks, days, hours, minutes or seconds ("1 week", "P7D"), or false.',
    _LIBC: 'Write it as uv reads it: minimum-libc-version = { glibc = "2.28" } (or musl).',
}


def _strings(value: Any, where: str, line: int | None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(f"{where} must be a list of strings", path=PYPROJECT, line=line)
    return list(value)


def read_uv_project(
    root: Path, data: Mapping[str, Any], line_of: Any, *, key_line: Any, uv_config: bool = True
) -> UvProject:
    """Read ``[tool.uv]``; ``line_of(keys...)``/``key_line(table, key)`` give line numbers.

    ``uv_config=False`` (``UV_NO_CONFIG`` set): the settings uv then ignores
    are left out, as ``uv lock`` leaves them out, and named in ``ignored``.
    """
    tool = data.get("tool", {})
    uv = tool.get("uv", {}) if isinstance(tool, Mapping) else {}
    if not isinstance(uv, Mapping):
        raise SpecError("[tool.uv] must be a table", path=PYPROJECT)
    out = UvProject()
    at = ("tool", "uv")
    _check_keys(uv, key_line)
    if uv.get("conflicts"):
        raise SpecError(
            "[tool.uv] conflicts: parity locks every group in one resolution, so groups or "
            "extras that cannot be installed together cannot be locked together",
            path=PYPROJECT,
            line=key_line(at, "conflicts"),
            hint="Lock the conflicting groups in projects of their own, or keep using uv for "
            "this project.",
        )
    for key, target in (
        ("constraint-dependencies", out.constraints),
        ("override-dependencies", out.overrides),
        ("environments", out.environments),
    ):
        if key in uv:
            line = key_line(at, key)
            values = uv[key]
            if key == "environments" and isinstance(values, str):
                values = [values]
            target += _strings(values, f"[tool.uv] {key}", line)
            if key == "environments":
                from parity.spec.uv_settings import markers

                problem = markers(values)
                if problem is not None:
                    # uv fails on it ("Failed to parse: pyproject.toml"), after parity resolved
                    raise SpecError(f"[tool.uv] {key} {problem}", path=PYPROJECT, line=line)
    prerelease = uv.get("prerelease")
    out.prerelease = prerelease == "allow"
    out.settings = _resolver_settings(uv, key_line)
    if not uv_config:
        out.ignored = sorted(
            {
                *(key for key, _ in out.settings if key not in PROJECT_TABLE_SETTINGS),
                *(["prerelease"] if out.prerelease else []),
                *(key for key in INDEX_SETTINGS if key in uv and _general_index(key, uv[key])),
            }
        )
        out.prerelease = False
        out.settings = [(k, v) for k, v in out.settings if k in PROJECT_TABLE_SETTINGS]
    indexes = uv.get("index", [])
    if isinstance(indexes, list):
        for index in indexes:
            if (
                isinstance(index, Mapping)
                and isinstance(index.get("name"), str)
                and isinstance(index.get("url"), str)
            ):
                out.indexes[index["name"]] = index["url"]
    sources = uv.get("sources", {})
    if not isinstance(sources, Mapping):
        raise SpecError("[tool.uv.sources] must be a table", path=PYPROJECT)
    for name, value in sources.items():
        line = key_line((*at, "sources"), name)
        entries = value if isinstance(value, list) else [value]
        for entry in entries:
            _check_source(str(name), entry, line)
        out.sources[canonical_name(str(name))] = entries
        out.source_lines[canonical_name(str(name))] = line
    workspace = uv.get("workspace")
    if workspace is not None:
        out.members = workspace_members(root, workspace, key_line((*at, "workspace"), "members"))
    return out


def _general_index(key: str, value: Any) -> bool:
    """Whether an index key names an index every package may come from (not only
    ``explicit`` ones, which serve the packages pinned to them)."""
    if key != "index":
        return True
    entries = value if isinstance(value, list) else []
    return any(isinstance(e, Mapping) and not e.get("explicit") for e in entries)


def _check_source(name: str, entry: Any, line: int | None) -> None:
    if not isinstance(entry, Mapping):
        raise SpecError(
            f"[tool.uv.sources] {name} must be a table or a list of tables",
            path=PYPROJECT,
            line=line,
            hint='Write { path = "../lib" }, { git = "https://..." }, { workspace = true }, ...',
        )
    kinds = [k for k in _SOURCE_KINDS if k in entry]
    if len(kinds) != 1:
        raise SpecError(
            f"[tool.uv.sources] {name} must name exactly one of {', '.join(_SOURCE_KINDS)}",
            path=PYPROJECT,
            line=line,
        )
    for condition in ("extra", "group"):
        if condition in entry:
            raise SpecError(
                f"[tool.uv.sources] {name} holds only for {condition} {entry[condition]!r}: "
                "parity locks every group in one resolution and writes one source per package, "
                "so a source that depends on the group cannot be carried into the lock",
                path=PYPROJECT,
                line=line,
                hint="Give the package one source for every group, or keep using uv for this "
                "project.",
            )


def workspace_members(root: Path, workspace: Any, line: int | None) -> list[WorkspaceMember]:
    """The members ``[tool.uv.workspace]`` names (globs, minus ``exclude``), by name."""
    if not isinstance(workspace, Mapping):
        raise SpecError("[tool.uv.workspace] must be a table", path=PYPROJECT, line=line)
    patterns = _strings(workspace.get("members", []), "[tool.uv.workspace] members", line)
    excluded = _strings(workspace.get("exclude", []), "[tool.uv.workspace] exclude", line)
    skip: set[str] = set()
    for pattern in excluded:
        skip |= {Path(p).resolve().as_posix() for p in glob.glob(str(root / pattern))}
    members: list[WorkspaceMember] = []
    for pattern in patterns:
        found = sorted(glob.glob(str(root / pattern)))
        if not found and not glob.has_magic(pattern):
            raise SpecError(
                f"workspace member {pattern} does not exist",
                path=PYPROJECT,
                line=line,
                hint="Fix the path in [tool.uv.workspace] members.",
            )
        for match in found:
            directory = Path(match)
            if directory.resolve().as_posix() in skip or not directory.is_dir():
                continue
            if not (directory / PYPROJECT).is_file():
                if glob.has_magic(pattern):
                    continue
                raise SpecError(
                    f"workspace member {pattern} has no pyproject.toml",
                    path=PYPROJECT,
                    line=line,
                )
            name = project_name(directory)
            if name is None:
                # An unreadable file first says so, at its own line.
                from parity.spec.pyproject import parse_toml
                from parity.textfile import read_text_file

                shown = f"{directory.resolve().relative_to(root.resolve()).as_posix()}/{PYPROJECT}"
                parse_toml(read_text_file(directory / PYPROJECT, shown=shown), shown)
                raise SpecError(
                    f"workspace member {pattern} has no [project] name",
                    path=PYPROJECT,
                    line=line,
                )
            relative = directory.resolve().relative_to(root.resolve()).as_posix()
            if relative == ".":
                continue
            members.append(WorkspaceMember(canonical_name(name), relative))
    unique: dict[str, WorkspaceMember] = {}
    for member in members:
        first = unique.setdefault(member.name, member)
        if first.path != member.path:
            # uv refuses it too ("Two workspace members are both named ..."), late.
            raise SpecError(
                f"two workspace members are both named {member.name}: {first.path} and "
                f"{member.path}",
                path=PYPROJECT,
                line=line,
                hint="Rename one of them ([project] name), or leave one out of "
                "[tool.uv.workspace] members.",
            )
    return list(unique.values())


def local_packages(
    uv: UvProject, *, project: str | None, installable: bool
) -> tuple[LocalPackage, ...]:
    """The source-tree packages: the project itself (when it is one) and every member."""
    out: list[LocalPackage] = []
    if installable and project:
        out.append(LocalPackage(canonical_name(project), ".", editable=True))
    out += [LocalPackage(m.name, m.path, editable=True) for m in uv.members]
    return tuple(out)


def apply_sources(
    root: Path,
    requirements: Sequence[DirectRequirement],
    uv: UvProject,
    base: PurePosixPath | None = None,
) -> list[DirectRequirement]:
    """Each requirement with its ``[tool.uv.sources]`` entry applied (several for a list).

    ``base`` is the folder (relative to ``root``) of the pyproject.toml the
    sources are written in: a path source is relative to it.
    """
    out: list[DirectRequirement] = []
    for requirement in requirements:
        entries = uv.sources.get(requirement.name)
        if not entries or requirement.path is not None:
            out.append(requirement)
            continue
        folder = base or PurePosixPath(".")
        out += [_with_source(root, requirement, entry, uv, folder) for entry in entries]
    return out


def _with_source(
    root: Path,
    requirement: DirectRequirement,
    entry: Mapping[str, Any],
    uv: UvProject,
    base: PurePosixPath,
) -> DirectRequirement:
    ref = requirement.source
    line = uv.source_lines.get(requirement.name)
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(requirement.requirement)
    except InvalidRequirement:
        return requirement
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    markers = [str(req.marker)] if req.marker else []
    if isinstance(entry.get("marker"), str):
        markers.append(entry["marker"])
    marker = " and ".join(f"({m})" for m in markers) if len(markers) > 1 else "".join(markers)
    suffix = f" ; {marker}" if marker else ""
    if "index" in entry:
        url = uv.indexes.get(str(entry["index"]))
        if url is None:
            raise SpecError(
                f"[tool.uv.sources] {requirement.name} names index {entry['index']!r}, which no "
                "[[tool.uv.index]] declares",
                path=PYPROJECT,
                line=line,
                hint=f"Declared indexes: {', '.join(sorted(uv.indexes)) or 'none'}.",
            )
        text = f"{req.name}{extras}{req.specifier}{suffix}"
        return DirectRequirement.make(
            text, ref, name=requirement.name, index=url, allow_prerelease=False
        )
    if "workspace" in entry:
        member = next((m for m in uv.members if m.name == requirement.name), None)
        if member is None:
            raise SpecError(
                f"[tool.uv.sources] {requirement.name} says workspace = true, but no workspace "
                "member is named so",
                path=PYPROJECT,
                line=line,
                hint="Add the member to [tool.uv.workspace] members, or fix the name.",
            )
        return local_requirement(
            root,
            PurePosixPath("."),
            f"{req.name}{extras} @ ./{member.path}{suffix}",
            ref,
            editable=bool(entry.get("editable", True)),
        )
    if "path" in entry:
        return local_requirement(
            root,
            base,
            f"{req.name}{extras} @ {entry['path']}{suffix}",
            ref,
            editable=bool(entry.get("editable", False)),
        )
    if "git" in entry:
        url = str(entry["git"])
        url = url if url.startswith("git+") else f"git+{url}"
        rev = entry.get("rev") or entry.get("tag") or entry.get("branch")
        if rev:
            url += f"@{rev}"
        if entry.get("subdirectory"):
            url += f"#subdirectory={entry['subdirectory']}"
        return DirectRequirement.make(f"{req.name}{extras} @ {url}{suffix}", ref, name=req.name)
    url = str(entry["url"])
    if entry.get("subdirectory"):
        url += f"#subdirectory={entry['subdirectory']}"
    return DirectRequirement.make(f"{req.name}{extras} @ {url}{suffix}", ref, name=req.name)


def settings_requirements(
    values: Sequence[str], *, where: str, line: int | None
) -> tuple[DirectRequirement, ...]:
    out: list[DirectRequirement] = []
    for value in values:
        from packaging.requirements import InvalidRequirement, Requirement

        try:
            req = Requirement(value)
        except InvalidRequirement as exc:
            raise SpecError(
                f"{where}: not a valid requirement: {value!r} ({exc})",
                path=PYPROJECT,
                line=line,
            ) from None
        out.append(DirectRequirement.make(value, SourceRef(PYPROJECT, line), name=req.name))
    return tuple(out)
