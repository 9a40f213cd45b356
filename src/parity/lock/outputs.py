"""The files of a lock, as a pure function of the lock.

``parity lock`` writes exactly what :func:`lock_files` returns (through the
atomic multi-file writer); tests compare it with golden files.  Nothing here
reads or writes the disk.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parity.lock.model import Lock

PYLOCK_NAME = "pylock.toml"


def lock_files(lock: Lock) -> dict[str, str]:
    """Every file of ``lock`` by project-relative POSIX path, sealed.

    One requirements file per group (``LockedGroup.output``), and
    ``pylock.toml`` when the lock carries one.
    """
    from parity.lock.formats import requirements_txt
    from parity.lock.integrity import seal
    from parity.redact import redact_file_text

    files = {posix(g.output): requirements_txt.write(g) for g in lock.groups}
    if lock.pylock is not None:
        files[PYLOCK_NAME] = lock.pylock
    # Sealed after the one redaction policy has had its say, so the seal holds.
    return seal({path: redact_file_text(text) for path, text in files.items()})


def posix(output: str) -> str:
    """An output path as written in the project: POSIX separators, normalised."""
    return PurePosixPath(output.replace("\\", "/")).as_posix()
