"""Many sides at once: one row per aspect that differs anywhere, the sides described."""

from __future__ import annotations

from collections.abc import Sequence

from parity.diagnose.diff.model import (
    DECLARED_KINDS,
    PARTIAL_KINDS,
    Difference,
    MatrixRow,
    SideInfo,
    kind_index,
)
from parity.diagnose.diff.packages import is_project_install
from parity.diagnose.diff.python import range_note
from parity.diagnose.diff.text import aspect_value, by_name, python_text
from parity.env.snapshot_model import Snapshot


def matrix_rows(snapshots: Sequence[Snapshot], ranked: Sequence[Difference]) -> list[MatrixRow]:
    rows: dict[tuple[str, str], list[Difference]] = {}
    for d in ranked:
        rows.setdefault((d.family, d.subject), []).append(d)
    out: list[MatrixRow] = []
    for (family, subject), diffs in rows.items():
        top = diffs[0]  # ranked already: the riskiest pair of this row
        out.append(
            MatrixRow(
                code=family,
                family=family,
                subject=subject,
                values=tuple(aspect_value(s, family, subject) for s in snapshots),
                kinds=tuple(sorted({d.kind for d in diffs}, key=kind_index)),
                score=top.score,
                severity=top.severity,
                message=top.message,
                fix=top.fix,
                change=top.change,
            )
        )
    return out


def side_info(s: Snapshot) -> SideInfo:
    platform = None
    if s.platform is not None:
        platform = " ".join(x for x in (s.platform.system, s.platform.machine) if x)
    return SideInfo(
        label=s.label,
        kind=s.kind,
        python=python_text(s.python) if s.python else None,
        platform=platform,
        packages=len(s.distributions),
        requires_python=s.requires_python,
    )


def notes(snapshots: Sequence[Snapshot]) -> list[str]:
    notes: list[str] = []
    for s in snapshots:
        if s.kind in PARTIAL_KINDS:
            notes.append(
                f"{s.label} lists requirements only: packages it does not name are not reported as missing"
            )
        if s.python is None and not s.requires_python:
            notes.append(f"{s.label} does not record its Python: Python is not compared for it")
        ranged = range_note(s, snapshots)
        if ranged:
            notes.append(ranged)
        notes += [f"{s.label}: {problem}" for problem in s.problems]
    notes += project_notes(snapshots)
    if len(snapshots) > 1 and any(s.kind in DECLARED_KINDS for s in snapshots):
        notes.append("platform and native libraries are compared only between environments")
    return notes


def project_notes(snapshots: Sequence[Snapshot]) -> list[str]:
    """One note per project installed editable on some side and absent from another."""
    maps = [by_name(s.distributions) for s in snapshots]
    out: list[str] = []
    for name in sorted({n for m in maps for n in m}):
        if all(name in m for m in maps):
            continue
        on = [
            (s, m[name])
            for s, m in zip(snapshots, maps, strict=True)
            if is_project_install(m.get(name))
        ]
        if not on:
            continue
        where = ", ".join(
            f"{d.version} on {s.label}" if d.version else f"on {s.label}" for s, d in on
        )
        out.append(
            f"{name} {where} is the project itself, installed editable from its source tree: "
            "not a difference (no lock pins it; `parity sync` installs it)"
        )
    return out
