"""Pre-releases in a lock, each with the reason it is there.

uv chooses a pre-release only when the project asks for one (``--pre``, a
requirement that names a pre-release, an opt-in) or when nothing else
satisfies the requirements.  Either way a pre-release in a lock is worth
saying, so ``lock`` reports every one with its reason.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from parity.frozen import dataclass
from parity.lock.model import LockedGroup
from parity.spec.model import ProjectSpec


@dataclass(frozen=True)
class PreRelease:
    name: str
    version: str
    reason: str

    def describe(self) -> str:
        return f"pre-release {self.name} {self.version} in the lock: {self.reason}"


def is_prerelease(version: str | None) -> bool:
    if version is None:
        return False
    if version.isascii() and not any(c in "abcdrABCDR" for c in version):
        # Every spelling of a pre-release or development segment (a, alpha, b, beta, c,
        # rc, pre, preview, dev) has one of these letters: ``1.26.4`` and ``2.9.0.post0``
        # are final releases (or not versions at all: False too), known without packaging.
        return False
    from parity.versions import normal_prerelease

    normal = normal_prerelease(version)  # ``0.66b2``: how uv writes one, known without packaging
    if normal is not None:
        return normal
    from packaging.version import InvalidVersion, Version

    try:
        return Version(version).is_prerelease
    except InvalidVersion:
        return False


def prereleases(
    spec: ProjectSpec,
    groups: Iterable[LockedGroup],
    *,
    asked: bool,
    allowed: Collection[str] = (),
) -> tuple[PreRelease, ...]:
    """Every pre-release version locked from an index, with why it was chosen."""
    found: dict[tuple[str, str], PreRelease] = {}
    for group in groups:
        for pin in group.pins:
            if pin.source is not None or pin.version is None or not is_prerelease(pin.version):
                continue
            key = (pin.name, pin.version)
            if key not in found:
                found[key] = PreRelease(
                    pin.name, pin.version, _reason(spec, pin.name, asked=asked, allowed=allowed)
                )
    return tuple(found[k] for k in sorted(found))


def _reason(spec: ProjectSpec, name: str, *, asked: bool, allowed: Collection[str]) -> str:
    if asked:
        return "asked for with --pre"
    if name in allowed:
        return "the project allows pre-releases of it (allow-prereleases)"
    if spec.prerelease:
        return (
            "the project allows pre-releases (--pre in an input file, or uv's prerelease setting)"
        )
    for group in spec.groups:
        for direct in (*group.requirements, *group.constraints):
            if direct.name != name:
                continue
            from packaging.requirements import InvalidRequirement, Requirement

            try:
                specifier = Requirement(direct.requirement).specifier
            except InvalidRequirement:
                continue
            if any(is_prerelease(s.version.removesuffix(".*")) for s in specifier):
                return f"{direct.source} asks for a pre-release ({direct.requirement})"
    return "no final release satisfies the requirements"
