"""How each side's values read in reasons, tables and the matrix."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from packaging.utils import canonicalize_name

from parity.diagnose.diff.model import DECLARED_KINDS, UNPINNED
from parity.env.snapshot_model import (
    Distribution,
    NativeLibrary,
    PlatformInfo,
    PythonInfo,
    Snapshot,
)

_VCS = re.compile(r"^(git|hg|svn|bzr)\+", re.I)


def source_kind(d: Distribution) -> str:
    """index, vcs, url, local or editable."""
    if d.editable:
        return "editable"
    if d.source is None:
        return "index"
    if _VCS.match(d.source):
        return "vcs"
    if d.source.lower().startswith(("http://", "https://")):
        return "url"
    return "local"


def source_text(d: Distribution) -> str:
    kind = source_kind(d)
    if kind == "index":
        return f"{d.version} (index)" if d.version else "index"
    if kind in ("vcs", "url"):
        return d.source or kind
    return f"{kind} {d.source}" if d.source and d.source != "local" else kind


def dist_text(d: Distribution) -> str:
    if d.source is not None or d.editable:
        kind = source_kind(d)
        return f"{d.version} ({kind})" if d.version else source_text(d)
    return d.version or UNPINNED


def python_text(python: PythonInfo) -> str:
    if python.implementation.lower() == "cpython":
        return python.version
    return f"{python.implementation} {python.version}"


def libc_text(platform: PlatformInfo) -> str:
    return " ".join(x for x in (platform.libc, platform.libc_version) if x)


def native_text(libs: Sequence[NativeLibrary]) -> str:
    return ", ".join(" ".join(x for x in (n.name, n.version) if x) for n in libs)


def aspect_value(snapshot: Snapshot, family: str, subject: str) -> str | None:
    """What one side has for a matrix row (None: absent or not known)."""
    if family == "python":
        python = snapshot.python
        if python is None:
            return snapshot.requires_python if subject == "python" else None
        return python.abi if subject == "python.abi" else python_text(python)
    if family == "platform":
        platform = snapshot.platform
        if platform is None:
            return None
        if subject == "platform.os":
            return platform.system
        if subject == "platform.machine":
            return platform.machine
        return libc_text(platform) or None
    if family == "native":
        if snapshot.kind in DECLARED_KINDS:
            return None
        kind = subject.removeprefix("native.")
        return native_text(native_by_kind(snapshot.native).get(kind, ())) or None
    dist = by_name(snapshot.distributions).get(subject)
    return dist_text(dist) if dist is not None else None


def native_by_kind(libs: Iterable[NativeLibrary]) -> dict[str, tuple[NativeLibrary, ...]]:
    out: dict[str, list[NativeLibrary]] = {}
    for lib in libs:
        out.setdefault(lib.kind.lower(), []).append(lib)
    return {
        k: tuple(sorted(v, key=lambda n: (n.name.lower(), n.version or ""))) for k, v in out.items()
    }


def by_name(dists: Iterable[Distribution]) -> dict[str, Distribution]:
    out: dict[str, Distribution] = {}
    for d in dists:
        out.setdefault(canonicalize_name(d.name), d)
    return out
