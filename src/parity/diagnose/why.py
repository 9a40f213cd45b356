"""``parity why NAME``: is a package direct, and through which chains is it there?

The graph is the one the lockfiles' ``# via`` annotations record (uv's
resolution): an edge parent -> child for every ``# via parent`` of the child.
Version constraints along a chain come from the parents' ``Requires-Dist`` in
the synced environment (read from dist-info METADATA, no interpreter started)
and, for the first step, from the project's own requirement.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from parity.env.installed import read_venv
from parity.errors import UsageError
from parity.lock.model import LockedGroup, Pin
from parity.spec.model import ProjectSpec

WHY_SCHEMA = "parity/why@1"
MAX_CHAINS = 20


@dataclass(frozen=True)
class Step:
    """One link of a chain: ``name`` at ``version``, required as ``constraint``."""

    name: str
    version: str | None
    constraint: str | None = None


@dataclass(frozen=True)
class Chain:
    steps: tuple[Step, ...]
    groups: tuple[str, ...]
    source: str  # the input file of the direct requirement that starts it

    def render(self) -> str:
        parts = []
        for step in self.steps:
            text = step.name
            if step.constraint:
                text += f" ({step.constraint})"
            parts.append(text)
        return " -> ".join(parts)


@dataclass(frozen=True)
class WhyReport:
    name: str
    version: str | None
    direct_in: tuple[tuple[str, str], ...]  # (group, source file)
    chains: tuple[Chain, ...]
    total_chains: int
    constraints_known: bool
    groups: tuple[str, ...] = field(default=())

    @property
    def is_direct(self) -> bool:
        return bool(self.direct_in)

    def to_json(self) -> dict[str, object]:
        return {
            "schema": WHY_SCHEMA,
            "name": self.name,
            "version": self.version,
            "direct": self.is_direct,
            "direct_in": [{"group": g, "source": s} for g, s in self.direct_in],
            "groups": list(self.groups),
            "total_chains": self.total_chains,
            "constraints_known": self.constraints_known,
            "chains": [
                {
                    "groups": list(c.groups),
                    "source": c.source,
                    "steps": [
                        {"name": s.name, "version": s.version, "constraint": s.constraint}
                        for s in c.steps
                    ],
                }
                for c in self.chains
            ],
        }


def direct_source(via: str) -> str | None:
    """The input file a ``# via`` entry names, when it marks a direct requirement."""
    if via.startswith("-r "):
        return via.removeprefix("-r ")
    if via.endswith("(pyproject.toml)"):
        return "pyproject.toml"
    return None


def chains_in_group(group: LockedGroup, target: str) -> list[tuple[tuple[str, ...], str]]:
    """Every path (top-level name ... target) through ``# via``, with its source file.

    Walks upwards from the target; a name already on the path is not
    revisited, so cycles in the graph end the walk instead of looping.
    """
    pins = {p.name: p for p in group.pins}
    found: list[tuple[tuple[str, ...], str]] = []

    def climb(name: str, path: tuple[str, ...]) -> None:
        pin = pins.get(name)
        if pin is None:
            return
        for via in pin.via:
            source = direct_source(via)
            if source is not None:
                found.append(((name, *path), source))
                continue
            parent = canonicalize_name(via)
            if parent in path or parent == name:
                continue
            climb(parent, (name, *path))

    climb(target, ())
    return found


def requires_dist(site_packages: Path | None, name: str, version: str | None) -> dict[str, str]:
    """A distribution's dependencies -> their specifiers, from its installed METADATA."""
    if site_packages is None or version is None:
        return {}
    candidates = list(site_packages.glob(f"{name.replace('-', '_')}-{version}.dist-info"))
    candidates += [
        p
        for p in site_packages.glob("*.dist-info")
        if canonicalize_name(p.name.split("-")[0]) == name and p not in candidates
    ]
    for dist_info in candidates:
        try:
            text = (dist_info / "METADATA").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        headers = HeaderParser().parsestr(text, headersonly=True)
        out: dict[str, str] = {}
        for raw in headers.get_all("Requires-Dist") or []:
            try:
                req = Requirement(raw)
            except InvalidRequirement:
                continue
            if req.marker and "extra" in str(req.marker):
                spec = str(req.specifier) or "any"
                out.setdefault(canonicalize_name(req.name), f"{spec} [extra]")
                continue
            out[canonicalize_name(req.name)] = str(req.specifier) or "any"
        return out
    return {}


def explain(
    spec: ProjectSpec,
    locks: Mapping[str, LockedGroup],
    name: str,
    *,
    groups: Sequence[str] | None = None,
    venv: str = ".venv",
) -> WhyReport:
    target = canonicalize_name(name)
    chosen = [g for g in (groups or list(locks)) if g in locks]
    holding = [g for g in chosen if locks[g].pin(target) is not None]
    if not holding:
        known = sorted({p.name for g in chosen for p in locks[g].pins})
        close = difflib.get_close_matches(target, known, n=3)
        elsewhere = [g for g in locks if g not in chosen and locks[g].pin(target) is not None]
        if elsewhere:
            hint = f"It is in group {', '.join(elsewhere)}: try --group {elsewhere[0]}."
        elif close:
            hint = f"Did you mean {', '.join(close)}?"
        else:
            hint = "Check the name; it must be in a lockfile written by `parity lock`."
        where = ", ".join(chosen) or "no group"
        raise UsageError(f"{name!r} is not in the lock ({where})", hint=hint)
    info = read_venv(spec.root / venv)
    site = info.site_packages if info else None
    user_specs = {
        (g, r.name): str(Requirement(r.requirement).specifier) or "any"
        for g in holding
        for r in spec.requirements_of(g)
        if _parses(r.requirement)
    }
    direct_in: list[tuple[str, str]] = []
    by_chain: dict[tuple[tuple[Step, ...], str], list[str]] = {}
    metadata_cache: dict[str, dict[str, str]] = {}
    for group_name in holding:
        group = locks[group_name]
        pins = {p.name: p for p in group.pins}
        target_pin = pins[target]
        for via in target_pin.via:
            source = direct_source(via)
            if source is not None and (group_name, source) not in direct_in:
                direct_in.append((group_name, source))
        for path, source in chains_in_group(group, target):
            steps = []
            for index, step_name in enumerate(path):
                pin = pins.get(step_name)
                version = pin.version if pin else None
                if index == 0:
                    constraint = user_specs.get((group_name, step_name))
                else:
                    parent = path[index - 1]
                    if parent not in metadata_cache:
                        parent_pin = pins.get(parent)
                        metadata_cache[parent] = requires_dist(
                            site, parent, parent_pin.version if parent_pin else None
                        )
                    constraint = metadata_cache[parent].get(step_name)
                steps.append(Step(step_name, version, constraint))
            key = (tuple(steps), source)
            by_chain.setdefault(key, [])
            if group_name not in by_chain[key]:
                by_chain[key].append(group_name)
    chains = sorted(
        (Chain(steps, tuple(gs), source) for (steps, source), gs in by_chain.items()),
        key=lambda c: (len(c.steps), c.render()),
    )
    locked_pin = locks[holding[0]].pin(target)
    return WhyReport(
        name=target,
        version=locked_pin.version if isinstance(locked_pin, Pin) else None,
        direct_in=tuple(direct_in),
        chains=tuple(chains[:MAX_CHAINS]),
        total_chains=len(chains),
        constraints_known=site is not None and site.is_dir(),
        groups=tuple(holding),
    )


def _parses(text: str) -> bool:
    try:
        Requirement(text)
    except InvalidRequirement:
        return False
    return True
