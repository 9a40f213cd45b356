"""``parity why NAME``: is a package direct, and through which chains is it there?

The graph is the one the lockfiles' ``# via`` annotations record (uv's
resolution): an edge parent -> child for every ``# via parent`` of the child;
``-r <file>`` and ``<project> (pyproject.toml)`` mark a direct requirement.
Version constraints along a chain come from the parents' ``Requires-Dist`` in
the synced environment (read from dist-info METADATA, no interpreter started)
and, for the first step, from the project's own requirement.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections import deque
from collections.abc import Mapping, Sequence
from email.parser import HeaderParser
from itertools import pairwise
from pathlib import Path

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from parity.env.installed import VenvInfo, installed_distributions, read_venv
from parity.errors import UsageError
from parity.frozen import dataclass, field
from parity.lock.model import LockedGroup, Pin
from parity.spec.model import ProjectSpec

WHY_SCHEMA = "parity/why@1"
MAX_PRINTED = 20  # chains printed in the terminal
MAX_LISTED = 1000  # chains listed in --json
# Paths through a dependency graph can multiply; past this many per group the
# count is reported as a lower bound instead of enumerating forever.
SEARCH_LIMIT = 10_000


@dataclass(frozen=True)
class Step:
    """One link of a chain: ``name`` at ``version``, required as ``constraint``.

    ``marker`` is the environment marker of the requirement that makes this
    link (the parent's ``Requires-Dist``, or the project's own requirement for
    the first step), without its ``extra == ...`` part, which the constraint
    names: the link holds only where the marker does.
    """

    name: str
    version: str | None
    constraint: str | None = None
    marker: str | None = None

    def render(self, *, with_version: bool = False) -> str:
        # As a PEP 508 requirement reads: name (constraint) ; marker.
        text = f"{self.name} {self.version}" if with_version and self.version else self.name
        text = f"{text} ({self.constraint})" if self.constraint else text
        return f"{text} ; {self.marker}" if self.marker else text


@dataclass(frozen=True)
class Need:
    """What a distribution's metadata asks of one dependency: the specifier, and where."""

    constraint: str
    marker: str | None = None


@dataclass(frozen=True)
class Chain:
    steps: tuple[Step, ...]
    groups: tuple[str, ...]
    source: str  # the input file of the direct requirement that starts it

    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.steps)

    def render(self, *, with_versions: bool = False) -> str:
        return " -> ".join(s.render(with_version=with_versions) for s in self.steps)

    def to_json(self) -> dict[str, object]:
        return {
            "groups": list(self.groups),
            "source": self.source,
            "steps": [
                {
                    "name": s.name,
                    "version": s.version,
                    "constraint": s.constraint,
                    "marker": s.marker,
                }
                for s in self.steps
            ],
        }


@dataclass(frozen=True)
class LockedVersion:
    """One version of the package in one group's lock, and whether it applies here.

    A universal lock holds several versions of a package when markers split
    it (by Python, by platform); ``applies`` says which one the environment at
    hand gets (None when the marker cannot be evaluated).
    """

    group: str
    version: str | None
    marker: str | None = None
    applies: bool | None = True
    source: str | None = None


