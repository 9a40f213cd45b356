"""What a strategy or export module receives and returns.

An artifact module (``parity.strategies.<name>``) is pure: it reads a
:class:`Request` (the project's spec, its lock, the text of files it may merge
into, through a read-only :class:`Workspace`) and returns a :class:`Rendered`
mapping project-relative paths to new text.  It never touches the disk: the
edge in ``parity.strategies.apply`` adds the generated-file header, refuses to
overwrite what the user changed, prints ``--dry-run`` diffs and writes every
file in one atomic step.

Two kinds of output:

- an *owned* file (``FileOutput.owned``) is generated whole by parity: the
  edge prefixes it with a header naming the artifact, the lock digest it came
  from and a hash of its content, and later refuses to overwrite it once the
  user edited it (or when it was never parity's);
- a *merged* file (``owned=False``) belongs to the user (pyproject.toml,
  requirements.in, .pre-commit-config.yaml): the module edits it round trip,
  keeping every comment and key it does not manage, so it carries no header.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from parity.errors import UsageError
from parity.frozen import dataclass, field
from parity.lock.model import Lock
from parity.spec.model import ProjectSpec


class Workspace(Protocol):
    """Read-only access to the project's files, by project-relative POSIX path."""

    def read(self, path: str) -> str | None:
        """The file's text, or None when it does not exist."""
        ...

    def exists(self, path: str) -> bool: ...

    def glob(self, pattern: str) -> list[str]:
        """The project-relative paths of the files that match a glob pattern, sorted."""
        ...


@dataclass(frozen=True)
class DictWorkspace:
    """A workspace held in memory: what tests (and dry runs) hand to a module."""

    files: Mapping[str, str] = field(default_factory=dict)

    def read(self, path: str) -> str | None:
        return self.files.get(path)

    def exists(self, path: str) -> bool:
        return path in self.files

    def glob(self, pattern: str) -> list[str]:
        return sorted(
            p
            for p in self.files
            if PurePosixPath(p).match(pattern) and p.count("/") == pattern.count("/")
        )


@dataclass(frozen=True)
class DiskWorkspace:
    """The project directory on disk; paths outside it are refused."""

    root: Path

    def _path(self, path: str) -> Path:
        return self.root / check_relative(path)

    def read(self, path: str) -> str | None:
        target = self._path(path)
        if not target.is_file():
            return None
        try:
            return target.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise UsageError(
                "not a UTF-8 text file", path=path, hint="parity only edits text files."
            ) from None

    def exists(self, path: str) -> bool:
        return self._path(path).exists()

    def glob(self, pattern: str) -> list[str]:
        found = (p for p in self.root.glob(pattern) if p.is_file() and not p.is_symlink())
        return sorted(p.relative_to(self.root).as_posix() for p in found)


def check_relative(path: str) -> str:
    """A project-relative POSIX path that stays inside the project, or a UsageError."""
    pure = PurePosixPath(path.replace("\\", "/"))
    if not path.strip() or pure.is_absolute() or ".." in pure.parts or ":" in path:
        raise UsageError(
            f"{path!r} is not a path inside the project",
            hint="Write output paths relative to the project root, e.g. ci/parity.yml.",
        )
    return pure.as_posix()


@dataclass(frozen=True)
class Request:
    """Everything an artifact module may look at.

    ``spec`` is None on a new project (nothing to read yet).  ``lock`` is the
    project's current lock, read back from its lockfiles (None before the
    first ``parity lock``).  ``options`` carries the command's options for the
    module (``with_tools``, ``group``, ...); ``command`` is the command line
    that regenerates the output, for the header.
    """

    spec: ProjectSpec | None
    lock: Lock | None
    workspace: Workspace
    options: Mapping[str, Any] = field(default_factory=dict)
    command: str = ""

    def option(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)


@dataclass(frozen=True)
class FileOutput:
    """The new text of one file.

    ``comment`` is the line-comment prefix of the file's language, used for
    the header of an owned file; ``header_after`` is a regular expression of
    lines that must stay first (a Dockerfile ``# syntax=`` directive);
    ``adopt`` is a regular expression that marks an existing file without a
    header as parity's own all the same (pylock.toml written by ``parity lock``).
    """

    text: str
    owned: bool = True
    comment: str = "#"
    header_after: str | None = None
    adopt: str | None = None
    # A user file a strategy creates (requirements-dev.in): never replaces an existing one.
    create_only: bool = False


@dataclass(frozen=True)
class Rendered:
    """A module's result: files to write, and what the user should know.

    ``notes`` say what could not be carried across or what to do next; they
    are printed after the files and included in ``--json``.
    """

    files: Mapping[str, FileOutput]
    notes: tuple[str, ...] = ()
    artifact: str = ""
    # The digest the headers name, when not the parity lock's (poetry:<content-hash>).
    lock_digest: str | None = None


class Artifact(Protocol):
    """The shape of an export module (``parity export --to NAME``).

    ``NAME`` is the ``--to`` value (and the artifact named in headers).
    """

    NAME: str

    def render(self, request: Request) -> Rendered: ...
