"""Where the rebuild happens, and the bytecode its import test keeps between runs.

A fresh venv holds no bytecode, so the import test compiles every module it
imports, and that compiling is most of what verify costs.  The venv is still
built from scratch on every run, but in a folder named after the lock's
content (every pin with its hashes), under parity's cache, next to a
bytecode cache (``python -X pycache_prefix``) that outlives it:

- a source file at a given path in that folder can only have come from the
  archive the lock's hashes name, so bytecode compiled from it before is
  bytecode of the same bytes (and Python still checks each file's size and
  mtime against it, and its own version);
- another lock gets another folder; the least recently used ones are removed
  beyond :data:`KEEP`.

The import test therefore runs the very same code, and imports it for real,
without compiling it again.  A second verify of the same lock running at the
same time, or a cache that cannot be used, falls back to a temporary folder
without bytecode (as before).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

from parity.frozen import dataclass
from parity.lock.model import LockedGroup

KEEP = 4
_SCHEMA = "parity/verify-place@1"


@dataclass(frozen=True)
class Place:
    """The folder the venv is created in, and the bytecode cache (None: write no bytecode)."""

    folder: Path
    pycache: Path | None


def place_key(locked: LockedGroup, python: str | None) -> str:
    """The lock's content as the import test sees it: every pin, version, source and hash."""
    from parity.fsutil import sha256_text

    pins = sorted([p.name, p.version or "", p.source or "", sorted(p.hashes)] for p in locked.pins)
    text = json.dumps({"schema": _SCHEMA, "python": python or "", "pins": pins}, sort_keys=True)
    return sha256_text(text).split(":", 1)[1][:32]


@contextlib.contextmanager
def rebuild_place(locked: LockedGroup, python: str | None) -> Iterator[Place]:
    """A folder for the venv (removed with everything in it but the bytecode when done)."""
    from parity.tempdirs import work_dir

    owned = _claim(locked, python)
    if owned is None:
        with work_dir("verify") as tmp:
            yield Place(Path(tmp), None)
        return
    base, handle = owned
    work = base / "work"
    try:
        _remove(work)  # a run killed before it could clean up
        work.mkdir(mode=0o700)
        yield Place(work, base / "pycache")
    finally:
        _remove(work)
        os.close(handle)  # releases the claim


def _claim(locked: LockedGroup, python: str | None) -> tuple[Path, int] | None:
    """This lock's folder, held exclusively by this process; None when busy or unusable."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): no reuse
        return None
    from parity.fsutil import cache_root

    root = cache_root() / "verify"
    base = root / place_key(locked, python)
    try:
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(root, 0o700)
        # Folders parity made and nothing else: never follow a link planted here.
        for folder in (root, base):
            st = os.lstat(folder)
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
                return None
        handle = os.open(base / "claim", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        return None
    with contextlib.suppress(OSError):
        os.utime(base)  # most recently used
    _prune(root, keep=base)
    return base, handle


def _prune(root: Path, *, keep: Path) -> None:
    """Remove the least recently used folders beyond :data:`KEEP` (never one in use)."""
    import fcntl

    try:
        folders = [p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and p != keep]
    except OSError:
        return
    folders.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in folders[KEEP - 1 :]:
        try:
            handle = os.open(old / "claim", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        except OSError:
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(handle)
            continue  # another verify is using it
        try:
            shutil.rmtree(old, ignore_errors=True)
        finally:
            os.close(handle)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)