@dataclass(frozen=True)
class WhyReport:
    name: str
    versions: tuple[tuple[str, str | None], ...]  # (group, locked version)
    direct_in: tuple[tuple[str, str], ...]  # (group, source file)
    chains: tuple[Chain, ...]  # shortest first, at most MAX_LISTED
    total_chains: int
    complete: bool  # False: the search stopped at SEARCH_LIMIT, total is a lower bound
    constraints_known: bool
    notes: tuple[str, ...] = ()
    missing_locks: tuple[str, ...] = field(default=())
    locked: tuple[LockedVersion, ...] = ()
    # Where markers were evaluated: "the environment at .venv (Python 3.11.7)", ...
    evaluated_for: str | None = None

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(g for g, _ in self.versions))

    @property
    def split(self) -> bool:
        """Whether a group's lock holds several versions of it, split by markers."""
        per_group: dict[str, int] = {}
        for item in self.locked:
            per_group[item.group] = per_group.get(item.group, 0) + 1
        return any(count > 1 for count in per_group.values())

    @property
    def version(self) -> str | None:
        """The locked version when every group pins the same one."""
        found = {v for _, v in self.versions}
        return found.pop() if len(found) == 1 else None

    @property
    def is_direct(self) -> bool:
        return bool(self.direct_in)

    def to_json(self) -> dict[str, object]:
        return {
            "schema": WHY_SCHEMA,
            "name": self.name,
            "version": self.version,
            "versions": dict(self.versions),
            "direct": self.is_direct,
            "direct_in": [{"group": g, "source": s} for g, s in self.direct_in],
            "groups": list(self.groups),
            "total_chains": self.total_chains,
            "complete": self.complete,
            "constraints_known": self.constraints_known,
            "notes": list(self.notes),
            "missing_locks": list(self.missing_locks),
            "locked": [
                {
                    "group": v.group,
                    "version": v.version,
                    "marker": v.marker,
                    "applies": v.applies,
                    "source": v.source,
                }
                for v in self.locked
            ],
            "evaluated_for": self.evaluated_for,
            "chains": [c.to_json() for c in self.chains],
        }


# -- the graph ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainSearch:
    paths: tuple[tuple[tuple[str, ...], str], ...]  # (top ... target, source file)
    complete: bool


def search_chains(
    group: LockedGroup, target: str, *, limit: int = SEARCH_LIMIT, max_work: int = 100_000
) -> ChainSearch:
    """Every path from a direct requirement down to ``target``, shortest first.

    Breadth-first upwards from the target along ``# via``; a name already on
    a path is not revisited, so cycles end a path instead of looping.  Stops
    after ``limit`` paths, or ``max_work`` partial paths, with ``complete=False``.
    """
    pins = {p.name: p for p in group.pins}
    found: list[tuple[tuple[str, ...], str]] = []
    queue: deque[tuple[str, ...]] = deque([(target,)] if target in pins else [])
    work = 0
    while queue:
        path = queue.popleft()
        work += 1
        if len(found) >= limit or work > max_work:
            return ChainSearch(tuple(found), complete=False)
        pin = pins[path[0]]
        found += [(path, source) for source in pin.declared_in]
        for parent in pin.parents:
            if parent in path or parent not in pins:
                continue
            queue.append((parent, *path))
    return ChainSearch(tuple(found), complete=True)


def chains_in_group(group: LockedGroup, target: str) -> list[tuple[tuple[str, ...], str]]:
    """Every path (top-level name ... target) with its source file, shortest first."""
    return list(search_chains(group, target).paths)


# -- constraints from installed metadata ----------------------------------------------

_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


def marker_environment(python_version: str, implementation: str = "CPython") -> dict[str, str]:
    """This machine's marker values, for an environment on ``python_version``."""
    from packaging.markers import default_environment

    env = {k: str(v) for k, v in default_environment().items()}
    if python_version:
        env["python_full_version"] = python_version
        env["python_version"] = ".".join(python_version.split(".")[:2])
        env["implementation_version"] = python_version
    env["platform_python_implementation"] = implementation
    env["implementation_name"] = implementation.lower()
    return env


def parse_requires_dist(lines: Sequence[str], env: Mapping[str, str]) -> dict[str, str]:
    """Requires-Dist lines -> the specifier per dependency that applies in ``env``.

    A dependency needed only through an extra says which (``>=2 [extra standard]``);
    of several entries for one name (split by markers) those that hold here win.
    """
    return {name: need.constraint for name, need in parse_needs(lines, env).items()}


