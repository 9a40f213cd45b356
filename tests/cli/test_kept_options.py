"""Kept versions under a resolution mode or fork strategy of the project's own.

parity hands uv the versions to keep as a stand-in uv.lock.  ``uv lock``
drops every version of a lock made with another ``resolution`` or
``fork-strategy`` (its uv.lock's ``[options]``), so a stand-in without them
was dropped whenever the project set one: a lock after an unrelated change
moved every pin, where ``uv lock`` in the project keeps them.  Each case
runs the same steps through ``uv lock`` in a copy of the project and
through parity, and compares what each keeps.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fixtures import LocalIndex, Pkg, make_project, uv_bin
from parity import toml
from parity.lock.formats import requirements_txt

Run = Callable[..., object]

UPLOADED = "2020-01-01T00:00:00Z"  # before every exclude-newer below

SETTINGS = {
    "lowest-direct": 'resolution = "lowest-direct"',
    "lowest": 'resolution = "lowest"',
    "fewest": 'fork-strategy = "fewest"',
    "prerelease": 'prerelease = "allow"',
    # uv re-resolves when these change, but keeps the versions that still fit.
    "exclude-newer": 'exclude-newer = "2030-01-01T00:00:00Z"',
    "exclude-newer-span": 'exclude-newer = "1 week"',
    "default": "",
}


@pytest.fixture
def index(tmp_path: Path) -> Iterator[LocalIndex]:
    served = LocalIndex(tmp_path / "index")
    served.add(Pkg("alpha", "1.0"), Pkg("beta", "1.0"), upload_time=UPLOADED)
    with served.serve():
        yield served


def _pyproject(index: LocalIndex, dependencies: str, setting: str) -> str:
    return f"""
[project]
name = "options"
version = "0"
requires-python = ">=3.9"
dependencies = [{dependencies}]

[tool.uv]
package = false
{setting}

[[tool.uv.index]]
url = "{index.url}"
default = true
"""


def _both(tmp_path: Path, index: LocalIndex, setting: str) -> tuple[Path, Path]:
    files = {"pyproject.toml": _pyproject(index, '"alpha"', setting)}
    return make_project(tmp_path, files, name="uv"), make_project(tmp_path, files, name="parity")


def _uv_lock(project: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [uv_bin(), "lock", "--no-progress"], cwd=project, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    lock = toml.loads((project / "uv.lock").read_text())
    packages = lock["package"]
    assert isinstance(packages, list)
    return str(next(p["version"] for p in packages if p["name"] == "alpha"))


def _parity_lock(run_parity: Run, project: Path) -> str:
    result = run_parity("lock", "-p", project)
    assert result.code == 0, result.err  # type: ignore[attr-defined]
    pins = requirements_txt.read(project / "requirements.txt").pins
    return str(next(p.version for p in pins if p.name == "alpha"))


def _edit(projects: tuple[Path, ...], index: LocalIndex, dependencies: str, setting: str) -> None:
    for project in projects:
        (project / "pyproject.toml").write_text(_pyproject(index, dependencies, setting))


@pytest.mark.parametrize("key", list(SETTINGS))
def test_versions_are_kept_as_uv_lock_keeps_them(
    tmp_path: Path, index: LocalIndex, run_parity: Run, uv_env: dict[str, str], key: str
) -> None:
    uv_project, project = _both(tmp_path, index, SETTINGS[key])
    assert _uv_lock(uv_project, uv_env) == _parity_lock(run_parity, project) == "1.0"
    # Both an older and a newer alpha: whichever way the mode leans, it would move.
    index.add(Pkg("alpha", "0.5"), Pkg("alpha", "2.0"), upload_time=UPLOADED)
    _edit((uv_project, project), index, '"alpha", "beta"', SETTINGS[key])
    assert _uv_lock(uv_project, uv_env) == "1.0"
    assert _parity_lock(run_parity, project) == "1.0"


@pytest.mark.parametrize(
    ("before", "after", "moved"),
    [
        ("", SETTINGS["lowest-direct"], "0.5"),
        (SETTINGS["lowest-direct"], "", "2.0"),
        (SETTINGS["lowest"], SETTINGS["lowest-direct"], "0.5"),
        ("", SETTINGS["fewest"], "2.0"),
        # uv keeps the versions through these changes.
        (SETTINGS["exclude-newer"], 'exclude-newer = "2031-01-01T00:00:00Z"', "1.0"),
        ("", SETTINGS["prerelease"], "1.0"),
    ],
    ids=[
        "to-lowest-direct",
        "to-highest",
        "lowest-to-lowest-direct",
        "to-fewest",
        "exclude-newer-kept",
        "prerelease-kept",
    ],
)
def test_a_changed_setting_makes_the_lock_stale_and_relocks_as_uv_lock_does(
    tmp_path: Path,
    index: LocalIndex,
    run_parity: Run,
    uv_env: dict[str, str],
    before: str,
    after: str,
    moved: str,
) -> None:
    uv_project, project = _both(tmp_path, index, before)
    assert _uv_lock(uv_project, uv_env) == _parity_lock(run_parity, project) == "1.0"
    index.add(Pkg("alpha", "0.5"), Pkg("alpha", "2.0"), upload_time=UPLOADED)
    _edit((uv_project, project), index, '"alpha"', after)
    # The lock is stale as soon as the setting changes.
    check = run_parity("check", "-p", project)
    assert check.code == 1, check.out  # type: ignore[attr-defined]
    assert _uv_lock(uv_project, uv_env) == moved
    assert _parity_lock(run_parity, project) == moved


@pytest.mark.parametrize(
    ("before", "after", "kept"),
    [
        (SETTINGS["lowest-direct"], SETTINGS["lowest-direct"], "1.0"),
        (SETTINGS["fewest"], SETTINGS["fewest"], "1.0"),
        (SETTINGS["lowest-direct"], "", "2.0"),
        ("", SETTINGS["lowest-direct"], "0.5"),
    ],
    ids=["same-mode", "same-strategy", "to-highest", "to-lowest-direct"],
)
def test_an_adopted_uv_lock_is_kept_only_under_its_own_mode_as_uv_lock_does(
    tmp_path: Path,
    index: LocalIndex,
    run_parity: Run,
    uv_env: dict[str, str],
    before: str,
    after: str,
    kept: str,
) -> None:
    """parity's first lock of a project with a uv.lock keeps what ``uv lock`` would keep."""
    import shutil

    uv_project = make_project(tmp_path, {"pyproject.toml": _pyproject(index, '"alpha"', before)})
    assert _uv_lock(uv_project, uv_env) == "1.0"
    project = tmp_path / "parity"
    shutil.copytree(uv_project, project)
    index.add(Pkg("alpha", "0.5"), Pkg("alpha", "2.0"), upload_time=UPLOADED)
    _edit((uv_project, project), index, '"alpha", "beta"', after)
    assert _uv_lock(uv_project, uv_env) == kept
    assert _parity_lock(run_parity, project) == kept
