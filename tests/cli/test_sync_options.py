"""sync --extra and --no-install-project."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, make_project
from parity.env.installed import installed_distributions, read_venv

Run = Callable[..., object]


def project_files(index_url: str, backend: str = "hatchling") -> dict[str, str]:
    return {
        "pyproject.toml": f"""
            [build-system]
            requires = ["{backend}"]
            build-backend = "{backend}.build"

            [project]
            name = "app"
            version = "1.0"
            requires-python = ">=3.11"
            dependencies = ["alpha"]

            [project.optional-dependencies]
            fast = ["epsilon[fast]"]

            [dependency-groups]
            lint = ["tool-a"]

            [[tool.uv.index]]
            url = "{index_url}"
            default = true
        """,
        ".python-version": "3.11\n",
        "src/app/__init__.py": "",
    }


def installed(project: Path) -> set[str]:
    venv = read_venv(project / ".venv")
    assert venv is not None
    return set(installed_distributions(venv.site_packages))


def test_a_tools_group_syncs_when_the_project_cannot_be_built(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(tmp_path, project_files(local_index.url, backend="no-such-backend"))
    locked = run_parity("lock", "-p", project)
    assert locked.code == 0, locked.err  # type: ignore[attr-defined]
    failed = run_parity("sync", "-p", project, "--group", "lint")
    assert failed.code == 2  # type: ignore[attr-defined]
    assert "--no-install-project" in failed.err  # type: ignore[attr-defined]
    synced = run_parity("sync", "-p", project, "--group", "lint", "--no-install-project")
    assert synced.code == 0, synced.err  # type: ignore[attr-defined]
    assert installed(project) >= {"alpha", "beta", "tool-a"}
    assert "app" not in installed(project)


def test_extra_adds_the_extras_lock_to_the_group(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(tmp_path, project_files(local_index.url, backend="no-such-backend"))
    assert run_parity("lock", "-p", project).code == 0  # type: ignore[attr-defined]
    result = run_parity("sync", "-p", project, "--extra", "fast", "--no-install-project")
    assert result.code == 0, result.err  # type: ignore[attr-defined]
    assert {"alpha", "epsilon", "zeta"} <= installed(project)
    plain = run_parity("sync", "-p", project, "--no-install-project")
    assert plain.code == 0, plain.err  # type: ignore[attr-defined]
    assert "epsilon" not in installed(project)  # exactly the lock again


@pytest.mark.parametrize(
    "declared",
    [
        {
            "pyproject.toml": """
                [project]
                name = "app"
                version = "1.0"
                requires-python = ">=3.11"
                dynamic = ["dependencies", "optional-dependencies"]

                [tool.setuptools.dynamic]
                dependencies = { file = ["requirements/base.txt"] }
                optional-dependencies.fast = { file = ["requirements/fast.txt"] }
            """,
            "requirements/base.txt": "alpha\n",
            "requirements/fast.txt": "epsilon[fast]\n",
        },
        {
            "pyproject.toml": """
                [project]
                name = "app"
                version = "1.0"
                requires-python = ">=3.11"
                dynamic = ["dependencies", "optional-dependencies"]

                [tool.setuptools.dynamic]
                dependencies = { file = ["requirements.in"] }
                optional-dependencies.fast = { file = ["requirements-speed.in"] }
            """,
            "requirements.in": "alpha\n",
            "requirements-speed.in": "-r requirements.in\nepsilon[fast]\n",
        },
        {
            "pyproject.toml": """
                [tool.poetry]
                name = "app"
                version = "1.0"
                package-mode = false

                [tool.poetry.dependencies]
                python = ">=3.11"
                alpha = "*"
                epsilon = { version = "*", extras = ["fast"], optional = true }

                [tool.poetry.extras]
                fast = ["epsilon"]
            """,
        },
    ],
    ids=["setuptools-dynamic", "setuptools-dynamic-in-files", "poetry-extras"],
)
def test_extra_installs_an_extra_however_the_project_declares_it(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run, declared: dict[str, str]
) -> None:
    # sync --extra told an extra from its origin's wording, and refused setuptools'
    # dynamic extras as "a dependency group, not an extra".
    project = make_project(tmp_path, {**declared, ".python-version": "3.11\n"})
    locked = run_parity("lock", "-p", project, "--index-url", local_index.url)
    assert locked.code == 0, locked.err  # type: ignore[attr-defined]
    result = run_parity("sync", "-p", project, "--extra", "fast")
    assert result.code == 0, result.err  # type: ignore[attr-defined]
    assert {"alpha", "epsilon", "zeta"} <= installed(project)


def test_extra_that_is_a_dependency_group_is_refused(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(tmp_path, project_files(local_index.url))
    assert run_parity("lock", "-p", project).code == 0  # type: ignore[attr-defined]
    result = run_parity("sync", "-p", project, "--extra", "lint")
    assert result.code == 2  # type: ignore[attr-defined]
    assert "--group lint" in result.err  # type: ignore[attr-defined]
    unknown = run_parity("sync", "-p", project, "--extra", "gpu")
    assert unknown.code == 2 and "not an extra" in unknown.err  # type: ignore[attr-defined]


def test_sync_installs_from_the_index_the_lock_was_made_with(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `lock -i URL` writes the index into the lockfiles; sync used pip's configured
    # index instead, so the environment could not be built from the lock.
    project = make_project(tmp_path, {"requirements.in": "beta\n", ".python-version": "3.11\n"})
    locked = run_parity("lock", "-p", project, "--index-url", local_index.url)
    assert locked.code == 0, locked.err  # type: ignore[attr-defined]
    assert f"--index-url {local_index.url}" in (project / "requirements.txt").read_text()
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple/")  # nothing listens there
    synced = run_parity("sync", "-p", project)
    assert synced.code == 0, synced.err  # type: ignore[attr-defined]
    assert installed(project) >= {"beta"}


def two_extras(index_url: str) -> dict[str, str]:
    files = project_files(index_url, backend="no-such-backend")
    files["pyproject.toml"] = files["pyproject.toml"].replace(
        'fast = ["epsilon[fast]"]', 'fast = ["epsilon[fast]"]\n            win = ["gamma"]'
    )
    return files


@pytest.mark.parametrize(
    ("args", "extras"),
    [
        (["--group", "lint", "--extra", "fast"], ["fast"]),
        (["--group", "lint", "--extra", "fast", "--extra", "win"], ["fast", "win"]),
    ],
    ids=["one-extra", "two-extras"],
)
def test_check_after_sync_extra_compares_with_what_sync_installed(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run, args: list[str], extras: list[str]
) -> None:
    # check without --group took the closest group's lock alone and reported the
    # extra's packages (or the group's) as not in the lock.
    project = make_project(tmp_path, two_extras(local_index.url))
    assert run_parity("lock", "-p", project).code == 0  # type: ignore[attr-defined]
    synced = run_parity("sync", "-p", project, *args, "--no-install-project")
    assert synced.code == 0, synced.err  # type: ignore[attr-defined]
    checked = run_parity("check", "-p", project, "--json")
    assert checked.code == 0, checked.out  # type: ignore[attr-defined]
    report = json.loads(checked.out)  # type: ignore[attr-defined]
    assert (report["group"], report["extras"]) == ("lint", extras)
    assert report["environment_method"] == "stamp"  # sync's stamp answers
    text = run_parity("check", "-p", project)
    assert text.code == 0, text.out  # type: ignore[attr-defined]
    assert "matches the 'lint' lock with extra fast" in text.out  # type: ignore[attr-defined]


def test_check_after_sync_extra_still_catches_a_difference(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(tmp_path, two_extras(local_index.url))
    assert run_parity("lock", "-p", project).code == 0  # type: ignore[attr-defined]
    synced = run_parity(
        "sync", "-p", project, "--group", "lint", "--extra", "fast", "--no-install-project"
    )
    assert synced.code == 0, synced.err  # type: ignore[attr-defined]
    venv = read_venv(project / ".venv")
    assert venv is not None
    for dist_info in venv.site_packages.glob("zeta-*.dist-info"):
        shutil.rmtree(dist_info)  # the extra's dependency gone
    checked = run_parity("check", "-p", project, "--json")
    assert checked.code == 1, checked.out  # type: ignore[attr-defined]
    findings = json.loads(checked.out)["findings"]  # type: ignore[attr-defined]
    assert [(f["code"], f["subject"]) for f in findings] == [("package-missing", "zeta")]
    assert "--group lint --extra fast" in findings[0]["fix"]
