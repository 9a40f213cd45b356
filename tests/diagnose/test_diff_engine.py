from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from test_diff_scenario import LINUX, TODAY, env

from parity.diagnose.diff import Difference, compare_snapshots, diff_snapshots, rank
from parity.diagnose.diff.python import range_relation
from parity.diagnose.risk import classify_change
from parity.env.snapshot_model import (
    Distribution,
    NativeLibrary,
    PlatformInfo,
    PythonInfo,
    Snapshot,
)


def diff(a: Snapshot, b: Snapshot, **kw: object) -> list[Difference]:
    return rank(compare_snapshots(a, b, today=TODAY, **kw))  # type: ignore[arg-type]


def one(a: Snapshot, b: Snapshot, **kw: object) -> Difference:
    found = diff(a, b, **kw)
    assert len(found) == 1, found
    return found[0]


def pkgs(**versions: str | None) -> dict[str, str | None]:
    return {k.replace("_", "-"): v for k, v in versions.items()}


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("1.3.0", "1.0.2", "minor"),
        ("2.0.3", "1.4.0", "major"),
        ("0.9.0", "0.10.0", "major"),  # a 0.x minor change is breaking by semver convention
        ("0.9.1", "0.9.2", "patch"),
        ("1.24.3", "1.24.4", "patch"),
        ("2.1.0+cpu", "2.1.0+cu121", "local"),
        ("1.0rc1", "1.0", "patch"),
        ("1.0", "1.0.0", None),
        ("weird-1", "weird-2", "other"),
        ("2021.3", "2023.3", "minor"),  # calendar versioning: a new year is not a major change
        ("2023.7.22", "2023.11.17", "minor"),
    ],
)
def test_version_changes_are_classified(a: str, b: str, level: str | None) -> None:
    assert classify_change(a, b) == level


def test_zero_x_minor_change_says_it_is_breaking_by_convention() -> None:
    d = one(env("a", None, pkgs(tool="0.9.0")), env("b", None, pkgs(tool="0.10.0")))
    assert (d.kind, d.change) == ("version", "major")
    assert "semver" in d.message


def test_calendar_versions_say_so() -> None:
    d = one(env("a", None, pkgs(pytz="2023.3")), env("b", None, pkgs(pytz="2021.3")))
    assert d.change == "minor"
    assert "calendar-versioned downgrade" in d.message


def test_breaking_transitions_match_in_both_directions() -> None:
    up = one(env("a", None, pkgs(numpy="1.26.4")), env("b", None, pkgs(numpy="2.0.1")))
    down = one(env("a", None, pkgs(numpy="2.0.1")), env("b", None, pkgs(numpy="1.26.4")))
    assert "numpy-2" in up.rules and "numpy-2" in down.rules
    assert up.severity == down.severity == "critical"
    assert "upgrade" in up.message and "downgrade" in down.message


def test_change_rules_match_any_change_of_that_level() -> None:
    minor = one(env("a", None, pkgs(torch="2.1.0")), env("b", None, pkgs(torch="2.2.0")))
    patch = one(env("a", None, pkgs(torch="2.1.0")), env("b", None, pkgs(torch="2.1.2")))
    assert "torch-abi" in minor.rules
    assert minor.severity == "high"
    assert patch.rules == ()
    assert patch.severity == "low"


def test_a_package_without_rules_gets_the_generic_score_of_its_change() -> None:
    major = one(env("a", None, pkgs(left_pad="1.0")), env("b", None, pkgs(left_pad="2.0")))
    minor = one(env("a", None, pkgs(left_pad="1.0")), env("b", None, pkgs(left_pad="1.1")))
    patch = one(env("a", None, pkgs(left_pad="1.0")), env("b", None, pkgs(left_pad="1.0.1")))
    assert major.score > minor.score > patch.score
    assert (major.rules, major.sources) == ((), ())


def test_direct_packages_weigh_more_than_transitive_ones() -> None:
    a, b = env("a", None, pkgs(x="1.0")), env("b", None, pkgs(x="1.1"))
    unknown = one(a, b)
    direct = one(a, b, direct=frozenset({"x"}))
    transitive = one(a, b, direct=frozenset({"other"}))
    assert (unknown.direct, direct.direct, transitive.direct) == (None, True, False)
    assert direct.score > unknown.score > transitive.score


