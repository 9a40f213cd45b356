"""The drift matrix as a pure function of records and snapshots."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from fixtures.fleet import make_snapshot
from parity.diagnose.sides import DeclaredSide
from parity.env.snapshot_model import Snapshot
from parity.fleet.drift import fleet_status
from parity.fleet.majority import majority_environment, majority_packages
from parity.fleet.model import Member, Record
from parity.lock.model import Pin

TODAY = dt.date(2026, 12, 1)


def _members(*snapshots: tuple[str, str, Snapshot]) -> list[Member]:
    """(label, role, snapshot); equal snapshots share a state, as in a store."""
    states: dict[tuple, tuple[int, int]] = {}
    out = []
    for i, (label, role, snapshot) in enumerate(snapshots):
        key = (snapshot.distributions, snapshot.python, snapshot.platform, snapshot.native)
        state = states.setdefault(key, (len(states) + 1, 1))
        record = Record(
            id=i + 1,
            label=label,
            role=role,
            host=None,
            git_commit=None,
            lock_digest=None,
            pushed_at="2026-11-30T00:00:00.000000Z",
            taken_at=None,
            seen_at="2026-11-30T00:00:00.000000Z",
            env_label=label,
            python=snapshot.python.version if snapshot.python else None,
            dist_set=state[0],
            context=state[1],
        )
        out.append(Member(record, replace(snapshot, label=label)))
    return out


def test_majority_takes_what_most_machines_have_and_ties_go_to_the_newest() -> None:
    weighted = [
        (make_snapshot(python="3.11.7", dists={"numpy": "1.26.4", "rich": "13.0"}), 3),
        (make_snapshot(python="3.12.1", dists={"numpy": "2.0.0"}), 3),
        (make_snapshot(python="3.10.4", dists={"numpy": "2.0.0", "extra": "1.0"}), 1),
    ]
    env = majority_environment(weighted)
    assert env.python is not None and env.python.version == "3.12.1"  # a tie: the newest
    packages = {d.name: d.version for d in majority_packages(weighted).distributions}
    assert packages == {"numpy": "2.0.0"}  # rich on 3 of 7 and extra on 1 of 7 are not expected


def test_machines_most_at_risk_come_first_and_aspects_riskiest_first() -> None:
    good = make_snapshot(dists={"numpy": "1.26.4", "pandas": "2.1.4", "six": "1.16.0"})
    members = _members(
        ("ci-1", "ci", good),
        ("ci-2", "ci", good),
        (
            "dev-a",
            "dev",
            replace(
                good,
                distributions=tuple(
                    replace(d, version="1.15.0") if d.name == "six" else d
                    for d in good.distributions
                ),
            ),
        ),
        (
            "dev-b",
            "dev",
            make_snapshot(
                python="3.9.18", dists={"numpy": "1.21.0", "pandas": "1.4.0", "six": "1.16.0"}
            ),
        ),
    )
    status = fleet_status(members, today=TODAY)
    assert [m.label for m in status.machines] == ["dev-b", "dev-a", "ci-1", "ci-2"]
    assert [a.subject for a in status.aspects] == ["python", "numpy", "pandas", "six"]
    assert status.risks[0].severity == "critical"
    assert status.risks[-1].score == 0
    pandas = status.aspects[2]
    assert (pandas.reference, pandas.cells[0].value, pandas.severity) == ("2.1.4", "1.4.0", "high")
    assert "pandas-2.0" in pandas.worst.rules
    assert status.machines[pandas.cells[0].machine].label == "dev-b"
    assert status.counts() == {"critical": 1, "high": 2, "medium": 1, "low": 0}


def test_missing_and_extra_packages_are_drift() -> None:
    base = {"numpy": "1.26.4", "requests": "2.31.0"}
    members = _members(
        ("a", "dev", make_snapshot(dists=base)),
        ("b", "dev", make_snapshot(dists=base)),
        ("c", "dev", make_snapshot(dists={"numpy": "1.26.4", "debugpy": "1.8.0"})),
    )
    status = fleet_status(members, today=TODAY)
    kinds = {a.subject: a.cells[0].code for a in status.aspects}
    assert kinds == {"requests": "missing", "debugpy": "extra"}


def test_a_lock_is_applied_per_machine_with_its_markers() -> None:
    lock = DeclaredSide(
        label="requirements.txt",
        kind="lock",
        format="requirements-lock",
        pins=(
            Pin(name="numpy", version="1.26.4"),
            Pin(name="pywin32", version="306", marker='sys_platform == "win32"'),
            Pin(name="uvloop", version="0.19.0", marker='sys_platform != "win32"'),
        ),
        direct=frozenset({"numpy"}),
    )
    linux = make_snapshot(dists={"numpy": "1.26.4", "uvloop": "0.19.0"})
    windows = make_snapshot(
        system="Windows", machine="AMD64", dists={"numpy": "1.26.4", "pywin32": "306"}
    )
    status = fleet_status(
        _members(("l", "ci", linux), ("w", "ci", windows)), reference=lock, today=TODAY
    )
    assert [a.subject for a in status.aspects if a.family == "package"] == []
    assert status.reference == "requirements.txt"
    assert status.reference_kind == "lock"
    assert any("platform and native libraries" in n for n in status.notes)


def test_a_lock_that_names_its_python_fixes_the_python_reference() -> None:
    lock = DeclaredSide(
        label="requirements.txt",
        kind="lock",
        format="requirements-lock",
        pins=(Pin(name="numpy", version="1.26.4"),),
        python="3.11",
    )
    members = _members(
        ("a", "dev", make_snapshot(python="3.12.1", dists={"numpy": "1.26.4"})),
        ("b", "dev", make_snapshot(python="3.12.1", dists={"numpy": "1.26.4"})),
        ("c", "dev", make_snapshot(python="3.11.7", dists={"numpy": "1.26.4"})),
    )
    status = fleet_status(members, reference=lock, today=TODAY)
    (python,) = status.aspects
    assert python.reference == "3.11"
    assert sorted(status.machines[c.machine].label for c in python.cells) == ["a", "b"]


def test_native_libraries_drift_against_the_majority() -> None:
    members = _members(
        ("a", "dev", make_snapshot(native=[("blas", "openblas", "0.3.23")])),
        ("b", "dev", make_snapshot(native=[("blas", "openblas", "0.3.23")])),
        ("c", "dev", make_snapshot(native=[("blas", "mkl", "2024.0")])),
    )
    status = fleet_status(members, today=TODAY)
    (blas,) = status.aspects
    assert (blas.family, blas.subject, blas.reference) == (
        "native",
        "native.blas",
        "openblas 0.3.23",
    )
    assert blas.cells[0].value == "mkl 2024.0"


def test_machines_sharing_an_environment_share_one_comparison(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from parity.fleet import drift

    calls = []
    original = drift.compare_snapshots

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(drift, "compare_snapshots", counting)
    same = make_snapshot(dists={"numpy": "1.26.4"})
    other = make_snapshot(dists={"numpy": "1.21.0"})
    members = _members(*[(f"m{i}", "ci", same) for i in range(50)], ("odd", "dev", other))
    status = fleet_status(members, today=TODAY)
    assert len(status.machines) == 51
    assert len(calls) <= 2 * 2  # two distinct environments, at most two comparisons each


def test_json_names_every_machine_and_cell() -> None:
    members = _members(
        ("a", "dev", make_snapshot(dists={"numpy": "1.26.4"})),
        ("b", "dev", make_snapshot(dists={"numpy": "1.26.4"})),
        ("c", "prod", make_snapshot(dists={"numpy": "1.25.0"})),
    )
    data = fleet_status(members, today=TODAY, store="fleet.db").to_json()
    assert data["summary"]["roles"] == {"dev": 2, "prod": 1}
    assert data["summary"]["drifting_machines"] == 1
    (group,) = data["aspects"][0]["values"]
    assert (group["machines"], group["value"], group["expected"]) == (["c"], "1.25.0", "1.26.4")
