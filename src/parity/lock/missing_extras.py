"""Extras a requirement names that its package does not have.

uv resolves ``optimum[onnxruntim]`` (a typo of ``onnxruntime``) as plain
``optimum``, with a warning, and the lock holds none of what the extra would
have added.  Its warning is uv's only trace of that: parity turns it into a
note naming the requirement's file and line and the group it is in, so a
misspelt extra is not a silently incomplete lock.
"""

from __future__ import annotations

from collections.abc import Sequence

from parity.names import canonical_name
from parity.patterns import lazy_pattern
from parity.spec.model import DirectRequirement, ProjectSpec

# uv 0.13: "The package `optimum==2.1.0` does not have an extra named `onnxruntim`".  Only
# an index package (``name==version``) is matched: a path or URL one would name a place on
# this machine.
_MISSING = lazy_pattern(
    r"^The package `(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^`\s]+)` does not have an "
    r"extra named `(?P<extra>[^`]+)`"
)


def missing_extra_notes(spec: ProjectSpec, warnings: Sequence[str]) -> list[str]:
    """One note per package and extra uv warned about, naming who asks for it."""
    found: dict[tuple[str, str], list[str]] = {}
    for warning in warnings:
        match = _MISSING().match(warning)
        if match is None:
            continue
        key = (canonical_name(match["name"]), canonical_name(match["extra"]))
        versions = found.setdefault(key, [])
        if match["version"] not in versions:
            versions.append(match["version"])
    notes = []
    for (name, extra), versions in found.items():
        what = f"{name} {', '.join(versions)} {'has' if len(versions) == 1 else 'have'} no extra {extra!r}"
        asking = _asked_by(spec, name, extra)
        if asking:
            notes.append(
                f"{what}, which {'; '.join(asking)} asks for: the lock holds {name} without it, "
                "as uv resolves it. Check the extra's name"
            )
        else:
            notes.append(
                f"{what}, which a dependency asks for: the lock holds {name} without it, as uv "
                "resolves it"
            )
    return notes


def _asked_by(spec: ProjectSpec, name: str, extra: str) -> list[str]:
    """``pyproject.toml:53 (group onnx)`` for each direct requirement naming the extra."""
    places: dict[str, list[str]] = {}
    for group in spec.groups:
        for requirement in group.requirements:
            if requirement.name == name and extra in _extras(requirement):
                places.setdefault(str(requirement.source), []).append(group.name)
    return [
        f"{place} (group{'s' if len(groups) > 1 else ''} {', '.join(groups)})"
        for place, groups in places.items()
    ]


def _extras(requirement: DirectRequirement) -> set[str]:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        parsed = Requirement(requirement.requirement)
    except InvalidRequirement:
        return set()
    return {canonical_name(e) for e in parsed.extras}
