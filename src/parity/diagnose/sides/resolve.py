"""Declared sides become Snapshots once the environment they are compared with is known.

A lock's markers are evaluated against the first live side's Python and
platform (what that lock would install there): a win32-only pin then does not
show up as "missing" on Linux.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from packaging.markers import InvalidMarker, Marker, default_environment

from parity.diagnose.sides.model import DeclaredSide, Side
from parity.env.snapshot_model import Distribution, PlatformInfo, PythonInfo, Snapshot
from parity.frozen import replace

_PEP751_VARIABLES = re.compile(r"\b(dependency_groups|extras)\b")
_SYS_PLATFORM = {"linux": "linux", "darwin": "darwin", "windows": "win32"}


def resolve_sides(sides: Sequence[Side]) -> list[Snapshot]:
    """Every side as a Snapshot, locks evaluated for the environment they are compared with.

    With no live side, a lock is evaluated for its own Python, else the
    running interpreter.
    """
    reference = next(
        (
            s
            for s in sides
            if isinstance(s, Snapshot) and s.kind not in ("lock", "spec") and s.python
        ),
        None,
    )
    out: list[Snapshot] = []
    seen: dict[str, int] = {}
    for side in sides:
        if isinstance(side, DeclaredSide):
            own = PythonInfo(implementation="CPython", version=side.python) if side.python else None
            snapshot = declared_snapshot(
                side,
                python=reference.python if reference else own,
                platform=reference.platform if reference else None,
            )
        else:
            snapshot = side
        count = seen.get(snapshot.label, 0) + 1
        seen[snapshot.label] = count
        if count > 1:
            snapshot = replace(snapshot, label=f"{snapshot.label} #{count}")
        out.append(snapshot)
    return out


def declared_snapshot(
    side: DeclaredSide, *, python: PythonInfo | None, platform: PlatformInfo | None
) -> Snapshot:
    """The pins of ``side`` whose markers hold for ``python``/``platform``, as a Snapshot."""
    env = marker_environment(python, platform)
    pins = side.pins
    if side.graph is not None:
        pins = side.graph.pins_for(lambda m: marker_holds(m, env), side.groups)
    dists: dict[str, Distribution] = {}
    for pin in pins:
        if (
            side.graph is None
            and pin.marker
            and not marker_holds(pin.marker, env, groups=side.groups)
        ):
            continue
        dists.setdefault(
            pin.name,
            Distribution(
                name=pin.name,
                version=pin.version,
                source=pin.source,
                editable=pin.editable,
                requested=True if pin.name in side.direct else None,
            ),
        )
    return Snapshot(
        label=side.label,
        kind=side.kind,
        python=PythonInfo(implementation="CPython", version=side.python) if side.python else None,
        platform=None,
        distributions=tuple(dists[name] for name in sorted(dists)),
        requires_python=side.requires_python,
    )


def marker_environment(python: PythonInfo | None, platform: PlatformInfo | None) -> dict[str, str]:
    """PEP 508 marker variables for a side; what is unknown comes from the running interpreter."""
    env: dict[str, str] = {k: str(v) for k, v in default_environment().items()}
    if python is not None:
        parts = python.version.split(".")
        full = python.version if len(parts) >= 3 else ".".join([*parts, "0"][:3])
        env["python_version"] = ".".join(parts[:2])
        env["python_full_version"] = full
        env["implementation_version"] = full
        env["platform_python_implementation"] = python.implementation
        env["implementation_name"] = python.implementation.lower()
    if platform is not None:
        system = platform.system
        env["platform_system"] = system
        env["sys_platform"] = _SYS_PLATFORM.get(system.lower(), system.lower())
        env["os_name"] = "nt" if system.lower() == "windows" else "posix"
        env["platform_machine"] = platform.machine
        if platform.release:
            env["platform_release"] = platform.release
    return env


def marker_holds(
    marker: str, env: Mapping[str, str], *, groups: frozenset[str] = frozenset()
) -> bool:
    """Whether a pin's marker holds; an unreadable marker keeps the pin (never hide a pin)."""
    try:
        parsed = Marker(marker)
    except InvalidMarker:
        return True
    try:
        if _PEP751_VARIABLES.search(marker):
            lock_env: dict[str, str | frozenset[str]] = {
                **env,
                "dependency_groups": groups,
                "extras": frozenset(),
            }
            return parsed.evaluate(lock_env, context="lock_file")  # type: ignore[arg-type,call-arg,unused-ignore]
        return parsed.evaluate(dict(env))
    except (TypeError, ValueError):
        # An undefined comparison, or an older packaging that knows no lock-file
        # context: keep the pin.
        return True