def test_requested_pins_of_a_lock_side_count_as_direct() -> None:
    lock = Snapshot(
        "requirements.txt",
        "lock",
        None,
        None,
        (Distribution("x", "1.0", requested=True), Distribution("y", "1.0")),
    )
    found = {d.subject: d for d in diff(lock, env("b", None, pkgs(x="1.1", y="1.1")))}
    assert found["x"].direct is True
    assert found["y"].direct is False


def test_missing_and_extra_packages() -> None:
    found = {
        d.subject: d
        for d in diff(env("a", None, pkgs(x="1", y="2")), env("b", None, pkgs(x="1", z="3")))
    }
    assert (found["y"].kind, found["y"].values) == ("missing", ("2", None))
    assert (found["z"].kind, found["z"].values) == ("extra", (None, "3"))
    assert found["y"].score > found["z"].score
    assert "ImportError" in found["y"].message


def test_installer_tools_are_ignored_against_a_lock_but_not_between_environments() -> None:
    lock = Snapshot("requirements.txt", "lock", None, None, (Distribution("x", "1"),))
    venv = env("venv", None, pkgs(x="1", pip="24.0", setuptools="69.0"))
    assert diff(lock, venv) == []
    other = env("other", None, pkgs(x="1", pip="24.0"))
    assert [d.subject for d in diff(other, venv)] == ["setuptools"]


def test_a_requirements_list_does_not_report_what_it_does_not_name() -> None:
    spec = Snapshot(
        "requirements.in", "spec", None, None, (Distribution("x", None, requested=True),)
    )
    found = diff(env("a", None, pkgs(x="1.0", y="2.0")), spec)
    assert [(d.kind, d.subject) for d in found] == [("unpinned", "x")]


def test_both_sides_unpinned_is_not_a_difference() -> None:
    spec = Snapshot("r.in", "spec", None, None, (Distribution("x", None),))
    assert diff(spec, replace(spec, label="s.in")) == []


def test_source_changes_are_reported() -> None:
    a = env("a", None, {})
    index = replace(a, distributions=(Distribution("lib", "1.0"),))
    editable = replace(
        a, label="b", distributions=(Distribution("lib", "1.0", source="local", editable=True),)
    )
    vcs1 = replace(
        a, distributions=(Distribution("lib", "1.0", source="git+https://git.example/lib@aaa"),)
    )
    vcs2 = replace(
        a,
        label="b",
        distributions=(Distribution("lib", "1.0", source="git+https://git.example/lib@bbb"),),
    )
    d = one(index, editable)
    assert (d.kind, d.values) == ("source", ("1.0 (index)", "editable"))
    assert "index" in d.message and "editable" in d.message
    assert one(vcs1, vcs2).values == (
        "git+https://git.example/lib@aaa",
        "git+https://git.example/lib@bbb",
    )


def test_a_package_from_a_url_is_not_called_unpinned() -> None:
    a = env("a", None, {})
    index = replace(a, distributions=(Distribution("lib", "1.0"),))
    url = replace(
        a,
        label="b",
        distributions=(Distribution("lib", None, source="git+https://git.example/lib@c"),),
    )
    assert [d.kind for d in diff(index, url)] == ["source"]


def test_python_implementation_change_outranks_everything() -> None:
    a = Snapshot("a", "venv", PythonInfo("CPython", "3.10.14"), None, ())
    b = Snapshot("b", "venv", PythonInfo("PyPy", "3.10.14"), None, ())
    d = one(a, b)
    assert (d.change, d.values, d.severity) == (
        "implementation",
        ("3.10.14", "PyPy 3.10.14"),
        "critical",
    )


def test_python_patch_change_is_low_risk() -> None:
    d = one(env("a", "3.11.4", {}, platform=None), env("b", "3.11.9", {}, platform=None))
    assert (d.kind, d.change, d.severity) == ("python", "patch", "low")


def test_python_known_only_to_the_minor_is_not_a_patch_difference() -> None:
    assert diff(env("a", "3.11", {}, platform=None), env("b", "3.11.9", {}, platform=None)) == []


