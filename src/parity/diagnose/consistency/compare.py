"""Facts from several files -> findings where they disagree.  Pure.

packaging is imported only when versions differ as text or a range is
stated: files that agree (the usual case, checked on every commit) are
compared as strings.
"""

from __future__ import annotations

from itertools import combinations

from parity.diagnose.consistency.facts import CANDIDATE, PIN, RANGE, PinFact, Place, PythonFact
from parity.diagnose.findings import Finding

TYPE_CHECKING = False  # not typing's: ``check`` imports this module
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from packaging.specifiers import SpecifierSet

    from parity.spec.model import DirectRequirement

PINS_FIX = (
    "Make every file come from one resolution: run `parity lock`, then re-export or relock "
    "the other file (`parity export --to ...`, or the tool that wrote it)."
)
PYTHON_FIX = (
    "Use one Python everywhere: change the side that is wrong so both name the same version."
)


def _side(place: Place, value: str, what: str | None = None) -> dict[str, object]:
    side: dict[str, object] = {**place.to_json(), "value": value}
    if what:
        side["what"] = what
    return side


def _version_key(text: str) -> object:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(text)
    except InvalidVersion:
        return text


# -- pins -------------------------------------------------------------------------


def pin_findings(facts: Iterable[PinFact]) -> list[Finding]:
    """One finding per package whose files pin different versions (within one scope)."""
    by_key: dict[tuple[str | None, str], dict[str, list[PinFact]]] = {}
    for fact in facts:
        files = by_key.setdefault((fact.scope, fact.name), {})
        files.setdefault(fact.place.path, []).append(fact)
    findings: list[Finding] = []
    for (scope, name), files in sorted(by_key.items(), key=lambda kv: (kv[0][0] or "", kv[0][1])):
        if len(files) < 2:
            continue
        written = [{f.version for f in pins} for pins in files.values()]
        if all(same == written[0] for same in written):
            continue  # the same text everywhere: the same versions
        versions = {path: {_version_key(f.version) for f in pins} for path, pins in files.items()}
        if not any(_disagree(versions[a], versions[b]) for a, b in combinations(sorted(files), 2)):
            continue
        sides = [f for path in sorted(files) for f in files[path]]
        described = ", ".join(f"{f.place} pins {f.version}" for f in sides)
        where = f" (lock for {scope})" if scope else ""
        findings.append(
            Finding(
                code="pins-disagree",
                severity="high",
                subject=name,
                message=f"{name} is pinned differently{where}: {described}",
                fix=PINS_FIX,
                data={"sides": [_side(f.place, f.version) for f in sides], "scope": scope},
            )
        )
    return findings


def _disagree(a: set[object], b: set[object]) -> bool:
    """Version sets disagree unless equal, or one narrows a forked (multi-version) other."""
    if a == b:
        return False
    if a < b and len(b) > 1:
        return False
    return not (b < a and len(a) > 1)


# Locks of the whole project written by another tool: each must hold every direct requirement.
WHOLE_PROJECT_LOCKS = ("poetry.lock",)


def missing_requirements(
    pins: Iterable[PinFact], requirements: Iterable[DirectRequirement]
) -> list[Finding]:
    """A direct requirement a whole-project lock does not lock: that lock is older than it.

    Requirements with a marker or a local path are left out: another resolver
    may rightly leave them out of its lock.
    """
    locked: dict[str, set[str]] = {}
    for pin in pins:
        if pin.place.path in WHOLE_PROJECT_LOCKS:
            locked.setdefault(pin.place.path, set()).add(pin.name)
    findings: list[Finding] = []
    for path, names in sorted(locked.items()):
        seen: set[str] = set()
        for req in requirements:
            if (
                req.name in names
                or req.name in seen
                or req.path is not None
                or ";" in req.requirement
            ):
                continue
            seen.add(req.name)
            findings.append(
                Finding(
                    code="lock-lacks-requirement",
                    severity="high",
                    subject=req.name,
                    message=f"{path} does not lock {req.name}, which {req.source} asks for: "
                    f"it was not locked again after that change",
                    fix="Run `parity export --to poetry --lock` (or `poetry lock`) and commit "
                    f"{path}.",
                    data={
                        "sides": [
                            {"file": path, "line": None, "value": None},
                            {
                                **Place(req.source.path, req.source.line).to_json(),
                                "value": req.requirement,
                            },
                        ]
                    },
                )
            )
    return findings


