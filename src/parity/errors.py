"""One exception hierarchy for everything a user can get wrong.

The CLI catches :class:`ParityError` once, prints ``file:line: message`` and the
hint, and exits with status 2.  Findings (a stale lock, a drifted environment)
are *results*, not errors, and never raise.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: every command imports this module
if TYPE_CHECKING:
    from pathlib import Path


class ParityError(Exception):
    """An error the user can act on: where it is, what is wrong, what to do."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    @property
    def location(self) -> str | None:
        if self.path is None:
            return None
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message


class SpecError(ParityError):
    """A project input (requirements.in, pyproject.toml, ...) cannot be read."""


class LockFileError(ParityError):
    """An existing lockfile cannot be read."""


class LockFileMissing(LockFileError):
    """A lockfile that should exist does not (the project was never locked)."""


class ResolutionError(ParityError):
    """The resolver found no set of versions that satisfies the inputs."""


class EngineError(ParityError):
    """An engine (uv, pip-tools, ...) failed for a reason other than resolution."""


class PythonNotFoundError(ParityError):
    """The pinned Python interpreter is not present on this machine."""


class EnvironmentError_(ParityError):
    """The target environment cannot be read or changed."""


class UsageError(ParityError):
    """The command line asks for something that does not exist (unknown group, ...)."""


class WriteError(ParityError):
    """A file parity must write cannot be written, or must not be overwritten."""
