"""What one observation of the disk was, and whether it still holds (the replay's side)."""

from __future__ import annotations

import os
import stat as _stat

TYPE_CHECKING = False  # not typing's: checking facts must not pay for importing it
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    Fact = tuple[Any, ...]

try:  # the small built-in SHA-256, not hashlib's OpenSSL (a tenth of Python's start-up)
    from _sha256 import sha256  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    try:
        from _sha2 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:
        from hashlib import sha256  # type: ignore[assignment,unused-ignore]


# Over this size a file read is known by its status, not its bytes.
HASH_LIMIT = 8 * 1024 * 1024


# The os functions a Recorder wrapped, while it is active: checking a fact must
# neither go through a wrapper nor be noted as one.
unwrapped: dict[str, Callable[..., Any]] = {}


def _original(name: str) -> Callable[..., Any]:
    saved = unwrapped.get(name)
    if saved is not None:
        return saved
    return getattr(os, name)  # type: ignore[no-any-return]


def stat_result(path: str, follow: bool) -> os.stat_result | int:
    """The status of ``path``, or the errno its stat raised."""
    try:
        return _original("stat")(path) if follow else _original("lstat")(path)  # type: ignore[no-any-return]
    except OSError as exc:
        return exc.errno or -1


def status_field(result: os.stat_result | int, name: str) -> Any:
    """One field of a status, or the error the stat raised."""
    if isinstance(result, int):
        return ("error", result)
    return getattr(result, name)


def file_identity(path: str) -> Any:
    """What a file read is known by: its status and its bytes' SHA-256 (or the error).

    The status lets a later check skip hashing (see :func:`_same_file`).
    """
    result = stat_result(path, True)
    if isinstance(result, int):
        return ("error", result)
    if not _stat.S_ISREG(result.st_mode):
        return ("kind", _stat.S_IFMT(result.st_mode))
    status = (result.st_size, result.st_mtime_ns, result.st_ctime_ns, result.st_ino)
    if result.st_size > HASH_LIMIT:
        return ("big", *status)
    digest = _digest(path)
    return ("file", *status, digest) if digest is not None else ("error", -1)


# Timestamps coarser than this (FAT's 2 s) cannot hide a change from a status comparison.
_RACY_NS = 3_000_000_000


def _same_file(path: str, value: Any, made_ns: int) -> bool:
    """Whether the file read then is the file there now.

    As git does for its index: an unchanged status (size, mtime, ctime,
    inode) proves an unchanged file only when both times are older than the
    record by more than the coarsest timestamp; a file changed within that
    window, or with another status, is hashed again.
    """
    if not value or value[0] != "file":
        return bool(file_identity(path) == value)
    result = stat_result(path, True)
    if isinstance(result, int) or not _stat.S_ISREG(result.st_mode):
        return False
    size, mtime, ctime, ino, digest = value[1:]
    if (result.st_size, result.st_mtime_ns, result.st_ctime_ns, result.st_ino) == (
        size,
        mtime,
        ctime,
        ino,
    ) and max(mtime, ctime) < made_ns - _RACY_NS:
        return True
    return bool(result.st_size == size and _digest(path) == digest)


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` (with the small built-in implementation where Python has it)."""
    return str(sha256(data).hexdigest())


def _digest(path: str) -> str | None:
    opener = _original("open")
    try:
        fd = opener(path, os.O_RDONLY)
    except OSError:
        return None
    digest = sha256()
    try:
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
    finally:
        os.close(fd)
    return str(digest.hexdigest())


def listing(path: str) -> Any:
    """A folder's names, sorted, or the error listing it raised."""
    try:
        return tuple(sorted(_original("listdir")(path)))
    except OSError as exc:
        return ("error", exc.errno or -1)


def link_target(path: str) -> Any:
    """Where a symbolic link points, or the error reading it raised."""
    try:
        return ("target", _original("readlink")(path))
    except OSError as exc:
        return ("error", exc.errno or -1)


def _entry_kind(path: str, kind: str, follow: bool) -> bool:
    result = stat_result(path, follow)
    if isinstance(result, int):
        return False
    test = {"dir": _stat.S_ISDIR, "file": _stat.S_ISREG, "link": _stat.S_ISLNK}[kind]
    return bool(test(result.st_mode))


def facts_hold(facts: Sequence[tuple[Fact, Any]], made_ns: int = 0) -> bool:
    """Whether every fact observed before (by a record made at ``made_ns``) is still true."""
    for fact, value in facts:
        kind = fact[0]
        if kind == "stat":
            _, path, follow = fact
            names, values = value
            result = stat_result(path, follow)
            if isinstance(result, int):
                if values != (("error", result),) * len(values):
                    return False
            elif tuple([getattr(result, n) for n in names]) != values:
                return False
        elif kind == "read":
            if not _same_file(fact[1], value, made_ns):
                return False
        elif kind == "list":
            if listing(fact[1]) != value:
                return False
        elif kind == "entry":
            _, path, what, follow = fact
            if _entry_kind(path, what, follow) != value:
                return False
        elif kind == "link":
            if link_target(fact[1]) != value:
                return False
        elif kind == "access":
            _, path, mode = fact
            if _original("access")(path, mode) != value:
                return False
        else:
            return False
    return True
