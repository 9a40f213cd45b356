"""uv's export of one group, made into a LockedGroup: provenance and portable paths.

uv writes a local package (the project itself, a workspace member, a path
requirement) with the path it was given, which is a path on this machine;
here it becomes the project-relative path the spec wrote, and the package's
own name.  Nothing that leaves this module holds a machine path.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from packaging.utils import canonicalize_name

from parity.frozen import dataclass
from parity.lock.binary import lock_format_control
from parity.lock.engines import uv as engine_uv
from parity.lock.formats.requirements_txt import parse_entries
from parity.lock.local_hashes import artifact_hashes, hashes_for, local_folders
from parity.lock.model import LockedGroup, LockMeta, Origin, Pin
from parity.redact import redact_url
from parity.spec.model import DirectRequirement, IndexConfig, ProjectSpec

_HIDDEN = {canonicalize_name(engine_uv.ROOT_NAME), canonicalize_name(engine_uv.SOURCE_TREE_GROUP)}


@dataclass(frozen=True)
class LocalPath:
    name: str
    path: str  # project-relative, ``./x`` or ``.``
    editable: bool


def local_paths(spec: ProjectSpec) -> dict[str, LocalPath]:
    """Every source-tree and path package, by its absolute path on this machine."""
    out: dict[str, LocalPath] = {}

    def add(name: str, relative: str, editable: bool) -> None:
        shown = "." if relative in (".", "") else relative
        if not shown.startswith("."):
            shown = f"./{shown}"
        key = os.path.normpath(str(spec.root / relative))
        out.setdefault(key, LocalPath(canonicalize_name(name), shown, editable))

    for group in spec.groups:
        for direct in group.requirements:
            if direct.path is not None:
                add(direct.name, direct.path, direct.editable)
    for package in spec.local_packages:
        add(package.name, package.path, package.editable)
    return out


def _as_local(source: str, table: Mapping[str, LocalPath], root: Path) -> LocalPath | None:
    location = unquote(urlsplit(source).path) if source.startswith("file:") else source
    if "://" in location:
        return None
    if not os.path.isabs(location):
        return None
    return table.get(os.path.normpath(location))


def locked_group(
    spec: ProjectSpec,
    name: str,
    export: str,
    meta: LockMeta,
    *,
    index: IndexConfig,
    environments: Sequence[str] = (),
) -> LockedGroup:
    """uv's export of one group, with pip-tools provenance and project-relative paths.

    A lock for one named target drops markers that only restate the target.
    """
    group = spec.group(name)
    origins: dict[str, set[Origin]] = {}
    for g in spec.closure(name):
        for direct in g.requirements:
            origins.setdefault(direct.name, set()).add(_origin(spec, g.name, direct))
        for limit in g.constraints:
            # pip-compile's `# via -c constraints.txt`: the file that limits its version.
            where = limit.source
            origin = Origin(path=where.path, line=where.line, group=g.name, constraint=True)
            origins.setdefault(limit.name, set()).add(origin)
    locals_by_path = local_paths(spec)
    pins: list[Pin] = []
    local_table = artifact_hashes(local_folders(spec.root, spec.index.find_links))
    for entry in parse_entries(export):
        pin = entry.pin
        parents = tuple(sorted(v for v in pin.required_by if canonicalize_name(v) not in _HIDDEN))
        source, editable, pin_name = pin.source, pin.editable, pin.name
        local = _as_local(source, locals_by_path, spec.root) if source else None
        if local is not None:
            source, editable, pin_name = local.path, local.editable, local.name
        elif source is not None and os.path.isabs(source):
            source = os.path.relpath(source, spec.root)
            source = source if source.startswith(".") else f"./{source}"
        elif source is not None:
            source = redact_url(source)
        marker = pin.marker
        if len(environments) == 1 and marker == environments[0]:
            marker = None
        pins.append(
            Pin(
                name=pin_name,
                version=pin.version,
                marker=marker,
                # A URL or a local archive keeps the hashes uv took of it: without them
                # pip refuses the whole file (one hashed line turns --require-hashes on).
                hashes=pin.hashes
                or (hashes_for(local_table, pin.name, pin.version) if source is None else ()),
                origins=tuple(sorted(origins.get(pin_name, ()), key=_origin_key)),
                required_by=parents,
                source=source,
                editable=editable,
                extras=pin.extras,
            )
        )
    return LockedGroup(
        name=name,
        output=group.output,
        pins=tuple(pins),
        meta=meta,
        index=index,
        format_control=lock_format_control(spec.format_control, spec.resolver_settings),
    )


def _origin(spec: ProjectSpec, group: str, direct: DirectRequirement) -> Origin:
    path = direct.source.path
    project = (spec.name or "project") if path.endswith("pyproject.toml") else None
    return Origin(path=path, line=direct.source.line, group=group, project=project)


def _origin_key(origin: Origin) -> tuple[str, str, int]:
    return (origin.via_text, origin.group or "", origin.line or 0)
