"""A package locked at two versions split by Python keeps its split on the next lock.

The split below exists only because of the previous lock: alpha 1.0 was
locked, then alpha 2.0 came out and the project asked for it on Python 3.11
and later.  Nothing in the inputs stops Python < 3.11 from moving to 2.0 too;
it stays on 1.0 because that is the version the lock has there, as ``uv lock``
keeps it in a project with that uv.lock.  A lock after an unrelated change
(one more package) must not move it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fixtures import LocalIndex, Pkg, make_project, uv_bin
from parity.lock.formats import pylock, requirements_txt

Run = Callable[..., object]

SPLIT_INPUT = "alpha ; python_version < '3.11'\nalpha>=2 ; python_version >= '3.11'\n"


@pytest.fixture
def index(tmp_path: Path) -> Iterator[LocalIndex]:
    served = LocalIndex(tmp_path / "index", [Pkg("alpha", "1.0"), Pkg("beta", "1.0")])
    with served.serve():
        yield served


def _project(tmp_path: Path, index: LocalIndex, requirements: str) -> Path:
    return make_project(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "forks"
                version = "0"
                requires-python = ">=3.9"
            """,
            "requirements.in": f"-i {index.url}\n{requirements}",
        },
    )


def _lock(run_parity: Run, project: Path, *args: str) -> str:
    result = run_parity("lock", "-p", project, *args)
    assert result.code == 0, result.err  # type: ignore[attr-defined]
    return str(result.out)  # type: ignore[attr-defined]


def _alpha(project: Path) -> list[tuple[str | None, str | None]]:
    pins = requirements_txt.read(project / "requirements.txt").pins
    return sorted((p.version, p.marker) for p in pins if p.name == "alpha")


SPLIT = [("1.0", "python_full_version < '3.11'"), ("2.0", "python_full_version >= '3.11'")]


def _split(run_parity: Run, project: Path, index: LocalIndex, *options: str) -> None:
    """Lock alpha 1.0, then ask for alpha 2.0 on Python 3.11 and later only."""
    _lock(run_parity, project, *options)
    assert _alpha(project) == [("1.0", None)]
    index.add(Pkg("alpha", "2.0"))
    (project / "requirements.in").write_text(f"-i {index.url}\n{SPLIT_INPUT}")
    _lock(run_parity, project, *options)
    assert _alpha(project) == SPLIT


@pytest.mark.parametrize("with_pylock", [True, False], ids=["pylock", "requirements-only"])
def test_a_split_kept_from_the_previous_lock_survives_an_unrelated_change(
    tmp_path: Path, index: LocalIndex, run_parity: Run, with_pylock: bool
) -> None:
    options = () if with_pylock else ("--no-pylock",)
    project = _project(tmp_path, index, "alpha\n")
    _split(run_parity, project, index, *options)
    (project / "requirements.in").write_text(f"-i {index.url}\n{SPLIT_INPUT}beta\n")
    out = _lock(run_parity, project, *options)
    assert _alpha(project) == SPLIT
    assert "alpha" not in out.split("Changes:")[-1]


def test_pylock_records_the_forks_the_next_lock_starts_from(
    tmp_path: Path, index: LocalIndex, run_parity: Run
) -> None:
    project = _project(tmp_path, index, "alpha\n")
    _split(run_parity, project, index)
    forks, python = pylock.recorded_forks((project / "pylock.toml").read_text())
    assert forks == ("python_full_version >= '3.11'", "python_full_version < '3.11'")
    assert python == ">=3.9"


def test_an_adopted_uv_lock_keeps_its_split_as_uv_lock_does(
    tmp_path: Path, index: LocalIndex, run_parity: Run, uv_env: dict[str, str]
) -> None:
    """The first parity lock of a project with a uv.lock keeps uv's forks and versions."""
    import subprocess

    project = make_project(
        tmp_path,
        {
            "pyproject.toml": f"""
                [project]
                name = "forks"
                version = "0"
                requires-python = ">=3.9"
                dependencies = ["alpha"]

                [tool.uv]
                package = false

                [[tool.uv.index]]
                url = "{index.url}"
                default = true
            """,
        },
    )

    def uv_lock() -> None:
        done = subprocess.run(
            [uv_bin(), "lock", "--no-progress"], cwd=project, env=uv_env, capture_output=True
        )
        assert done.returncode == 0, done.stderr

    uv_lock()
    index.add(Pkg("alpha", "2.0"))
    pyproject = project / "pyproject.toml"
    split = "\"alpha ; python_version < '3.11'\", \"alpha>=2 ; python_version >= '3.11'\""
    pyproject.write_text(pyproject.read_text().replace('["alpha"]', f"[{split}]"))
    uv_lock()
    # The unrelated change: uv itself keeps alpha 1.0 below 3.11 with it.
    pyproject.write_text(pyproject.read_text().replace(f"[{split}]", f'[{split}, "beta"]'))
    _lock(run_parity, project)
    assert _alpha(project) == SPLIT


def test_forks_of_another_lock_run_are_not_used(
    tmp_path: Path, index: LocalIndex, run_parity: Run
) -> None:
    """A pylock.toml left from an earlier lock (``--no-pylock`` since) does not steer uv."""
    from parity.lock.locker import previous_groups
    from parity.lock.preferences import existing_preferences
    from parity.spec.load import load_project

    project = _project(tmp_path, index, "alpha\n")
    _split(run_parity, project, index)

    def forks() -> tuple[str, ...]:
        spec = load_project(project)
        return existing_preferences(spec, previous_groups(spec, markers_as_written=True)).forks

    assert forks() == ("python_full_version >= '3.11'", "python_full_version < '3.11'")
    path = project / "pylock.toml"
    text = path.read_text()
    path.write_text(text.replace('\ngeneration = "sha256:', '\ngeneration = "sha256:0'))
    assert forks() == ()
