from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fixtures import LocalIndex, make_project
from parity.diagnose.why import (
    Need,
    chains_in_group,
    explain,
    parse_needs,
    parse_requires_dist,
    requires_dist,
    search_chains,
    without_extra,
)
from parity.lock.model import LockedGroup, LockMeta, Origin, Pin, split_via
from parity.report.why_report import why_lines
from parity.spec.model import DirectRequirement, Group, ProjectSpec, SourceRef

META = LockMeta(digest="", inputs=(), requires_python=None, python=None)
REQ_IN = (Origin("requirements.in"),)


def group(*pins: Pin, name: str = "prod") -> LockedGroup:
    return LockedGroup(name, f"requirements-{name}.txt", pins, META)


def spec_of(root: Path, *groups: tuple[str, list[str]]) -> ProjectSpec:
    return ProjectSpec(
        root=root,
        format="requirements.in",
        groups=tuple(
            Group(
                name,
                tuple(
                    DirectRequirement.make(r, SourceRef("requirements.in"), name=r.split(">")[0])
                    for r in reqs
                ),
                output=f"requirements-{name}.txt",
            )
            for name, reqs in groups
        ),
    )


# -- the graph ----------------------------------------------------------------------------


def test_diamond_gives_both_chains() -> None:
    g = group(
        Pin("app", "1", origins=REQ_IN),
        Pin("left", "1", required_by=("app",)),
        Pin("right", "1", required_by=("app",)),
        Pin("base", "1", required_by=("left", "right")),
    )
    chains = sorted(path for path, _ in chains_in_group(g, "base"))
    assert chains == [("app", "left", "base"), ("app", "right", "base")]


def test_cycles_in_via_do_not_loop() -> None:
    g = group(Pin("a", "1", origins=REQ_IN, required_by=("b",)), Pin("b", "1", required_by=("a",)))
    assert chains_in_group(g, "b") == [(("a", "b"), "requirements.in")]


def test_a_cycle_with_no_way_out_gives_no_chain() -> None:
    g = group(Pin("a", "1", required_by=("b",)), Pin("b", "1", required_by=("a",)))
    assert search_chains(g, "a").paths == ()


def test_chains_come_shortest_first() -> None:
    g = group(
        Pin("top", "1", origins=REQ_IN),
        Pin("mid", "1", required_by=("top",)),
        Pin("low", "1", required_by=("mid", "top")),
    )
    assert [path for path, _ in chains_in_group(g, "low")] == [
        ("top", "low"),
        ("top", "mid", "low"),
    ]


def test_a_search_past_its_limit_says_it_is_incomplete() -> None:
    # A ladder of diamonds: 2**12 paths to the bottom.
    pins = [Pin("n0", "1", origins=REQ_IN)]
    for level in range(1, 13):
        pins += [
            Pin(f"a{level}", "1", required_by=(f"n{level - 1}",)),
            Pin(f"b{level}", "1", required_by=(f"n{level - 1}",)),
            Pin(f"n{level}", "1", required_by=(f"a{level}", f"b{level}")),
        ]
    assert len(search_chains(group(*pins), "n12").paths) == 2**12
    limited = search_chains(group(*pins), "n12", limit=100)
    assert not limited.complete
    assert len(limited.paths) == 100


def test_direct_markers_and_parents_are_told_apart() -> None:
    origins, parents = split_via(
        [
            "-r requirements-dev.in",
            "demo (pyproject.toml)",
            "-c constraints.txt",
            "Typing_Extensions",
            "fastapi[standard]",
        ]
    )
    pin = Pin("x", "1", origins=origins, required_by=parents)
    assert pin.declared_in == ("requirements-dev.in", "pyproject.toml")  # in `# via` order
    assert pin.parents == ("typing-extensions", "fastapi")
    assert pin.is_direct


# -- constraints from metadata ------------------------------------------------------------


def test_requires_dist_keeps_what_applies_here_and_names_extras() -> None:
    env = {"python_version": "3.11", "python_full_version": "3.11.7", "sys_platform": "linux"}
    found = parse_requires_dist(
        [
            "base<3,>=1",
            'numpy>=1.22; python_version < "3.11"',
            'numpy>=1.23.2; python_version >= "3.11"',
            "extra-thing>=2; extra == 'fast'",
            'winonly; sys_platform == "win32"',
        ],
        env,
    )
    assert found["base"] == "<3,>=1"
    assert found["numpy"] == ">=1.23.2"
    assert found["extra-thing"] == ">=2 [extra fast]"
    assert found["winonly"] == "any"  # not applicable here, but the only entry


