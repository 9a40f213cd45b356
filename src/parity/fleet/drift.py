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
from the reference is handed to the comparers.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from parity.diagnose.diff import Difference, compare_snapshots
from parity.diagnose.findings import SEVERITIES, Finding, Severity, count_by_severity
from parity.diagnose.risk import RiskRules, default_rules
from parity.diagnose.sides import DeclaredSide, declared_snapshot
from parity.env.snapshot_model import (
    Distribution,
    NativeLibrary,
    PlatformInfo,
    PythonInfo,
    Snapshot,
)
from parity.fleet.model import ROLES, STATUS_SCHEMA, Member

MAJORITY = "most machines"
THIS_MACHINE = "this machine"
SEVERITY_ORDER = SEVERITIES[:4]  # what drift can be (never "info")
_FAMILY_ORDER = ("python", "platform", "native", "package")

Reference = DeclaredSide | Snapshot | None


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


# ----------------------------------------------------------------- the majority


def majority_environment(weighted: Sequence[tuple[Snapshot, int]]) -> Snapshot:
    """Python, platform and native libraries most machines have (no distributions)."""
    pythons: Counter[tuple[str, str, str | None]] = Counter()
    python_of: dict[tuple[str, str, str | None], PythonInfo] = {}
    platforms: Counter[tuple[str, str, str | None, str | None]] = Counter()
    platform_of: dict[tuple[str, str, str | None, str | None], PlatformInfo] = {}
    natives: dict[str, Counter[tuple[NativeLibrary, ...]]] = {}
    kinds = {lib.kind.lower() for s, _ in weighted for lib in s.native}
    for snapshot, n in weighted:
        if snapshot.python is not None:
            p = snapshot.python
            key = (p.implementation, p.version, p.abi)
            pythons[key] += n
            python_of.setdefault(key, p)
        if snapshot.platform is not None:
            f = snapshot.platform
            pkey = (f.system, f.machine, f.libc, f.libc_version)
            platforms[pkey] += n
            platform_of.setdefault(pkey, f)
        for kind in kinds:
            libs = tuple(
                sorted((x for x in snapshot.native if x.kind.lower() == kind), key=_lib_key)
            )
            natives.setdefault(kind, Counter())[libs] += n
    python = _winner(pythons, lambda k: _version_key(k[1]))
    platform = _winner(platforms, lambda k: (k[0], k[1], _version_key(k[3] or "")))
    native: list[NativeLibrary] = []
    for counter in natives.values():
        chosen = _winner(
            counter, lambda libs: (len(libs), [_version_key(x.version or "") for x in libs])
        )
        native += chosen or ()
    return Snapshot(
        label=MAJORITY,
        kind="fleet",
        python=python_of[python] if python is not None else None,
        platform=platform_of[platform] if platform is not None else None,
        distributions=(),
        native=tuple(sorted(native, key=_lib_key)),
    )


def distribution_counts(weighted: Sequence[tuple[Snapshot, int]]) -> list[tuple[Distribution, int]]:
    """How many machines have each distribution, counted once per object.

    A fleet holds ~100,000 distributions but few distinct ones, and the store
    builds one object per stored row: counting by identity is one cheap dict
    operation per distribution; equal values held by distinct objects are
    merged by the callers.
    """
    counts: dict[int, int] = {}
    objects: dict[int, Distribution] = {}
    for snapshot, n in weighted:
        for d in snapshot.distributions:
            key = id(d)
            seen = counts.get(key)
            if seen is None:
                counts[key] = n
                objects[key] = d
            else:
                counts[key] = seen + n
    return [(objects[k], n) for k, n in counts.items()]


def majority_packages(
    weighted: Sequence[tuple[Snapshot, int]],
    counts: Sequence[tuple[Distribution, int]] | None = None,
) -> Snapshot:
    """For each package, the version most machines have; only packages most machines have."""
    total = sum(n for _, n in weighted)
    by_name: dict[str, dict[tuple[str | None, str | None, bool], int]] = {}
    first: dict[tuple[str, str | None, str | None, bool], Distribution] = {}
    for d, n in counts if counts is not None else distribution_counts(weighted):
        name: str = _canonical(d.name)
        variant = (d.version, d.source, d.editable)
        variants = by_name.setdefault(name, {})
        variants[variant] = variants.get(variant, 0) + n
        first.setdefault((name, *variant), d)
    chosen: list[Distribution] = []
    for package, counter in by_name.items():
        if sum(counter.values()) * 2 <= total:
            continue
        won = _winner(counter, lambda k: (k[1] is None, _version_key(k[0] or "")))
        chosen.append(first[(package, won[0], won[1], won[2])])
    return Snapshot(
        label=MAJORITY,
        kind="fleet",
        python=None,
        platform=None,
        distributions=tuple(sorted(chosen, key=lambda d: d.name)),
    )


def requested_by_most(
    weighted: Sequence[tuple[Snapshot, int]],
    counts: Sequence[tuple[Distribution, int]] | None = None,
) -> set[str]:
    """Packages that most machines having them installed on request (pip/uv REQUESTED)."""
    asked: dict[str, int] = {}
    known: dict[str, int] = {}
    for d, n in counts if counts is not None else distribution_counts(weighted):
        if d.requested is None:
            continue
        name = _canonical(d.name)
        known[name] = known.get(name, 0) + n
        if d.requested:
            asked[name] = asked.get(name, 0) + n
    return {name for name, n in asked.items() if n * 2 >= known[name]}


def _winner(counter: Mapping[Any, int], newest: Callable[[Any], Any]) -> Any:
    """The most common key; among equally common ones, the newest."""
    if not counter:
        return None
    most = max(counter.values())
    tied = [k for k, n in counter.items() if n == most]
    return tied[0] if len(tied) == 1 else max(tied, key=newest)


def _version_key(text: str) -> tuple[int, Any]:
    try:
        return (1, Version(text))
    except InvalidVersion:
        return (0, text)


def _lib_key(lib: NativeLibrary) -> tuple[str, str, str, str]:
    return (lib.kind, lib.name, lib.version or "", lib.provider or "")


def _key(d: Distribution | None) -> tuple[str | None, str | None, bool] | None:
    if d is None:
        return None
    return (d.version, d.source, d.editable)


_canonical = functools.lru_cache(maxsize=8192)(canonicalize_name)


def _by_name(dists: Iterable[Distribution]) -> dict[str, Distribution]:
    out: dict[str, Distribution] = {}
    for d in dists:
        out.setdefault(_canonical(d.name), d)
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
