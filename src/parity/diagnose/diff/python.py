"""Comparing the Python interpreters of two sides: implementation, version, ABI."""

from __future__ import annotations

from collections.abc import Sequence

from packaging.version import InvalidVersion, Version

from parity.diagnose.diff.model import Difference
from parity.diagnose.diff.scoring import Pair
from parity.diagnose.diff.text import python_text
from parity.env.snapshot_model import PythonInfo

_MAX_LISTED = 6


def compare_python(p: Pair) -> list[Difference]:
    pa, pb = p.a.python, p.b.python
    if pa is None or pb is None:
        return []
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
