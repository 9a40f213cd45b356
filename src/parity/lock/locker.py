"""``parity lock``: ProjectSpec -> one uv resolution -> one lockfile per group.

The steps are pure except ``resolve`` (uv) and the final atomic write:
choose the target, turn existing pins into preferences, build the uv request,
turn uv's exports into Pins with pip-tools provenance, render, write.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from parity.errors import ResolutionError, UsageError, WriteError
from parity.generation import recover, write_generation
from parity.interpreters import find_interpreter
from parity.lock.engines import uv as engine_uv
from parity.lock.engines.uv import GroupRequest, ResolveRequest, expand_env, resolve
from parity.lock.formats import pylock
from parity.lock.formats.files import unless_generated
from parity.lock.formats.requirements_txt import parse_entries
from parity.lock.freshness import lock_meta
from parity.lock.index import choose_index, lockfile_index
from parity.lock.load import read_groups
from parity.lock.local_hashes import artifact_hashes, hashes_for, local_folders
from parity.lock.model import Lock, LockedGroup, LockMeta, Origin, Pin
from parity.lock.outputs import PYLOCK_NAME, lock_files
from parity.lock.target import LockTarget, choose_target
from parity.projectlock import project_lock
from parity.spec.model import DirectRequirement, ProjectSpec


@dataclass(frozen=True)
class LockOptions:
    upgrade: bool = False
    upgrade_packages: tuple[str, ...] = ()
    python_version: str | None = None
    python_platform: str | None = None
    offline: bool = False
    prerelease: bool = False
    pylock: bool = True
    dry_run: bool = False


@dataclass(frozen=True)
class PinChange:
    group: str
    name: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class LockOutcome:
    lock: Lock
    written: tuple[str, ...]
    changes: tuple[PinChange, ...] = ()
    notes: tuple[str, ...] = field(default=())


def lock_project(
    spec: ProjectSpec,
    options: LockOptions = LockOptions(),
    *,
    environ: Mapping[str, str] | None = None,
) -> LockOutcome:
    """Resolve and write the lock, holding the project lock (one parity at a time)."""
    with project_lock(spec.root):
        if not options.dry_run:
            recover(spec.root, _output_dirs(spec))
            _refuse_foreign_outputs(spec, options)
        return _lock_project(spec, options, environ=environ)


def _output_dirs(spec: ProjectSpec) -> list[Path]:
    return [(spec.root / g.output).parent for g in spec.groups]


def _refuse_foreign_outputs(spec: ProjectSpec, options: LockOptions) -> None:
    """Fail before resolving when a lockfile would overwrite a file a person wrote."""
    names = [g.output for g in spec.groups] + ([PYLOCK_NAME] if options.pylock else [])
    for name in names:
        path = spec.root / name
        if not path.is_file() or path.is_symlink():
            continue  # absent, or refused by the writer with its own message
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        reason = unless_generated(name, text)
        if reason is not None:
            raise WriteError(
                f"{name} exists and {reason}; parity will not overwrite it",
                path=name,
                hint="Move it away, or name another output file "
                '(e.g. [tool.parity] outputs = { prod = "requirements/prod.txt" }).',
            )


def _lock_project(
    spec: ProjectSpec,
    options: LockOptions,
    *,
    environ: Mapping[str, str] | None,
) -> LockOutcome:
    env = dict(os.environ if environ is None else environ)
    _check_upgrade_names(options)
    target = choose_target(
        spec.python,
        python_version=options.python_version,
        python_platform=options.python_platform,
    )
    meta = lock_meta(spec, target)
    before = previous_groups(spec)
    previous = previous_pins(before.values())
    request = build_request(spec, target, options, previous=previous, environ=env)
    notes: list[str] = [target.note] if target.note else []
    try:
        result = resolve(request)
    except ResolutionError:
        if not request.constraints or not previous:
            raise
        # A previous pin conflicts with the new inputs: resolve afresh, as
        # pip-compile does when a pin can no longer be kept.
        request = build_request(spec, target, options, previous={}, environ=env)
        result = resolve(request)
        notes.append("some previous pins conflicted with the new inputs; resolved afresh")
    groups = tuple(
        locked_group(spec, name, result.exports[name], meta, environments=target.environments)
        for name in spec.group_names
    )
    pylock_text = None
    if options.pylock and result.pylock is not None:
        pylock_text, pylock_note = pylock.write(
            result.pylock, groups=groups, root=spec.root, meta=meta
        )
        if pylock_note:
            notes.append(pylock_note)
    files = lock_files(Lock(groups=groups, meta=meta, pylock=pylock_text))
    if pylock_text is None and (spec.root / PYLOCK_NAME).is_file():
        notes.append(
            f"{PYLOCK_NAME} is left from an earlier lock and no longer matches this one; "
            "remove it, or lock without --no-pylock"
        )
    lock = Lock(groups=groups, meta=meta, pylock=files.get(PYLOCK_NAME), notes=tuple(notes))
    if not options.dry_run:
        write_generation(spec.root, files, may_replace=unless_generated)
    changes = diff_pins(before, groups)
    return LockOutcome(
        lock=lock,
        written=tuple(files),
        changes=changes,
        notes=tuple(notes),
    )


def _check_upgrade_names(options: LockOptions) -> None:
    for name in options.upgrade_packages:
        try:
            Requirement(name)
        except InvalidRequirement:
            raise UsageError(
                f"--upgrade-package takes a package name, not {name!r}",
                hint="Example: --upgrade-package numpy",
            ) from None


def previous_groups(spec: ProjectSpec) -> dict[str, LockedGroup]:
    """The groups of the lock being replaced; an unreadable one only loses its preferences."""
    return read_groups(spec)[0]


def previous_pins(groups: Iterable[LockedGroup]) -> dict[str, list[Pin]]:
    """Pins of the existing lockfiles, by package name (several when markers fork)."""
    pins: dict[str, list[Pin]] = {}
    for group in groups:
        for pin in group.pins:
            if pin.version is None:
                continue
            bucket = pins.setdefault(pin.name, [])
            if all((p.version, p.marker) != (pin.version, pin.marker) for p in bucket):
                bucket.append(pin)
    return pins


def preference_constraints(
    spec: ProjectSpec,
    previous: Mapping[str, Sequence[Pin]],
    *,
    upgrade: bool,
    upgrade_packages: Sequence[str],
) -> tuple[str, ...]:
    """Previous pins as constraints, except those that must be free to move.

    A package is freed when it is named by --upgrade-package or its pin no
    longer satisfies the inputs; its dependencies (by the old lock's ``via``
    graph) are freed with it, since a new release may need newer ones.
    """
    if upgrade:
        return ()
    allowed = _direct_specifiers(spec)
    freed: set[str] = {canonicalize_name(n) for n in upgrade_packages}
    for name, pins in previous.items():
        specifiers = allowed.get(name, [])
        for pin in pins:
            assert pin.version is not None
            if any(not s.contains(pin.version, prereleases=True) for s in specifiers):
                freed.add(name)
    freed = dependency_closure(freed, previous)
    constraints: list[str] = []
    for name in sorted(previous):
        if name in freed:
            continue
        for pin in previous[name]:
            text = f"{name}=={pin.version}"
            if pin.marker:
                text += f" ; {pin.marker}"
            constraints.append(text)
    return tuple(constraints)


def dependency_closure(names: set[str], previous: Mapping[str, Sequence[Pin]]) -> set[str]:
    """``names`` and everything they need, by the ``# via`` edges of the old lock."""
    children: dict[str, set[str]] = {}
    for child, pins in previous.items():
        for pin in pins:
            for parent in pin.parents:
                children.setdefault(canonicalize_name(parent), set()).add(child)
    closure = set(names)
    stack = list(names)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in closure:
                closure.add(child)
                stack.append(child)
    return closure


