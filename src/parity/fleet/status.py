"""What ``parity fleet status`` returns: machines, drifting aspects, risks, and their JSON.

The values only; ``fleet/drift.py`` computes them and ``report/fleet_report.py``
renders them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from parity.diagnose.findings import SEVERITIES, Finding, Severity, count_by_severity
from parity.fleet.model import ROLES, STATUS_SCHEMA
from parity.frozen import dataclass

SEVERITY_ORDER = SEVERITIES[:4]  # what drift can be (never "info")


@dataclass(frozen=True)
class Machine:
    """One machine (label) as the status shows it: its latest record."""

    label: str
    role: str
    host: str | None
    seen_at: str
    git_commit: str | None
    lock_digest: str | None
    python: str | None
    platform: str | None
    packages: int

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "role": self.role,
            "host": self.host,
            "seen_at": self.seen_at,
            "git_commit": self.git_commit,
            "lock_digest": self.lock_digest,
            "python": self.python,
            "platform": self.platform,
            "packages": self.packages,
        }


@dataclass(frozen=True, kw_only=True)
class Cell(Finding):
    """How one machine differs in one aspect: a finding about that machine.

    ``code`` is the kind of difference (python, version, missing, ...),
    ``message`` the reason, as ``parity diff`` words it.
    """

    machine: int
    subject: str
    fix: str
    value: str | None
    expected: str | None
    change: str | None
    score: int
    rules: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Without the machine: machines with the same cell are listed together."""
        return {
            "value": self.value,
            "expected": self.expected,
            "kind": self.code,
            "change": self.change,
            "score": self.score,
            "severity": self.severity,
            "reason": self.message,
            "fix": self.fix,
            "rules": list(self.rules),
        }


@dataclass(frozen=True)
class Aspect:
    """One aspect (Python, a platform trait, a native library, a package) that drifts."""

    family: str
    subject: str
    reference: str | None
    cells: tuple[Cell, ...]

    @property
    def worst(self) -> Cell:
        return self.cells[0]

    @property
    def score(self) -> int:
        return self.worst.score

    @property
    def severity(self) -> Severity:
        return self.worst.severity

    def to_json(self, machines: Sequence[Machine]) -> dict[str, Any]:
        return {
            "family": self.family,
            "subject": self.subject,
            "reference": self.reference,
            "score": self.score,
            "severity": self.severity,
            "machines": len(self.cells),
            "reason": self.worst.message,
            "fix": self.worst.fix,
            "values": self.groups_json(machines),
        }

    def groups_json(self, machines: Sequence[Machine]) -> list[dict[str, Any]]:
        """The cells grouped by what they say, each with the machines that have it."""
        groups: dict[tuple[Any, ...], dict[str, Any]] = {}
        for cell in self.cells:
            data = cell.to_json()
            key = tuple(repr(v) for v in data.values())
            group = groups.setdefault(key, {**data, "machines": []})
            group["machines"].append(machines[cell.machine].label)
        return list(groups.values())


@dataclass(frozen=True)
class Risk:
    """How much one machine drifts: aspects per severity, its worst score, the sum of all."""

    score: int
    total: int
    counts: Mapping[str, int]

    @property
    def severity(self) -> Severity | None:
        for label in SEVERITY_ORDER:
            if self.counts.get(label):
                return label
        return None


@dataclass(frozen=True)
class FleetStatus:
    """The drift matrix: every machine against one reference, riskiest aspect first.

    ``machines`` and ``risks`` run in parallel, most at risk first; ``aspects``
    hold one :class:`Cell` per machine that differs; ``to_json()`` is
    ``parity/fleet-status@1``.
    """

    reference: str
    reference_kind: str  # majority, lock or snapshot
    machines: tuple[Machine, ...]  # most at risk first
    risks: tuple[Risk, ...]  # one per machine
    aspects: tuple[Aspect, ...]  # riskiest first
    notes: tuple[str, ...] = ()
    store: str = ""
    reference_digest: str | None = None

    def counts(self) -> dict[str, int]:
        return count_by_severity(self.aspects)

    @property
    def max_severity(self) -> str | None:
        for label, n in self.counts().items():
            if n:
                return label
        return None

    def at_least(self, severity: str) -> bool:
        worst = self.max_severity
        return worst is not None and SEVERITY_ORDER.index(worst) <= SEVERITY_ORDER.index(severity)

    def roles(self) -> dict[str, int]:
        """Machines per role, in the order dev, ci, prod."""
        counts = Counter(m.role for m in self.machines)
        return {role: counts[role] for role in (*ROLES, *sorted(counts)) if counts[role]}

    def to_json(self) -> dict[str, Any]:
        counts = self.counts()
        return {
            "schema": STATUS_SCHEMA,
            "store": self.store,
            "reference": {
                "label": self.reference,
                "kind": self.reference_kind,
                "digest": self.reference_digest,
            },
            "summary": {
                "machines": len(self.machines),
                "roles": self.roles(),
                "drifting_machines": sum(1 for r in self.risks if r.score),
                "aspects": len(self.aspects),
                **counts,
                "max_severity": self.max_severity,
            },
            "machines": [
                {
                    **m.to_json(),
                    "risk": {"score": r.score, "total": r.total, **dict(r.counts)},
                    "synced_to_reference": _synced(m, self.reference_digest),
                }
                for m, r in zip(self.machines, self.risks, strict=True)
            ],
            "aspects": [a.to_json(self.machines) for a in self.aspects],
            "notes": list(self.notes),
        }


def _synced(machine: Machine, digest: str | None) -> bool | None:
    if digest is None or machine.lock_digest is None:
        return None
    return machine.lock_digest == digest
