"""The fleet's majority, the reference when a status names no lock or snapshot.

For each aspect the value most machines have (ties go to the newest
version); a package is expected when more than half of the machines have it.
Each snapshot comes with its weight: the number of machines that share it.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from parity.env.snapshot_model import (
    Distribution,
    NativeLibrary,
    PlatformInfo,
    PythonInfo,
    Snapshot,
)

MAJORITY = "most machines"
# Names repeat across every machine of a fleet: normalise each once.
cached_canonical_name = functools.lru_cache(maxsize=8192)(canonicalize_name)


def majority_environment(weighted: Sequence[tuple[Snapshot, int]]) -> Snapshot:
    """Python, platform and native libraries most machines have (no distributions)."""
    pythons: Counter[tuple[str, str, str | None]] = Counter()
    python_of: dict[tuple[str, str, str | None], PythonInfo] = {}
    platforms: Counter[tuple[str, str, str | None, str | None]] = Counter()
    platform_of: dict[tuple[str, str, str | None, str | None], PlatformInfo] = {}
    natives: dict[str, Counter[tuple[NativeLibrary, ...]]] = {}
    kinds = {lib.kind.lower() for s, _ in weighted for lib in s.native}
    for snapshot, n in weighted:
        if snapshot.python is not None:
            p = snapshot.python
            key = (p.implementation, p.version, p.abi)
            pythons[key] += n
            python_of.setdefault(key, p)
        if snapshot.platform is not None:
            f = snapshot.platform
            pkey = (f.system, f.machine, f.libc, f.libc_version)
            platforms[pkey] += n
            platform_of.setdefault(pkey, f)
        for kind in kinds:
            libs = tuple(
                sorted((x for x in snapshot.native if x.kind.lower() == kind), key=_lib_key)
            )
            natives.setdefault(kind, Counter())[libs] += n
    python = _winner(pythons, lambda k: _version_key(k[1]))
    platform = _winner(platforms, lambda k: (k[0], k[1], _version_key(k[3] or "")))
    native: list[NativeLibrary] = []
    for counter in natives.values():
        chosen = _winner(
            counter, lambda libs: (len(libs), [_version_key(x.version or "") for x in libs])
        )
        native += chosen or ()
    return Snapshot(
        label=MAJORITY,
        kind="fleet",
        python=python_of[python] if python is not None else None,
        platform=platform_of[platform] if platform is not None else None,
        distributions=(),
        native=tuple(sorted(native, key=_lib_key)),
    )


def distribution_counts(weighted: Sequence[tuple[Snapshot, int]]) -> list[tuple[Distribution, int]]:
    """How many machines have each distribution, counted once per object.

    A fleet holds ~100,000 distributions but few distinct ones, and the store
    builds one object per stored row: counting by identity is one cheap dict
    operation per distribution; equal values held by distinct objects are
    merged by the callers.
    """
    counts: dict[int, int] = {}
    objects: dict[int, Distribution] = {}
    for snapshot, n in weighted:
        for d in snapshot.distributions:
            key = id(d)
            seen = counts.get(key)
            if seen is None:
                counts[key] = n
                objects[key] = d
            else:
                counts[key] = seen + n
    return [(objects[k], n) for k, n in counts.items()]


def majority_packages(
    weighted: Sequence[tuple[Snapshot, int]],
    counts: Sequence[tuple[Distribution, int]] | None = None,
) -> Snapshot:
    """For each package, the version most machines have; only packages most machines have."""
    total = sum(n for _, n in weighted)
    by_name: dict[str, dict[tuple[str | None, str | None, bool], int]] = {}
    first: dict[tuple[str, str | None, str | None, bool], Distribution] = {}
    for d, n in counts if counts is not None else distribution_counts(weighted):
        name: str = cached_canonical_name(d.name)
        variant = (d.version, d.source, d.editable)
        variants = by_name.setdefault(name, {})
        variants[variant] = variants.get(variant, 0) + n
        first.setdefault((name, *variant), d)
    chosen: list[Distribution] = []
    for package, counter in by_name.items():
        if sum(counter.values()) * 2 <= total:
            continue
        won = _winner(counter, lambda k: (k[1] is None, _version_key(k[0] or "")))
        chosen.append(first[(package, won[0], won[1], won[2])])
    return Snapshot(
        label=MAJORITY,
        kind="fleet",
        python=None,
        platform=None,
        distributions=tuple(sorted(chosen, key=lambda d: d.name)),
    )


def requested_by_most(
    weighted: Sequence[tuple[Snapshot, int]],
    counts: Sequence[tuple[Distribution, int]] | None = None,
) -> set[str]:
    """Packages that most machines having them installed on request (pip/uv REQUESTED)."""
    asked: dict[str, int] = {}
    known: dict[str, int] = {}
    for d, n in counts if counts is not None else distribution_counts(weighted):
        if d.requested is None:
            continue
        name = cached_canonical_name(d.name)
        known[name] = known.get(name, 0) + n
        if d.requested:
            asked[name] = asked.get(name, 0) + n
    return {name for name, n in asked.items() if n * 2 >= known[name]}


def _winner(counter: Mapping[Any, int], newest: Callable[[Any], Any]) -> Any:
    """The most common key; among equally common ones, the newest."""
    if not counter:
        return None
    most = max(counter.values())
    tied = [k for k, n in counter.items() if n == most]
    return tied[0] if len(tied) == 1 else max(tied, key=newest)


def _version_key(text: str) -> tuple[int, Any]:
    try:
        return (1, Version(text))
    except InvalidVersion:
        return (0, text)


def _lib_key(lib: NativeLibrary) -> tuple[str, str, str, str]:
    return (lib.kind, lib.name, lib.version or "", lib.provider or "")
