"""Atomic, byte-stable writes: a reader never sees a half-written file."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not typing's: ``parity snapshot`` writes through here
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any

# The mark in the name of every temp file parity writes (see parity.generation.recover).
TMP_MARK = ".parity-tmp-"


def cache_root(environ: Mapping[str, str] | None = None) -> Path:
    """parity's own cache: ``$PARITY_CACHE_DIR``, else ``$XDG_CACHE_HOME/parity``, else ``~/.cache/parity``."""
    from pathlib import Path

    return Path(cache_dir(environ))


def cache_dir(environ: Mapping[str, str] | None = None) -> str:
    """:func:`cache_root` as a string, without pathlib (``parity snapshot`` never imports it)."""
    env = os.environ if environ is None else environ
    if env.get("PARITY_CACHE_DIR"):
        return env["PARITY_CACHE_DIR"]
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "parity")


def path_text(path: str | os.PathLike[str]) -> str:
    """``str(Path(path))``: the path as pathlib spells it, without importing pathlib on POSIX.

    pathlib (with re, urllib.parse and their imports) costs more than the rest
    of ``parity snapshot``; messages still name a path as they always did.
    """
    text = os.fspath(path)
    if os.name == "nt":
        from pathlib import Path

        return str(Path(text))
    if not text:
        return "."
    root = "/" if text.startswith("/") else ""
    if text.startswith("//") and not text.startswith("///"):
        root = "//"
    parts = [part for part in text.split("/") if part and part != "."]
    return root + "/".join(parts) or "."


def atomic_write_text(path: Path | str, text: str, *, make_parents: bool = True) -> None:
    """Write ``text`` to ``path`` through a temp file in the same directory and rename."""
    atomic_write_bytes(path, text.encode("utf-8"), make_parents=make_parents)


def atomic_write_bytes(path: Path | str, data: bytes, *, make_parents: bool = True) -> None:
    """Write one file in one step (its folder is created only with ``make_parents``).

    The temp file carries parity's temp mark, so a run killed mid-write leaves
    a name that ``parity.generation.recover`` knows to remove.
    """
    from parity.errors import WriteError

    # os.path on pathlib's spelling of the path: the same files, the same messages.
    target = path_text(path)
    folder, name = os.path.split(target)
    folder = folder or "."
    if make_parents and not os.path.exists(folder):
        try:
            os.makedirs(folder)
        except OSError as exc:
            raise WriteError(
                f"cannot create the folder of {name}: {exc.strerror or exc}",
                path=target,
            ) from None
    if not os.path.isdir(folder):
        raise WriteError(
            f"cannot write {name}: the folder {os.path.basename(folder) or folder} does not exist",
            path=target,
            hint="Create the folder first, or write somewhere else.",
        )
    # A name of our own, as tempfile.mkstemp makes (tempfile costs more to import
    # than check's whole budget).
    tmp = os.path.join(folder, f".{name}{TMP_MARK}{os.urandom(6).hex()}")
    if folder == ".":
        tmp = tmp[2:]  # pathlib's spelling: "./x" is "x"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise WriteError(
            f"cannot write {name}: {exc.strerror or exc}",
            path=target,
            hint="Check that the folder is writable.",
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        try:
            mode = os.stat(target).st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        _unlink(tmp)
        raise WriteError(
            f"cannot write {name}: {exc.strerror or exc}",
            path=target,
            hint="Check that the folder is writable.",
        ) from None
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: str) -> None:
    try:  # noqa: SIM105 - contextlib costs ``parity snapshot`` more than its write
        os.unlink(path)
    except FileNotFoundError:
        pass


def atomic_write_many(files: Mapping[Path, str], *, root: Path | None = None) -> None:
    """Write several files in one step: readers see all old or all new.

    A thin front for :func:`parity.generation.write_generation` (the one
    multi-file writer, with its journal) for callers that hold absolute
    paths; ``root`` defaults to the folder the files have in common.
    """
    from pathlib import Path

    from parity.generation import write_generation

    if not files:
        return
    base = root or Path(os.path.commonpath([str(p.parent) for p in files]))
    write_generation(base, {p.relative_to(base).as_posix(): text for p, text in files.items()})


def sha256_text(text: str) -> str:
    return "sha256:" + sha256_bytes(text.encode("utf-8"))


# Under this size the small built-in SHA-256 is used while hashlib is not loaded yet:
# importing hashlib loads OpenSSL (a few milliseconds before ``parity lock`` can start
# uv, for digests of a few small input files), while OpenSSL hashes a lockfile of
# 500 KB seven times faster.  Both compute the same digest.
_SMALL = 64 * 1024


def sha256_bytes(data: bytes) -> str:
    """The SHA-256 hex digest of ``data``."""
    if len(data) <= _SMALL and "hashlib" not in sys.modules:
        builtin = _builtin_sha256()
        if builtin is not None:
            return str(builtin(data).hexdigest())
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _builtin_sha256() -> Any:
    try:
        from _sha256 import sha256  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ImportError:  # a build without the built-in hashes
            return None
    return sha256


def is_link_loop(path: Path) -> bool:
    """Whether ``path`` is a symbolic link that never reaches a file.

    Python 3.13 resolves such a path without an error (earlier versions raise
    RuntimeError or OSError), so a loop is asked for explicitly.
    """
    if not path.is_symlink():
        return False
    try:
        path.resolve(strict=True)
    except FileNotFoundError:
        return False  # a link to a file not written yet
    except (OSError, RuntimeError):
        return True
    return False


def broken_link(path: Path) -> str | None:
    """What is wrong with ``path`` when it is a symbolic link that reaches no file, else None.

    A dependency file found by its name (``requirements/dev.in``,
    ``environment-gpu.yml``) that is such a link is the user's input, unreadable:
    said, never skipped as if it were not there.
    """
    if not path.is_symlink() or path.is_file():
        return None
    if is_link_loop(path):
        return "a symbolic link loop"
    if path.exists():
        return None  # a link to a folder: not a dependency file
    return "a symbolic link to a file that does not exist"
