"""Temporary work folders that do not outlive parity, even when it is killed.

A ``with`` block removes its folder on any exception, and the CLI turns
SIGTERM into one; SIGKILL runs nothing.  So every work folder lives under
one parity-owned folder in the system temp dir and is named after the
process that made it; each new one first removes those whose process is
gone.  A folder of a live process is never touched.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def parity_temp_root() -> Path | None:
    """``$TMPDIR/parity-<uid>``, created private; None when it cannot be trusted."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    root = Path(system_temp_dir()) / f"parity-{uid}"
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


_found: list[str] = []


def system_temp_dir() -> str:
    """``tempfile.gettempdir()``, without importing tempfile where that can be helped.

    tempfile imports shutil, which imports the compression modules: a few
    milliseconds before every ``parity lock`` can start uv.  On POSIX, when
    tempfile is not loaded (so nothing has set ``tempfile.tempdir``), the folder
    is found as tempfile finds it: the first of $TMPDIR, $TEMP, $TMP, /tmp,
    /var/tmp, /usr/tmp and the working folder where a file can be created, found
    once per process.
    """
    if "tempfile" in sys.modules or os.name == "nt":
        import tempfile

        return tempfile.gettempdir()
    if not _found:
        _found.append(_first_writable(_candidate_temp_dirs()))
    return _found[0]


def _candidate_temp_dirs() -> list[str]:
    found = [value for name in ("TMPDIR", "TEMP", "TMP") if (value := os.environ.get(name))]
    found += ["/tmp", "/var/tmp", "/usr/tmp"]
    try:
        found.append(os.getcwd())
    except OSError:
        found.append(os.curdir)
    return found


def _first_writable(candidates: list[str]) -> str:
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for folder in candidates:
        if folder != os.curdir:
            folder = os.path.abspath(folder)
        for _ in range(100):
            probe = os.path.join(folder, f"tmp{os.urandom(6).hex()}")
            try:
                fd = os.open(probe, flags, 0o600)
                try:
                    try:
                        os.write(fd, b"blat")
                    finally:
                        os.close(fd)
                finally:
                    os.unlink(probe)
                return folder
            except FileExistsError:
                continue
            except OSError:
                break  # no point trying more names in this folder
    raise FileNotFoundError(f"No usable temporary directory found in {candidates}")


def _make_dir(prefix: str, parent: str | None) -> str:
    """``tempfile.mkdtemp(prefix=prefix, dir=parent)``: a new private folder, its absolute path."""
    folder = parent if parent is not None else system_temp_dir()
    for _ in range(100):
        path = os.path.join(folder, f"{prefix}{os.urandom(6).hex()}")
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue
        return os.path.abspath(path)
    raise FileExistsError(f"no new folder could be made in {folder}")


def _remove_tree(path: str) -> None:
    import shutil  # imported while uv runs by the lock engine (see lock/engines/uv.py)

    shutil.rmtree(path, ignore_errors=True)


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
        _remove_tree(entry.path)
        removed.append(entry.name)
    return removed


@contextmanager
def work_dir(kind: str) -> Iterator[Path]:
    """A fresh private folder ``<kind>-<pid>-<random>``, removed when the block ends."""
    root = parity_temp_root()
    if root is not None:
        sweep(root)
    path = Path(_make_dir(f"{kind}-{os.getpid()}-", None if root is None else str(root)))
    try:
        yield path
    finally:
        _remove_tree(str(path))
