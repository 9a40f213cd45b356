"""The course's opening scene, as plain values.

Developer A says everything works (Python 3.11.4, scikit-learn 1.3.0, pandas
2.0.3, numpy 1.24.3); developer B gets ``AttributeError: module 'sklearn' has
no attribute ...`` (Python 3.9.7, scikit-learn 1.0.2, pandas 1.4.0, numpy
1.21.0); production runs Python 3.8.10 with whatever pip installed.  Other
test modules import the builders from here.
"""

from __future__ import annotations

import datetime as dt

from parity.diagnose.diff import compare_snapshots, diff_snapshots, rank
from parity.env.snapshot_model import Distribution, PlatformInfo, PythonInfo, Snapshot

TODAY = dt.date(2026, 11, 24)
LINUX = PlatformInfo(system="Linux", machine="x86_64", libc="glibc", libc_version="2.35")
DIRECT = frozenset({"scikit-learn", "pandas", "numpy"})


def env(
    label: str,
    python: str | None,
    packages: dict[str, str | None],
    *,
    kind: str = "venv",
    platform: PlatformInfo | None = LINUX,
) -> Snapshot:
    return Snapshot(
        label=label,
        kind=kind,
        python=PythonInfo("CPython", python) if python else None,
        platform=platform,
        distributions=tuple(Distribution(n, v) for n, v in packages.items()),
    )


def developer_a() -> Snapshot:
    return env(
        "dev-a.json",
        "3.11.4",
        {"scikit-learn": "1.3.0", "pandas": "2.0.3", "numpy": "1.24.3", "joblib": "1.3.2"},
    )


def developer_b() -> Snapshot:
    return env(
        "dev-b.json",
        "3.9.7",
        {"scikit-learn": "1.0.2", "pandas": "1.4.0", "numpy": "1.21.0", "joblib": "1.3.2"},
    )


def production() -> Snapshot:
    """Unpinned requirements on Python 3.8.10: "whatever pip installed"."""
    return Snapshot(
        label="requirements-prod.txt",
        kind="spec",
        python=PythonInfo("CPython", "3.8.10"),
        platform=None,
        distributions=tuple(
            Distribution(n, None, requested=True) for n in ("scikit-learn", "pandas", "numpy")
        ),
    )


def a_vs_b() -> list:  # type: ignore[type-arg]
    return rank(compare_snapshots(developer_a(), developer_b(), direct=DIRECT, today=TODAY))


def test_python_minor_change_ranks_first_then_the_packages() -> None:
    ranked = a_vs_b()
    assert [(d.kind, d.subject) for d in ranked] == [
        ("python", "python"),
        ("version", "numpy"),
        ("version", "scikit-learn"),
        ("version", "pandas"),
    ]
    assert ranked[0].severity == "critical"
    assert all(d.severity in ("critical", "high") for d in ranked[1:])
    assert ranked[0].score > ranked[1].score


def test_python_difference_explains_missing_features_and_end_of_life() -> None:
    python = a_vs_b()[0]
    assert python.change == "minor"
    assert python.values == ("3.11.4", "3.9.7")
    assert "3.11.4 -> 3.9.7" in python.message
    assert "match statements" in python.message  # 3.10 syntax B lacks
    assert "tomllib" in python.message  # 3.11 module B lacks
    assert "3.9 is end-of-life since 2025-10-31" in python.message
    assert "Python 3.11" in python.fix
    assert "https://devguide.python.org/versions/" in python.sources


def test_scikit_learn_downgrade_is_flagged_by_the_removed_names_rule() -> None:
    sklearn = next(d for d in a_vs_b() if d.subject == "scikit-learn")
    assert sklearn.change == "minor"
    assert sklearn.values == ("1.3.0", "1.0.2")
    assert "sklearn-1.2-removals" in sklearn.rules
    assert "load_boston" in sklearn.message
    assert "AttributeError" in sklearn.message
    assert "https://scikit-learn.org/stable/whats_new/v1.2.html" in sklearn.sources
    assert sklearn.direct is True


def test_numpy_downgrade_crosses_the_alias_removal() -> None:
    numpy = next(d for d in a_vs_b() if d.subject == "numpy")
    assert (numpy.change, numpy.values) == ("minor", ("1.24.3", "1.21.0"))
    assert "numpy-1.24-aliases" in numpy.rules
    assert "np.float" in numpy.message


def test_pandas_two_to_one_is_a_major_change() -> None:
    pandas = next(d for d in a_vs_b() if d.subject == "pandas")
    assert pandas.change == "major"
    assert "major downgrade" in pandas.message
    assert "pandas-2.0" in pandas.rules
    assert "DataFrame.append" in pandas.message


def test_equal_packages_are_not_differences() -> None:
    assert all(d.subject != "joblib" for d in a_vs_b())


def test_production_is_eol_and_unpinned() -> None:
    ranked = rank(compare_snapshots(developer_a(), production(), today=TODAY))
    python = ranked[0]
    assert (python.kind, python.values) == ("python", ("3.11.4", "3.8.10"))
    assert "3.8 is end-of-life since 2024-10-07" in python.message
    unpinned = {d.subject: d for d in ranked if d.kind == "unpinned"}
    assert set(unpinned) == {"scikit-learn", "pandas", "numpy"}
    assert all(d.severity in ("high", "critical") for d in unpinned.values())
    assert unpinned["numpy"].values == ("1.24.3", "unpinned")
    assert "whatever is newest" in unpinned["numpy"].message
    assert "numpy-2" in unpinned["numpy"].message  # the break an unpinned install may cross
    assert "numpy==1.24.3" in unpinned["numpy"].fix


def test_production_lists_requirements_only_so_nothing_is_missing() -> None:
    ranked = compare_snapshots(developer_a(), production(), today=TODAY)
    assert not [d for d in ranked if d.kind in ("missing", "extra")]


def test_three_sides_give_a_matrix_with_each_rows_highest_risk() -> None:
    result = diff_snapshots([developer_a(), developer_b(), production()], today=TODAY)
    rows = {r.subject: r for r in result.matrix}
    assert result.matrix[0].subject == "python"
    assert rows["python"].values == ("3.11.4", "3.9.7", "3.8.10")
    # the riskiest pair of the python row is 3.11 vs 3.8 (further apart, end of life)
    assert "3.8 is end-of-life" in rows["python"].message
    assert rows["scikit-learn"].values == ("1.3.0", "1.0.2", "unpinned")
    assert rows["scikit-learn"].kinds == ("version", "unpinned")
    assert rows["scikit-learn"].score == max(
        d.score for d in result.differences if d.subject == "scikit-learn"
    )
    assert "joblib" not in rows  # production does not name it; A and B agree
    scores = [r.score for r in result.matrix]
    assert scores == sorted(scores, reverse=True)