def parse_needs(lines: Sequence[str], env: Mapping[str, str]) -> dict[str, Need]:
    """Requires-Dist lines -> the specifier and marker per dependency, as :func:`parse_requires_dist`.

    The marker is that of the entries chosen (joined with ``or`` when they
    differ), without the ``extra == ...`` part the specifier already names.
    """
    entries: dict[str, list[tuple[int, str, str | None]]] = {}
    for raw in lines:
        try:
            req = Requirement(raw)
        except InvalidRequirement:
            continue
        name = canonicalize_name(req.name)
        spec = str(req.specifier) or "any"
        extras = _EXTRA.findall(str(req.marker)) if req.marker else []
        if extras:
            spec += f" [extra {', '.join(sorted(set(extras)))}]"
        rank = 2
        if req.marker is not None:
            try:
                holds = req.marker.evaluate({**env, "extra": extras[0] if extras else ""})
            except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
                holds = True
            rank = (1 if extras else 2) if holds else 0
        marker = without_extra(req.marker) if req.marker is not None else None
        entries.setdefault(name, []).append((rank, spec, marker))
    out: dict[str, Need] = {}
    for dependency, ranked in entries.items():
        best = max(r for r, _, _ in ranked)
        chosen = [(s, m) for r, s, m in ranked if r == best]
        markers = list(dict.fromkeys(m for _, m in chosen))
        marker = None if None in markers else " or ".join(_grouped(m) for m in markers if m)
        out[dependency] = Need(", ".join(dict.fromkeys(s for s, _ in chosen)), marker or None)
    return out


def without_extra(marker: Marker) -> str | None:
    """The marker's text without its ``extra == ...`` conditions (None: nothing else is left).

    Only a marker that is a plain ``and`` of conditions is taken apart, the
    way build backends write an extra's requirements (``python_version < "3.11"
    and extra == "test"``); any other shape keeps its whole text, which is
    never wrong, only longer.
    """
    text = str(marker)
    if "extra" not in text:
        return text
    parts = _conjuncts(marker)
    if parts is None:
        return text
    kept = [part for part in parts if not _EXTRA.fullmatch(part)]
    return " and ".join(kept) or None


def _conjuncts(marker: Marker) -> list[str] | None:
    """The marker's top-level ``and`` conditions as text, or None for any other shape."""
    # packaging keeps the parsed marker as a list of conditions, nested lists
    # (parentheses) and the words "and" / "or"; it has no public accessor.
    items = getattr(marker, "_markers", None)
    if not isinstance(items, list) or "or" in items:
        return None
    out: list[str] = []
    for item in items:
        if item == "and":
            continue
        try:
            out.append(str(Marker(_condition_text(item))))
        except (InvalidMarker, TypeError, ValueError):
            return None
    return out


def _condition_text(item: object) -> str:
    if isinstance(item, tuple) and len(item) == 3:
        left, op, right = item
        return f"{_operand(left)} {op.value} {_operand(right)}"
    if isinstance(item, list):
        raise ValueError("a parenthesised group")  # kept whole by the caller
    raise TypeError(f"not a condition: {item!r}")


def _operand(node: object) -> str:
    value = getattr(node, "value", None)
    if not isinstance(value, str):
        raise TypeError(f"not an operand: {node!r}")
    # packaging's Variable (a marker name) and Value (a quoted string).
    return f'"{value}"' if type(node).__name__ == "Value" else value


def _grouped(marker: str) -> str:
    return f"({marker})" if " or " in marker else marker


def find_dist_info(site_packages: Path, name: str) -> tuple[Path, str] | None:
    """The installed ``<name>-<version>.dist-info`` directory and its version."""
    try:
        entries = os.listdir(site_packages)
    except OSError:
        return None
    for entry in entries:
        if not entry.endswith(".dist-info"):
            continue
        dist, _, version = entry.removesuffix(".dist-info").rpartition("-")
        if canonicalize_name(dist) == name:
            return site_packages / entry, version
    return None


