"""Is an environment whole?  The interpreter runs, and each package holds its files.

A ``.dist-info`` folder name says which version *was* installed; it says
nothing about whether the files are still there, or whether METADATA was
changed since.  ``check`` reads this when the sync stamp no longer matches:

- the interpreter (``bin/python``, and what it links to) exists;
- each distribution's METADATA names the version its folder names;
- every file its RECORD lists exists;
- with ``deep``, every file's bytes match RECORD's hash and size.

Nothing here starts a process or imports what it reads.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
from pathlib import Path

from parity.env.stamp import RecordScan, scan_records
from parity.frozen import dataclass
from parity.names import canonical_name

_DIST_INFO = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)\.dist-info$")
_EGG_INFO = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+?)(-py\d[\d.]*)?\.egg-info$")
MAX_NAMED_FILES = 3


@dataclass(frozen=True)
class Damage:
    """What is wrong with one installed distribution."""

    name: str
    version: str
    problem: str  # "metadata", "missing-files", "modified-files", "no-record"
    detail: str
    files: tuple[str, ...] = ()


def interpreter_problem(interpreter: Path, shown: str) -> str | None:
    """Why the environment's interpreter cannot run, or None when it is there."""
    if not os.path.lexists(interpreter):
        return f"{shown} is missing"
    if not interpreter.exists():
        target = os.readlink(interpreter) if interpreter.is_symlink() else "?"
        name = Path(target).name or target
        return f"{shown} links to an interpreter that is gone ({name})"
    if not os.access(interpreter, os.X_OK):
        return f"{shown} is not executable"
    return None


