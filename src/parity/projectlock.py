"""One parity process at a time changes a project: ``lock`` and ``sync`` take this lock.

It is an advisory ``flock`` on the project directory itself, so no lock file
is created (nothing to leave behind, nothing to commit), it works in a
read-only folder, and the kernel releases it when the process dies however
it dies.  On systems without ``flock`` the lock is a no-op.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def project_lock(root: Path) -> Iterator[None]:
    """Hold the project's lock; wait (saying so once) while another parity holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(root, os.O_RDONLY)
    except OSError:
        yield  # a folder parity cannot open fails later, with its own message
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            sys.stderr.write("waiting for another parity process working on this project...\n")
            sys.stderr.flush()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