def test_each_need_keeps_its_marker_without_the_extra() -> None:
    env = {"python_version": "3.11", "python_full_version": "3.11.7", "sys_platform": "linux"}
    found = parse_needs(
        [
            'numpy>=1.22; python_version < "3.11"',
            'numpy>=1.23.2; python_version >= "3.11"',
            'winonly; sys_platform == "win32"',
            'tomli>=2; python_version < "3.11" and extra == "test"',
            "plain",
        ],
        env,
    )
    assert found["numpy"] == Need(">=1.23.2", 'python_version >= "3.11"')  # the one that holds
    assert found["winonly"] == Need("any", 'sys_platform == "win32"')
    assert found["tomli"] == Need(">=2 [extra test]", 'python_version < "3.11"')
    assert found["plain"] == Need("any")


@pytest.mark.parametrize(
    ("marker", "left"),
    [
        ('extra == "test"', None),
        ('python_version < "3.11" and extra == "test"', 'python_version < "3.11"'),
        ('extra == "t" and platform_machine != "arm64"', 'platform_machine != "arm64"'),
        # Any other shape is kept whole: longer, never wrong.
        ('python_version < "3.8" or extra == "x"', 'python_version < "3.8" or extra == "x"'),
        (
            '(python_version < "3.11" or sys_platform == "win32") and extra == "t"',
            '(python_version < "3.11" or sys_platform == "win32") and extra == "t"',
        ),
    ],
)
def test_an_extra_is_taken_out_of_a_marker_only_when_it_is_a_plain_and(
    marker: str, left: str | None
) -> None:
    from packaging.markers import Marker

    assert without_extra(Marker(marker)) == left


def test_chains_show_the_marker_on_the_edge_and_where_the_package_is(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, ("prod", ["cli"]))
    prod = group(
        Pin("cli", "8.0", origins=REQ_IN),
        Pin("colour", "0.4", marker="sys_platform == 'win32'", required_by=("cli",)),
    )
    venv_with(tmp_path, ("cli", "8.0", ['colour>=0.4; sys_platform == "win32"']))
    report = explain(spec, {"prod": prod}, "colour")
    (chain,) = report.chains
    assert chain.render() == 'cli (any) -> colour (>=0.4) ; sys_platform == "win32"'
    assert chain.to_json()["steps"][1]["marker"] == 'sys_platform == "win32"'  # type: ignore[index]
    lines = why_lines(report)
    assert "It is installed only where sys_platform == 'win32': not here." in lines
    assert any(
        line.startswith('("here" is the environment at .venv (Python 3.11.7') for line in lines
    )
    assert report.to_json()["locked"][0]["applies"] is False  # type: ignore[index]


def test_a_direct_requirement_under_a_marker_says_where_without_an_environment(
    tmp_path: Path,
) -> None:
    spec = ProjectSpec(
        root=tmp_path,
        format="requirements.in",
        groups=(
            Group(
                "prod",
                (
                    DirectRequirement.make(
                        "colour; sys_platform == 'win32'",
                        SourceRef("requirements.in"),
                        name="colour",
                    ),
                ),
                output="requirements-prod.txt",
            ),
        ),
    )
    prod = group(Pin("colour", "0.4", marker="sys_platform == 'win32'", origins=REQ_IN))
    report = explain(spec, {"prod": prod}, "colour")
    assert report.chains[0].steps[0].marker == 'sys_platform == "win32"'
    assert "It is installed only where sys_platform == 'win32': not here." in why_lines(report)


def test_a_parent_not_for_this_environment_is_not_sent_to_sync(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, ("prod", ["web"]))
    prod = group(
        Pin("web", "1.0", origins=REQ_IN),
        Pin("backport", "1.0", marker="python_version < '3.8'", required_by=("web",)),
        Pin("lib", "2.0", required_by=("backport",)),
    )
    venv_with(tmp_path, ("web", "1.0", ['backport; python_version < "3.8"']))
    report = explain(spec, {"prod": prod}, "lib")
    assert (
        report.chains[0].render() == 'web (any) -> backport (any) ; python_version < "3.8" -> lib'
    )
    (note,) = report.notes
    assert "backport (locked only where python_version < '3.8', so not installed here)" in note
    assert "parity sync" not in note


