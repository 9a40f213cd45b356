"""The files of a lock, as a pure function of the lock.

``parity lock`` writes exactly what :func:`lock_files` returns (through the
atomic multi-file writer); tests compare it with golden files.  Nothing here
reads or writes the disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from parity.frozen import dataclass

TYPE_CHECKING = False  # not typing's: a lock with nothing to do imports this module
if TYPE_CHECKING:
    from parity.lock.model import Lock, LockedGroup

PYLOCK_NAME = "pylock.toml"


@dataclass(frozen=True)
class GroupFile:
    """One group's lockfile before the seal: its path and its (redacted) text."""

    group: LockedGroup
    path: str
    text: str


def group_file(group: LockedGroup) -> GroupFile:
    """``group``'s lockfile, redacted and not yet sealed, its content digest computed.

    ``parity lock`` calls it as each group's export arrives, while uv still
    writes the others; :func:`lock_files` then takes the text as it is, and the
    seal finds the digest already known (``integrity.content_digest``).
    """
    from parity.lock.formats import requirements_txt
    from parity.lock.integrity import content_digest
    from parity.redact import redact_file_text

    path = posix(group.output)
    # Redacted before the seal, by the one redaction policy, so that the seal holds.
    text = redact_file_text(requirements_txt.write(group))
    content_digest(path, text)
    return GroupFile(group, path, text)


def lock_files(lock: Lock, prepared: Sequence[GroupFile] = ()) -> dict[str, str]:
    """Every file of ``lock`` by project-relative POSIX path, sealed.

    One requirements file per group (``LockedGroup.output``), and
    ``pylock.toml`` when the lock carries one.  ``prepared`` holds files
    :func:`group_file` already made; one is used only for that very group.
    """
    from parity.lock.integrity import seal
    from parity.redact import redact_file_text

    made = {id(f.group): f for f in prepared}
    files: dict[str, str] = {}
    for group in lock.groups:
        ready = made.get(id(group))
        if ready is None or ready.group is not group:
            ready = group_file(group)
        files[ready.path] = ready.text
    if lock.pylock is not None:
        files[PYLOCK_NAME] = redact_file_text(lock.pylock)
    return seal(files)


def posix(output: str) -> str:
    """An output path as written in the project: POSIX separators, normalised."""
    return PurePosixPath(output.replace("\\", "/")).as_posix()
