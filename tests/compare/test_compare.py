"""``parity compare`` on tiny projects against the local test index (hermetic).

Whole processes are run for real (parity with uv, pip-compile and pip-sync,
Poetry, parity with py-rattler on a local conda channel); only Docker cannot
run here, and must say so.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fixtures import LocalIndex, make_project

TIMES = ("lock_cold", "lock_warm", "relock", "env_cold", "env_warm", "resync")
FIGURES = (*TIMES, "env_bytes", "lock_bytes", "pins")


def _project(tmp_path: Path, index: LocalIndex, name: str = "demo") -> Path:
    return make_project(
        tmp_path,
        {
            "requirements.in": f"-i {index.url}\nbeta>=1.0\nepsilon[fast]\n",
            "requirements-dev.in": "-r requirements.in\ntool-a\n",
            ".python-version": "3.11\n",
        },
        name=name,
    )


def _compare(run_parity: Callable[..., Any], project: Path, *args: str) -> dict[str, Any]:
    result = run_parity("compare", "-p", project, "--json", *args)
    assert result.code == 0, result.err
    data: dict[str, Any] = result.json()
    return data


def _target(data: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(t for t in data["targets"] if t["target"] == name)
    return found


def test_parity_is_measured_on_every_figure_with_medians_of_interleaved_runs(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = _project(tmp_path, local_index)
    result = run_parity("compare", "-p", project, "--strategies", "pip-tools", "--runs", "2")
    assert result.code == 0, result.err
    progress = [line.strip() for line in result.err.splitlines()]
    assert progress[0].startswith("run 1/2  pip-tools") and "lock, cold cache" in progress[0]
    assert any(line.startswith("run 2/2  pip-tools") for line in progress)
    assert "Kept in .parity/compare/" in result.out
    # The same question again is answered from the cache: no step runs.
    again = run_parity("compare", "-p", project, "--strategies", "pip-tools", "--runs", "2")
    assert again.err == ""
    assert "Answered from .parity/compare/" in again.out
    data = _compare(run_parity, project, "--strategies", "pip-tools", "--runs", "2")
    assert data["schema"] == "parity/compare@1"
    assert data["cached"] is True
    target = _target(data, "pip-tools")
    assert target["measured"] is True
    for key in FIGURES:
        assert len(target["samples"][key]) == 2, key
        assert target["medians"][key] > 0
    assert target["medians"]["pins"] == 5  # beta, alpha, epsilon, zeta, tool-a
    assert target["reproducible"]["ok"] is True
    assert target["cache_key_stable"]["ok"] is True
    assert target["lockfiles"] == ["requirements.txt", "requirements-dev.txt"]
    assert target["commands"]["lock_cold"] == ["python -m parity lock --no-pylock -q"]
    # Nothing of the measurement is left in the project but the git-ignored cache.
    assert sorted(p.name for p in project.iterdir()) == [
        ".parity",
        ".python-version",
        "requirements-dev.in",
        "requirements.in",
    ]
    assert (project / ".parity" / ".gitignore").read_text() == "*\n"
    # New inputs are a new question.
    (project / "requirements-dev.in").write_text("-r requirements.in\ntool-a\nzeta\n")
    changed = _compare(run_parity, project, "-s", "pip-tools", "-n", "1")
    assert changed["cached"] is False
    assert changed["digest"] != data["digest"]


def test_fresh_measures_again_even_when_a_result_is_kept(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    # Docker alone: nothing runs here, so only the cache is at work.
    project = _project(tmp_path, local_index)
    first = _compare(run_parity, project, "-s", "docker", "-n", "1")
    assert first["cached"] is False
    assert _compare(run_parity, project, "-s", "docker", "-n", "1")["cached"] is True
    fresh = _compare(run_parity, project, "-s", "docker", "-n", "1", "--fresh")
    assert fresh["cached"] is False
    assert fresh["measured_at"] >= first["measured_at"]


def test_pip_tools_poetry_and_parity_are_all_measured(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = _project(tmp_path, local_index)
    data = _compare(run_parity, project, "-s", "pip-tools,poetry,docker", "-n", "1")
    assert [t["target"] for t in data["targets"]] == [
        "pip-tools",
        "pip-tools/pip-compile",
        "poetry",
        "docker",
    ]
    for name in ("pip-tools", "pip-tools/pip-compile", "poetry"):
        target = _target(data, name)
        assert target["measured"] is True, target["reason"]
        assert set(target["medians"]) == set(FIGURES)
        assert target["medians"]["pins"] == 5
        assert target["reproducible"]["ok"] is True, target["reproducible"]
        assert target["cache_key_stable"]["ok"] is True, target["cache_key_stable"]
    compile_ = _target(data, "pip-tools/pip-compile")
    assert compile_["commands"]["lock_cold"][0].startswith(
        "pip-compile --quiet --generate-hashes --strip-extras --cache-dir=<cache> -o requirements.txt"
    )
    assert compile_["commands"]["env_cold"][-1] == (
        "pip-sync --quiet --python-executable .venv/bin/python requirements-dev.txt"
    )
    poetry = _target(data, "poetry")
    assert poetry["lockfiles"] == ["poetry.lock"]
    assert poetry["commands"]["resync"] == ["poetry sync --no-ansi --only main,dev"]
    docker = _target(data, "docker")
    assert docker["measured"] is False
    assert docker["medians"] == {} and docker["samples"] == {}
    assert "Docker" in docker["reason"]
    text = json.dumps(data)
    assert str(tmp_path) not in text and "/tmp/" not in text


def test_a_step_that_fails_leaves_the_strategy_unmeasured_with_its_error(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\nno-such-package\n",
            ".python-version": "3.11\n",
        },
    )
    data = _compare(run_parity, project, "-s", "pip-tools", "-n", "1")
    target = _target(data, "pip-tools")
    assert target["measured"] is False
    assert target["reason"].startswith("lock, cold cache failed: `python -m parity lock")
    assert "no-such-package" in target["reason"]
    assert target["samples"] == {}
    text = run_parity("compare", "-p", project, "-s", "pip-tools", "-n", "1").out
    assert "Not measured:\n  pip-tools: lock, cold cache failed" in text


def test_a_conda_project_is_measured_on_a_local_channel(
    tmp_path: Path, run_parity: Callable
) -> None:
    pytest.importorskip("rattler")
    from fixtures.conda_channel import demo_channel

    project = make_project(
        tmp_path,
        {
            "environment.yml": """
                name: demo
                channels:
                  - ./channel
                dependencies:
                  - python=3.11
                  - numpy<2
                """
        },
    )
    demo_channel(project / "channel")
    data = _compare(run_parity, project, "-s", "conda,pip-tools", "-n", "1")
    conda = _target(data, "conda")
    assert conda["measured"] is True, conda["reason"]
    assert conda["lockfiles"] == ["conda.lock"]
    assert conda["reproducible"]["ok"] is True, conda["reproducible"]
    assert conda["medians"]["pins"] >= 3  # python, numpy and its BLAS
    assert conda["medians"]["env_bytes"] > 0
    pip = _target(data, "pip-tools")
    assert pip["measured"] is False and "conda project" in pip["reason"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-s", "nix"), "--strategies: unknown strategy 'nix'"),
        (("-n", "0"), "--runs must be from 1 to 25, not 0"),
        (("-n", "many"), "'many' is not a valid integer"),
    ],
)
def test_bad_options_are_clear_errors(
    tmp_path: Path,
    local_index: LocalIndex,
    run_parity: Callable,
    args: tuple[str, ...],
    message: str,
) -> None:
    project = _project(tmp_path, local_index)
    result = run_parity("compare", "-p", project, *args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err
    assert not (project / ".parity").exists()


def test_an_unreadable_project_is_a_clear_error(tmp_path: Path, run_parity: Callable) -> None:
    result = run_parity("compare", "-p", tmp_path)
    assert result.code == 2
    assert "no project inputs found" in result.err


def test_a_page_that_is_not_parity_s_is_not_overwritten(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = _project(tmp_path, local_index)
    mine = tmp_path / "notes.html"
    mine.write_text("<p>my notes</p>\n")
    result = run_parity("compare", "-p", project, "-s", "pip-tools", "-n", "1", "--html", mine)
    assert result.code == 2
    assert "exists and is not a page parity wrote: not overwritten" in result.err
    assert mine.read_text() == "<p>my notes</p>\n"
    assert not (project / ".parity").exists()  # refused before measuring anything


@pytest.mark.network
def test_a_small_project_is_measured_against_the_real_registry(
    tmp_path: Path, run_parity: Callable
) -> None:
    # The example itself is measured in docs/compare.md (it takes many minutes).
    project = make_project(
        tmp_path, {"requirements.in": "requests>=2.31\n", ".python-version": "3.11\n"}
    )
    data = _compare(run_parity, project, "-s", "pip-tools", "-n", "1")
    target = _target(data, "pip-tools")
    assert target["measured"] is True, target["reason"]
    assert target["medians"]["pins"] >= 4  # requests, urllib3, idna, certifi, charset-normalizer
    assert target["reproducible"]["ok"] is True, target["reproducible"]


def test_a_failed_tool_is_quoted_with_the_lines_that_explain_it() -> None:
    from parity.compare.measure import _tail

    said = (
        "error: no set of versions satisfies the requirements:\n"
        "  error: No solution found when resolving dependencies:\n"
        "  ╰─▶ Because no-such-package was not found in the package registry and you\n"
        "      require no-such-package, we can conclude that your requirements are unsatisfiable.\n"
        "hint: Relax the conflicting constraints named above, then run `parity lock` again.\n"
    )
    shown = _tail(said)
    assert shown.startswith("error: no set of versions satisfies the requirements:")
    assert "Because no-such-package was not found" in shown
    assert shown.endswith("then run `parity lock` again.")
    assert len(_tail("error: x\n" + "y" * 2000)) == 500


def test_strategies_pick_targets_and_pip_tools_has_a_word_for_each_way() -> None:
    from parity.compare.targets import select_targets

    assert select_targets(["pip-tools"]) == ("pip-tools", "pip-tools/pip-compile")
    assert select_targets(["pip-tools/parity"]) == ("pip-tools",)
    assert select_targets(["pip-tools/pip-compile,poetry"]) == ("pip-tools/pip-compile", "poetry")
    assert select_targets(["poetry", "pip-tools/parity"]) == ("pip-tools", "poetry")
