"""Atomic, byte-stable writes: a reader never sees a half-written file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def cache_root(environ: Mapping[str, str] | None = None) -> Path:
    """parity's own cache: ``$PARITY_CACHE_DIR``, else ``$XDG_CACHE_HOME/parity``, else ``~/.cache/parity``."""
    env = os.environ if environ is None else environ
    if env.get("PARITY_CACHE_DIR"):
        return Path(env["PARITY_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "parity"


def atomic_write_text(path: Path, text: str, *, make_parents: bool = True) -> None:
    """Write ``text`` to ``path`` through a temp file in the same directory and rename."""
    atomic_write_bytes(path, text.encode("utf-8"), make_parents=make_parents)


def atomic_write_bytes(path: Path, data: bytes, *, make_parents: bool = True) -> None:
    """Write one file in one step (its folder is created only with ``make_parents``).

    The temp file carries parity's temp mark, so a run killed mid-write leaves
    a name that ``parity.generation.recover`` knows to remove.
    """
    from parity.errors import WriteError
    from parity.generation import TMP_MARK

    if make_parents and not path.parent.exists():
        try:
            path.parent.mkdir(parents=True)
        except OSError as exc:
            raise WriteError(
                f"cannot create the folder of {path.name}: {exc.strerror or exc}",
                path=str(path),
            ) from None
    if not path.parent.is_dir():
        raise WriteError(
            f"cannot write {path.name}: the folder {path.parent.name or path.parent} does not exist",
            path=str(path),
            hint="Create the folder first, or write somewhere else.",
        )
    # A name of our own, as tempfile.mkstemp makes (tempfile costs more to import
    # than check's whole budget).
    tmp = str(path.parent / f".{path.name}{TMP_MARK}{os.urandom(6).hex()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise WriteError(
            f"cannot write {path.name}: {exc.strerror or exc}",
            path=str(path),
            hint="Check that the folder is writable.",
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise WriteError(
            f"cannot write {path.name}: {exc.strerror or exc}",
            path=str(path),
            hint="Check that the folder is writable.",
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_many(files: Mapping[Path, str], *, root: Path | None = None) -> None:
    """Write several files in one step: readers see all old or all new.

    A thin front for :func:`parity.generation.write_generation` (the one
    multi-file writer, with its journal) for callers that hold absolute
    paths; ``root`` defaults to the folder the files have in common.
    """
    from parity.generation import write_generation

    if not files:
        return
    base = root or Path(os.path.commonpath([str(p.parent) for p in files]))
    write_generation(base, {p.relative_to(base).as_posix(): text for p, text in files.items()})


def sha256_text(text: str) -> str:
    import hashlib

    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


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
