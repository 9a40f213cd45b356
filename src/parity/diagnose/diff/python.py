"""Comparing the Python interpreters of two sides: implementation, version, ABI."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from parity.diagnose.diff.model import Difference
from parity.diagnose.diff.scoring import Pair
from parity.diagnose.diff.text import python_text
from parity.env.snapshot_model import PythonInfo, Snapshot

_MAX_LISTED = 6


def compare_python(p: Pair) -> list[Difference]:
    pa, pb = p.a.python, p.b.python
    if pa is None or pb is None:
        return _against_range(p)
    values = (python_text(pa), python_text(pb))
    if pa.implementation.lower() != pb.implementation.lower():
        return [
            p.make(
                "python",
                "python",
                values,
                change="implementation",
                base=p.rules.score("python.implementation"),
                reason=f"{pa.implementation} vs {pb.implementation}: compiled extensions and "
                "wheels are built for one implementation",
                fix=f"Run every side on {pa.implementation} {_minor_text(pa.version)}",
            )
        ]
    ra, rb = _release(pa.version), _release(pb.version)
    if ra is None or rb is None:
        return []
    if ra[0] != rb[0] or ra[1] != rb[1]:
        return [_python_minor(p, pa, pb, ra, rb, values)]
    out: list[Difference] = []
    if len(ra) > 2 and len(rb) > 2 and ra[2] != rb[2]:
        out.append(
            p.make(
                "python",
                "python",
                values,
                change="patch",
                base=p.rules.score("python.patch"),
                reason=f"Python {pa.version} vs {pb.version}: patch releases of one minor "
                "version are compatible (bug and security fixes only)",
                fix=f"Optional: use Python {pa.version} everywhere",
            )
        )
    if pa.abi and pb.abi and pa.abi != pb.abi:
        out.append(
            p.make(
                "python",
                "python.abi",
                (pa.abi, pb.abi),
                change="abi",
                base=p.rules.score("python.abi"),
                reason=f"ABI {pa.abi} vs {pb.abi} (e.g. a free-threaded or debug build): "
                "compiled wheels are built per ABI",
                fix=f"Use the same interpreter build ({pa.abi}) on every side",
            )
        )
    return out


def _python_minor(
    p: Pair,
    pa: PythonInfo,
    pb: PythonInfo,
    ra: tuple[int, ...],
    rb: tuple[int, ...],
    values: tuple[str, str],
) -> Difference:
    minor_a, minor_b = (ra[0], ra[1]), (rb[0], rb[1])
    level = "major" if ra[0] != rb[0] else "minor"
    parts: list[str] = []
    sources: list[str] = []
    if minor_b < minor_a:
        direction = "older"
        added = [r for r in p.rules.releases_between(minor_b, minor_a) if r.added]
        if added:
            listed = "; ".join(f"{_listed(r.added)} ({r.text})" for r in added)
            parts.append(
                f"code written for {_text(minor_a)} may use what {_text(minor_b)} lacks: {listed}"
            )
            sources += [r.source for r in added if r.source]
    else:
        direction = "newer"
        removed = [r for r in p.rules.releases_between(minor_a, minor_b) if r.removed]
        if removed:
            listed = "; ".join(f"{_listed(r.removed)} ({r.text})" for r in removed)
            parts.append(f"removed from Python by {_text(minor_b)}: {listed}")
            sources += [r.source for r in removed if r.source]
    eol_parts = []
    reference_eol = False
    for minor in sorted({minor_a, minor_b}):
        release = p.rules.release(*minor)
        if release is not None and release.eol_passed(p.today):
            eol_parts.append(
                f"{release.text} is end-of-life since {release.eol} (no security fixes)"
            )
            sources.append("https://devguide.python.org/versions/")
            reference_eol = reference_eol or minor == minor_a
    parts += eol_parts
    head = f"Python {pa.version} -> {pb.version} ({direction} {level} version)"
    fix = (
        f"Run every side on Python {_text(minor_a)} (pin it in .python-version and "
        "requires-python), then `parity lock` and `parity sync`"
    )
    if reference_eol:
        fix += f"; then plan the move off end-of-life {_text(minor_a)}"
    steps = max(0, abs(minor_a[1] - minor_b[1]) - 1) if level == "minor" else 0
    bonus = steps * p.rules.adjustment("python_minor_step")
    return p.make(
        "python",
        "python",
        values,
        change=level,
        base=p.rules.score(f"python.{level}"),
        bonus=bonus + (p.rules.adjustment("eol") if eol_parts else 0),
        reason=": ".join([head, "; ".join(parts)]) if parts else head,
        fix=fix,
        sources=sources,
    )


def _release(version: str) -> tuple[int, ...] | None:
    try:
        return Version(version).release
    except InvalidVersion:
        return None


def _minor_text(version: str) -> str:
    release = _release(version)
    return f"{release[0]}.{release[1]}" if release and len(release) > 1 else version


def _text(minor: tuple[int, int]) -> str:
    return f"{minor[0]}.{minor[1]}"


def _listed(items: Sequence[str]) -> str:
    if len(items) <= _MAX_LISTED:
        return ", ".join(items)
    return ", ".join(items[:_MAX_LISTED]) + f" and {len(items) - _MAX_LISTED} more"


# -- a side that records a range of Pythons (requires-python), not one version

INSIDE = "inside"


def recorded_range(s: Snapshot) -> str | None:
    """The Python range ``s`` records in place of one version (None: it records a version,
    or nothing)."""
    return s.requires_python if s.python is None and s.requires_python else None


def range_relation(requires: str, version: str) -> str | None:
    """Where ``version`` lies against the range ``requires``.

    ``"inside"``; else the level at which it misses: ``"patch"`` (another
    release of its minor version is inside), ``"minor"`` (another minor
    version of its major one is), ``"major"``.  A version known to the minor
    (``3.11``) is inside when one of its releases is: compared at the
    precision the side knows.  None: the range or the version cannot be read.
    """
    try:
        spec = SpecifierSet(requires)
        release = Version(version).release
    except (InvalidSpecifier, InvalidVersion):
        return None
    if len(release) < 2:
        release = (*release, 0)

    def inside(candidate: Version) -> bool:
        return spec.contains(candidate, prereleases=True)

    candidates = _candidates(spec, release[0])
    same_minor = [c for c in candidates if c.release[:2] == release[:2]]
    if len(release) > 2:
        if inside(Version(".".join(map(str, release)))):
            return INSIDE
        return "patch" if any(inside(c) for c in same_minor) else _wider(candidates, inside)
    if any(inside(c) for c in same_minor):
        return INSIDE
    return _wider(candidates, inside)


def _wider(candidates: Sequence[Version], inside: Callable[[Version], bool]) -> str:
    return "minor" if any(inside(c) for c in candidates) else "major"


def _candidates(spec: SpecifierSet, major: int) -> list[Version]:
    """Releases of ``major`` to try against ``spec``: the ends of every minor version, and
    the versions the range names (``>=3.11.4,<3.11.6`` holds neither 3.11.0 nor 3.11.99)."""
    out = [Version(f"{major}.{minor}.{patch}") for minor in range(100) for patch in (0, 99)]
    for item in spec:
        try:
            named = Version(item.version.rstrip(".*"))
        except InvalidVersion:
            continue
        if named.release[0] == major:
            out.append(named)
    return out


def _against_range(p: Pair) -> list[Difference]:
    """A side that records a range against one that runs (or records) one Python."""
    for ranged, other, ranged_first in ((p.a, p.b, True), (p.b, p.a, False)):
        requires = recorded_range(ranged)
        python = other.python
        if requires is None or python is None:
            continue
        level = range_relation(requires, python.version)
        if level is None or level == INSIDE:
            return []
        text = python_text(python)
        values = (requires, text) if ranged_first else (text, requires)
        return [
            p.make(
                "python",
                "python",
                values,
                change=level,
                base=p.rules.score(f"python.{level}"),
                reason=f"{other.label} runs Python {python.version}, outside the range "
                f"{ranged.label} was locked for ({requires}): its pins were chosen for "
                "those Pythons, and may not install or run on this one",
                fix=f"Run {other.label} on a Python {ranged.label} allows ({requires}; pin "
                "it in .python-version), or widen requires-python, then `parity lock` and "
                "`parity sync`",
            )
        ]
    return []


def range_note(s: Snapshot, snapshots: Sequence[Snapshot]) -> str | None:
    """What the reader should know of a side that records a range, not one Python."""
    requires = recorded_range(s)
    if requires is None:
        return None
    if not _readable(requires):
        return (
            f"{s.label} records Python {requires}, which is not a range parity can read: "
            "Python is not compared for it"
        )
    others = [o.python for o in snapshots if o is not s and o.python is not None]
    inside = [
        f"{o.label}'s {o.python.version}"
        for o in snapshots
        if o is not s
        and o.python is not None
        and range_relation(requires, o.python.version) == INSIDE
    ]
    if inside:
        verb = "is" if len(inside) == 1 else "are"
        return f"{s.label} records Python {requires}, not one version: {', '.join(inside)} {verb} inside it"
    if not others:
        return (
            f"{s.label} records Python {requires}, not one version: no other side has one "
            "Python to compare with it"
        )
    return None  # outside: a difference says so


def _readable(requires: str) -> bool:
    try:
        SpecifierSet(requires)
    except InvalidSpecifier:
        return False
    return True