# -- Python -----------------------------------------------------------------------


def _release(text: str) -> tuple[int, ...] | None:
    parts = text.split(".")
    if all(part.isdigit() and part.isascii() for part in parts):
        return tuple(int(part) for part in parts)  # Version(text).release, without packaging
    from packaging.version import InvalidVersion, Version

    try:
        return Version(text).release
    except InvalidVersion:
        return None


def pins_agree(a: str, b: str) -> bool:
    """``3.11`` and ``3.11.7`` agree (one is the other, made more precise)."""
    ra, rb = _release(a), _release(b)
    if ra is None or rb is None:
        return a == b
    n = min(len(ra), len(rb))
    return ra[:n] == rb[:n]


def in_range(version: str, spec: SpecifierSet) -> bool:
    release = _release(version)
    if release is None:
        return True  # not a version we can judge
    if len(release) >= 3:
        return spec.contains(version, prereleases=True)
    return any(spec.contains(f"{version}.{patch}", prereleases=True) for patch in (0, 99))


def _specifier(text: str) -> SpecifierSet | None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return SpecifierSet(text)
    except InvalidSpecifier:
        return None


def ranges_overlap(a: SpecifierSet, b: SpecifierSet) -> bool:
    return any(
        a.contains(v, prereleases=True) and b.contains(v, prereleases=True)
        for v in (
            f"{major}.{minor}.{patch}"
            for major in (2, 3)
            for minor in range(0, 31)
            for patch in (0, 50, 99)
        )
    )


def is_ci(fact: PythonFact) -> bool:
    """A fact from a CI file (a job's python-version, a GitLab image)."""
    return fact.what.startswith("CI ")


def python_findings(facts: Sequence[PythonFact]) -> list[Finding]:
    """Pins that disagree, pins outside a range, ranges that cannot both hold."""
    pins = [f for f in facts if f.kind == PIN]
    candidates = [f for f in facts if f.kind == CANDIDATE]
    range_facts = [f for f in facts if f.kind == RANGE]
    # Ranges read with packaging only when something is compared with them: files that
    # state the same range (pyproject.toml and pylock.toml) do not disagree.
    compared = bool(pins or candidates) or len({f.value for f in range_facts}) > 1
    ranges = [(f, _specifier(f.value) if compared else None) for f in range_facts]
    findings: list[Finding] = []
    # .python-version is the reference when present: each other pin is compared with it.
    # A CI job never is: jobs on several Pythons (docs on one, a release on another) are
    # a matrix spread over files, each checked against the project's Python and ranges.
    project_pins = [p for p in pins if not is_ci(p)]
    reference = next(
        (p for p in project_pins if p.what == ".python-version"),
        project_pins[0] if project_pins else None,
    )
    if reference is not None:
        for other in pins:
            if other is reference or pins_agree(reference.value, other.value):
                continue
            findings.append(_python_finding(reference, other, "names Python"))
    for fact in [*pins, *candidates]:
        for range_fact, spec in ranges:
            if spec is not None and not in_range(fact.value, spec):
                findings.append(_python_finding(range_fact, fact, "allows"))
    for (fa, sa), (fb, sb) in combinations(ranges, 2):
        if fa.value == fb.value:
            continue
        if sa is not None and sb is not None and not ranges_overlap(sa, sb):
            findings.append(_python_finding(fa, fb, "allows"))
    return findings


def _python_finding(first: PythonFact, second: PythonFact, verb: str) -> Finding:
    if first.kind == RANGE and second.kind != RANGE:
        message = (
            f"{second.what} {second.value} ({second.place}) is outside "
            f"{first.what} {first.value} ({first.place})"
        )
    elif first.kind == RANGE:
        message = (
            f"{first.what} {first.value} ({first.place}) and {second.what} {second.value} "
            f"({second.place}) allow no common Python"
        )
    else:
        message = (
            f"{first.what} {verb} {first.value} ({first.place}), but {second.what} "
            f"names {second.value} ({second.place})"
        )
    return Finding(
        code="python-disagrees",
        severity="high",
        subject="python",
        message=message,
        fix=PYTHON_FIX,
        data={
            "sides": [
                _side(first.place, first.value, first.what),
                _side(second.place, second.value, second.what),
            ]
        },
    )
