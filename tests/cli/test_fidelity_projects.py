"""Projects shaped like the real ones parity was tried on, locked on the local index.

Each fixture reproduces one way parity once read a real project wrongly (the
module ``tests/fixtures/real_cases.py`` holds the shapes, shared with the
network tests that compare each with a fresh ``uv lock`` of the same inputs).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fixtures import LocalIndex, Pkg, make_project
from fixtures.real_cases import (
    adopted_uv_lock,
    mixed_styles,
    poetry2_project,
    poetry_tables_project,
    self_dependent_project,
    split_versions_project,
    uv_workspace_project,
)
from parity.lock.formats import requirements_txt

Run = Callable[..., object]


def pins(project: Path, output: str = "requirements.txt") -> dict[str, object]:
    return {
        p.name: (p.source if p.source is not None else p.version)
        for p in requirements_txt.read(project / output).pins
    }


def lock(run_parity: Run, project: Path, *args: str) -> object:
    result = run_parity("lock", "-p", project, *args)
    assert result.code == 0, result.err  # type: ignore[attr-defined]
    return result


# -- Poetry 2: [project] and [tool.poetry] together --------------------------------------


def test_poetry2_project_locks_its_project_dependencies(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(tmp_path, poetry2_project(local_index.url))
    result = lock(run_parity, project)
    # [project] dependencies are prod; [tool.poetry.dependencies] narrows alpha below 2.
    assert pins(project) == {"alpha": "1.1", "beta": "1.0"}
    assert pins(project, "requirements-dev.txt") == {"alpha": "1.1", "beta": "1.0", "zeta": "1.0"}
    out = result.out  # type: ignore[attr-defined]
    assert "prod" in out and "pyproject.toml [project.dependencies]" in out
    # eta is named only under [tool.poetry.dependencies]: Poetry 2 ignores it, and says so.
    assert "eta not read" in out


# -- two input styles -------------------------------------------------------------------


def test_two_input_styles_stop_with_the_files_and_the_option(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(tmp_path, mixed_styles(local_index.url))
    result = run_parity("lock", "-p", project)
    assert result.code == 2  # type: ignore[attr-defined]
    err = result.err  # type: ignore[attr-defined]
    assert "requirements/main.in" in err and "requirements/dev.in" in err
    assert "--format" in err and "Traceback" not in err
    assert not (project / "requirements.txt").exists()


def test_format_option_chooses_the_requirements_files(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(tmp_path, mixed_styles(local_index.url))
    result = lock(run_parity, project, "--format", "requirements-in")
    main = pins(project, "requirements/main.txt")
    assert {k: main[k] for k in ("gamma", "beta", "alpha")} == {
        "gamma": "0.5",
        "beta": "1.0",
        "alpha": "2.0",
    }
    assert set(pins(project, "requirements/dev.txt")) == {"tool-a", "beta", "alpha"}
    assert "pyproject.toml requirements not read" in result.out  # type: ignore[attr-defined]


# -- the project itself, required by its own dev tools ---------------------------------


def test_dev_tools_get_the_project_from_the_source_tree(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    local_index.add(
        Pkg("selfish", "9.0"),
        Pkg("selfish", "9.5b1"),
        Pkg("selfish-dev", "1.0", requires=["selfish>=1"]),
    )
    project = make_project(tmp_path, self_dependent_project(local_index.url))
    result = lock(run_parity, project)
    dev = requirements_txt.read(project / "requirements-dev.txt")
    own = dev.pin("selfish")
    assert own is not None
    assert (own.source, own.editable, own.version) == (".", True, None)
    assert own.required_by == ("selfish-dev",)
    # Nothing from the index stands in for the project, and no pre-release crept in.
    assert "9.5b1" not in (project / "requirements-dev.txt").read_text()
    assert "pre-release" not in result.out  # type: ignore[attr-defined]
    assert "selfish" not in pins(project)  # prod needs only alpha


# -- a uv workspace with sources --------------------------------------------------------


def test_uv_workspace_members_come_from_the_source_tree(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    local_index.add(Pkg("ws-core", "5.0"), Pkg("ws-api", "5.0"))
    project = make_project(tmp_path, uv_workspace_project(local_index.url))
    lock(run_parity, project)
    prod = pins(project)
    assert prod["ws-api"] == "./packages/api"
    assert prod["ws-core"] == "./packages/core"  # through ws-api, from its workspace source
    assert prod["beta"] == "1.0" and prod["alpha"] == "1.1"  # core caps alpha below 2
    assert prod["vendored"] == "./vendor/vendored"  # a path source
    text = (project / "requirements.txt").read_text()
    assert "5.0" not in text  # the index's ws-core 5.0 and ws-api 5.0 are never locked
    assert str(tmp_path) not in text and str(tmp_path) not in (project / "pylock.toml").read_text()


def test_a_workspace_root_wider_than_a_member_locks_for_what_every_member_supports(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    # uv lock resolves a workspace for the intersection of its members' requires-python;
    # the root's range alone (>=3.9) would ask for a member that cannot install on 3.9.
    files = uv_workspace_project(local_index.url)
    files["pyproject.toml"] = files["pyproject.toml"].replace(
        'requires-python = ">=3.11"', 'requires-python = ">=3.9"'
    )
    project = make_project(tmp_path, files)
    result = lock(run_parity, project)
    assert "for Python >=3.11" in result.out  # type: ignore[attr-defined]
    assert pins(project)["ws-core"] == "./packages/core"
    assert "# parity:requires-python >=3.11" in (project / "requirements.txt").read_text()


def test_a_workspace_members_extras_are_locked(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    # uv lock locks every member's extras; parity left them out of the lock, silently.
    files = uv_workspace_project(local_index.url)
    files["packages/core/pyproject.toml"] += "\n[project.optional-dependencies]\nfast = ['zeta']\n"
    project = make_project(tmp_path, files)
    result = lock(run_parity, project)
    assert "ws-core-fast  packages/core/pyproject.toml" in result.out  # type: ignore[attr-defined]
    fast = pins(project, "requirements-ws-core-fast.txt")
    assert fast == {"ws-core": "./packages/core", "alpha": "1.1", "zeta": "1.0"}
    assert "zeta" not in pins(project)


# -- Poetry tables: platform, markers, pre-release carets, sources ----------------------


def test_poetry_platform_and_prerelease_constraints_are_carried(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    local_index.add(Pkg("winonly", "306"), Pkg("betaish", "8.0b1"), Pkg("betaish", "8.1b2"))
    project = make_project(tmp_path, poetry_tables_project(local_index.url))
    result = lock(run_parity, project)
    locked = requirements_txt.read(project / "requirements.txt")
    win = locked.pin("winonly")
    assert win is not None and win.marker == "sys_platform == 'win32'"
    kappa = locked.pin("epsilon")
    assert kappa is not None and kappa.version == "3.0"
    betaish = locked.pin("betaish")
    assert betaish is not None and betaish.version == "8.1b2"  # ^8.0.0b1 names a pre-release
    out = result.out  # type: ignore[attr-defined]
    assert "pre-release betaish 8.1b2" in out and "asks for a pre-release" in out


# -- adoption without churn ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["uv.lock", "poetry.lock", "requirements.txt"])
def test_first_lock_keeps_the_versions_of_the_lock_the_project_has(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run, kind: str
) -> None:
    project = make_project(tmp_path, adopted_uv_lock(local_index.url, kind))
    result = lock(run_parity, project)
    assert pins(project)["alpha"] == "1.0"  # 1.1 and 2.0 are newer; the old lock wins
    assert f"Kept the versions of {kind}" in result.out  # type: ignore[attr-defined]
    upgraded = lock(run_parity, project, "--upgrade-package", "alpha")
    assert pins(project)["alpha"] == "2.0"
    assert "alpha 1.0 -> 2.0" in upgraded.out  # type: ignore[attr-defined]


# -- -c prod.txt, the pip-tools way to keep dev on prod's pins --------------------------


def test_constraint_on_parity_own_output_does_not_make_the_lock_stale(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(
        tmp_path,
        {
            "requirements/prod.in": f"-i {local_index.url}\nbeta\n",
            "requirements/dev.in": "-c prod.txt\ntool-a\nalpha\n",
            ".python-version": "3.11\n",
        },
    )
    lock(run_parity, project)
    check = run_parity("check", "-p", project, "--lock-only")
    assert check.code == 0, check.out  # type: ignore[attr-defined]
    assert (
        pins(project, "requirements/dev.txt")["alpha"]
        == pins(project, "requirements/prod.txt")["alpha"]
    )


# -- several versions of one package, split by Python ----------------------------------


def test_split_versions_are_all_locked_with_their_markers(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(tmp_path, split_versions_project(local_index.url))
    lock(run_parity, project)
    locked = [
        p for p in requirements_txt.read(project / "requirements.txt").pins if p.name == "modern"
    ]
    assert sorted((p.version, p.marker) for p in locked) == [
        ("1.0", "python_full_version < '3.12'"),
        ("2.0", "python_full_version >= '3.12'"),
    ]
    why = run_parity("why", "modern", "-p", project)
    assert why.code == 0, why.err  # type: ignore[attr-defined]
    assert "1.0" in why.out and "2.0" in why.out  # type: ignore[attr-defined]
    assert "python_full_version" in why.out  # type: ignore[attr-defined]


# -- lock one group ---------------------------------------------------------------------


def test_locking_one_group_keeps_every_other_groups_pins(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\nalpha<2\n",
            "requirements-dev.in": "-r requirements.in\nbeta\n",
            ".python-version": "3.11\n",
        },
    )
    lock(run_parity, project)
    (project / "requirements.in").write_text(f"-i {local_index.url}\nalpha\n")
    (project / "requirements-dev.in").write_text("-r requirements.in\nbeta\nzeta\n")
    lock(run_parity, project, "requirements-dev.in")
    assert pins(project)["alpha"] == "1.1"  # prod was held
    assert pins(project, "requirements-dev.txt")["zeta"] == "1.0"
    result = run_parity("lock", "-p", project, "--group", "nope")
    assert result.code == 2 and "unknown group 'nope'" in result.err  # type: ignore[attr-defined]


def test_an_input_that_is_not_the_projects_is_refused(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(tmp_path, {"requirements.in": f"-i {local_index.url}\nalpha\n"})
    result = run_parity("lock", "-p", project, str(project / "other.in"))
    assert result.code == 2  # type: ignore[attr-defined]
    assert "not an input of this project" in result.err  # type: ignore[attr-defined]


def test_output_file_names_the_lockfile_of_the_group(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(
        tmp_path, {"requirements.in": f"-i {local_index.url}\nalpha\n", ".python-version": "3.11\n"}
    )
    result = lock(run_parity, project, "requirements.in", "-o", "locked.txt")
    assert pins(project, "locked.txt") == {"alpha": "2.0"}
    assert "[tool.parity] outputs" in result.out  # type: ignore[attr-defined]


# -- index options on the command line --------------------------------------------------


def test_index_url_on_the_command_line_is_used_and_written(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(tmp_path, {"requirements.in": "alpha\n", ".python-version": "3.11\n"})
    lock(run_parity, project, "--index-url", local_index.url)
    assert pins(project) == {"alpha": "2.0"}
    assert f"--index-url {local_index.url}" in (project / "requirements.txt").read_text()
    check = run_parity("check", "-p", project, "--lock-only")
    assert check.code == 0, check.out  # type: ignore[attr-defined]


# -- pre-releases -----------------------------------------------------------------------


def test_pre_release_only_when_asked_and_then_reported(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    local_index.add(Pkg("alpha", "3.0rc1"))
    project = make_project(
        tmp_path, {"requirements.in": f"-i {local_index.url}\nalpha\n", ".python-version": "3.11\n"}
    )
    lock(run_parity, project)
    assert pins(project) == {"alpha": "2.0"}
    result = lock(run_parity, project, "--pre", "--upgrade")
    assert pins(project) == {"alpha": "3.0rc1"}
    assert "pre-release alpha 3.0rc1 in the lock: asked for with --pre" in result.out  # type: ignore[attr-defined]


def test_pre_release_that_nothing_else_satisfies_is_reported(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    local_index.add(Pkg("onlypre", "0.1a1"))
    project = make_project(
        tmp_path,
        {"requirements.in": f"-i {local_index.url}\nonlypre\n", ".python-version": "3.11\n"},
    )
    result = lock(run_parity, project)
    assert "no final release satisfies the requirements" in result.out  # type: ignore[attr-defined]


# -- output -----------------------------------------------------------------------------


def test_lock_output_is_labelled_aligned_and_says_what_it_read(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\nalpha<2\n",
            "requirements-a-very-long-group-name.in": "-r requirements.in\nbeta\n",
            ".python-version": "3.11\n",
        },
    )
    first = lock(run_parity, project)
    out = first.out  # type: ignore[attr-defined]
    assert "1 package " in out and "1 packages" not in out
    rows = [line for line in out.splitlines() if "->" in line]
    assert len({line.index("->") for line in rows}) == 1  # one column, whatever the names
    assert "requirements-a-very-long-group-name.in" in out  # where each group was read
    (project / "requirements.in").write_text(f"-i {local_index.url}\nalpha\n")
    second = lock(run_parity, project, "--upgrade-package", "alpha")
    changes = [line for line in second.out.splitlines() if "alpha 1.1 -> 2.0" in line]  # type: ignore[attr-defined]
    assert changes == ["  ~ alpha 1.1 -> 2.0  (prod, a-very-long-group-name)"]


def test_quiet_lock_prints_nothing(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(
        tmp_path, {"requirements.in": f"-i {local_index.url}\nalpha\n", ".python-version": "3.11\n"}
    )
    result = lock(run_parity, project, "-q")
    assert result.out == ""  # type: ignore[attr-defined]


def test_verbose_lock_shows_the_uv_commands(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(
        tmp_path, {"requirements.in": f"-i {local_index.url}\nalpha\n", ".python-version": "3.11\n"}
    )
    err = lock(run_parity, project, "-v").err  # type: ignore[attr-defined]
    assert "uv lock" in err and "uv export" in err
    quiet = lock(run_parity, project).err  # type: ignore[attr-defined]
    assert "uv lock" not in quiet  # -v holds for its own command only


def test_implicit_python_is_named_when_the_lock_fails(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(tmp_path, {"requirements.in": f"-i {local_index.url}\neta\ntheta\n"})
    result = run_parity("lock", "-p", project)
    assert result.code == 2  # type: ignore[attr-defined]
    assert "pins no Python" in result.err and ".python-version" in result.err  # type: ignore[attr-defined]


# -- a package pinned to one index ------------------------------------------------------


def test_a_package_pinned_to_an_index_comes_from_it(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    pinned = LocalIndex(tmp_path / "pinned-index", [Pkg("alpha", "9.0+cpu")])
    with pinned.serve() as pinned_url:
        project = make_project(
            tmp_path,
            {
                "pyproject.toml": f"""
                    [project]
                    name = "pinned"
                    version = "0"
                    requires-python = ">=3.11"
                    dependencies = ["alpha", "beta"]

                    [tool.uv.sources]
                    alpha = {{ index = "cpu" }}

                    [[tool.uv.index]]
                    name = "cpu"
                    url = "{pinned_url}"
                    explicit = true

                    [[tool.uv.index]]
                    url = "{local_index.url}"
                    default = true
                """,
            },
        )
        lock(run_parity, project)
    assert pins(project)["alpha"] == "9.0+cpu"  # not 2.0 from the default index
    text = (project / "requirements.txt").read_text()
    assert f"--extra-index-url {pinned_url}" in text  # pip finds it there, by its hash


def test_versions_uv_cannot_keep_are_dropped_with_a_note(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uv can fail while keeping a previous lock's versions and succeed without them.

    Unstructured-IO/unstructured with its uv.lock: keeping onnx 1.21.0 made uv split
    its resolution where the split had no solution; without it, uv resolved.  Here uv is
    made to fail whenever it is given versions to keep.
    """
    from parity.errors import ResolutionError
    from parity.lock.engines import uv

    real = uv.resolve
    asked: list[int] = []

    def failing_with_preferences(request: Any, **kwargs: Any) -> Any:
        asked.append(len(request.preferences))
        if request.preferences:
            raise ResolutionError("no set of versions satisfies the requirements")
        return real(request, **kwargs)

    monkeypatch.setattr(uv, "resolve", failing_with_preferences)
    project = make_project(tmp_path, adopted_uv_lock(local_index.url, "uv.lock"))
    result = lock(run_parity, project)
    assert asked[0] > 0 and asked[1:] == [0]
    assert pins(project)["alpha"] == "2.0"  # resolved afresh
    out = result.out  # type: ignore[attr-defined]
    assert "Kept the versions" not in out
    assert "uv found no solution while keeping the versions of uv.lock" in out