def test_newer_python_lists_removed_stdlib_modules() -> None:
    d = one(env("a", "3.11.9", {}, platform=None), env("b", "3.13.1", {}, platform=None))
    assert "distutils" in d.message and "(3.12)" in d.message
    assert "cgi" in d.message and "(3.13)" in d.message
    assert "end-of-life" not in d.message


def test_end_of_life_depends_on_the_date() -> None:
    a, b = env("a", "3.11.9", {}, platform=None), env("b", "3.10.12", {}, platform=None)
    before = compare_snapshots(a, b, today=dt.date(2026, 10, 1))[0]
    after = compare_snapshots(a, b, today=dt.date(2026, 11, 1))[0]
    assert "end-of-life" not in before.message
    assert "3.10 is end-of-life since 2026-10" in after.message
    assert after.score > before.score


def test_abi_difference_of_the_same_python() -> None:
    a = Snapshot("a", "venv", PythonInfo("CPython", "3.13.1", abi="cp313"), None, ())
    b = Snapshot("b", "venv", PythonInfo("CPython", "3.13.1", abi="cp313t"), None, ())
    d = one(a, b)
    assert (d.subject, d.change, d.values) == ("python.abi", "abi", ("cp313", "cp313t"))


@pytest.mark.parametrize(
    ("requires", "version", "relation"),
    [
        (">=3.11", "3.11.7", "inside"),
        (">=3.11", "3.13", "inside"),
        (">=3.11", "3.10.13", "minor"),
        (">=3.12", "3.11", "minor"),  # no 3.11 release is inside
        (">=3.11.4", "3.11", "inside"),  # some 3.11 release is: compared at the known precision
        (">=3.11.4", "3.11.2", "patch"),
        (">=3.11.4,<3.11.6", "3.12.0", "minor"),  # a range that names no .0 release
        (">=3.8,<4", "2.7.18", "major"),
        ("~=3.10", "3.12.1", "inside"),
        ("==3.11.*", "3.12.1", "minor"),
        ("not a range", "3.11.7", None),
    ],
)
def test_a_version_is_placed_against_a_recorded_range(
    requires: str, version: str, relation: str | None
) -> None:
    assert range_relation(requires, version) == relation


def ranged(label: str, requires: str | None) -> Snapshot:
    return Snapshot(label, "lock", None, None, (), requires_python=requires)


def test_a_python_inside_the_range_a_lock_records_is_no_difference() -> None:
    # The lock recorded >=3.11 and diff said it did not record its Python at all.
    result = diff_snapshots(
        [ranged("uv.lock", ">=3.11"), env("b", "3.11.7", {}, platform=None)], today=TODAY
    )
    assert result.differences == ()
    assert "uv.lock records Python >=3.11, not one version: b's 3.11.7 is inside it" in (
        result.notes
    )
    assert not any("does not record its Python" in n for n in result.notes)


@pytest.mark.parametrize("lock_first", [True, False])
def test_a_python_outside_the_range_a_lock_records_is_ranked_as_a_python_mismatch(
    lock_first: bool,
) -> None:
    lock, venv = ranged("pylock.toml", ">=3.12"), env(".venv", "3.11.7", {}, platform=None)
    d = one(lock, venv) if lock_first else one(venv, lock)
    assert (d.kind, d.subject, d.change, d.severity) == ("python", "python", "minor", "critical")
    assert d.values == ((">=3.12", "3.11.7") if lock_first else ("3.11.7", ">=3.12"))
    assert ".venv runs Python 3.11.7, outside the range pylock.toml was locked for" in d.message
    assert "(>=3.12" in d.fix
    result = diff_snapshots([lock, venv], today=TODAY)
    assert result.matrix[0].values == (">=3.12", "3.11.7")
    assert result.sides[0].to_json()["requires_python"] == ">=3.12"


def test_a_lock_that_records_one_python_is_compared_by_it_not_by_its_range() -> None:
    lock = replace(env("requirements.txt", "3.11", {}, kind="lock"), requires_python=">=3.12")
    assert diff(lock, env("b", "3.11.7", {})) == []


def test_only_a_side_with_neither_version_nor_range_records_no_python() -> None:
    result = diff_snapshots(
        [ranged("uv.lock", ">=3.11"), ranged("requirements.txt", None)], today=TODAY
    )
    assert result.differences == ()
    assert [n for n in result.notes if "Python" in n] == [
        "uv.lock records Python >=3.11, not one version: no other side has one Python to "
        "compare with it",
        "requirements.txt does not record its Python: Python is not compared for it",
    ]


