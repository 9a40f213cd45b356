"""The sync stamp: proof, in one small file, that an environment matches a lock.

``sync`` writes it after a successful install: the digest of the lockfile it
installed, the group, the Python version, and the modification time of
site-packages.  Any later install or removal changes that directory's mtime,
so ``check`` can trust a matching stamp without listing the environment.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from parity.fsutil import atomic_write_text

STAMP_NAME = ".parity-sync.json"
STAMP_SCHEMA = "parity/sync-stamp@1"


@dataclass(frozen=True)
class SyncStamp:
    lock_digest: str
    group: str
    python: str
    site_packages_mtime_ns: int
    lockfile: str


def stamp_path(venv: Path) -> Path:
    return venv / STAMP_NAME


def read_stamp(venv: Path) -> SyncStamp | None:
    try:
        data = json.loads(stamp_path(venv).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("schema") != STAMP_SCHEMA:
        return None
    try:
        return SyncStamp(
            lock_digest=str(data["lock_digest"]),
            group=str(data["group"]),
            python=str(data["python"]),
            site_packages_mtime_ns=int(data["site_packages_mtime_ns"]),
            lockfile=str(data["lockfile"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def write_stamp(venv: Path, stamp: SyncStamp) -> None:
    data = {"schema": STAMP_SCHEMA, **asdict(stamp)}
    atomic_write_text(stamp_path(venv), json.dumps(data, indent=2, sort_keys=True) + "\n")


def site_packages_mtime(site_packages: Path) -> int:
    try:
        return site_packages.stat().st_mtime_ns
    except OSError:
        return -1


def stamp_matches(
    stamp: SyncStamp | None,
    *,
    lock_digest: str,
    group: str,
    python: str,
    current_mtime_ns: int,
) -> bool:
    return (
        stamp is not None
        and stamp.lock_digest == lock_digest
        and stamp.group == group
        and stamp.python == python
        and stamp.site_packages_mtime_ns == current_mtime_ns
    )
