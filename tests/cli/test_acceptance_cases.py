"""Defects found by running parity, as a new user would, on public projects.

Each test is shaped like the real case (named in its docstring) and runs on
the local index: a uv workspace like a FastAPI full-stack template, a Poetry
app with a pre-release opt-in, a library whose CI checks out another
repository, a project whose tests live in a ``tests`` group.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fixtures import LocalIndex, make_project
from fixtures.real_cases import uv_workspace_project

Run = Callable[..., object]


def _ok(result: object) -> object:
    assert result.code == 0, result.err  # type: ignore[attr-defined]
    return result


# -- workspace members and local packages -------------------------------------------------


def test_a_dependency_added_to_a_workspace_member_makes_the_lock_stale(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """A template whose app lives in backend/: its pyproject.toml is the one people edit."""
    project = make_project(tmp_path, uv_workspace_project(local_index.url))
    _ok(run_parity("lock", "-p", project))
    _ok(run_parity("check", "-p", project, "--lock-only"))
    member = project / "packages/core/pyproject.toml"
    # A comment or a tool setting is not a requirement: the lock stays fresh.
    member.write_text(member.read_text() + "\n# note\n[tool.ruff]\nline-length = 99\n")
    _ok(run_parity("check", "-p", project, "--lock-only"))
    member.write_text(member.read_text().replace('["alpha<2"]', '["alpha<2", "beta"]'))
    result = run_parity("check", "-p", project, "--lock-only")
    assert result.code == 1  # type: ignore[attr-defined]
    assert "packages/core/pyproject.toml changed" in result.out  # type: ignore[attr-defined]


def test_a_dependency_added_to_a_local_path_package_makes_the_lock_stale(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(tmp_path, uv_workspace_project(local_index.url))
    _ok(run_parity("lock", "-p", project))
    vendored = project / "vendor/vendored/pyproject.toml"
    vendored.write_text(vendored.read_text().replace("dependencies = []", 'dependencies = ["beta"]'))
    result = run_parity("check", "-p", project, "--lock-only")
    assert result.code == 1  # type: ignore[attr-defined]
    assert "vendor/vendored/pyproject.toml changed" in result.out  # type: ignore[attr-defined]