def test_platform_differences() -> None:
    mac = PlatformInfo("Darwin", "arm64")
    found = {d.subject: d for d in diff(env("a", None, {}), env("b", None, {}, platform=mac))}
    assert set(found) == {"platform.os", "platform.machine"}  # libc is not compared across OSes
    assert found["platform.os"].severity == "critical"


def test_machine_aliases_are_the_same_machine() -> None:
    amd = PlatformInfo("Linux", "AMD64", libc="glibc", libc_version="2.35")
    assert diff(env("a", None, {}), env("b", None, {}, platform=amd)) == []


def test_musl_against_glibc_and_glibc_versions() -> None:
    musl = PlatformInfo("Linux", "x86_64", libc="musl", libc_version="1.2.4")
    old = PlatformInfo("Linux", "x86_64", libc="glibc", libc_version="2.17")
    libc = one(env("a", None, {}), env("b", None, {}, platform=musl))
    version = one(env("a", None, {}), env("b", None, {}, platform=old))
    assert (libc.change, libc.values) == ("libc", ("glibc 2.35", "musl 1.2.4"))
    assert "build from source" in libc.message
    assert (version.change, version.severity) == ("libc-version", "low")


def test_native_library_differences() -> None:
    base = env("a", None, {})
    openblas = replace(
        base,
        native=(
            NativeLibrary("blas", "openblas", "0.3.21"),
            NativeLibrary("cuda", "cudart", "12.1"),
        ),
    )
    mkl = replace(base, label="b", native=(NativeLibrary("blas", "mkl", "2023.1"),))
    found = {d.subject: d for d in diff(openblas, mkl)}
    assert found["native.blas"].change == "vendor"
    assert found["native.blas"].values == ("openblas 0.3.21", "mkl 2023.1")
    assert found["native.cuda"].change == "missing"
    assert found["native.cuda"].values == ("cudart 12.1", "")
    minor = replace(base, label="c", native=(NativeLibrary("blas", "openblas", "0.3.27"),))
    version = next(d for d in diff(openblas, minor) if d.subject == "native.blas")
    assert version.change == "version"
    assert version.score < found["native.blas"].score


def test_native_change_ranks_above_a_major_version_change() -> None:
    a = replace(env("a", None, pkgs(x="1.0")), native=(NativeLibrary("blas", "openblas", "0.3"),))
    b = replace(env("b", None, pkgs(x="2.0")), native=(NativeLibrary("blas", "mkl", "2023"),))
    assert [d.kind for d in diff(a, b)] == ["native", "version"]


def test_locks_have_no_native_libraries_or_platform_to_compare() -> None:
    lock = Snapshot("requirements.txt", "lock", None, None, ())
    venv = replace(env("b", None, {}), native=(NativeLibrary("blas", "openblas", "0.3"),))
    assert diff(lock, venv) == []


def test_ranking_breaks_ties_by_generic_weight_then_name() -> None:
    a = env("a", None, pkgs(b_pkg="1.0", a_pkg="1.0"))
    b = env("b", None, pkgs(b_pkg="1.1", a_pkg="1.1"))
    assert [d.subject for d in diff(a, b)] == ["a-pkg", "b-pkg"]


def test_differences_are_serialised_with_every_field() -> None:
    d = one(env("a", None, pkgs(numpy="1.26.4")), env("b", None, pkgs(numpy="2.0.1")))
    data = d.to_json()
    assert list(data) == [
        "kind", "change", "subject", "sides", "values", "score", "severity",
        "reason", "fix", "direct", "rules", "sources",
    ]  # fmt: skip
    assert data["values"] == ["1.26.4", "2.0.1"]
    assert data["rules"] == ["numpy-2", "numpy-abi"]
    assert data["sources"][0] == "https://numpy.org/doc/stable/numpy_2_0_migration_guide.html"


def test_identical_sides_have_no_differences() -> None:
    a = env("a", "3.11.4", pkgs(x="1.0"))
    assert diff(a, replace(a, label="b")) == []
    assert LINUX.system == "Linux"
