"""What an environment holds, to tell whether two builds are identical, and its size on disk.

A build is described by the installers' own records: for every installed
distribution its ``RECORD`` (each file with the hash the installer wrote),
and for a conda prefix every ``conda-meta/*.json`` package record (name,
version, build, package hash).  Byte code (``.pyc``) is left out: it is
compiled on the machine and stamped with times.  Two builds are identical
when these descriptions are equal.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

# Written per install, not per content.
_VOLATILE = frozenset({"RECORD", "INSTALLER", "REQUESTED", "direct_url.json", "uv_cache.json"})


def manifest(env: Path) -> dict[str, tuple[str, ...]]:
    """distribution (or conda package) -> what it installed, for comparison."""
    out: dict[str, tuple[str, ...]] = {}
    for site in sorted(env.glob("lib/python3*/site-packages")) + sorted(
        env.glob("Lib/site-packages")
    ):
        for info in sorted(site.glob("*.dist-info")):
            record = info / "RECORD"
            rows: list[str] = []
            try:
                text = record.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            for row in text.splitlines():
                path = row.split(",", 1)[0]
                name = path.rsplit("/", 1)[-1]
                if path.endswith(".pyc") or "__pycache__" in path or name in _VOLATILE:
                    continue
                rows.append(row)
            out[f"pypi:{info.name}"] = tuple(sorted(rows))
    meta = env / "conda-meta"
    if meta.is_dir():
        for record_file in sorted(meta.glob("*.json")):
            try:
                data = json.loads(record_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if not isinstance(data, Mapping):
                continue
            key = f"conda:{data.get('name')}-{data.get('version')}-{data.get('build')}"
            out[key] = tuple(str(data.get(k, "")) for k in ("sha256", "md5", "channel", "subdir"))
    return out


def differences(first: Mapping[str, tuple[str, ...]], second: Mapping[str, tuple[str, ...]]) -> str:
    """What differs between two manifests, in a few words ("" when they are equal)."""
    if first == second:
        return ""
    only_first = sorted(set(first) - set(second))
    only_second = sorted(set(second) - set(first))
    changed = sorted(k for k in set(first) & set(second) if first[k] != second[k])
    parts = []
    if only_first:
        parts.append("only in the first: " + ", ".join(_short(k) for k in only_first[:3]))
    if only_second:
        parts.append("only in the second: " + ", ".join(_short(k) for k in only_second[:3]))
    if changed:
        parts.append("files differ in: " + ", ".join(_short(k) for k in changed[:3]))
    return "; ".join(parts)


def _short(key: str) -> str:
    return key.split(":", 1)[1].removesuffix(".dist-info")


def disk_usage(path: Path) -> int:
    """Bytes allocated to the files under ``path`` (each hard-linked file once), like ``du``."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for root, dirs, files in os.walk(path):
        for name in (*dirs, *files):
            try:
                st = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen:
                continue
            seen.add(key)
            blocks = getattr(st, "st_blocks", None)
            total += blocks * 512 if blocks is not None else st.st_size
    return total
