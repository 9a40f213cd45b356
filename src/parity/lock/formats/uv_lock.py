"""Read uv's lockfile (``uv.lock``) as a lock with groups and markers.

A uv.lock is one universal resolution of a project (or workspace): every
package once per version, each with the dependency edges uv resolved, and
markers on the edges that hold only on some platforms or Pythons.  The
project itself (its workspace members) are the roots: their ``dependencies``
are prod, ``optional-dependencies`` the extras and ``dev-dependencies`` the
dependency groups.  Which pins an environment gets therefore depends on the
groups asked for and on the environment: :meth:`UvLock.pins_for` walks the
graph from the roots, following only the edges whose markers hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from packaging.markers import InvalidMarker, Marker
from packaging.utils import canonicalize_name

from parity.errors import LockFileError, UsageError
from parity.frozen import dataclass, field
from parity.lock.formats.files import load_lock_toml, nth_line, read_lock_text
from parity.lock.model import Pin
from parity.redact import redact_url

PROD = "prod"
_REGENERATE = "uv lock"


@dataclass(frozen=True)
class UvEdge:
    """A dependency as uv.lock writes it: the name, and the version when several are locked."""

    name: str
    version: str | None = None
    marker: str | None = None
    extras: tuple[str, ...] = ()


@dataclass(frozen=True)
class UvPackage:
    name: str
    version: str | None
    source: Mapping[str, Any]
    dependencies: tuple[UvEdge, ...] = ()
    optional: Mapping[str, tuple[UvEdge, ...]] = field(default_factory=dict)
    groups: Mapping[str, tuple[UvEdge, ...]] = field(default_factory=dict)
    resolution_markers: tuple[str, ...] = ()
    hashes: tuple[str, ...] = ()

    @property
    def is_local(self) -> bool:
        return any(k in self.source for k in ("editable", "virtual", "directory", "path"))

    def pin(self) -> Pin:
        location, editable = _location(self.source)
        marker = " or ".join(f"({m})" for m in self.resolution_markers) or None
        if marker and len(self.resolution_markers) == 1:
            marker = self.resolution_markers[0]
        return Pin(
            name=self.name,
            version=self.version,
            marker=marker,
            hashes=self.hashes,
            source=location,
            editable=editable,
        )


@dataclass(frozen=True)
class UvLock:
    packages: tuple[UvPackage, ...]
    requires_python: str | None = None
    members: tuple[str, ...] = ()
    # The forks of the resolution (uv starts its next resolution from them), and the
    # environments they were made for ([tool.uv] environments).
    resolution_markers: tuple[str, ...] = ()
    supported_markers: tuple[str, ...] = ()
    # The lock's [options] with a string value (resolution-mode, fork-strategy, ...).
    options: tuple[tuple[str, str], ...] = ()

    @property
    def roots(self) -> tuple[UvPackage, ...]:
        """The project and its workspace members."""
        if self.members:
            return tuple(p for p in self.packages if p.name in self.members)
        return tuple(p for p in self.packages if p.is_local and self.source_path(p) in (".", ""))

    @staticmethod
    def source_path(package: UvPackage) -> str | None:
        for key in ("editable", "virtual", "directory", "path"):
            value = package.source.get(key)
            if isinstance(value, str):
                return value
        return None

    @property
    def group_names(self) -> tuple[str, ...]:
        """prod, then every extra and dependency group of the roots, as ``-g`` takes them."""
        names: dict[str, None] = {PROD: None}
        for root in self.roots:
            names.update(dict.fromkeys(root.optional))
            names.update(dict.fromkeys(root.groups))
        return tuple(names)

    def check_groups(self, groups: Collection[str], *, label: str) -> None:
        known = self.group_names
        unknown = sorted(g for g in groups if g not in known)
        if unknown:
            raise UsageError(
                f"{label} has no group {unknown[0]!r}",
                hint=f"Its groups are: {', '.join(known)}.",
            )

    def all_pins(self) -> tuple[Pin, ...]:
        """Every locked package (every version), whatever the environment."""
        return tuple(p.pin() for p in self.packages)

    def pins_for(
        self, holds: Callable[[str], bool], groups: Collection[str] = ()
    ) -> tuple[Pin, ...]:
        """The packages an environment gets: walk from the roots, edges whose markers hold.

        ``holds`` evaluates a marker for the environment at hand; ``groups``
        names the extras and dependency groups to install besides prod (prod is
        always installed, as ``uv sync`` does).
        """
        by_name: dict[str, list[UvPackage]] = {}
        for package in self.packages:
            by_name.setdefault(package.name, []).append(package)
        chosen: dict[tuple[str, str | None], UvPackage] = {}
        pending: list[tuple[UvEdge, tuple[str, ...]]] = []
        for root in self.roots:
            chosen[(root.name, root.version)] = root
            pending += [(e, e.extras) for e in root.dependencies]
            for group in groups:
                pending += [(e, e.extras) for e in root.optional.get(group, ())]
                pending += [(e, e.extras) for e in root.groups.get(group, ())]
        while pending:
            edge, extras = pending.pop()
            if edge.marker and not holds(edge.marker):
                continue
            target = self._target(by_name, edge, holds)
            if target is None:
                continue
            key = (target.name, target.version)
            new = key not in chosen
            chosen[key] = target
            follow = list(target.dependencies) if new else []
            for extra in extras:
                follow += target.optional.get(extra, ())
            pending += [(e, e.extras) for e in follow]
        return tuple(chosen[k].pin() for k in sorted(chosen, key=lambda k: (k[0], k[1] or "")))

    @staticmethod
    def _target(
        by_name: Mapping[str, list[UvPackage]], edge: UvEdge, holds: Callable[[str], bool]
    ) -> UvPackage | None:
        candidates = by_name.get(edge.name, [])
        if edge.version is not None:
            candidates = [c for c in candidates if c.version == edge.version] or candidates
        if len(candidates) > 1:
            fitting = [
                c
                for c in candidates
                if not c.resolution_markers or any(holds(m) for m in c.resolution_markers)
            ]
            candidates = fitting or candidates
        return candidates[0] if candidates else None


def detect(name: str, text: str) -> bool:
    """``uv.lock``, or TOML that reads as one (``version = N`` and ``[[package]]``, no metadata)."""
    if name == "uv.lock":
        return True
    return (
        bool(re.search(r"^\[\[package\]\]", text, re.M))
        and bool(re.search(r"^version\s*=\s*\d+\s*$", text, re.M))
        and not re.search(r"^\[metadata\]", text, re.M)
    )


def read(path: Path, *, display: str | None = None) -> UvLock:
    text, shown = read_lock_text(path, display=display, regenerate=_REGENERATE)
    return parse(text, path=shown)


def parse(text: str, *, path: str = "uv.lock") -> UvLock:
    data = load_lock_toml(text, path=path, regenerate=_REGENERATE)
    entries = data.get("package", [])
    if not isinstance(entries, list):
        raise LockFileError(
            "`package` is not an array of tables",
            path=path,
            hint="This does not look like a uv.lock; regenerate it with `uv lock`.",
        )
    packages = tuple(_package(entry, i, path, text) for i, entry in enumerate(entries))
    manifest = data.get("manifest", {})
    members: tuple[str, ...] = ()
    if isinstance(manifest, dict) and isinstance(manifest.get("members"), list):
        members = tuple(canonicalize_name(str(m)) for m in manifest["members"])
    requires = data.get("requires-python")
    return UvLock(
        packages=packages,
        requires_python=requires if isinstance(requires, str) else None,
        members=members,
        resolution_markers=_strings(data.get("resolution-markers")),
        supported_markers=_strings(data.get("supported-markers")),
        options=_string_options(data.get("options")),
    )


def _string_options(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        return ()
    return tuple(sorted((k, v) for k, v in value.items() if isinstance(v, str)))


def _package(entry: Any, index: int, path: str, text: str) -> UvPackage:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise LockFileError(
            f"[[package]] #{index + 1} has no name",
            path=path,
            line=nth_line(text, r"^\[\[package\]\]", index),
            hint="Regenerate the lock with `uv lock`.",
        )
    source = entry.get("source", {})
    version = entry.get("version")
    return UvPackage(
        name=canonicalize_name(entry["name"]),
        version=str(version) if version is not None else None,
        source=source if isinstance(source, dict) else {},
        dependencies=_edges(entry.get("dependencies")),
        optional=_edge_tables(entry.get("optional-dependencies")),
        groups=_edge_tables(entry.get("dev-dependencies")),
        resolution_markers=_strings(entry.get("resolution-markers")),
        hashes=_hashes(entry),
    )


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(m for m in value if isinstance(m, str)) if isinstance(value, list) else ()


def _edges(value: Any) -> tuple[UvEdge, ...]:
    if not isinstance(value, list):
        return ()
    out: list[UvEdge] = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        extras = item.get("extra", [])
        out.append(
            UvEdge(
                name=canonicalize_name(item["name"]),
                version=str(item["version"]) if "version" in item else None,
                marker=str(item["marker"]) if isinstance(item.get("marker"), str) else None,
                extras=tuple(str(e) for e in extras) if isinstance(extras, list) else (),
            )
        )
    return tuple(out)


def _edge_tables(value: Any) -> dict[str, tuple[UvEdge, ...]]:
    if not isinstance(value, dict):
        return {}
    return {canonicalize_name(str(k)): _edges(v) for k, v in value.items()}


def _hashes(entry: Mapping[str, Any]) -> tuple[str, ...]:
    artifacts = [entry.get("sdist"), *(entry.get("wheels") or [])]
    return tuple(
        str(a["hash"]) for a in artifacts if isinstance(a, dict) and isinstance(a.get("hash"), str)
    )


def _location(source: Mapping[str, Any]) -> tuple[str | None, bool]:
    if "registry" in source:
        return None, False
    for key in ("editable", "virtual"):
        if isinstance(source.get(key), str):
            return str(source[key]), True
    for key in ("directory", "path"):
        if isinstance(source.get(key), str):
            return str(source[key]), False
    for key in ("git", "url"):
        if isinstance(source.get(key), str):
            return redact_url(str(source[key])), False
    return None, False


def marker_holds(marker: str, environment: Mapping[str, str]) -> bool:
    """Evaluate a uv.lock marker; an unreadable one keeps the package (never hide a pin)."""
    try:
        return bool(Marker(marker).evaluate(dict(environment)))
    except (InvalidMarker, TypeError, ValueError, KeyError):
        # packaging's UndefinedEnvironmentName and UndefinedComparison are ValueErrors.
        return True
