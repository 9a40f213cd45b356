"""Read a PEP 751 lockfile (``pylock.toml`` or ``pylock.<name>.toml``) into pins.

The writer lives in ``pylock.py``; this is the reader ``diff`` (and anything
else) uses to compare a pylock.toml with other locks and environments.  A
package's ``marker`` is kept as written, including the PEP 751
``'dev' in dependency_groups`` clauses: evaluate it with
``context="lock_file"`` and the groups wanted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from parity.errors import LockFileError
from parity.lock.formats.files import load_lock_toml, nth_line, read_lock_text
from parity.lock.model import Pin
from parity.redact import redact_url

_NAME = re.compile(r"^pylock\.([^.]+\.)?toml$", re.I)


@dataclass(frozen=True)
class PylockFile:
    pins: tuple[Pin, ...]
    lock_version: str
    requires_python: str | None = None
    python: str | None = None
    dependency_groups: tuple[str, ...] = ()
    default_groups: tuple[str, ...] = ()
    extras: tuple[str, ...] = ()
    created_by: str | None = None


def is_pylock_name(name: str) -> bool:
    """``pylock.toml`` or ``pylock.<name>.toml`` (PEP 751's file names)."""
    return bool(_NAME.match(name))


def is_pylock(text: str) -> bool:
    """Whether TOML text looks like a PEP 751 lock."""
    return bool(re.search(r"^lock-version\s*=", text, re.M)) and bool(
        re.search(r"^\[\[packages\]\]", text, re.M)
    )


def read_pylock(path: Path, *, display: str | None = None) -> PylockFile:
    text, shown = read_lock_text(path, display=display, regenerate="parity lock")
    return parse_pylock(text, path=shown)


def parse_pylock(text: str, *, path: str = "pylock.toml") -> PylockFile:
    data = _load_toml(text, path)
    version = data.get("lock-version")
    if version is None:
        raise LockFileError(
            "no lock-version: not a PEP 751 lockfile",
            path=path,
            hint='A pylock.toml starts with lock-version = "1.0"; regenerate it with `parity lock`.',
        )
    if not str(version).startswith("1."):
        raise LockFileError(
            f"unsupported lock-version {version!r}",
            path=path,
            line=_line_of(text, r"^lock-version"),
            hint="parity reads PEP 751 lock-version 1.x.",
        )
    packages = data.get("packages", [])
    if not isinstance(packages, list):
        raise LockFileError(
            "`packages` is not an array of tables", path=path, hint="Regenerate the lock."
        )
    tool = data.get("tool", {})
    parity = tool.get("parity", {}) if isinstance(tool, dict) else {}
    return PylockFile(
        pins=tuple(_pin(p, i, path, text) for i, p in enumerate(packages)),
        lock_version=str(version),
        requires_python=_str(data.get("requires-python")),
        python=_str(parity.get("python")) if isinstance(parity, dict) else None,
        dependency_groups=_strs(data.get("dependency-groups")),
        default_groups=_strs(data.get("default-groups")),
        extras=_strs(data.get("extras")),
        created_by=_str(data.get("created-by")),
    )


def _pin(package: Any, index: int, path: str, text: str) -> Pin:
    if not isinstance(package, dict) or "name" not in package:
        raise LockFileError(
            f"[[packages]] #{index + 1} has no name",
            path=path,
            line=_nth_line(text, r"^\[\[packages\]\]", index),
            hint="Every package of a PEP 751 lock has a name; regenerate the lock.",
        )
    source, editable = _source(package)
    return Pin(
        name=canonicalize_name(str(package["name"])),
        version=_str(package.get("version")),
        marker=_str(package.get("marker")),
        hashes=_hashes(package),
        source=source,
        editable=editable,
    )


def _source(package: dict[str, Any]) -> tuple[str | None, bool]:
    vcs = package.get("vcs")
    if isinstance(vcs, dict):
        where = redact_url(str(vcs["url"])) if vcs.get("url") else str(vcs.get("path", ""))
        commit = vcs.get("commit-id")
        text = f"{vcs.get('type', 'git')}+{where}"
        return (f"{text}@{commit}" if commit else text), False
    directory = package.get("directory")
    if isinstance(directory, dict):
        return str(directory.get("path", ".")), bool(directory.get("editable", False))
    archive = package.get("archive")
    if isinstance(archive, dict):
        if archive.get("url"):
            return redact_url(str(archive["url"])), False
        return str(archive.get("path", "")), False
    return None, False


def _hashes(package: dict[str, Any]) -> tuple[str, ...]:
    artifacts: list[Any] = []
    for key in ("sdist", "archive"):
        if isinstance(package.get(key), dict):
            artifacts.append(package[key])
    wheels = package.get("wheels", [])
    if isinstance(wheels, list):
        artifacts.extend(wheels)
    out: list[str] = []
    for artifact in artifacts:
        hashes = artifact.get("hashes", {}) if isinstance(artifact, dict) else {}
        if isinstance(hashes, dict):
            out.extend(f"{algo}:{digest}" for algo, digest in sorted(hashes.items()))
    return tuple(out)


def _load_toml(text: str, path: str) -> dict[str, Any]:
    return load_lock_toml(text, path=path, regenerate="parity lock")


def _line_of(text: str, pattern: str) -> int | None:
    match = re.search(pattern, text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _nth_line(text: str, pattern: str, index: int) -> int | None:
    return nth_line(text, pattern, index)


def _str(value: Any) -> str | None:
    return str(value) if value is not None else None


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()
