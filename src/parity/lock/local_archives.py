"""Local archives a lock pins whose file changed since: a wheel rebuilt in place.

A requirement on ``./wheels/x-1.0.whl`` (or a ``file:`` URL) is locked with the
file's hash.  Rebuilt under the same name, the file no longer matches it, yet no
input changed: ``lock`` would say "Up to date" and ``sync`` would stop on uv's
hash mismatch.  Hashing the few archive files the lock names (on disk, no
network) lets ``lock`` resolve again and ``check`` call the lock stale.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from parity.lock.model import LockedGroup


def rehashed_archives(group: LockedGroup, root: Path) -> tuple[str, ...]:
    """The pins on a local archive whose file's sha256 is none the lock holds for it."""
    changed: list[str] = []
    for pin in group.pins:
        if not pin.hashes or not pin.is_archive or pin.source is None:
            continue
        path = local_archive_path(pin.source, root)
        if path is None:
            continue
        digest = _file_sha256(path)
        if digest is not None and f"sha256:{digest}" not in pin.hashes:
            changed.append(pin.name)
    return tuple(changed)


def local_archive_path(source: str, root: Path) -> Path | None:
    """The file a pin's location names on this machine, or None: not a local file."""
    location = source.split("#", 1)[0].strip()
    if "${" in location:
        return None  # an environment reference: what it names is the sync's to find
    if location.startswith("file:"):
        from urllib.parse import urlsplit
        from urllib.request import url2pathname

        parts = urlsplit(location)
        if parts.netloc not in ("", "localhost"):
            return None
        return Path(url2pathname(parts.path))
    if "://" in location:
        return None
    return root / location


def _file_sha256(path: Path) -> str | None:
    """The file's sha256, read in blocks (a wheel can be large); None: not a readable file."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()
