"""Measurements kept per input digest, under ``.parity/compare/`` in the project.

A measurement takes minutes; the same inputs, tools and machine give the
same figures, so ``parity compare`` answers from the cache until one of them
changes (``--fresh`` measures again).  ``.parity/`` is created with a
``.gitignore`` of ``*``, so nothing of it is committed by accident.
"""

from __future__ import annotations

import json
from pathlib import Path

from parity.compare.model import CompareResult

FOLDER = ".parity/compare"


def cache_path(root: Path, key: str) -> Path:
    return root / FOLDER / f"{key}.json"


def load_cached(path: Path) -> CompareResult | None:
    """The result stored at ``path``; None when absent or unreadable (then it is measured)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return CompareResult.from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(root: Path, key: str, result: CompareResult) -> Path | None:
    """Write the result; None when the project folder cannot be written (not an error)."""
    from parity.fsutil import atomic_write_text

    parity_dir = root / ".parity"
    path = cache_path(root, key)
    try:
        if not parity_dir.exists():
            parity_dir.mkdir()
            (parity_dir / ".gitignore").write_text("*\n", encoding="utf-8")
        atomic_write_text(path, json.dumps(result.to_json(), indent=2) + "\n")
    except OSError:
        return None
    return path


def latest_for(root: Path, digest: str) -> CompareResult | None:
    """The newest cached result measured on these inputs (for ``parity recommend``)."""
    folder = root / FOLDER
    if not folder.is_dir():
        return None
    found: list[CompareResult] = []
    for path in folder.glob("*.json"):
        result = load_cached(path)
        if result is not None and result.digest == digest:
            found.append(result)
    return max(found, key=lambda r: r.measured_at, default=None)
