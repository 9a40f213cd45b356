"""The result of a diff: scored differences, the many-sides matrix, JSON (``parity/diff@1``).

The first side of a pair is the reference (the environment that works); the
wording of reasons follows from that: a package "missing" is one the
reference has and the other side lacks.
"""

from __future__ import annotations

from typing import Any

from parity.diagnose.findings import (
    Finding,
    Severity,
    at_least,
    count_by_severity,
    severity_rank,
)
from parity.frozen import dataclass, field

DIFF_SCHEMA = "parity/diff@1"
UNPINNED = "unpinned"
# Snapshot kinds with no interpreter behind them: a lock (complete list of
# pins) and a spec (a requirements list naming only what the user asked for).
DECLARED_KINDS = frozenset({"lock", "spec"})
PARTIAL_KINDS = frozenset({"spec"})
PACKAGE_KINDS = frozenset({"version", "unpinned", "missing", "extra", "source"})
# Tie-break after the score: what a reader should look at first.
KIND_ORDER = ("python", "platform", "native", "version", "unpinned", "missing", "source", "extra")


@dataclass(frozen=True, kw_only=True)
class Difference(Finding):
    """One way two sides differ, scored: a finding about a pair of sides.

    ``code`` is the kind (python, platform, native, version, unpinned,
    missing, extra, source) and ``message`` the reason.  ``values`` holds what each side has (None: absent or unknown), in the order
    of ``sides`` (indices into the compared list).  ``change`` refines the
    kind: implementation/major/minor/patch/abi for python, os/machine/libc for
    platform, major/minor/patch/local for version, ...
    """

    kind: str
    subject: str
    fix: str
    values: tuple[str | None, str | None]
    score: int
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
            "reason": self.message,
            "fix": self.fix,
            "direct": self.direct,
            "rules": list(self.rules),
            "sources": list(self.sources),
        }


@dataclass(frozen=True, kw_only=True)
class MatrixRow(Finding):
    """One aspect that differs somewhere among several sides, with every side's value.

    ``code`` is the family (python, platform, native, package); ``message``
    and ``fix`` are those of the riskiest pair.
    """

    family: str
    subject: str
    fix: str
    values: tuple[str | None, ...]
    kinds: tuple[str, ...]
    score: int
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
            "reason": self.message,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class SideInfo:
    label: str
    kind: str
    python: str | None
    platform: str | None
    packages: int
    # The Python range a lock records (requires-python), when it records one.
    requires_python: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "kind": self.kind,
            "python": self.python,
            "requires_python": self.requires_python,
            "platform": self.platform,
            "packages": self.packages,
        }


@dataclass(frozen=True)
class DiffResult:
    sides: tuple[SideInfo, ...]
    differences: tuple[Difference, ...]
    matrix: tuple[MatrixRow, ...]
    notes: tuple[str, ...] = ()
    # How the sides were read (printed apart; not part of the JSON result).
    input_notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.sides)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The differences, riskiest first; with more than two sides, the matrix rows."""
        return self.matrix if len(self.sides) > 2 else self.differences

    def counts(self) -> dict[str, int]:
        """Findings per severity."""
        return count_by_severity(self.findings)

    @property
    def max_severity(self) -> Severity | None:
        worst: Severity | None = None
        for finding in self.findings:
            if worst is None or severity_rank(finding.severity) < severity_rank(worst):
                worst = finding.severity
        return worst

    def at_least(self, severity: Severity) -> bool:
        """Whether any finding is at least as severe as ``severity``."""
        worst = self.max_severity
        return worst is not None and at_least(worst, severity)

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


def kind_index(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