def requires_dist(
    site_packages: Path | None,
    name: str,
    version: str | None,
    env: Mapping[str, str] | None = None,
) -> dict[str, Need] | None:
    """A distribution's dependencies -> their specifiers and markers, from its installed METADATA.

    None when it is not installed at ``version`` (constraints from another
    version would be wrong), or there is no environment.  A pin without a
    version (a source tree such as ``-e .``) is whatever sync built from it.
    """
    if site_packages is None:
        return None
    found = find_dist_info(site_packages, name)
    if found is None or (version is not None and not _same_version(found[1], version)):
        return None
    try:
        text = (found[0] / "METADATA").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    headers = HeaderParser().parsestr(text, headersonly=True)
    return parse_needs(headers.get_all("Requires-Dist") or [], env or {})


def _same_version(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


# -- the answer -----------------------------------------------------------------------


def why_project(
    spec: ProjectSpec, name: str, *, groups: Sequence[str] = (), venv: str = ".venv"
) -> WhyReport:
    """Read the lockfiles (of ``groups``, else every group) and explain ``name``."""
    from parity.env.matching import resolve_group
    from parity.lock.load import read_groups

    wanted = [resolve_group(spec, g) for g in groups]
    locks, errors = read_groups(spec)
    # A named group's lockfile must be readable; without --group the answer
    # comes from whichever lockfiles exist.
    for g in wanted:
        if g in errors:
            raise errors[g]
    if not locks:
        raise next(iter(errors.values()))
    missing = [e.path or "" for e in errors.values()]
    return explain(spec, locks, name, groups=wanted or None, venv=venv, missing=missing)


def explain(
    spec: ProjectSpec,
    locks: Mapping[str, LockedGroup],
    name: str,
    *,
    groups: Sequence[str] | None = None,
    venv: str = ".venv",
    missing: Sequence[str] = (),
) -> WhyReport:
    target = canonicalize_name(name)
    chosen = [g for g in (groups or list(locks)) if g in locks]
    target_pins = {g: pin for g in chosen if (pin := locks[g].pin(target)) is not None}
    holding = list(target_pins)
    info = read_venv(spec.root / venv)
    if not holding:
        local = _local_package(spec, target, chosen)
        if local is not None:
            raise local
        raise _not_locked(name, target, locks, chosen, info, venv)
    site = info.site_packages if info is not None and info.site_packages.is_dir() else None
    env = marker_environment(info.python_version, info.implementation) if info else {}
    locked, evaluated_for = _locked_versions(locks, holding, target, info, venv)
    user_specs = _user_specifiers(spec, holding)
    direct_in: list[tuple[str, str]] = []
    merged: dict[tuple[tuple[Step, ...], str], list[str]] = {}
    metadata: dict[tuple[str, str | None], dict[str, Need] | None] = {}
    unknown: dict[str, str] = {}  # parent -> why its constraints are unknown
    complete = True
    for group_name in holding:
        group = locks[group_name]
        versions = versions_here(group.pins, env)
        for source in target_pins[group_name].declared_in:
            if (group_name, source) not in direct_in:
                direct_in.append((group_name, source))
        search = search_chains(group, target)
        complete = complete and search.complete
        for path, source in search.paths:
            first = user_specs.get((group_name, path[0]))
            steps = [
                Step(
                    path[0],
                    versions.get(path[0]),
                    first.constraint if first else None,
                    first.marker if first else None,
                )
            ]
            for parent, child in pairwise(path):
                key = (parent, versions.get(parent))
                if key not in metadata:
                    metadata[key] = requires_dist(site, parent, key[1], env)
                    if metadata[key] is None and site is not None:
                        elsewhere = _marker_excludes(group.pin(parent), env)
                        unknown[parent] = (
                            f"locked only where {elsewhere}, so not installed here"
                            if elsewhere
                            else _why_unknown(site, parent, key[1])
                        )
                need = (metadata[key] or {}).get(child)
                steps.append(
                    Step(
                        child,
                        versions.get(child),
                        need.constraint if need else None,
                        need.marker if need else None,
                    )
                )
            merged.setdefault((tuple(steps), source), [])
            if group_name not in merged[(tuple(steps), source)]:
                merged[(tuple(steps), source)].append(group_name)
    chains = sorted(
        (Chain(steps, tuple(gs), source) for (steps, source), gs in merged.items()),
        key=lambda c: (len(c.steps), c.render(), c.groups),
    )
    notes: list[str] = []
    if site is None:
        notes.append(
            f"No environment at {venv}: the chains are shown without the constraints "
            "between packages. Run `parity sync` to see them."
        )
    elif unknown:
        listed = ", ".join(f"{p} ({why})" for p, why in sorted(unknown.items())[:6])
        # A parent whose marker excludes this environment is not missing: no sync installs it.
        fix = (
            ""
            if all(why.startswith("locked only where ") for why in unknown.values())
            else f": `parity sync --group <group>` installs the locked versions in {venv}"
        )
        notes.append(f"Constraints unknown for steps after {listed}{fix}.")
    return WhyReport(
        name=target,
        locked=locked,
        evaluated_for=evaluated_for,
        versions=tuple((v.group, v.version) for v in locked if v.applies is not False)
        or tuple((g, pin.version) for g, pin in target_pins.items()),
        direct_in=tuple(direct_in),
        chains=tuple(chains[:MAX_LISTED]),
        total_chains=len(chains),
        complete=complete,
        constraints_known=site is not None,
        notes=tuple(notes),
        missing_locks=tuple(missing),
    )


def _locked_versions(
    locks: Mapping[str, LockedGroup],
    groups: Sequence[str],
    target: str,
    info: VenvInfo | None,
    venv: str,
) -> tuple[tuple[LockedVersion, ...], str | None]:
    """Every locked version of ``target`` in ``groups``, marked with whether it applies here."""
    import platform as platform_module

    if info is not None:
        env = marker_environment(info.python_version, info.implementation)
        where = f"the environment at {venv} (Python {info.python_version} on {sys.platform})"
    else:
        running = platform_module.python_version()
        env = marker_environment(running, platform_module.python_implementation())
        where = f"Python {running} on this machine, {sys.platform} (no environment at {venv})"
    out: list[LockedVersion] = []
    for group in groups:
        for pin in locks[group].pins:
            if pin.name != target:
                continue
            applies: bool | None = True
            if pin.marker:
                try:
                    applies = bool(Marker(pin.marker).evaluate(dict(env)))
                except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
                    applies = None
            out.append(LockedVersion(group, pin.version, pin.marker, applies, pin.source))
    split = len(out) > len({v.group for v in out})
    return tuple(out), where if split or any(v.marker for v in out) else None


def _user_specifiers(spec: ProjectSpec, groups: Sequence[str]) -> dict[tuple[str, str], Need]:
    """(group, name) -> the specifier (with extras) and marker the user wrote, for first steps."""
    out: dict[tuple[str, str], Need] = {}
    for g in groups:
        if not spec.has_group(g):
            continue
        for r in spec.requirements_of(g):
            try:
                req = Requirement(r.requirement)
            except InvalidRequirement:
                continue
            text = str(req.specifier) or "any"
            if req.extras:
                text += f" [{','.join(sorted(req.extras))}]"
            marker = without_extra(req.marker) if req.marker is not None else None
            out.setdefault((g, r.name), Need(text, marker))
    return out


def versions_here(pins: Sequence[Pin], env: Mapping[str, str]) -> dict[str, str | None]:
    """Each package's locked version, the one whose marker holds in ``env`` where markers split it.

    A universal lock may pin ``anyio==4.12.1 ; python_full_version < '3.10'`` and
    ``anyio==4.16.0 ; python_full_version >= '3.10'``: the environment has the
    one that applies to it, and its metadata gives the constraints.
    """
    out: dict[str, str | None] = {}
    holds: dict[str, bool] = {}
    for pin in pins:
        here = _marker_holds(pin.marker, env) is not False
        if pin.name not in out or (here and not holds[pin.name]):
            out[pin.name] = pin.version
            holds[pin.name] = here
    return out


def _marker_holds(marker: str | None, env: Mapping[str, str]) -> bool | None:
    if not marker:
        return True
    try:
        return bool(Marker(marker).evaluate(dict(env)))
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return None


def _marker_excludes(pin: Pin | None, env: Mapping[str, str]) -> str | None:
    """The pin's marker when it does not hold in ``env`` (the package is not for here)."""
    if pin is None or not pin.marker or not env:
        return None
    try:
        return None if Marker(pin.marker).evaluate(dict(env)) else pin.marker
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return None


def _why_unknown(site_packages: Path, name: str, version: str | None) -> str:
    found = find_dist_info(site_packages, name)
    if found is None:
        return "not installed"
    return f"{found[1]} installed, {version} locked"


def _local_package(spec: ProjectSpec, target: str, chosen: Sequence[str]) -> UsageError | None:
    """The answer for a package of the source tree, which no lockfile lists (sync installs it)."""
    found = next((p for p in spec.local_packages if canonicalize_name(p.name) == target), None)
    if found is None:
        return None
    what = (
        "this project itself (its source tree, .)"
        if found.path in (".", "")
        else f"a package of this project's source tree ({found.path})"
    )
    asked = [
        f"group {g} asks for it as {r.requirement}"
        for g in chosen
        if spec.has_group(g)
        for r in spec.group(g).requirements
        if canonicalize_name(r.name) == target
    ]
    return UsageError(
        f"{target} is {what}: `parity sync` installs it from there, and the lockfiles hold "
        "what it needs, not it" + (f"; {'; '.join(asked)}" if asked else ""),
        hint="Ask about one of its requirements instead (`parity why <name>`).",
    )


def _not_locked(
    name: str,
    target: str,
    locks: Mapping[str, LockedGroup],
    chosen: Sequence[str],
    info: VenvInfo | None,
    venv: str,
) -> UsageError:
    where = ", ".join(chosen) or "no group"
    elsewhere = [g for g in locks if g not in chosen and locks[g].pin(target) is not None]
    if elsewhere:
        return UsageError(
            f"{name!r} is not in the lock of group {where}",
            hint=f"It is in group {', '.join(elsewhere)}: try --group {elsewhere[0]}.",
        )
    installed = installed_distributions(info.site_packages) if info is not None else {}
    if target in installed:
        needers = required_by(info.site_packages, target) if info is not None else []
        by = f"; installed packages that require it: {', '.join(needers)}" if needers else ""
        return UsageError(
            f"{target} {installed[target].version} is installed in {venv} but in no lockfile "
            f"({where}): nothing the project requires needs it{by}",
            hint="`parity sync` removes it; `parity check` lists every such difference.",
        )
    known = sorted({p.name for g in chosen for p in locks[g].pins} | set(installed))
    close = difflib.get_close_matches(target, known, n=3)
    hint = (
        f"Did you mean {', '.join(close)}?"
        if close
        else "Check the name; it must be in a lockfile written by `parity lock`."
    )
    return UsageError(f"{name!r} is not in the lock ({where})", hint=hint)


def required_by(site_packages: Path, name: str) -> list[str]:
    """Installed distributions whose Requires-Dist names ``name`` (any marker).

    One that names it only for an extra says which (``pytest (extra dev)``).
    """
    needers: list[str] = []
    try:
        entries = sorted(os.listdir(site_packages))
    except OSError:
        return needers
    for entry in entries:
        if not entry.endswith(".dist-info"):
            continue
        try:
            text = (site_packages / entry / "METADATA").read_text(
                encoding="utf-8", errors="replace"
            )
        except OSError:
            continue
        headers = HeaderParser().parsestr(text, headersonly=True)
        found = parse_requires_dist(headers.get_all("Requires-Dist") or [], {}).get(name)
        if found is not None:
            who = canonicalize_name(entry.removesuffix(".dist-info").rpartition("-")[0])
            extras = re.search(r"\[extra ([^\]]+)\]$", found)
            needers.append(f"{who} (extra {extras.group(1)})" if extras else who)
    return needers
