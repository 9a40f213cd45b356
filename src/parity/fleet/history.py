"""``parity fleet history LABEL``: what changed on one machine over time.

Consecutive snapshots with the same content are one *period*; between two
periods, the differences are computed and ranked as ``parity diff`` does
(previous snapshot as the reference).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from parity.diagnose.diff import Difference, compare_snapshots, rank
from parity.diagnose.risk import RiskRules, default_rules
from parity.env.snapshot_model import Snapshot
from parity.fleet.model import HISTORY_SCHEMA, Record
from parity.frozen import dataclass, replace

PREVIOUS = "the previous snapshot"
THIS = "this snapshot"


@dataclass(frozen=True)
class Period:
    """Snapshots in a row with the same environment; ``changes`` from the period before."""

    first: Record
    last: Record
    snapshots: int
    python: str | None
    packages: int
    changes: tuple[Difference, ...]
    initial: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "first_seen": self.first.seen_at,
            "last_seen": self.last.seen_at,
            "snapshots": self.snapshots,
            "role": self.last.role,
            "host": self.last.host,
            "git_commit": self.last.git_commit,
            "lock_digest": self.last.lock_digest,
            "python": self.python,
            "packages": self.packages,
            "initial": self.initial,
            "changes": [d.to_json() for d in self.changes],
        }


@dataclass(frozen=True)
class History:
    """One machine's environments over time: periods of identical snapshots, newest first."""

    label: str
    periods: tuple[Period, ...]  # newest first
    records: int
    store: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": HISTORY_SCHEMA,
            "store": self.store,
            "label": self.label,
            "snapshots": self.records,
            "periods": [p.to_json() for p in self.periods],
        }


def machine_history(
    label: str,
    records: Sequence[Record],
    states: Mapping[tuple[int, int], Snapshot],
    *,
    rules: RiskRules | None = None,
    today: dt.date | None = None,
    store: str = "",
) -> History:
    """The periods of one label's records (oldest first in, newest first out)."""
    rules = rules or default_rules()
    today = today or dt.date.today()
    groups: list[list[Record]] = []
    for record in records:
        if groups and groups[-1][-1].state == record.state:
            groups[-1].append(record)
        else:
            groups.append([record])
    periods: list[Period] = []
    previous: Snapshot | None = None
    for group in groups:
        snapshot = states[group[0].state]
        changes: list[Difference] = []
        if previous is not None:
            changes = rank(
                compare_snapshots(
                    replace(previous, label=PREVIOUS),
                    replace(snapshot, label=THIS),
                    rules=rules,
                    today=today,
                )
            )
        periods.append(
            Period(
                first=group[0],
                last=group[-1],
                snapshots=len(group),
                python=snapshot.python.version if snapshot.python else None,
                packages=len(snapshot.distributions),
                changes=tuple(changes),
                initial=previous is None,
            )
        )
        previous = snapshot
    return History(label=label, periods=tuple(reversed(periods)), records=len(records), store=store)
