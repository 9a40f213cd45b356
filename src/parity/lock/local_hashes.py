"""Hashes for packages found in the project's own ``--find-links`` folders.

uv's requirements export writes no ``--hash`` for a package it found in a
local folder, and a lock without hashes verifies nothing: an altered wheel
in ``./wheels`` would be installed as if it were the locked one.  So parity
hashes every artifact of the pinned release in those folders itself, as
pip-compile does, and the lock is installed with ``--require-hashes``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    canonicalize_version,
    parse_sdist_filename,
    parse_wheel_filename,
)


def local_folders(root: Path, find_links: Iterable[str]) -> list[Path]:
    """The project's find-links locations that are folders inside it."""
    folders: list[Path] = []
    base = root.resolve()
    for location in find_links:
        if "://" in location or location.startswith(("~", "$")):
            continue
        folder = (root / location).resolve()
        if folder.is_dir() and folder.is_relative_to(base):
            folders.append(folder)
    return folders


def artifact_hashes(folders: Iterable[Path]) -> dict[tuple[str, str], list[str]]:
    """``(name, version) -> ["sha256:...", ...]`` for every wheel and sdist in the folders."""
    found: dict[tuple[str, str], list[str]] = {}
    for folder in folders:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for filename in names:
            key = _release(filename)
            if key is None or not (folder / filename).is_file():
                continue
            digest = hashlib.sha256((folder / filename).read_bytes()).hexdigest()
            bucket = found.setdefault(key, [])
            if f"sha256:{digest}" not in bucket:
                bucket.append(f"sha256:{digest}")
    return {key: sorted(values) for key, values in found.items()}


def hashes_for(
    table: Mapping[tuple[str, str], list[str]], name: str, version: str | None
) -> tuple[str, ...]:
    if version is None:
        return ()
    return tuple(table.get((canonicalize_name(name), canonicalize_version(version)), ()))


def _release(filename: str) -> tuple[str, str] | None:
    try:
        if filename.endswith(".whl"):
            name, version, _, _ = parse_wheel_filename(filename)
        elif filename.endswith((".tar.gz", ".zip")):
            name, version = parse_sdist_filename(filename)
        else:
            return None
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return canonicalize_name(name), canonicalize_version(version)
