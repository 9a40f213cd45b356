"""Reading lockfiles from disk: one place for the errors every format shares."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from parity.errors import LockFileError


def read_lock_text(path: Path, *, display: str | None, regenerate: str) -> tuple[str, str]:
    """The file's text and the name to show for it; a clear error when it is absent."""
    shown = display or path.name
    try:
        return path.read_text(encoding="utf-8"), shown
    except FileNotFoundError:
        raise LockFileError(
            "lockfile not found", path=shown, hint=f"Run `{regenerate}` to create it."
        ) from None


def load_lock_toml(text: str, *, path: str, regenerate: str) -> dict[str, Any]:
    from parity import toml

    try:
        return toml.loads(text)
    except toml.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise LockFileError(
            f"not valid TOML: {exc}",
            path=path,
            line=int(match.group(1)) if match else None,
            hint=f"Regenerate the lock with `{regenerate}`.",
        ) from None


def nth_line(text: str, pattern: str, index: int = 0) -> int | None:
    """The 1-based line of the index-th match of a multi-line pattern."""
    for i, match in enumerate(re.finditer(pattern, text, re.M)):
        if i == index:
            return text.count("\n", 0, match.start()) + 1
    return None
