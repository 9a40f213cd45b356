"""``parity fleet status``: the drift matrix, machines x aspects, riskiest first.

Every machine is compared with one reference, with the same comparers and
risk rules as ``parity diff``:

- with a lock (``--against``), its pins as they apply to each machine
  (markers evaluated for that machine's Python and platform); Python,
  platform and native libraries, which a lock does not fix, against the
  fleet's majority (a lock that names its Python version fixes that);
- with a snapshot, that snapshot;
- otherwise the fleet's majority: for each aspect the value most machines
  have (ties go to the newest version), and a package is expected when more
  than half of the machines have it.

Machines with the same environment share one comparison (the work grows with
the number of distinct environments, not of machines), and only what differs
from the reference is handed to the comparers.  The values returned are in
``fleet/status.py``; how the majority is found, in ``fleet/majority.py``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from packaging.utils import canonicalize_name

from parity.diagnose.diff import Difference, compare_snapshots
from parity.diagnose.findings import count_by_severity
from parity.diagnose.risk import RiskRules, default_rules
from parity.diagnose.sides import DeclaredSide, declared_snapshot
from parity.env.snapshot_model import (
    Distribution,
    PythonInfo,
    Snapshot,
)
from parity.fleet.majority import (
    MAJORITY,
    cached_canonical_name,
    distribution_counts,
    majority_environment,
    majority_packages,
    requested_by_most,
)
from parity.fleet.model import Member
from parity.fleet.status import SEVERITY_ORDER, Aspect, Cell, FleetStatus, Machine, Risk
from parity.frozen import replace

THIS_MACHINE = "this machine"
_FAMILY_ORDER = ("python", "platform", "native", "package")

Reference = DeclaredSide | Snapshot | None


# ----------------------------------------------------------------- computing


def fleet_status(
    members: Sequence[Member],
    *,
    reference: Reference = None,
    reference_label: str | None = None,
    reference_digest: str | None = None,
    direct: frozenset[str] = frozenset(),
    rules: RiskRules | None = None,
    today: dt.date | None = None,
    store: str = "",
) -> FleetStatus:
    """The drift of every machine from the reference (see the module's doc)."""
    rules = rules or default_rules()
    today = today or dt.date.today()
    states: dict[tuple[int, int], Snapshot] = {}
    weights: Counter[tuple[int, int]] = Counter()
    for member in members:
        states.setdefault(member.record.state, member.snapshot)
        weights[member.record.state] += 1
    weighted = _weighted(members)
    notes: list[str] = []
    env_ref = majority_environment(weighted)
    if isinstance(reference, Snapshot):
        kind = "snapshot"
        label = reference_label or reference.label
        env_ref = replace(reference, label=label)
        package_ref: Callable[[Snapshot], Snapshot] = lambda _: env_ref  # noqa: E731
        names = set(direct)
    elif isinstance(reference, DeclaredSide):
        kind = "lock"
        label = reference_label or reference.label
        lock = reference
        # A lock does not fix Python, platform or native libraries: take them from the
        # machines synced to this very lock when there are some, else from the fleet.
        synced = [
            m for m in members if reference_digest and m.record.lock_digest == reference_digest
        ]
        if synced:
            env_ref = majority_environment(_weighted(synced))
            source = _listed_labels([m.record.label for m in synced])
            source = f"the machine{'s' if len(synced) != 1 else ''} synced to it ({source})"
        else:
            source = MAJORITY
        if lock.python:
            env_ref = replace(env_ref, python=PythonInfo("CPython", lock.python))
        package_ref = _lock_reference(lock, label)
        names = set(direct) | set(lock.direct)
        others = (
            "platform and native libraries"
            if lock.python
            else "Python, platform and native libraries"
        )
        fixed = f" (and Python {lock.python})" if lock.python else ""
        notes.append(f"packages are compared with {label}{fixed}; {others} with {source}")
    else:
        kind = "majority"
        label = MAJORITY
        counts = distribution_counts(weighted)
        majority = majority_packages(weighted, counts)
        package_ref = lambda _: majority  # noqa: E731
        names = set(direct) | requested_by_most(weighted, counts)
        notes.append(
            "the reference is what most machines have; ties go to the newest version "
            "(compare with a lock: --against)"
        )
    env_ref = replace(env_ref, label=label)
    direct_names = frozenset(canonicalize_name(n) for n in names)
    comparer = _Comparer(env_ref, direct_names, rules, today)
    per_state = {
        key: comparer.differences(package_ref(snapshot), snapshot)
        for key, snapshot in states.items()
    }
    missing_python = sum(1 for m in members if m.snapshot.python is None)
    if missing_python:
        notes.append(f"{missing_python} machine(s) do not record their Python")
    return _assemble(
        members,
        per_state,
        reference=label,
        reference_kind=kind,
        reference_digest=reference_digest,
        notes=notes,
        store=store,
    )


def _weighted(members: Sequence[Member]) -> list[tuple[Snapshot, int]]:
    """Each distinct environment once, with how many machines have it."""
    counts: Counter[tuple[int, int]] = Counter(m.record.state for m in members)
    first: dict[tuple[int, int], Snapshot] = {}
    for m in members:
        first.setdefault(m.record.state, m.snapshot)
    return [(first[k], n) for k, n in counts.items()]


def _listed_labels(labels: Sequence[str], limit: int = 3) -> str:
    shown = ", ".join(labels[:limit])
    return shown + (f" and {len(labels) - limit} more" if len(labels) > limit else "")


def _lock_reference(lock: DeclaredSide, label: str) -> Callable[[Snapshot], Snapshot]:
    """The lock's pins for each machine; cached per (Python, platform)."""
    cache: dict[tuple[Any, Any], Snapshot] = {}

    def for_machine(snapshot: Snapshot) -> Snapshot:
        key = (snapshot.python, snapshot.platform)
        found = cache.get(key)
        if found is None:
            found = replace(
                declared_snapshot(lock, python=snapshot.python, platform=snapshot.platform),
                label=label,
            )
            cache[key] = found
        return found

    return for_machine


class _Comparer:
    """Each machine's differences from the reference, with the comparers of ``parity diff``.

    Fleets repeat themselves: the same Python on many machines, the same
    package one release behind on many more.  Each distinct environment
    part (Python, platform, native libraries) and each distinct pair of
    package versions is compared once.
    """

    def __init__(
        self, env_ref: Snapshot, direct: frozenset[str], rules: RiskRules, today: dt.date
    ) -> None:
        self.env_ref = replace(env_ref, distributions=())
        self.direct = direct
        self.rules = rules
        self.today = today
        self.indexed = _Indexed()
        self._env: dict[tuple[Any, ...], list[Difference]] = {}
        self._packages: dict[tuple[Any, ...], list[Difference]] = {}

    def _compare(self, reference: Snapshot, machine: Snapshot) -> list[Difference]:
        return compare_snapshots(
            reference, machine, direct=self.direct, rules=self.rules, today=self.today
        )

    def differences(self, package_ref: Snapshot, snapshot: Snapshot) -> list[Difference]:
        env_key = (snapshot.kind, snapshot.python, snapshot.platform, snapshot.native)
        found = self._env.get(env_key)
        if found is None:
            machine = replace(snapshot, label=THIS_MACHINE, distributions=())
            found = self._env[env_key] = self._compare(self.env_ref, machine)
        out = list(found)
        expected = self.indexed(package_ref)
        actual = self.indexed(snapshot)
        # Machines share Distribution objects with each other and with the majority (the
        # store builds one per stored row): identity settles most names at once.
        differing = [
            n
            for n, d in actual.items()
            if (e := expected.get(n)) is not d and (e is None or _key(e) != _key(d))
        ]
        differing += [n for n in expected if n not in actual]
        for name in sorted(differing):
            e, d = expected.get(name), actual.get(name)
            key = (package_ref.label, package_ref.kind, snapshot.kind, name, _key(e), _key(d))
            pair = self._packages.get(key)
            if pair is None:
                pair = self._packages[key] = self._compare(
                    _only(package_ref, e), _only(replace(snapshot, label=THIS_MACHINE), d)
                )
            out += pair
        return out


def _only(snapshot: Snapshot, dist: Distribution | None) -> Snapshot:
    """``snapshot`` reduced to one distribution (or none), nothing else to compare."""
    return replace(
        snapshot,
        python=None,
        platform=None,
        native=(),
        distributions=(dist,) if dist is not None else (),
    )


def _assemble(
    members: Sequence[Member],
    per_state: Mapping[tuple[int, int], list[Difference]],
    *,
    reference: str,
    reference_kind: str,
    reference_digest: str | None,
    notes: list[str],
    store: str,
) -> FleetStatus:
    # Each machine's cells, one per aspect (the riskiest when an aspect differs twice).
    machine_cells: list[dict[tuple[str, str], Difference]] = []
    for member in members:
        cells: dict[tuple[str, str], Difference] = {}
        for d in per_state[member.record.state]:
            key = (d.family, d.subject)
            if key not in cells or d.score > cells[key].score:
                cells[key] = d
        machine_cells.append(cells)
    risks = [_risk(cells.values()) for cells in machine_cells]
    order = sorted(
        range(len(members)), key=lambda i: (_risk_key(risks[i]), members[i].record.label)
    )
    machines = tuple(_machine(members[i]) for i in order)
    rows: dict[tuple[str, str], list[Cell]] = {}
    for position, i in enumerate(order):
        for key, d in machine_cells[i].items():
            rows.setdefault(key, []).append(_cell(position, d))
    aspects = [
        Aspect(
            family=family,
            subject=subject,
            reference=_most_common(c.expected for c in cells),
            cells=tuple(sorted(cells, key=lambda c: (-c.score, c.machine))),
        )
        for (family, subject), cells in rows.items()
    ]
    aspects.sort(key=lambda a: (-a.score, -len(a.cells), _family_index(a.family), a.subject))
    return FleetStatus(
        reference=reference,
        reference_kind=reference_kind,
        machines=machines,
        risks=tuple(risks[i] for i in order),
        aspects=tuple(aspects),
        notes=tuple(notes),
        store=store,
        reference_digest=reference_digest,
    )


def _risk_key(risk: Risk) -> tuple[int, ...]:
    """Most at risk first: more critical aspects, then more high ones, ..., then scores."""
    return (*(-risk.counts.get(s, 0) for s in SEVERITY_ORDER), -risk.score, -risk.total)


def _cell(machine: int, d: Difference) -> Cell:
    return Cell(
        code=d.kind,
        severity=d.severity,
        message=d.message,
        fix=d.fix,
        subject=d.subject,
        machine=machine,
        value=d.values[1],
        expected=d.values[0],
        change=d.change,
        score=d.score,
        rules=d.rules,
    )


def _risk(differences: Iterable[Difference]) -> Risk:
    found = list(differences)
    return Risk(
        score=max((d.score for d in found), default=0),
        total=sum(d.score for d in found),
        counts=count_by_severity(found),
    )


def _machine(member: Member) -> Machine:
    record, snapshot = member.record, member.snapshot
    platform = None
    if snapshot.platform is not None:
        platform = " ".join(x for x in (snapshot.platform.system, snapshot.platform.machine) if x)
    return Machine(
        label=record.label,
        role=record.role,
        host=record.host,
        seen_at=record.seen_at,
        git_commit=record.git_commit,
        lock_digest=record.lock_digest,
        python=snapshot.python.version if snapshot.python else None,
        platform=platform,
        packages=len(snapshot.distributions),
    )


def _key(d: Distribution | None) -> tuple[str | None, str | None, bool] | None:
    if d is None:
        return None
    return (d.version, d.source, d.editable)


def _by_name(dists: Iterable[Distribution]) -> dict[str, Distribution]:
    out: dict[str, Distribution] = {}
    for d in dists:
        out.setdefault(cached_canonical_name(d.name), d)
    return out


class _Indexed:
    """Each snapshot's distributions by name, built once per snapshot (the reference is
    shared by every machine)."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[Snapshot, dict[str, Distribution]]] = {}

    def __call__(self, snapshot: Snapshot) -> dict[str, Distribution]:
        found = self._seen.get(id(snapshot))
        if found is None or found[0] is not snapshot:
            found = (snapshot, _by_name(snapshot.distributions))
            self._seen[id(snapshot)] = found
        return found[1]


def _most_common(values: Iterable[str | None]) -> str | None:
    counter = Counter(values)
    if not counter:
        return None
    return max(counter, key=lambda v: (counter[v], v is not None))


def _family_index(family: str) -> int:
    return _FAMILY_ORDER.index(family) if family in _FAMILY_ORDER else len(_FAMILY_ORDER)
