"""What ``parity compare`` measured: samples per step, medians, and what could not be measured.

Every figure is a measurement of a whole process (or of a file or folder it
wrote), taken ``runs`` times with the strategies interleaved; the median is
what is shown.  A strategy that could not be measured carries the reason,
and no figure.  ``CompareResult.to_json()`` is ``parity/compare@1``; the
same JSON is the cache (``.parity/compare/<digest>.json``).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from parity.frozen import dataclass, field

SCHEMA = "parity/compare@1"


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str  # "s", "bytes", "count"


# In the order they are shown.
METRICS: tuple[Metric, ...] = (
    Metric("lock_cold", "lock, cold cache", "s"),
    Metric("lock_warm", "lock, warm cache", "s"),
    Metric("relock", "lock again, nothing changed", "s"),
    Metric("env_cold", "environment from the lock, cold cache", "s"),
    Metric("env_warm", "environment from the lock, warm cache", "s"),
    Metric("resync", "sync again, nothing to do", "s"),
    Metric("env_bytes", "environment on disk", "bytes"),
    Metric("lock_bytes", "lockfile size", "bytes"),
    Metric("pins", "pinned packages", "count"),
)
METRIC_BY_KEY = {m.key: m for m in METRICS}
TIMES = tuple(m.key for m in METRICS if m.unit == "s")


@dataclass(frozen=True)
class Check:
    """A yes/no property measured on every run (None: not established), and why."""

    ok: bool | None
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail}


@dataclass(frozen=True)
class TargetResult:
    """One strategy (with the tools that ran it) on this project."""

    target: str
    strategy: str
    tools: str
    measured: bool
    reason: str | None = None
    samples: Mapping[str, Sequence[float]] = field(default_factory=dict)
    reproducible: Check | None = None
    cache_key: Check | None = None
    lockfiles: tuple[str, ...] = ()
    commands: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def median(self, key: str) -> float | None:
        values = self.samples.get(key)
        return float(statistics.median(values)) if values else None

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "strategy": self.strategy,
            "tools": self.tools,
            "measured": self.measured,
            "reason": self.reason,
            "medians": {k: self.median(k) for k in (m.key for m in METRICS) if k in self.samples},
            "samples": {k: list(v) for k, v in self.samples.items()},
            "reproducible": self.reproducible.to_json() if self.reproducible else None,
            "cache_key_stable": self.cache_key.to_json() if self.cache_key else None,
            "lockfiles": list(self.lockfiles),
            "commands": {k: list(v) for k, v in self.commands.items()},
        }

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> TargetResult:
        def check(value: Any) -> Check | None:
            if not isinstance(value, Mapping):
                return None
            return Check(value.get("ok"), str(value.get("detail", "")))

        return TargetResult(
            target=str(data["target"]),
            strategy=str(data["strategy"]),
            tools=str(data.get("tools", "")),
            measured=bool(data.get("measured")),
            reason=data.get("reason"),
            samples={
                str(k): tuple(float(x) for x in v) for k, v in data.get("samples", {}).items()
            },
            reproducible=check(data.get("reproducible")),
            cache_key=check(data.get("cache_key_stable")),
            lockfiles=tuple(data.get("lockfiles", ())),
            commands={str(k): tuple(v) for k, v in data.get("commands", {}).items()},
        )


@dataclass(frozen=True)
class CompareResult:
    project: str
    digest: str
    runs: int
    measured_at: str
    machine: str
    targets: tuple[TargetResult, ...]
    group: str
    cached: bool = False
    cache_file: str | None = None
    notes: tuple[str, ...] = ()

    def target(self, name: str) -> TargetResult | None:
        return next((t for t in self.targets if t.target == name), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "project": self.project,
            "digest": self.digest,
            "group": self.group,
            "runs": self.runs,
            "measured_at": self.measured_at,
            "machine": self.machine,
            "cached": self.cached,
            "cache_file": self.cache_file,
            "targets": [t.to_json() for t in self.targets],
            "notes": list(self.notes),
        }

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> CompareResult:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} document")
        return CompareResult(
            project=str(data["project"]),
            digest=str(data["digest"]),
            runs=int(data["runs"]),
            measured_at=str(data["measured_at"]),
            machine=str(data.get("machine", "")),
            targets=tuple(TargetResult.from_json(t) for t in data["targets"]),
            group=str(data.get("group", "")),
            cached=bool(data.get("cached")),
            cache_file=data.get("cache_file"),
            notes=tuple(data.get("notes", ())),
        )
