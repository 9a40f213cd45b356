"""Temporary work folders that do not outlive parity, even when it is killed.

A ``with`` block removes its folder on any exception, and the CLI turns
SIGTERM into one; SIGKILL runs nothing.  So every work folder lives under
one parity-owned folder in the system temp dir and is named after the
process that made it; each new one first removes those whose process is
gone.  A folder of a live process is never touched.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def parity_temp_root() -> Path | None:
    """``$TMPDIR/parity-<uid>``, created private; None when it cannot be trusted."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    root = Path(tempfile.gettempdir()) / f"parity-{uid}"
    try:
        root.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(root)
    except OSError:
        return None
    # Someone else's folder, or a link planted in a shared /tmp: do not use it.
    if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != uid):
        return None
    if st.st_mode & 0o077:
        try:
            os.chmod(root, 0o700)
        except OSError:
            return None
    return root


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True  # cannot tell: keep its folder
    return True


def sweep(root: Path) -> list[str]:
    """Remove the work folders of parity processes that no longer exist."""
    removed: list[str] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        parts = entry.name.split("-")
        if len(parts) < 3 or not parts[1].isdigit():
            continue
        pid = int(parts[1])
        if pid == os.getpid() or _alive(pid):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(entry.name)
    return removed


@contextmanager
def work_dir(kind: str) -> Iterator[Path]:
    """A fresh private folder ``<kind>-<pid>-<random>``, removed when the block ends."""
    root = parity_temp_root()
    if root is not None:
        sweep(root)
    path = Path(tempfile.mkdtemp(prefix=f"{kind}-{os.getpid()}-", dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
