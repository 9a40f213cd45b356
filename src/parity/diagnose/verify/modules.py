"""Which top-level modules each installed distribution provides (what the import test imports)."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from packaging.utils import canonicalize_name

_SKIP_TOP = frozenset({"..", "__pycache__", "bin", "Scripts", "test", "tests", "docs", "examples"})
_EXTENSION = re.compile(r"^([A-Za-z_]\w*)\.[^/]*(\.so|\.pyd)$")


def import_names(site_packages: Path, names: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Per installed distribution among ``names``, its top-level modules.

    From ``top_level.txt`` when the wheel has one, else from the first path
    components in ``RECORD``; only modules present in site-packages count.
    Distributions not installed (a marker excluded them) are left out.
    """
    wanted = {canonicalize_name(n) for n in names}
    found: dict[str, tuple[str, ...]] = {}
    try:
        entries = sorted(os.listdir(site_packages))
    except OSError:
        return found
    for entry in entries:
        if not entry.endswith(".dist-info"):
            continue
        name = canonicalize_name(entry.removesuffix(".dist-info").rpartition("-")[0])
        if name not in wanted:
            continue
        dist = site_packages / entry
        candidates = _top_level(dist) if (dist / "top_level.txt").is_file() else _record_tops(dist)
        found[name] = tuple(m for m in candidates if _present(site_packages, m))
    return found


def _top_level(dist: Path) -> list[str]:
    lines = (dist / "top_level.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    return _modules(line.strip().split("/")[0] for line in lines if line.strip())


def _record_tops(dist: Path) -> list[str]:
    try:
        text = (dist / "RECORD").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    tops: list[str] = []
    for row in csv.reader(text.splitlines()):
        if not row:
            continue
        first, sep, _ = row[0].partition("/")
        if sep:
            tops.append(first)
        elif first.endswith(".py"):
            tops.append(first.removesuffix(".py"))
        elif match := _EXTENSION.match(first):
            tops.append(match.group(1))
    return _modules(tops)


def _modules(tops: Iterable[str]) -> list[str]:
    out: list[str] = []
    for top in tops:
        if (
            top in _SKIP_TOP
            or top.endswith((".dist-info", ".data", ".egg-info"))
            or not top.isidentifier()
            or top.startswith("_")
            or top in out
        ):
            continue
        out.append(top)
    return out


def _present(site_packages: Path, module: str) -> bool:
    if (site_packages / module).is_dir() or (site_packages / f"{module}.py").is_file():
        return True
    return any(site_packages.glob(f"{module}.*.so")) or any(site_packages.glob(f"{module}.*.pyd"))
