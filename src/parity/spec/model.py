"""ProjectSpec: everything parity needs to know about a project's inputs.

Every reader in ``parity.spec`` (requirements.in, PEP 621/735 pyproject,
Poetry) produces this one model, so locking never depends on where the
requirements were written.  Paths are project-relative POSIX strings: a spec
never holds a machine path, so nothing derived from it can leak one.
"""

from __future__ import annotations

from pathlib import Path

from parity.frozen import dataclass, field
from parity.names import canonical_name

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from typing import Any

DEFAULT_GROUP = "prod"


@dataclass(frozen=True, order=True)
class SourceRef:
    """Where something was written: a project-relative path and a 1-based line."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class DirectRequirement:
    """One requirement as the user wrote it (PEP 508), with where it came from.

    ``requirement`` keeps ``${VAR}`` references as written.  Local paths are
    stored relative to the project root (``editable``/``path`` deps).
    ``index`` is the URL of the one index this package must come from (a uv
    ``index`` source, a Poetry ``source``); ``allow_prerelease`` says the
    project opted this package into pre-releases (Poetry ``allow-prereleases``).
    """

    requirement: str
    name: str
    source: SourceRef
    editable: bool = False
    path: str | None = None
    index: str | None = None
    allow_prerelease: bool = False

    @staticmethod
    def make(
        requirement: str,
        source: SourceRef,
        *,
        name: str,
        editable: bool = False,
        path: str | None = None,
        index: str | None = None,
        allow_prerelease: bool = False,
    ) -> DirectRequirement:
        return DirectRequirement(
            requirement=requirement,
            name=canonical_name(name),
            source=source,
            editable=editable,
            path=path,
            index=index,
            allow_prerelease=allow_prerelease,
        )


@dataclass(frozen=True)
class Group:
    """A named set of direct requirements, locked into one output file.

    ``includes`` names other groups whose requirements this group contains
    (``-r requirements.in`` in requirements-dev.in, ``include-group`` in
    PEP 735, Poetry's implicit main group).  ``constraints`` come from ``-c``.
    ``origin`` says where the group was read, for people (``requirements/dev.in``,
    ``pyproject.toml [dependency-groups] dev``).  ``extra`` marks an optional extra
    of the package, however the project declares it (PEP 621's
    ``[project.optional-dependencies]``, Poetry's ``[tool.poetry.extras]``,
    setuptools' dynamic ones read from files): what users install only when they
    ask for it (``sync --extra``), unlike the main dependencies and the dependency
    groups a developer installs.  uv resolves extras in an order of their own, so
    the lock hands them to uv as extras too.
    """

    name: str
    requirements: tuple[DirectRequirement, ...]
    output: str
    includes: tuple[str, ...] = ()
    constraints: tuple[DirectRequirement, ...] = ()
    source: SourceRef | None = None
    origin: str | None = None
    extra: bool = False

    @property
    def files(self) -> tuple[str, ...]:
        """Every file this group's own requirements and constraints were read from."""
        paths = [self.source.path] if self.source else []
        paths += [r.source.path for r in (*self.requirements, *self.constraints)]
        return tuple(dict.fromkeys(paths))


@dataclass(frozen=True)
class LocalPackage:
    """A package of the source tree: the project itself or a workspace member.

    Whatever requires it (the project's dev tools, another member) gets it from
    here, never from an index, as uv and Poetry do.  ``path`` is
    project-relative (``.`` for the project itself).
    """

    name: str
    path: str
    editable: bool = True


@dataclass(frozen=True)
class IndexConfig:
    """Package index options, as written (``${VAR}`` kept, never expanded here)."""

    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    no_index: bool = False
    # pip's --trusted-host: no effect on what is locked, but pip installs the lock
    # from a plain-HTTP index only with it, so the lockfiles carry it.
    trusted_hosts: tuple[str, ...] = ()

    @property
    def is_default(self) -> bool:
        return self == IndexConfig()


@dataclass(frozen=True)
class FormatControl:
    """pip's ``--no-binary`` / ``--only-binary``: canonical package names, or ``:all:``.

    Held as pip holds them after reading: a name is never in both, and a
    package named in one overrides ``:all:`` in the other.  Sorted, so equal
    settings compare (and digest) equal.
    """

    no_binary: tuple[str, ...] = ()
    only_binary: tuple[str, ...] = ()

    @property
    def is_default(self) -> bool:
        return not self.no_binary and not self.only_binary


@dataclass(frozen=True)
class PythonTarget:
    """Which Python the project runs on.

    ``requires_python`` is the range the lock must hold for (a PEP 440
    specifier); ``pinned`` is the interpreter version environments are built
    with (``.python-version``), when the project pins one.  ``source`` is where
    the pin is written, else where the range is; ``range_source`` is where the
    range is (a workspace member's file, when that member's range is the
    narrowest).
    """

    requires_python: str | None = None
    pinned: str | None = None
    source: SourceRef | None = None
    range_source: SourceRef | None = None


@dataclass(frozen=True)
class InputFile:
    """A file the spec was read from and a digest of what parity read in it.

    The digest covers the parsed content (requirements, options), not bytes,
    so editing a comment does not make a lock stale.  ``parts`` holds a short
    digest of each part of it (requirements, each option), so that a stale
    lock can say which part changed; None for an input read as a whole.
    Only ``digest`` decides freshness.
    """

    path: str
    digest: str
    parts: tuple[tuple[str, str], ...] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class CondaDependency:
    """One conda package of an environment.yml, as written (a conda match spec)."""

    spec: str
    name: str
    source: SourceRef
    channel: str | None = None
    version: str | None = None
    build: str | None = None


@dataclass(frozen=True)
class CondaEnvironment:
    """What one ``environment*.yml`` asks conda for; its ``pip:`` section is ``group``.

    ``python`` is the Python the file asks for, as a conda version constraint.
    """

    group: str
    file: str
    channels: tuple[str, ...]
    dependencies: tuple[CondaDependency, ...]
    name: str | None = None
    platforms: tuple[str, ...] = ()
    python: CondaDependency | None = None


@dataclass(frozen=True)
class CondaSettings:
    """``[tool.parity.conda]``: name overrides and which packages come from conda or pip."""

    names: tuple[tuple[str, str], ...] = ()
    from_conda: tuple[str, ...] = ()
    from_pip: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    # The CUDA version solves assume (the __cuda virtual package), when set.
    cuda: str | None = None
    source: SourceRef | None = None


@dataclass(frozen=True)
class ProjectSpec:
    """Everything parity knows about a project's inputs, whatever format they came in.

    ``root`` is the project directory; ``format`` the input style read
    (``requirements-in``, ``pep621``, ``poetry``, ``conda``, ...); ``groups``
    its dependency groups, ``prod`` first; ``inputs`` the files read, with
    digests of what parity read in them.
    """

    root: Path
    format: str
    groups: tuple[Group, ...]
    python: PythonTarget = field(default_factory=PythonTarget)
    index: IndexConfig = field(default_factory=IndexConfig)
    inputs: tuple[InputFile, ...] = ()
    name: str | None = None
    installable: bool = False
    # environment.yml files (the conda format), one per group; conda settings.
    conda: tuple[CondaEnvironment, ...] = ()
    conda_settings: CondaSettings = field(default_factory=CondaSettings)
    # Source-tree packages (the project itself when installable, workspace members).
    local_packages: tuple[LocalPackage, ...] = ()
    # Constraints and overrides that hold for the whole resolution ([tool.uv]).
    constraints: tuple[DirectRequirement, ...] = ()
    overrides: tuple[DirectRequirement, ...] = ()
    # [tool.uv] resolver settings carried as written (exclude-newer, resolution, ...).
    resolver_settings: tuple[tuple[str, Any], ...] = ()
    # pip's --no-binary / --only-binary in the requirements files (one set for the
    # whole resolution, as every group is locked together).
    format_control: FormatControl = field(default_factory=FormatControl)
    # The project asks for pre-releases everywhere (``--pre`` in a .in file, uv's
    # ``prerelease = "allow"``).
    prerelease: bool = False
    # What reading decided that a user should hear (a file not read, an entry
    # Poetry ignores), said by ``lock``.
    notes: tuple[str, ...] = ()
    # The input style chosen with --format (or as the lock records it) among several:
    # written into the lockfiles' regenerate command.
    format_option: str | None = None

    @property
    def group_names(self) -> tuple[str, ...]:
        return tuple(g.name for g in self.groups)

    def group(self, name: str) -> Group:
        for g in self.groups:
            if g.name == name:
                return g
        raise KeyError(name)

    def has_group(self, name: str) -> bool:
        return any(g.name == name for g in self.groups)

    def closure(self, name: str) -> tuple[Group, ...]:
        """The group and every group it includes, transitively, in first-seen order."""
        seen: dict[str, Group] = {}
        stack = [name]
        while stack:
            current = stack.pop(0)
            if current in seen:
                continue
            group = self.group(current)
            seen[current] = group
            stack.extend(group.includes)
        return tuple(seen.values())

    def requirements_of(self, name: str) -> tuple[DirectRequirement, ...]:
        """Direct requirements of a group including those of the groups it includes."""
        return tuple(r for g in self.closure(name) for r in g.requirements)
