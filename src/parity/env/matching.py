"""An environment and its lock: which group, which Python, which lockfile bytes.

The small decisions ``sync`` and ``check`` share, without sync's machinery:
``check`` runs on every commit and CI job and imports this module, not
``env/sync.py`` (with the stamp writer, the venv builder and uv's runner).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: check's paths stay cheap
if TYPE_CHECKING:
    from pathlib import Path

    from parity.lock.model import LockedGroup
    from parity.spec.model import ProjectSpec


def default_group(spec: ProjectSpec) -> str:
    from parity.spec.model import DEFAULT_GROUP

    return DEFAULT_GROUP if spec.has_group(DEFAULT_GROUP) else spec.group_names[0]


def resolve_group(spec: ProjectSpec, group: str | None) -> str:
    name = group or default_group(spec)
    if not spec.has_group(name):
        from parity.errors import UsageError

        known = ", ".join(spec.group_names)
        raise UsageError(f"unknown group {name!r}", hint=f"This project's groups are: {known}.")
    return name


def lockfile_digest(path: Path) -> str:
    import hashlib

    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def python_request(locked: LockedGroup) -> str | None:
    """What to ask uv for: the pinned version, else the locked range."""
    return locked.meta.python or locked.meta.requires_python


def python_satisfies(installed: str, locked: LockedGroup) -> bool:
    """Whether an interpreter version is the one the lock was made for."""
    wanted = locked.meta.python or locked.meta.requires_python
    if not wanted:
        return True
    plain = _plain_match(installed, wanted)
    if plain is not None:
        return plain
    from parity.interpreters import matches

    return matches(installed, wanted)


def _plain_match(installed: str, wanted: str) -> bool | None:
    """:func:`parity.interpreters.matches` for the everyday case, without packaging.

    A lock pins a Python as ``3.11`` (the series, ``==3.11.*``) or ``3.11.7``,
    and a venv records ``3.11.7``: both plain release numbers, compared as
    numbers.  None for anything else (a range, a pre-release): packaging decides.
    """
    request = wanted.strip()
    asked = _release(request)
    have = _release(installed)
    if asked is None or have is None or len(have) != 3 or len(asked) > 3:
        return None
    return have[: len(asked)] == asked


def _release(text: str) -> tuple[int, ...] | None:
    parts = text.split(".")
    if not all(part.isdigit() and part.isascii() for part in parts):
        return None
    return tuple(int(part) for part in parts)
