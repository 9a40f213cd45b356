"""The result of a diff: scored differences, the many-sides matrix, JSON (``parity/diff@1``).

The first side of a pair is the reference (the environment that works); the
wording of reasons follows from that: a package "missing" is one the
reference has and the other side lacks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

DIFF_SCHEMA = "parity/diff@1"
UNPINNED = "unpinned"
# Snapshot kinds with no interpreter behind them: a lock (complete list of
# pins) and a spec (a requirements list naming only what the user asked for).
DECLARED_KINDS = frozenset({"lock", "spec"})
PARTIAL_KINDS = frozenset({"spec"})
PACKAGE_KINDS = frozenset({"version", "unpinned", "missing", "extra", "source"})
# Tie-break after the score: what a reader should look at first.
KIND_ORDER = ("python", "platform", "native", "version", "unpinned", "missing", "source", "extra")


@dataclass(frozen=True)
class Difference:
    """One way two sides differ, scored.

    ``values`` holds what each side has (None: absent or unknown), in the order
    of ``sides`` (indices into the compared list).  ``change`` refines the
    kind: implementation/major/minor/patch/abi for python, os/machine/libc for
    platform, major/minor/patch/local for version, ...
    """

    kind: str
    subject: str
    values: tuple[str | None, str | None]
    score: int
    severity: str
    reason: str
    fix: str
    change: str | None = None
    direct: bool | None = None
    rules: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    sides: tuple[int, int] = (0, 1)
    base: int = field(default=0, compare=False)

    @property
    def family(self) -> str:
        return "package" if self.kind in PACKAGE_KINDS else self.kind

    @property
    def label(self) -> str:
        return f"{self.kind} {self.change}" if self.change else self.kind

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "change": self.change,
            "subject": self.subject,
            "sides": list(self.sides),
            "values": list(self.values),
            "score": self.score,
            "severity": self.severity,
            "reason": self.reason,
            "fix": self.fix,
            "direct": self.direct,
            "rules": list(self.rules),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class MatrixRow:
    """One aspect that differs somewhere among several sides, with every side's value."""

    family: str
    subject: str
    values: tuple[str | None, ...]
    kinds: tuple[str, ...]
    score: int
    severity: str
    reason: str
    fix: str
    change: str | None = None

    @property
    def label(self) -> str:
        if len(self.kinds) == 1 and self.change:
            return f"{self.kinds[0]} {self.change}"
        return "/".join(self.kinds)

    def to_json(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "subject": self.subject,
            "kinds": list(self.kinds),
            "change": self.change,
            "values": list(self.values),
            "score": self.score,
            "severity": self.severity,
            "reason": self.reason,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class SideInfo:
    label: str
    kind: str
    python: str | None
    platform: str | None
    packages: int

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "kind": self.kind,
            "python": self.python,
            "platform": self.platform,
            "packages": self.packages,
        }


@dataclass(frozen=True)
class DiffResult:
    sides: tuple[SideInfo, ...]
    differences: tuple[Difference, ...]
    matrix: tuple[MatrixRow, ...]
    notes: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.sides)

    def counts(self) -> dict[str, int]:
        """Differences per severity; with more than two sides, matrix rows."""
        rows: Sequence[MatrixRow | Difference] = (
            self.matrix if len(self.sides) > 2 else self.differences
        )
        return count_by_severity(rows)

    @property
    def max_severity(self) -> str | None:
        for label, count in self.counts().items():
            if count:
                return label
        return None

    def at_least(self, severity: str) -> bool:
        """Whether any difference is at least as severe as ``severity``."""
        order = ["critical", "high", "medium", "low"]
        worst = self.max_severity
        return worst is not None and order.index(worst) <= order.index(severity)

    def to_json(self) -> dict[str, Any]:
        counts = self.counts()
        return {
            "schema": DIFF_SCHEMA,
            "sides": [s.to_json() for s in self.sides],
            "summary": {
                "differences": sum(counts.values()),
                **counts,
                "max_severity": self.max_severity,
            },
            "differences": [d.to_json() for d in self.differences],
            "matrix": [r.to_json() for r in self.matrix],
            "notes": list(self.notes),
        }


def count_by_severity(items: Iterable[Difference | MatrixRow]) -> dict[str, int]:
    counts = {"critical": 0, "high": 0, "medium": 0, "low": 0}
    for item in items:
        counts[item.severity] = counts.get(item.severity, 0) + 1
    return counts


def kind_index(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