def test_a_parent_split_by_markers_gives_the_constraints_of_the_version_installed_here(
    tmp_path: Path,
) -> None:
    # The last pin of a name won: on 3.11, why read web 2.0's metadata, found 1.0
    # installed and told the user to sync an environment that matched the lock.
    spec = spec_of(tmp_path, ("prod", ["web"]))
    prod = group(
        Pin("web", "1.0", marker="python_full_version < '3.12'", origins=REQ_IN),
        Pin("web", "2.0", marker="python_full_version >= '3.12'", origins=REQ_IN),
        Pin("lib", "2.0", required_by=("web",)),
    )
    venv_with(tmp_path, ("web", "1.0", ["lib>=2"]))
    report = explain(spec, {"prod": prod}, "lib")
    assert [c.render(with_versions=True) for c in report.chains] == [
        "web 1.0 (any) -> lib 2.0 (>=2)"
    ]
    assert report.notes == ()


def write_dist(site: Path, name: str, version: str, *requires: str) -> None:
    dist = site / f"{name.replace('-', '_')}-{version}.dist-info"
    dist.mkdir(parents=True)
    lines = [f"Requires-Dist: {r}" for r in requires]
    (dist / "METADATA").write_text(
        "\n".join(["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", *lines])
        + "\n\nA description: Requires-Dist: not-a-header\n"
    )


def test_constraints_come_from_installed_metadata_of_the_locked_version(tmp_path: Path) -> None:
    write_dist(tmp_path, "app", "1.0", "base<3,>=1")
    assert requires_dist(tmp_path, "app", "1.0") == {"base": Need("<3,>=1")}
    assert requires_dist(tmp_path, "app", "2.0") is None  # another version: unknown
    assert requires_dist(None, "app", "1.0") is None


def test_a_source_tree_pin_takes_the_constraints_sync_installed(tmp_path: Path) -> None:
    # `-e .` is locked without a version: why said "(2.0.0 installed, None locked)".
    write_dist(tmp_path, "app", "2.0.0", "base<3,>=1")
    assert requires_dist(tmp_path, "app", None) == {"base": Need("<3,>=1")}


def venv_with(root: Path, *dists: tuple[str, str, list[str]]) -> None:
    venv = root / ".venv"
    site = venv / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("version_info = 3.11.7\n")
    for name, version, requires in dists:
        write_dist(site, name, version, *requires)


def test_chains_across_groups_are_merged_with_their_groups(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, ("prod", ["web>=1"]), ("dev", ["web>=1", "tool"]))
    prod = group(Pin("web", "1.0", origins=REQ_IN), Pin("lib", "2.0", required_by=("web",)))
    dev = group(
        Pin("web", "1.0", origins=REQ_IN),
        Pin("tool", "5.0", origins=REQ_IN),
        Pin("lib", "2.0", required_by=("tool", "web")),
        name="dev",
    )
    venv_with(tmp_path, ("web", "1.0", ["lib>=2"]), ("tool", "5.0", ["lib<3"]))
    report = explain(spec, {"prod": prod, "dev": dev}, "LIB")
    rendered = {(c.render(), c.groups) for c in report.chains}
    assert rendered == {
        ("web (>=1) -> lib (>=2)", ("prod", "dev")),
        ("tool (any) -> lib (<3)", ("dev",)),
    }
    assert (report.is_direct, report.version, report.total_chains) == (False, "2.0", 2)


def test_versions_show_when_groups_lock_different_ones(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, ("prod", ["web"]), ("dev", ["web"]))
    prod = group(Pin("web", "1.0", origins=REQ_IN), Pin("lib", "2.0", required_by=("web",)))
    dev = group(
        Pin("web", "1.0", origins=REQ_IN), Pin("lib", "2.1", required_by=("web",)), name="dev"
    )
    report = explain(spec, {"prod": prod, "dev": dev}, "lib")
    lines = why_lines(report)
    assert lines[0] == "lib (locked at 2.0 (prod), 2.1 (dev)) is transitive (groups prod, dev)."
    assert "  web 1.0 (any) -> lib 2.0  [prod]" in lines
    assert "  web 1.0 (any) -> lib 2.1  [dev]" in lines


def test_without_an_environment_chains_have_no_constraints_and_say_how(tmp_path: Path) -> None:
    spec = spec_of(tmp_path, ("prod", ["web"]))
    prod = group(Pin("web", "1.0", origins=REQ_IN), Pin("lib", "2.0", required_by=("web",)))
    report = explain(spec, {"prod": prod}, "lib")
    assert not report.constraints_known
    assert report.chains[0].steps[1].constraint is None
    assert any("parity sync" in note for note in report.notes)


