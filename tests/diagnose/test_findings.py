"""One Finding type and one severity vocabulary across check, diff and verify."""

from __future__ import annotations

import pytest

from parity.diagnose.check import compare_with_lock, rank_by_risk
from parity.diagnose.diff import Difference, MatrixRow, diff_snapshots
from parity.diagnose.findings import (
    SEVERITIES,
    Finding,
    as_severity,
    at_least,
    count_by_severity,
    severity_rank,
)
from parity.diagnose.verify import FAIL, PASS, VerifyReport, item
from parity.env.installed import InstalledDist
from parity.env.snapshot_model import Distribution, PythonInfo, Snapshot
from parity.lock.model import Origin, Pin


def side(label: str, python: str, **versions: str) -> Snapshot:
    return Snapshot(
        label=label,
        kind="venv",
        python=PythonInfo("CPython", python),
        platform=None,
        distributions=tuple(Distribution(n, v) for n, v in versions.items()),
    )


def test_the_vocabulary_is_ordered_most_dangerous_first() -> None:
    assert SEVERITIES == ("critical", "high", "medium", "low", "info")
    assert [severity_rank(s) for s in SEVERITIES] == [0, 1, 2, 3, 4]
    assert at_least("critical", "high") and at_least("high", "high")
    assert not at_least("low", "medium")


def test_text_outside_the_vocabulary_is_refused() -> None:
    assert as_severity("high") == "high"
    with pytest.raises(ValueError, match="not a severity: 'error'"):
        as_severity("error")


def test_diff_differences_and_matrix_rows_are_findings() -> None:
    two = diff_snapshots([side("a", "3.11.4", numpy="1.26.4"), side("b", "3.9.7", numpy="2.0.0")])
    assert two.differences and all(isinstance(d, Difference) for d in two.differences)
    assert two.findings == two.differences
    python = next(d for d in two.differences if d.kind == "python")
    assert isinstance(python, Finding)
    assert (python.code, python.subject, python.severity) == ("python", "python", "critical")
    assert python.to_json()["reason"] == python.message
    three = diff_snapshots(
        [side("a", "3.11.4", x="1.0"), side("b", "3.11.4", x="2.0"), side("c", "3.11.4", x="1.0")]
    )
    assert three.findings == three.matrix
    assert all(isinstance(r, MatrixRow) and r.code == "package" for r in three.matrix)


def test_check_drift_takes_the_severity_the_diff_rules_give() -> None:
    expected = [Pin("numpy", "2.0.0", origins=(Origin("requirements.in"),)), Pin("six", "1.16.0")]
    installed = {"numpy": InstalledDist("numpy", "1.26.4"), "six": InstalledDist("six", "1.16.1")}
    drift = compare_with_lock(expected, installed, ignore=set(), venv_name=".venv", group="prod")
    ranked = rank_by_risk(drift, expected, installed, "3.11.7")
    severities = {f.subject: f.severity for f in ranked}
    assert severities["numpy"] in ("critical", "high")  # NumPy 1 vs 2
    assert severities["six"] == "low"  # a patch release
    assert ranked[0].subject == "numpy"
    assert all(f.data["risk"] == f.severity for f in ranked)


def test_verify_reports_each_failed_item_as_a_finding() -> None:
    report = VerifyReport(
        group="prod",
        lockfile="requirements.txt",
        items=(
            item("lockfile", PASS, ("requirements.txt pins 3 packages",)),
            item("fresh", FAIL, ("requirements.in changed",), "Run `parity lock`."),
        ),
    )
    [finding] = report.findings
    assert finding == Finding(
        code="verify-fresh",
        severity="high",
        message="The lock matches its inputs: requirements.in changed",
        fix="Run `parity lock`.",
        subject="fresh",
    )
    assert report.to_json()["findings"] == [finding.to_json()]


def test_every_severity_reported_is_in_the_vocabulary() -> None:
    found: list[Finding] = [
        *diff_snapshots([side("a", "3.11.4", a="1.0"), side("b", "3.8.1", a="3.0")]).findings,
        *compare_with_lock([Pin("a", "1.0")], {}, ignore=set(), venv_name=".venv", group="prod"),
    ]
    assert found and {f.severity for f in found} <= set(SEVERITIES)
    assert sum(count_by_severity(found).values()) == len(found)