def _direct_specifiers(spec: ProjectSpec) -> dict[str, list[SpecifierSet]]:
    found: dict[str, list[SpecifierSet]] = {}
    for group in spec.groups:
        for direct in (*group.requirements, *group.constraints):
            try:
                req = Requirement(expand_env(direct.requirement))
            except InvalidRequirement:
                continue
            if req.specifier:
                found.setdefault(direct.name, []).append(req.specifier)
    return found


def resolver_python(requires_python: str) -> str:
    """An interpreter inside the target range for uv to build sdists with.

    The one parity runs on is free to ask about; only when it is outside the
    range does parity search the machine.
    """
    running = ".".join(map(str, sys.version_info[:3]))
    if SpecifierSet(requires_python).contains(running, prereleases=True):
        return sys.executable
    found = find_interpreter(
        requires_python, purpose="uv resolves with an interpreter of the target Python"
    )
    return str(found.path)


def build_request(
    spec: ProjectSpec,
    target: LockTarget,
    options: LockOptions,
    *,
    previous: Mapping[str, Sequence[Pin]],
    environ: Mapping[str, str],
) -> ResolveRequest:
    sources: dict[str, dict[str, object]] = {}
    groups: list[GroupRequest] = []
    user_constraints: list[str] = []
    for group in spec.groups:
        requirements = tuple(
            _uv_requirement(r, spec.root, sources, environ) for r in group.requirements
        )
        groups.append(GroupRequest(group.name, requirements, group.includes))
        user_constraints += [expand_env(c.requirement, environ) for c in group.constraints]
    preferences = preference_constraints(
        spec, previous, upgrade=options.upgrade, upgrade_packages=options.upgrade_packages
    )
    constrained = {canonicalize_name(Requirement(c).name) for c in user_constraints}
    preferences = tuple(
        p for p in preferences if canonicalize_name(p.split("==", 1)[0]) not in constrained
    )
    return ResolveRequest(
        python=resolver_python(target.requires_python),
        groups=tuple(groups),
        requires_python=target.requires_python,
        environments=target.environments,
        constraints=tuple(dict.fromkeys([*user_constraints, *preferences])),
        sources=sources,
        index=choose_index(spec.index, environ, root=spec.root),
        upgrade=options.upgrade,
        upgrade_packages=tuple(options.upgrade_packages),
        offline=options.offline,
        prerelease=options.prerelease,
        want_pylock=options.pylock,
    )


