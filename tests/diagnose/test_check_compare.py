from __future__ import annotations

from parity.diagnose.check import compare_with_lock, expected_pins
from parity.env.installed import InstalledDist
from parity.lock.model import Pin


def codes(findings: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(f.code, f.subject) for f in findings]


def test_missing_extra_and_wrong_version_are_each_reported() -> None:
    expected = [Pin("alpha", "1.0"), Pin("beta", "2.0")]
    installed = {
        "alpha": InstalledDist("alpha", "1.1"),
        "gamma": InstalledDist("gamma", "0.1"),
        "pip": InstalledDist("pip", "24.0"),
    }
    found = compare_with_lock(expected, installed, ignore={"pip"}, venv_name=".venv", group="prod")
    assert codes(found) == [
        ("package-version", "alpha"),
        ("package-missing", "beta"),
        ("package-extra", "gamma"),
    ]
    assert all(f.fix == "Run `parity sync --group prod`." for f in found)


def test_equal_versions_in_other_spellings_match() -> None:
    found = compare_with_lock(
        [Pin("alpha", "1.0")],
        {"alpha": InstalledDist("alpha", "1.0.0")},
        ignore=set(),
        venv_name=".venv",
        group="prod",
    )
    assert found == []


def test_pins_for_other_platforms_or_pythons_are_not_expected() -> None:
    pins = [
        Pin("winonly", "1.0", marker="sys_platform == 'nonexistent-os'"),
        Pin("old", "1.0", marker="python_version < '3.9'"),
        Pin("new", "1.0", marker="python_version >= '3.9'"),
    ]
    assert [p.name for p in expected_pins(pins, "3.11.7", "CPython")] == ["new"]
    assert [p.name for p in expected_pins(pins, "3.8.18", "CPython")] == ["old"]


def test_a_source_tree_locked_editable_and_installed_from_an_index_is_caught() -> None:
    # Locked without a version (`-e ./libs/mylib`, `-e .`), nothing was compared:
    # a wheel of another version installed in its place passed check.
    expected = [
        Pin("mylib", None, source="./libs/mylib", editable=True),
        Pin("demo", None, source=".", editable=True),
    ]
    installed = {
        "mylib": InstalledDist("mylib", "0.2"),
        "demo": InstalledDist("demo", "0.0.9"),
    }
    found = compare_with_lock(
        expected, installed, ignore=set(), venv_name=".venv", group="prod", project="demo"
    )
    assert codes(found) == [("project-not-editable", "demo"), ("package-not-editable", "mylib")]
    assert all(f.severity == "high" for f in found)
    editable = {name: InstalledDist(name, "0.1", editable=True) for name in installed}
    assert (
        compare_with_lock(
            expected, editable, ignore=set(), venv_name=".venv", group="prod", project="demo"
        )
        == []
    )


def test_the_project_itself_is_not_drift_when_editable_and_is_when_not() -> None:
    def found(dist: InstalledDist) -> list[tuple[str, str]]:
        return codes(
            compare_with_lock(
                [Pin("alpha", "1.0")],
                {"alpha": InstalledDist("alpha", "1.0"), "demo": dist},
                ignore=set(),
                venv_name=".venv",
                group="prod",
                project="demo",
            )
        )

    assert found(InstalledDist("demo", "0.1", editable=True)) == []
    assert found(InstalledDist("demo", "0.0.9")) == [("project-not-editable", "demo")]


def test_the_project_sync_installs_is_reported_missing_when_it_is_not_installed() -> None:
    # No lock pins it, so nothing said it was gone: check passed without the project.
    def found(installed: dict[str, InstalledDist], *, expected: bool) -> list[tuple[str, str]]:
        return codes(
            compare_with_lock(
                [Pin("alpha", "1.0")],
                {"alpha": InstalledDist("alpha", "1.0"), **installed},
                ignore=set(),
                venv_name=".venv",
                group="dev",
                project="demo",
                project_expected=expected,
            )
        )

    assert found({}, expected=True) == [("project-missing", "demo")]
    assert found({"demo": InstalledDist("demo", "0.1", editable=True)}, expected=True) == []
    # Not a package, or synced with --no-install-project: nothing is expected.
    assert found({}, expected=False) == []


def test_a_dash_e_dot_the_lock_holds_is_reported_as_the_project_missing() -> None:
    found = compare_with_lock(
        [Pin("alpha", "1.0"), Pin("demo", None, source=".", editable=True)],
        {"alpha": InstalledDist("alpha", "1.0")},
        ignore=set(),
        venv_name=".venv",
        group="dev",
        project="demo",
        project_expected=True,
    )
    assert codes(found) == [("project-missing", "demo")]
    (finding,) = found
    assert finding.severity == "high"
    assert "the project itself (demo) is not installed in .venv" in finding.message
    assert finding.fix.startswith("Run `parity sync --group dev`")
    assert "--no-install-project" in finding.fix
