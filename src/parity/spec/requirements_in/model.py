"""What a pip-tools project's files say: parsed files, includes, groups, constraint files."""

from __future__ import annotations

from parity.frozen import dataclass, field
from parity.spec.model import DirectRequirement, FormatControl, Group, IndexConfig, SourceRef


@dataclass(frozen=True)
class Include:
    """A ``-r``/``-c`` line: the target as a project-relative path, and where it was written."""

    target: str
    ref: SourceRef


@dataclass
class ParsedFile:
    """What one requirements file says, in file order."""

    path: str
    entries: list[DirectRequirement | Include] = field(default_factory=list)
    constraint_files: list[Include] = field(default_factory=list)
    index: IndexConfig = field(default_factory=IndexConfig)
    index_url_ref: SourceRef | None = None
    # ``--pre`` in the file: the project asks for pre-releases (as pip-compile reads it).
    prerelease: bool = False
    # ``--no-binary`` / ``--only-binary`` as pip reads them, and the last such line.
    format_control: FormatControl = field(default_factory=FormatControl)
    format_control_ref: SourceRef | None = None
    # ``--prefer-binary``: uv has no equivalent, so ``lock`` says so.
    prefer_binary_ref: SourceRef | None = None

    @property
    def requirements(self) -> list[DirectRequirement]:
        return [e for e in self.entries if isinstance(e, DirectRequirement)]

    @property
    def includes(self) -> list[Include]:
        return [e for e in self.entries if isinstance(e, Include)]


@dataclass(frozen=True)
class GroupFile:
    """A requirements file that is a group of its own: ``requirements-dev.in`` -> dev.

    ``file_group`` is the name the file's own name gives, where the group is
    named otherwise (setuptools reads requirements-cuda.in as extra gpu).
    """

    group: str
    input: str
    output: str
    file_group: str | None = None


@dataclass(frozen=True)
class ConstraintFile:
    """A ``-c`` file read: its constraints (and those of the files it names)."""

    path: str
    constraints: tuple[DirectRequirement, ...]


@dataclass(frozen=True)
class RequirementsProject:
    """A pip-tools project read: its groups, index options and every file read."""

    groups: tuple[Group, ...]
    index: IndexConfig
    files: tuple[ParsedFile, ...]
    constraint_files: tuple[ConstraintFile, ...]
    # Files that other files only ``-r``-include (read as part of them, not groups).
    fragments: tuple[str, ...] = ()

    @property
    def prerelease(self) -> bool:
        return any(f.prerelease for f in self.files)

    @property
    def format_control(self) -> FormatControl:
        from parity.spec.requirements_in.format_control import merge_file_controls

        return merge_file_controls(self.files)