def metadata_version(dist_info: Path) -> tuple[str | None, str | None]:
    """(Name, Version) from METADATA's headers; (None, None) when unreadable."""
    name = version = None
    try:
        with open(dist_info / "METADATA", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    break  # the body starts
                key, _, value = line.partition(":")
                key = key.strip().lower()
                if key == "name" and name is None:
                    name = value.strip()
                elif key == "version" and version is None:
                    version = value.strip()
                if name and version:
                    break
    except OSError:
        return None, None
    return name, version


def damaged_distributions(site_packages: Path, *, deep: bool = False) -> list[Damage]:
    """Every distribution whose METADATA, files or (``deep``) file contents are not as installed."""
    found: list[Damage] = []
    try:
        entries = sorted(os.listdir(site_packages))
    except OSError:
        return found
    found += duplicates(entries)
    found += broken_egg_links(site_packages, entries)
    for entry in entries:
        match = _DIST_INFO.match(entry)
        if not match:
            continue
        dist_info = site_packages / entry
        name = canonical_name(match.group("name"))
        folder_version = match.group("version")
        meta_name, meta_version = metadata_version(dist_info)
        if meta_version is None:
            found.append(Damage(name, folder_version, "metadata", "its METADATA is missing"))
            continue
        if not _same(meta_version, folder_version) or (
            meta_name is not None and canonical_name(meta_name) != name
        ):
            found.append(
                Damage(
                    name,
                    folder_version,
                    "metadata",
                    f"its METADATA says {meta_name or name} {meta_version}, "
                    f"its folder says {folder_version}",
                )
            )
            continue
        damage = _file_damage(site_packages, dist_info, name, folder_version, deep=deep)
        if damage is not None:
            found.append(damage)
    return found


def duplicates(entries: list[str]) -> list[Damage]:
    """Packages with two metadata folders: Python imports one, tools report either."""
    seen: dict[str, list[str]] = {}
    for entry in entries:
        match = _DIST_INFO.match(entry) or _EGG_INFO.match(entry)
        if match:
            seen.setdefault(canonical_name(match.group("name")), []).append(match.group("version"))
    return [
        Damage(
            name,
            versions[0],
            "duplicate",
            f"it is installed {len(versions)} times ({', '.join(versions)}); Python imports "
            "one of them",
        )
        for name, versions in sorted(seen.items())
        if len(versions) > 1
    ]


def broken_egg_links(site_packages: Path, entries: list[str]) -> list[Damage]:
    """``.egg-link`` files that name no project folder with an egg-info."""
    from parity.env.installed import egg_link_distribution

    found: list[Damage] = []
    for entry in entries:
        if not entry.endswith(".egg-link"):
            continue
        linked = egg_link_distribution(site_packages, entry)
        if linked is None or linked.version == "unknown":
            name = canonical_name(entry.removesuffix(".egg-link"))
            found.append(
                Damage(name, "?", "egg-link", f"{entry} names no project folder parity can read")
            )
    return found


def _file_damage(
    site_packages: Path, dist_info: Path, name: str, version: str, *, deep: bool
) -> Damage | None:
    rows = _record_rows(dist_info)
    if rows is None:
        return Damage(name, version, "no-record", "its RECORD is missing or unreadable")
    missing: list[str] = []
    modified: list[str] = []
    for rel, digest, size in rows:
        path = os.path.join(site_packages, rel)
        if "__pycache__" in rel:
            continue  # compiled files come and go with the interpreter's cache
        try:
            st = os.stat(path)
        except OSError:
            missing.append(rel)
            continue
        if deep and digest and not _matches(path, digest, size, st.st_size):
            modified.append(rel)
    if missing:
        return Damage(
            name,
            version,
            "missing-files",
            f"{len(missing)} of its files are missing ({_names(missing)})",
            tuple(missing),
        )
    if modified:
        return Damage(
            name,
            version,
            "modified-files",
            f"{len(modified)} of its files differ from RECORD ({_names(modified)})",
            tuple(modified),
        )
    return None


def _record_rows(dist_info: Path) -> list[tuple[str, str, str]] | None:
    import csv

    try:
        with open(dist_info / "RECORD", encoding="utf-8", newline="") as handle:
            rows = [r for r in csv.reader(handle) if r and r[0]]
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return [(r[0], r[1] if len(r) > 1 else "", r[2] if len(r) > 2 else "") for r in rows]


def _matches(path: str, digest: str, size: str, actual_size: int) -> bool:
    if size.isdigit() and int(size) != actual_size:
        return False
    algorithm, _, expected = digest.partition("=")
    try:
        hasher = hashlib.new(algorithm)
    except ValueError:
        return True  # an algorithm this Python lacks: nothing to compare with
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                hasher.update(block)
    except OSError:
        return False
    actual = base64.urlsafe_b64encode(hasher.digest()).rstrip(b"=").decode()
    return actual == expected


def _names(paths: list[str]) -> str:
    shown = ", ".join(paths[:MAX_NAMED_FILES])
    return shown + (", ..." if len(paths) > MAX_NAMED_FILES else "")


def _same(a: str, b: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def bytecode_dirs(site_packages: Path) -> set[Path]:
    """Folders holding installed ``.py`` files, where Python will create ``__pycache__``."""
    return {Path(folder) for folder in scan_records(site_packages).code_folders}


def prepare_bytecode_dirs(site_packages: Path, records: RecordScan | None = None) -> None:
    """Create the ``__pycache__`` folders Python would create on first import.

    The sync stamp watches package folders; Python creating ``__pycache__``
    in one of them on first import would change that folder's status and
    send every later ``check`` down the slow path.  Created up front, Python
    only writes inside them, and those are not watched.  ``records`` is the
    reading of site-packages' RECORDs when the caller has it (the stamp
    needs it too: see :func:`parity.env.stamp.scan_records`).
    """
    if records is None:
        records = scan_records(site_packages)
    for folder in records.code_folders:
        # One call per folder: one that exists (or is a file) raises, as does a
        # read-only folder, where Python will not write either.
        with contextlib.suppress(OSError):
            os.mkdir(os.path.join(folder, "__pycache__"))
