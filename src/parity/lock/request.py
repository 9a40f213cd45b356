"""From a ProjectSpec to what uv resolves: pure decisions, no uv run here.

Every group's requirements go to uv as written, except three kinds that need
more than a requirement string to mean the same thing:

- a local path (``-e ./libs/lib``, a workspace member) becomes a path source;
- the source tree (the project itself when it is a package, every workspace
  member) is listed in a hidden group, so anything that requires one of them
  (the project's own dev tools, another member) gets it from the tree;
- a package pinned to one index (uv's ``index`` source, Poetry's ``source``)
  gets that index as an explicit source.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from parity.frozen import dataclass
from parity.interpreters import find_interpreter
from parity.lock.binary import uv_args
from parity.lock.engines.uv import GroupRequest, KeptVersion, ResolveRequest
from parity.lock.index import IndexArgs, expand_env
from parity.lock.target import LockTarget
from parity.names import canonical_name
from parity.spec.model import DEFAULT_GROUP, DirectRequirement, ProjectSpec
from parity.versions import minor_wildcard


@dataclass(frozen=True)
class RequestOptions:
    """The options of one resolution (from LockOptions, decided by the locker)."""

    upgrade: bool = False
    upgrade_packages: tuple[str, ...] = ()
    offline: bool = False
    prerelease: bool = False
    pylock: bool = True


def build_request(
    spec: ProjectSpec,
    target: LockTarget,
    options: RequestOptions,
    *,
    index: IndexArgs,
    preferences: Sequence[KeptVersion] = (),
    preference_forks: Sequence[str] = (),
    preference_python: str | None = None,
    preference_environments: Sequence[str] | None = None,
    pinned: Sequence[str] = (),
    environ: Mapping[str, str],
) -> ResolveRequest:
    """The uv request for ``spec``; ``pinned`` are hard constraints (``lock --group``)."""
    sources: dict[str, list[dict[str, object]]] = {}
    indexes: dict[str, str] = {}
    groups: list[GroupRequest] = []
    constraints: list[str] = []
    for group in spec.groups:
        requirements = tuple(
            uv_requirement(r, spec.root, sources, indexes, environ) for r in group.requirements
        )
        groups.append(GroupRequest(group.name, requirements, group.includes, group.extra))
        constraints += [expand_env(c.requirement, environ) for c in group.constraints]
    constraints += [expand_env(c.requirement, environ) for c in spec.constraints]
    constraints += list(pinned)
    for package in spec.local_packages:
        sources.setdefault(package.name, []).append(
            {"path": str((spec.root / package.path).resolve()), "editable": package.editable}
        )
    return ResolveRequest(
        python=resolver_python(target.requires_python),
        groups=tuple(groups),
        requires_python=target.requires_python,
        environments=target.environments,
        constraints=tuple(dict.fromkeys(constraints)),
        overrides=tuple(expand_env(o.requirement, environ) for o in spec.overrides),
        sources={name: _unique(entries) for name, entries in sources.items()},
        source_tree=tuple(p.name for p in spec.local_packages),
        indexes=tuple((name, url) for url, name in indexes.items()),
        preferences=tuple(preferences),
        preference_forks=tuple(preference_forks),
        preference_python=preference_python,
        preference_environments=(
            None if preference_environments is None else tuple(preference_environments)
        ),
        index=index,
        upgrade=options.upgrade,
        upgrade_packages=tuple(options.upgrade_packages),
        offline=options.offline,
        prerelease=options.prerelease or spec.prerelease,
        want_pylock=options.pylock,
        project_root=str(spec.root.resolve()),
        settings=spec.resolver_settings,
        binary_args=uv_args(spec.format_control),
        main_group=DEFAULT_GROUP if spec.has_group(DEFAULT_GROUP) else None,
    )


def _unique(entries: list[dict[str, object]]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for entry in entries:
        if entry not in out:
            out.append(entry)
    return out


def uv_requirement(
    direct: DirectRequirement,
    root: Path,
    sources: dict[str, list[dict[str, object]]],
    indexes: dict[str, str],
    environ: Mapping[str, str],
) -> str:
    """A requirement uv can read from the temp project; paths and indexes become sources."""
    text = expand_env(direct.requirement, environ)
    if direct.index is not None:
        url = expand_env(direct.index, environ)
        name = indexes.setdefault(url, f"parity-index-{len(indexes) + 1}")
        from packaging.requirements import Requirement

        req = Requirement(text)
        entry: dict[str, object] = {"index": name}
        if req.marker:
            entry["marker"] = str(req.marker)
        sources.setdefault(direct.name, []).append(entry)
        return text
    if direct.path is None:
        return text
    from packaging.requirements import Requirement

    req = Requirement(text)
    sources.setdefault(direct.name, []).append(
        {"path": str((root / direct.path).resolve()), "editable": direct.editable}
    )
    extras = f"[{','.join(sorted(req.extras))}]" if req.extras else ""
    marker = f" ; {req.marker}" if req.marker else ""
    return f"{req.name}{extras}{marker}"


def resolver_python(requires_python: str) -> str:
    """An interpreter inside the target range for uv to build sdists with.

    The one parity runs on is free to ask about; only when it is outside the
    range does parity search the machine.
    """
    if _runs_inside(requires_python):
        return sys.executable
    found = find_interpreter(
        requires_python, purpose="uv resolves with an interpreter of the target Python"
    )
    return str(found.path)


def _runs_inside(requires_python: str) -> bool:
    """Whether the interpreter parity runs on is inside ``requires_python``.

    ``==3.11.*`` is the range parity writes itself for a pinned or an unpinned
    Python, and a prefix match decides it; any other range is packaging's to read.
    """
    minor = minor_wildcard(requires_python)
    if minor is not None:
        return minor == sys.version_info[:2]
    from packaging.specifiers import SpecifierSet

    running = ".".join(map(str, sys.version_info[:3]))
    return SpecifierSet(requires_python).contains(running, prereleases=True)


def canonical(names: Sequence[str]) -> tuple[str, ...]:
    return tuple(canonical_name(n) for n in names)
