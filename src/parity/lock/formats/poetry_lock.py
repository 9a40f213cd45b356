"""Read a Poetry lockfile (``poetry.lock``) into pins.

Poetry's lock lists every package of every group once.  Which group a package
belongs to is written three ways depending on the Poetry that wrote it:
``category = "main"|"dev"`` (lock-version 1.x), nothing at all (2.0), or
``groups = [...]`` with per-group ``markers`` (2.1, Poetry 2).  Sources other
than the index (git, a directory, a URL) become the pin's ``source``; a
private index (``type = "legacy"``) is still an index.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from parity.errors import LockFileError
from parity.frozen import dataclass
from parity.lock.formats.files import load_lock_toml, nth_line, read_lock_text
from parity.lock.model import Pin
from parity.redact import redact_url

TYPE_CHECKING = False
if TYPE_CHECKING:
    from parity.spec.model import ProjectSpec

MAIN_GROUP = "main"


@dataclass(frozen=True)
class PoetryPackage:
    """One ``[[package]]`` entry.

    ``groups`` is empty when the lock does not record groups (lock-version 2.0).
    ``group_markers`` holds the per-group environment markers of lock-version 2.1;
    ``pin.marker`` the marker that holds for every group.
    """

    pin: Pin
    groups: tuple[str, ...] = ()
    group_markers: tuple[tuple[str, str], ...] = ()
    # ``[package.dependencies]``: (name, extras asked for, optional) each.
    requires: tuple[tuple[str, tuple[str, ...], bool], ...] = ()
    # ``[package.extras]``: each extra with the (name, extras) it pulls in.
    extras: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = ()
    # ``optional = true``: installed only through an extra of the project.
    optional: bool = False


@dataclass(frozen=True)
class PoetryLock:
    packages: tuple[PoetryPackage, ...]
    lock_version: str | None = None
    python_versions: str | None = None
    content_hash: str | None = None

    @property
    def records_groups(self) -> bool:
        return any(p.groups for p in self.packages)

    def pins(
        self, groups: Collection[str] | None = None, *, optional: bool = True
    ) -> tuple[Pin, ...]:
        """The pins of ``groups`` (default: the main group, when the lock records groups).

        ``optional=False`` leaves out the packages only an extra of the project
        installs (``optional = true``), as ``poetry install`` without extras does.
        """
        wanted = set(groups) if groups else {MAIN_GROUP}
        out: list[Pin] = []
        for package in self.packages:
            if package.groups and not wanted & set(package.groups):
                continue
            if package.optional and not optional:
                continue
            out.append(_with_group_marker(package, wanted))
        return tuple(out)

    def closure(self, roots: Iterable[tuple[str, Collection[str]]]) -> tuple[Pin, ...]:
        """The pins the ``roots`` (name, extras) need, walked through each package's dependencies.

        What ``poetry export`` does for a lock that records no groups (lock-version
        2.0): a group's packages are those its direct requirements reach.  Optional
        dependencies count only through an extra some requirement asks for.
        Markers are not evaluated: a package any environment needs is kept.
        """
        by_name: dict[str, list[PoetryPackage]] = {}
        for package in self.packages:
            by_name.setdefault(package.pin.name, []).append(package)
        enabled: dict[str, set[str]] = {}
        stack = [(canonicalize_name(n), {canonicalize_name(e) for e in x}) for n, x in roots]
        while stack:
            name, extras = stack.pop()
            if name not in by_name:
                continue
            had = enabled.get(name)
            new = extras - had if had is not None else extras
            if had is not None and not new:
                continue
            enabled[name] = (had or set()) | extras
            for package in by_name[name]:
                if had is None:
                    stack += [
                        (canonicalize_name(n), {canonicalize_name(e) for e in x})
                        for n, x, optional in package.requires
                        if not optional
                    ]
                table = dict(package.extras)
                for extra in new:
                    stack += [
                        (canonicalize_name(n), {canonicalize_name(e) for e in x})
                        for n, x in table.get(extra, ())
                    ]
        return tuple(p.pin for p in self.packages if p.pin.name in enabled)


def group_roots(spec: ProjectSpec, groups: Iterable[str]) -> list[tuple[str, frozenset[str]]]:
    """The direct requirements (name, extras) of ``groups`` and the groups they include.

    The roots :meth:`PoetryLock.closure` walks from, as ``poetry export`` does
    for a lock that records no groups.  ``groups`` are the spec's names (its
    main group is ``prod``); each must exist.
    """
    from packaging.requirements import InvalidRequirement, Requirement

    wanted = list(groups)
    seen: set[str] = set()
    roots: list[tuple[str, frozenset[str]]] = []
    while wanted:
        name = wanted.pop()
        if name in seen:
            continue
        seen.add(name)
        group = spec.group(name)
        wanted += list(group.includes)
        for req in group.requirements:
            try:
                extras = frozenset(Requirement(req.requirement).extras)
            except InvalidRequirement:
                extras = frozenset()
            roots.append((req.name, extras))
    return roots


def detect(name: str, text: str) -> bool:
    """``poetry.lock``, or TOML that reads as one (``[[package]]`` and ``[metadata]``)."""
    if name == "poetry.lock":
        return True
    return bool(re.search(r"^\[\[package\]\]", text, re.M)) and bool(
        re.search(r"^\[metadata\]", text, re.M)
    )


def read(path: Path, *, display: str | None = None) -> PoetryLock:
    text, shown = read_lock_text(path, display=display, regenerate="poetry lock")
    return parse(text, path=shown)


def parse(text: str, *, path: str = "poetry.lock") -> PoetryLock:
    data = _load_toml(text, path)
    entries = data.get("package", [])
    if not isinstance(entries, list):
        raise LockFileError(
            "`package` is not an array of tables",
            path=path,
            hint="This does not look like a poetry.lock; regenerate it with `poetry lock`.",
        )
    metadata = data.get("metadata", {})
    if not isinstance(metadata, dict):
        metadata = {}
    packages = tuple(_package(entry, i, path, text) for i, entry in enumerate(entries))
    return PoetryLock(
        packages=packages,
        lock_version=_str(metadata.get("lock-version")),
        python_versions=_str(metadata.get("python-versions")),
        content_hash=_str(metadata.get("content-hash")),
    )


def _package(entry: Any, index: int, path: str, text: str) -> PoetryPackage:
    if not isinstance(entry, dict) or "name" not in entry:
        raise LockFileError(
            f"[[package]] #{index + 1} has no name",
            path=path,
            line=_nth_line(text, r"^\[\[package\]\]", index),
            hint="Regenerate the lock with `poetry lock`.",
        )
    source, editable = _source(entry)
    marker, group_markers = _markers(entry.get("markers"))
    groups: tuple[str, ...] = ()
    if isinstance(entry.get("groups"), list):
        groups = tuple(str(g) for g in entry["groups"])
    elif isinstance(entry.get("category"), str):
        groups = (str(entry["category"]),)
    hashes = tuple(
        str(f["hash"])
        for f in entry.get("files", [])
        if isinstance(f, dict) and isinstance(f.get("hash"), str)
    )
    pin = Pin(
        name=canonicalize_name(str(entry["name"])),
        version=_str(entry.get("version")),
        marker=marker,
        hashes=hashes,
        source=source,
        editable=editable,
    )
    return PoetryPackage(
        pin=pin,
        groups=groups,
        group_markers=group_markers,
        requires=_requires(entry.get("dependencies")),
        extras=_extras(entry.get("extras")),
        optional=entry.get("optional") is True,
    )


# ``name``, ``name[extra,...]``, each maybe followed by `` (constraint)`` or a marker.
_EXTRA_ENTRY = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")


def _requires(table: Any) -> tuple[tuple[str, tuple[str, ...], bool], ...]:
    if not isinstance(table, dict):
        return ()
    out: list[tuple[str, tuple[str, ...], bool]] = []
    for name, value in table.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                extras = item.get("extras", [])
                listed = tuple(str(e) for e in extras) if isinstance(extras, list) else ()
                out.append((str(name), listed, bool(item.get("optional", False))))
            else:
                out.append((str(name), (), False))
    return tuple(out)


def _extras(table: Any) -> tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...]:
    if not isinstance(table, dict):
        return ()
    out: list[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]] = []
    for extra, entries in table.items():
        pulled: list[tuple[str, tuple[str, ...]]] = []
        for entry in entries if isinstance(entries, list) else []:
            match = _EXTRA_ENTRY.match(str(entry))
            if match:
                inner = tuple(e.strip() for e in (match.group(2) or "").split(",") if e.strip())
                pulled.append((match.group(1), inner))
        out.append((str(canonicalize_name(str(extra))), tuple(pulled)))
    return tuple(out)


def _source(entry: dict[str, Any]) -> tuple[str | None, bool]:
    source = entry.get("source")
    editable = bool(entry.get("develop", False))
    if not isinstance(source, dict):
        return None, editable
    kind = str(source.get("type", ""))
    url = str(source.get("url", ""))
    if kind in ("git", "hg", "svn", "bzr"):
        ref = source.get("resolved_reference") or source.get("reference")
        text = f"{kind}+{redact_url(url)}"
        return (f"{text}@{ref}" if ref else text), editable
    if kind in ("directory", "file"):
        return url, editable or bool(source.get("develop", False))
    if kind == "url":
        return redact_url(url), editable
    return None, editable  # legacy / explicit / supplemental: an index


def _markers(value: Any) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    if isinstance(value, str):
        return value, ()
    if isinstance(value, dict):
        return None, tuple(sorted((str(k), str(v)) for k, v in value.items()))
    return None, ()


def _with_group_marker(package: PoetryPackage, wanted: set[str]) -> Pin:
    if not package.group_markers:
        return package.pin
    by_group = dict(package.group_markers)
    chosen = [g for g in package.groups if g in wanted] or sorted(wanted & set(by_group))
    # A group the markers table leaves out needs the package everywhere (Poetry reads
    # it as "*"): one such group makes the package unconditional.
    if not chosen or any(g not in by_group for g in chosen):
        return package.pin
    relevant = list(dict.fromkeys(m for g, m in package.group_markers if g in chosen))
    marker = relevant[0] if len(relevant) == 1 else " or ".join(f"({m})" for m in relevant)
    from parity.frozen import replace

    return replace(package.pin, marker=marker)


def _load_toml(text: str, path: str) -> dict[str, Any]:
    return load_lock_toml(text, path=path, regenerate="poetry lock")


def _nth_line(text: str, pattern: str, index: int) -> int | None:
    return nth_line(text, pattern, index)


def _str(value: Any) -> str | None:
    return str(value) if value is not None else None
