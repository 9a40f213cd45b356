"""Which Python and platform a lock is resolved for: pure decisions.

A lock is universal by default (markers, every platform) over the project's
Python range.  ``--python-version`` / ``--python-platform`` narrow it to one
named target, such as production's linux x86_64 on 3.8.
"""

from __future__ import annotations

import re
import sys

from parity.errors import UsageError
from parity.frozen import dataclass

TYPE_CHECKING = False  # not typing's: ``check`` decides a lock's target on every run
if TYPE_CHECKING:
    from parity.spec.model import PythonTarget

# packaging is imported where a range is read: a project that pins its Python in
# .python-version (``3.11``) has its target decided without it.

# uv's --python-platform names, as environment markers uv can lock for.
_PLATFORM_MARKERS: dict[str, str] = {
    "linux": "sys_platform == 'linux'",
    "macos": "sys_platform == 'darwin'",
    "windows": "sys_platform == 'win32'",
    "x86_64-unknown-linux-gnu": "sys_platform == 'linux' and platform_machine == 'x86_64'",
    "aarch64-unknown-linux-gnu": "sys_platform == 'linux' and platform_machine == 'aarch64'",
    "x86_64-manylinux": "sys_platform == 'linux' and platform_machine == 'x86_64'",
    "aarch64-manylinux": "sys_platform == 'linux' and platform_machine == 'aarch64'",
    "x86_64-apple-darwin": "sys_platform == 'darwin' and platform_machine == 'x86_64'",
    "aarch64-apple-darwin": "sys_platform == 'darwin' and platform_machine == 'arm64'",
    "x86_64-pc-windows-msvc": "sys_platform == 'win32' and platform_machine == 'AMD64'",
    "aarch64-pc-windows-msvc": "sys_platform == 'win32' and platform_machine == 'ARM64'",
}
_ALIASES = {"darwin": "macos", "win32": "windows", "linux-x86_64": "x86_64-unknown-linux-gnu"}


@dataclass(frozen=True)
class LockTarget:
    """What one resolution holds for.

    ``requires_python`` is the range resolved over; ``python`` the version
    environments are built with (None: any that satisfies the range);
    ``environments`` narrows a universal lock to named platforms;
    ``python_version`` / ``python_platform`` are the options asked for.
    """

    requires_python: str
    python: str | None
    environments: tuple[str, ...] = ()
    label: str | None = None
    note: str | None = None
    python_version: str | None = None
    python_platform: str | None = None


def platform_marker(name: str) -> str:
    key = _ALIASES.get(name.lower(), name.lower())
    # uv spells manylinux targets with a glibc version (x86_64-manylinux_2_28).
    key = re.sub(r"^(x86_64|aarch64)-manylinux.*$", r"\1-manylinux", key)
    marker = _PLATFORM_MARKERS.get(key)
    if marker is None:
        known = ", ".join(sorted(_PLATFORM_MARKERS))
        raise UsageError(
            f"unknown platform {name!r}",
            hint=f"Use one of: {known}.",
        )
    return marker


def minor_of(version: str) -> str:
    parts = version.split(".")
    if len(parts) >= 2 and all(part.isdigit() and part.isascii() for part in parts):
        return f"{int(parts[0])}.{int(parts[1])}"  # what packaging's Version says of it
    from packaging.version import InvalidVersion, Version

    try:
        parsed = Version(version)
    except InvalidVersion:
        raise UsageError(
            f"not a Python version: {version!r}", hint="Write it like 3.11 or 3.11.7."
        ) from None
    if len(parsed.release) < 2:
        raise UsageError(
            f"a Python version names its minor release: {version!r} is not enough",
            hint=f"Write it like {parsed.major}.11 or {parsed.major}.11.7.",
        )
    return f"{parsed.major}.{parsed.minor}"


def choose_target(
    python: PythonTarget,
    *,
    python_version: str | None = None,
    python_platform: str | None = None,
    running: tuple[int, int] | None = None,
) -> LockTarget:
    """Decide the resolution's Python range, pinned interpreter and platforms."""
    environments: tuple[str, ...] = ()
    label_parts: list[str] = []
    if python_platform:
        marker = platform_marker(python_platform)
        environments = (marker,)
        label_parts.append(python_platform)
    note = None
    if python_version:
        minor = minor_of(python_version)
        requires = f"=={minor}.*"
        pinned: str | None = python_version
        label_parts.append(f"Python {python_version}")
    elif python.requires_python:
        requires = _check_specifier(python.requires_python)
        pinned = python.pinned
        if pinned and not _contains(requires, pinned):
            where = f" ({python.range_source})" if python.range_source else ""
            raise UsageError(
                f".python-version pins {pinned}, outside requires-python {requires}{where}",
                path=str(python.source) if python.source else None,
                hint="Make the pinned version satisfy requires-python, or widen the range.",
            )
    elif python.pinned:
        requires = f"=={minor_of(python.pinned)}.*"
        pinned = python.pinned
    else:
        major, minor_ = running or sys.version_info[:2]
        requires = f"=={major}.{minor_}.*"
        pinned = f"{major}.{minor_}"
        note = (
            f"the project pins no Python; locked for Python {pinned} (the interpreter parity "
            "runs on). Pin it with a .python-version file or requires-python."
        )
    label = " / ".join(label_parts) if label_parts else None
    return LockTarget(
        requires_python=requires,
        python=pinned,
        environments=environments,
        label=label,
        note=note,
        python_version=python_version or None,
        python_platform=python_platform or None,
    )


def _contains(requires: str, version: str) -> bool:
    from packaging.specifiers import SpecifierSet

    return SpecifierSet(requires).contains(version, prereleases=True)


def _check_specifier(text: str) -> str:
    """``text`` as packaging prints it (``str(SpecifierSet(text))``); UsageError if invalid."""
    from parity.spec.requirements_file import plain_range

    plain = plain_range(text)  # ``>=3.10`` (most projects' range), without packaging
    if plain is not None:
        return plain
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return str(SpecifierSet(text))
    except InvalidSpecifier:
        raise UsageError(
            f"requires-python is not a valid version range: {text!r}",
            hint="Write it like >=3.10 or ==3.11.*.",
        ) from None
