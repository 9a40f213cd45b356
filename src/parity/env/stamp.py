"""The sync stamp: proof, in one small file, that an environment matches a lock.

``sync`` writes it twice.  Before it changes anything it marks the
environment ``syncing``; only a sync that finished rewrites it as ``synced``,
with the digest of the lockfile it installed, the group, the Python version,
the hashes each package was verified against, and a *fingerprint* of the
environment: the status (mtime, size, inode) of the interpreter,
``pyvenv.cfg``, every ``.dist-info`` folder with its METADATA and RECORD,
and every folder holding an installed file.  Deleting or adding a file
changes its folder's status; rewriting METADATA changes that file's.  So
``check`` trusts a matching stamp after one small read and a stat per folder,
and falls back to reading the environment when anything moved.  A killed or
failed sync leaves ``syncing``, which never matches.

What a status cannot show (a file rewritten in place, same size, mtime set
back) is what ``check --deep`` is for: it verifies every file against RECORD.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from parity.frozen import dataclass, field
from parity.fsutil import atomic_write_text

STAMP_NAME = ".parity-sync.json"
STAMP_SCHEMA = "parity/sync-stamp@2"
SYNCED = "synced"
SYNCING = "syncing"
# How a stamp's group reads when sync left the project itself out.
NO_PROJECT = " (no project)"


@dataclass(frozen=True)
class SyncStamp:
    lock_digest: str
    group: str
    python: str
    lockfile: str
    state: str = SYNCED
    fingerprint: str = ""
    watched: tuple[str, ...] = ()
    # name -> digest of the hashes its installed files were verified against
    verified: Mapping[str, str] = field(default_factory=dict)
    # False: synced with --no-install-project, so check expects the project absent.
    project: bool = True


def stamped_group(group: str, extras: Sequence[str] = (), *, project: bool = True) -> str:
    """What a stamp calls the group's lock as sync installed it (extras added, project out).

    A plain sync of the group must never take one for the other.
    """
    return "+".join([group, *extras]) + ("" if project else NO_PROJECT)


def stamp_path(venv: Path) -> Path:
    return venv / STAMP_NAME


def read_stamp(venv: Path) -> SyncStamp | None:
    """The stamp, or None when there is none or it cannot be trusted (any defect)."""
    try:
        data = json.loads(stamp_path(venv).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("schema") != STAMP_SCHEMA:
        return None
    watched = data.get("watched", [])
    verified = data.get("verified", {})
    if not isinstance(watched, list) or not all(isinstance(w, str) for w in watched):
        return None
    if not isinstance(verified, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in verified.items()
    ):
        return None
    project = data.get("project")
    if project is None:
        # Written before the stamp said it: the group's name did.
        project = not str(data.get("group", "")).endswith(NO_PROJECT)
    if not isinstance(project, bool):
        return None
    try:
        return SyncStamp(
            lock_digest=_string(data["lock_digest"]),
            group=_string(data["group"]),
            python=_string(data["python"]),
            lockfile=_string(data["lockfile"]),
            state=_string(data["state"]),
            fingerprint=_string(data["fingerprint"]),
            watched=tuple(watched),
            verified=dict(verified),
            project=project,
        )
    except (KeyError, TypeError):
        return None


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def write_stamp(venv: Path, stamp: SyncStamp) -> None:
    data = {
        "schema": STAMP_SCHEMA,
        "lock_digest": stamp.lock_digest,
        "group": stamp.group,
        "python": stamp.python,
        "lockfile": stamp.lockfile,
        "state": stamp.state,
        "fingerprint": stamp.fingerprint,
        "watched": list(stamp.watched),
        "verified": dict(sorted(stamp.verified.items())),
        "project": stamp.project,
    }
    atomic_write_text(stamp_path(venv), json.dumps(data, indent=1) + "\n")


def mark_syncing(venv: Path, *, lockfile: str, group: str, project: bool = True) -> None:
    """Say, before anything changes, that the environment is not known to be in sync."""
    write_stamp(
        venv,
        SyncStamp(
            lock_digest="",
            group=group,
            python="",
            lockfile=lockfile,
            state=SYNCING,
            project=project,
        ),
    )


# -- the fingerprint


class RecordScan:
    """Every RECORD of a site-packages read once: what the stamp and the bytecode folders need.

    ``sync`` needs both after an install; each reading lists about 15,000
    files for a venv of 100 packages.
    """

    __slots__ = ("code_folders", "dist_infos", "folders")

    def __init__(self, dist_infos: list[str], folders: set[str], code_folders: set[str]) -> None:
        self.dist_infos = dist_infos  # the ``*.dist-info`` entries, sorted
        self.folders = folders  # every folder holding an installed file (not bytecode)
        self.code_folders = code_folders  # those holding a ``.py`` file


def scan_records(site: str | os.PathLike[str]) -> RecordScan:
    """The folders every RECORD of ``site`` lists files in (see :class:`RecordScan`).

    A folder is ``os.path.dirname(os.path.normpath(os.path.join(site, rel)))``
    for each listed path ``rel``, computed once per folder spelling: every
    plain file name in one folder of a RECORD gives the same answer.
    """
    site = os.fspath(site)
    try:
        entries = sorted(e for e in os.listdir(site) if e.endswith(".dist-info"))
    except OSError:
        entries = []
    folders: set[str] = set()
    code_folders: set[str] = set()
    # The folder of each spelling of a RECORD folder ("pkg/sub/"): only where the
    # separator is "/" alone and the file name is plain (not "", "." or "..").
    known: dict[str, str] | None = {} if os.sep == "/" and os.altsep is None else None
    for entry in entries:
        for rel in record_paths(Path(site, entry)):
            if "__pycache__" in rel:
                continue  # Python's own cache comes and goes
            name = rel.rpartition("/")[2]
            if known is None or name in ("", ".", ".."):
                folder = os.path.dirname(os.path.normpath(os.path.join(site, rel)))
            else:
                head = rel[: len(rel) - len(name)]
                cached = known.get(head)
                if cached is None:
                    cached = os.path.dirname(os.path.normpath(os.path.join(site, rel)))
                    known[head] = cached
                folder = cached
            folders.add(folder)
            if rel.endswith(".py"):
                code_folders.add(folder)
    return RecordScan(entries, folders, code_folders)


def watched_paths(
    venv: Path, site_packages: Path, interpreter: Path, records: RecordScan | None = None
) -> tuple[str, ...]:
    """What the fingerprint covers, relative to the venv (computed once, at sync).

    Paths are handled as strings: a venv of 100 packages lists about 15,000
    files, and pathlib objects for each cost more than the install itself.
    ``records`` is the reading of site-packages' RECORDs when the caller has
    it (see :func:`scan_records`).
    """
    base = os.path.realpath(venv)
    site = os.fspath(site_packages)
    if records is None:
        records = scan_records(site)
    absolute: set[str] = {
        os.path.abspath(interpreter),
        os.path.abspath(os.path.join(venv, "pyvenv.cfg")),
        os.path.abspath(site),
    }
    for entry in records.dist_infos:
        dist_info = os.path.join(site, entry)
        absolute.update(
            os.path.abspath(p)
            for p in (
                dist_info,
                os.path.join(dist_info, "METADATA"),
                os.path.join(dist_info, "RECORD"),
            )
        )
    absolute.update(os.path.abspath(folder) for folder in records.folders)
    # os.path.relpath for what lies under ``base`` (both absolute and normal): the rest.
    inside = base if base.endswith(os.sep) else base + os.sep
    paths: set[str] = set()
    for path in absolute:
        if path.startswith(inside):
            rel = path[len(inside) :]
        else:
            try:
                rel = os.path.relpath(path, base)
            except ValueError:  # another drive on Windows
                continue
        if not rel.startswith(".."):
            paths.add(rel.replace(os.sep, "/"))
    return tuple(sorted(paths))


def record_paths(dist_info: Path) -> list[str]:
    """The paths a RECORD lists (relative to site-packages), nothing when unreadable."""
    import csv

    try:
        with open(dist_info / "RECORD", encoding="utf-8", newline="") as handle:
            return [row[0] for row in csv.reader(handle) if row and row[0]]
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def fingerprint(venv: Path, watched: Iterable[str]) -> str:
    """A digest of the status of every watched path (missing ones included as such)."""
    digest = hashlib.sha256()
    root = str(venv)
    for rel in watched:
        try:
            st = os.stat(os.path.join(root, rel))
            digest.update(f"{rel}|{st.st_mtime_ns}|{st.st_size}|{st.st_ino}\n".encode())
        except OSError:
            digest.update(f"{rel}|missing\n".encode())
    return "sha256:" + digest.hexdigest()


def hashes_digest(hashes: Sequence[str]) -> str:
    """One value for the set of hashes a package was verified against ("" for none)."""
    if not hashes:
        return ""
    return "sha256:" + hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()[:32]


def stamp_matches(
    stamp: SyncStamp | None,
    *,
    lock_digest: str,
    group: str,
    python: str,
    venv: Path,
) -> bool:
    """Whether the stamp proves ``venv`` still holds exactly what sync installed."""
    return (
        stamp is not None
        and stamp.state == SYNCED
        and stamp.lock_digest == lock_digest
        and stamp.group == group
        and stamp.python == python
        and bool(stamp.watched)
        and stamp.fingerprint == fingerprint(venv, stamp.watched)
    )
