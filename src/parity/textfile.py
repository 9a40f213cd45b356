"""Read a text file parity was told to read, or say clearly why it cannot.

Every input (requirements files, pyproject.toml, lockfiles, snapshots, diff
sides) is read through :func:`read_text_file`, so each of these is one clear
error instead of a traceback or a hang:

- a folder, a FIFO, a device (``-r /dev/zero`` would fill the memory, a FIFO
  would block forever): only regular files are read;
- a symbolic link loop, a file that vanished, a permission problem;
- a file larger than :data:`MAX_BYTES`;
- bytes that are not UTF-8.  A UTF-8 byte-order mark is accepted (and
  dropped), as pip accepts it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from parity.errors import ParityError, SpecError

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads
if TYPE_CHECKING:
    from typing import Any

MAX_BYTES = 32 * 1024 * 1024  # far above any real input; well below what hurts
BOM = "\ufeff"


def is_present(path: Path) -> bool:
    """There, whatever it is: a folder or a pipe named pyproject.toml is an error, not absent."""
    return path.exists() or path.is_symlink()


def read_text_file(
    path: Path,
    *,
    shown: str,
    error: type[ParityError] = SpecError,
    limit: int = MAX_BYTES,
    missing_hint: str | None = None,
) -> str:
    """The text of ``path``; raises ``error`` (naming ``shown``) when it cannot be read.

    A missing file raises :class:`FileNotFoundError` only when ``missing_hint``
    is None, so callers that have their own wording for it keep it.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if missing_hint is None:
            raise
        raise error("file not found", path=shown, hint=missing_hint) from None
    except OSError as exc:
        raise _os_error(exc, shown, error) from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        if stat.S_ISFIFO(st.st_mode):
            kind = "a pipe (FIFO), not a regular file"
        elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
            kind = "a device, not a regular file"
        raise error(f"{kind}", path=shown, hint="Give the path of a text file.")
    if st.st_size > limit:
        raise error(
            f"too large to be an input ({st.st_size // (1024 * 1024)} MiB; the limit is "
            f"{limit // (1024 * 1024)} MiB)",
            path=shown,
            hint="Check that this is the file you meant.",
        )
    try:
        # O_NONBLOCK: a file swapped for a FIFO after the check must not hang us.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise error("not a regular file", path=shown, hint="Give the path of a text file.")
            data = handle.read(limit + 1)
    except OSError as exc:
        raise _os_error(exc, shown, error) from None
    if len(data) > limit:
        raise error("too large to be an input", path=shown)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(
            f"not UTF-8 text (byte {exc.start} cannot be decoded)",
            path=shown,
            line=line,
            hint="Save the file as UTF-8.",
        ) from None
    return text.removeprefix(BOM)


def _os_error(exc: OSError, shown: str, error: type[ParityError]) -> ParityError:
    if exc.errno == errno.ELOOP:
        return error("a symbolic link loop", path=shown, hint="Fix or remove the link.")
    if isinstance(exc, PermissionError):
        return error("cannot read it: permission denied", path=shown, hint="Check its permissions.")
    if isinstance(exc, IsADirectoryError):
        return error("a folder", path=shown, hint="Give the path of a text file.")
    return error(f"cannot read it: {exc.strerror or exc}", path=shown)


def parse_json(text: str) -> Any:
    """``json.loads``, with nesting too deep for the parser as a plain decoding error.

    A hostile or broken file of ``[[[[...]]]]`` would otherwise end in a
    RecursionError (a traceback) instead of "not valid JSON".
    """
    import json

    try:
        return json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, 0) from None