# -- the command ----------------------------------------------------------------------------


@pytest.fixture
def synced(tmp_path: Path, local_index: LocalIndex, run_parity: Callable[..., Any]) -> Path:
    project = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\ngamma\nepsilon[fast]\n",
            "requirements-dev.in": "-r requirements.in\ntool-a\n",
            ".python-version": "3.11\n",
        },
    )
    assert run_parity("lock", "-p", project).code == 0
    assert run_parity("sync", "-p", project, "--group", "dev").code == 0
    return project


def test_why_shows_every_chain_with_constraints(
    synced: Path, run_parity: Callable[..., Any]
) -> None:
    result = run_parity("why", "alpha", "-p", synced, "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["schema"] == "parity/why@1"
    assert data["direct"] is False
    rendered = {
        " -> ".join(f"{s['name']}({s['constraint']})" for s in chain["steps"])
        for chain in data["chains"]
    }
    assert rendered == {
        "gamma(any) -> beta(any) -> alpha(>=1.0)",
        "tool-a(any) -> beta(any) -> alpha(>=1.0)",
    }
    dev_only = next(c for c in data["chains"] if c["steps"][0]["name"] == "tool-a")
    assert dev_only["groups"] == ["dev"]


def test_why_names_the_extra_a_dependency_comes_through(
    synced: Path, run_parity: Callable[..., Any]
) -> None:
    result = run_parity("why", "zeta", "-p", synced)
    assert result.code == 0, result.err
    assert "epsilon (any [fast]) -> zeta (any [extra fast])  [prod, dev]" in result.out


def test_why_direct_package(synced: Path, run_parity: Callable[..., Any]) -> None:
    result = run_parity("why", "gamma", "-p", synced)
    assert result.code == 0
    assert "direct requirement: requirements.in (groups prod, dev)" in result.out


def test_unknown_package_suggests_close_names(synced: Path, run_parity: Callable[..., Any]) -> None:
    result = run_parity("why", "alpah", "-p", synced)
    assert result.code == 2
    assert "Did you mean alpha" in result.err


def test_package_of_another_group_says_which(synced: Path, run_parity: Callable[..., Any]) -> None:
    result = run_parity("why", "tool-a", "-p", synced, "--group", "prod")
    assert result.code == 2
    assert "try --group dev" in result.err


def test_installed_but_not_locked_says_so(
    synced: Path, run_parity: Callable[..., Any], tmp_path: Path
) -> None:
    site = next((synced / ".venv").glob("lib/python*/site-packages"))
    write_dist(site, "stray", "0.1")
    write_dist(site, "needs-stray", "1.0", "stray>=0.1")
    write_dist(site, "extra-stray", "1.0", "stray; extra == 'dev'")
    result = run_parity("why", "stray", "-p", synced)
    assert result.code == 2
    assert "stray 0.1 is installed in .venv but in no lockfile" in result.err
    # One that needs it only for an extra (pytest's `requests; extra == "dev"`) says so.
    assert "require it: extra-stray (extra dev), needs-stray" in result.err


def test_why_the_project_itself_says_what_it_is(tmp_path: Path) -> None:
    """The project is installed by sync from its source tree and is in no lockfile."""
    from dataclasses import replace

    from parity.errors import UsageError
    from parity.spec.model import LocalPackage

    spec = replace(
        spec_of(tmp_path, ("prod", ["alpha"])),
        name="my-app",
        installable=True,
        local_packages=(LocalPackage("My_App", "."), LocalPackage("member", "libs/member")),
    )
    locks = {"prod": group(Pin("alpha", "1", origins=REQ_IN))}
    with pytest.raises(UsageError) as info:
        explain(spec, locks, "my-app")
    assert info.value.message.startswith("my-app is this project itself (its source tree, .)")
    assert "installed in" not in info.value.message  # never "sync removes it"
    with pytest.raises(UsageError) as info:
        explain(spec, locks, "member")
    assert "a package of this project's source tree (libs/member)" in info.value.message


def test_a_group_without_a_lockfile_is_left_out_and_said(
    synced: Path, run_parity: Callable[..., Any]
) -> None:
    (synced / "requirements-dev.txt").unlink()
    result = run_parity("why", "alpha", "-p", synced)
    assert result.code == 0, result.err
    assert "Not read (no lockfile yet): requirements-dev.txt." in result.out
    assert run_parity("why", "alpha", "-p", synced, "--group", "dev").code == 2
