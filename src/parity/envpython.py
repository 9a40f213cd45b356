"""Where an environment keeps its interpreter, and whether it is the one running parity.

With ``os.path`` alone: ``parity snapshot`` passes here, and pathlib (with
``re`` and ``urllib.parse``) costs more than the rest of the command.
:mod:`parity.interpreters` offers the same answers for ``Path`` values.
"""

from __future__ import annotations

import os
import sys

# Where venvs (bin/ or Scripts/) and conda prefixes (python.exe at the root on
# Windows) keep their interpreter.
ENVIRONMENT_INTERPRETERS = ("bin/python", "bin/python3", "Scripts/python.exe", "python.exe")


def environment_python(root: str) -> str | None:
    """The interpreter of the venv or conda prefix at ``root``, or None when it has none."""
    for relative in ENVIRONMENT_INTERPRETERS:
        candidate = os.path.join(root, *relative.split("/"))
        if os.path.isfile(candidate):
            return candidate
    return None


def is_running(interpreter: str | os.PathLike[str]) -> bool:
    """Whether ``interpreter`` is the one running parity."""
    # Compared without resolving symlinks: a venv's bin/python links to the base
    # interpreter but is another environment.
    return os.path.normcase(os.path.abspath(interpreter)) == os.path.normcase(
        os.path.abspath(sys.executable)
    )
