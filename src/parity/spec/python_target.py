"""Which Python a project runs on: ``.python-version``, ``[tool.parity] python``, requires-python."""

from __future__ import annotations

import re

from parity.errors import SpecError
from parity.spec.model import (
    PythonTarget,
    SourceRef,
)
from parity.spec.parity_config import ParityConfig
from parity.spec.pyproject import (
    PYPROJECT,
)
from parity.spec.requirements_file import plain_specifier
from parity.textfile import is_present, read_text_file
from parity.versions import minor_wildcard

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from pathlib import Path


PYTHON_VERSION = ".python-version"


def check_python_range(requires_python: str | None, ref: SourceRef | None) -> None:
    """A Python range that no Python satisfies is a mistake, not a missing interpreter."""
    if not requires_python:
        return
    plain = plain_specifier(requires_python)
    if plain is not None and plain[0] in (">=", ">") and plain[1][:2] <= (3, 38):
        return  # ``>=3.10``: 3.39.0 (below) satisfies it, known without packaging
    wildcard = minor_wildcard(requires_python)
    if wildcard is not None and wildcard[0] == 3 and wildcard[1] < 40:
        return  # ``==3.11.*``: 3.11.0 (below) satisfies it
    from packaging.specifiers import SpecifierSet

    spec = SpecifierSet(requires_python)
    for major, minors in ((2, range(8)), (3, range(40))):
        for minor in minors:
            for patch in (0, 1, 5, 10, 20, 50, 99):
                if spec.contains(f"{major}.{minor}.{patch}", prereleases=True):
                    return
    raise SpecError(
        f"requires-python {requires_python!r} admits no Python version",
        path=ref.path if ref else PYPROJECT,
        line=ref.line if ref else None,
        hint='Its bounds contradict each other; write a range such as ">=3.10,<3.13".',
    )


def read_python_version(root: Path) -> tuple[str, SourceRef] | None:
    """The version a ``.python-version`` file pins (its first non-comment line)."""
    version_file = root / PYTHON_VERSION
    if not is_present(version_file):
        return None
    text = read_text_file(root / PYTHON_VERSION, shown=PYTHON_VERSION)
    _refuse_control_characters(text)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"(?:cpython-|cpython@|python)?(\d+\.\d+(?:\.\d+)?)\S*", line)
        if not match:
            raise SpecError(
                f"not a Python version: {line!r}",
                path=PYTHON_VERSION,
                line=number,
                hint="Write a version such as 3.11 or 3.11.7.",
            )
        return match.group(1), SourceRef(PYTHON_VERSION, number)
    return None


def _refuse_control_characters(text: str) -> None:
    """A NUL or other control character is a damaged file, not part of a version.

    uv and pyenv would read such a file their own way (or not at all); parity
    reads no version out of it rather than one the file does not plainly say.
    """
    for index, char in enumerate(text):
        if char in "\t\r\n" or not (char < " " or "\x7f" <= char <= "\x9f"):
            continue
        raise SpecError(
            f"control character {char!r} in the file",
            path=PYTHON_VERSION,
            line=text.count("\n", 0, index) + 1,
            hint="Rewrite the file as plain text holding one version, such as 3.11.",
        )


def python_target(
    root: Path,
    requires_python: str | None,
    requires_ref: SourceRef | None,
    config: ParityConfig,
) -> PythonTarget:
    """Which Python the project runs on: the range to lock for and the pinned version.

    ``source`` is where the pin is written, else where the range is.
    """
    pinned: tuple[str, SourceRef] | None = read_python_version(root)
    if config.python is not None and config.python_ref is not None:
        if pinned is not None and pinned[0] != config.python:
            raise SpecError(
                f"[tool.parity] python = {config.python!r}, but {PYTHON_VERSION} pins {pinned[0]}",
                path=config.python_ref.path,
                line=config.python_ref.line,
                hint="Pin the Python in one place: remove one of them, or make them agree.",
            )
        if pinned is None:
            pinned = (config.python, config.python_ref)
    if pinned is None:
        return PythonTarget(
            requires_python=requires_python, source=requires_ref, range_source=requires_ref
        )
    return PythonTarget(
        requires_python=requires_python,
        pinned=pinned[0],
        source=pinned[1],
        range_source=requires_ref,
    )