def _uv_requirement(
    direct: DirectRequirement,
    root: Path,
    sources: dict[str, dict[str, object]],
    environ: Mapping[str, str],
) -> str:
    """A requirement uv can read from the temp project; local paths become sources."""
    text = expand_env(direct.requirement, environ)
    if direct.path is None:
        return text
    req = Requirement(text)
    sources[direct.name] = {
        "path": str((root / direct.path).resolve()),
        "editable": direct.editable,
    }
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    marker = f" ; {req.marker}" if req.marker else ""
    return f"{req.name}{extras}{marker}"


def locked_group(
    spec: ProjectSpec,
    name: str,
    export: str,
    meta: LockMeta,
    *,
    environments: Sequence[str] = (),
) -> LockedGroup:
    """uv's export of one group, with pip-tools provenance and project-relative paths.

    A lock for one named target drops markers that only restate the target.
    """
    group = spec.group(name)
    origins: dict[str, set[Origin]] = {}
    local: dict[str, DirectRequirement] = {}
    for g in spec.closure(name):
        for direct in g.requirements:
            origins.setdefault(direct.name, set()).add(_origin(spec, g.name, direct))
            if direct.path is not None:
                local[direct.name] = direct
    pins: list[Pin] = []
    local_table = artifact_hashes(local_folders(spec.root, spec.index.find_links))
    for entry in parse_entries(export):
        pin = entry.pin
        parents = tuple(
            sorted(v for v in pin.required_by if canonicalize_name(v) != engine_uv.ROOT_NAME)
        )
        source, editable = pin.source, pin.editable
        if pin.name in local:
            rel = local[pin.name].path or "."
            source = rel if rel.startswith(".") else f"./{rel}"
            editable = local[pin.name].editable
        elif source is not None:
            from parity.redact import redact_url

            source = redact_url(source)
        marker = pin.marker
        if len(environments) == 1 and marker == environments[0]:
            marker = None
        pins.append(
            Pin(
                name=pin.name,
                version=pin.version,
                marker=marker,
                hashes=(pin.hashes or hashes_for(local_table, pin.name, pin.version))
                if source is None
                else (),
                origins=tuple(sorted(origins.get(pin.name, ()), key=_origin_key)),
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
        index=lockfile_index(spec.index),
    )


def _origin(spec: ProjectSpec, group: str, direct: DirectRequirement) -> Origin:
    path = direct.source.path
    project = (spec.name or "project") if path.endswith("pyproject.toml") else None
    return Origin(path=path, line=direct.source.line, group=group, project=project)


def _origin_key(origin: Origin) -> tuple[str, str, int]:
    return (origin.via_text, origin.group or "", origin.line or 0)


def diff_pins(
    before: Mapping[str, LockedGroup], after: Sequence[LockedGroup]
) -> tuple[PinChange, ...]:
    changes: list[PinChange] = []
    for group in after:
        old = before.get(group.name)
        if old is None:
            continue
        old_versions = {p.name: p.version for p in old.pins}
        new_versions = {p.name: p.version for p in group.pins}
        for name in sorted(set(old_versions) | set(new_versions)):
            a, b = old_versions.get(name), new_versions.get(name)
            if a != b:
                changes.append(PinChange(group.name, name, a, b))
    return tuple(changes)


__all__ = ["LockOptions", "LockOutcome", "lock_project"]
