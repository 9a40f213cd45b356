"""Hatch environments' requirements are not locked, and `parity lock` says so."""

from __future__ import annotations

from pathlib import Path

from fixtures import make_project
from parity.spec.load import load_project

PYPROJECT = """
[project]
name = "app"
version = "1"
dependencies = ["beta"]
"""


def notes(root: Path) -> list[str]:
    return [n for n in load_project(root).notes if "Hatch" in n]


def test_environments_of_hatch_toml_are_named_in_file_order(tmp_path: Path) -> None:
    # pypa/hatch's own layout: the docs, coverage and types tools live only here.
    root = make_project(
        tmp_path,
        {
            "pyproject.toml": PYPROJECT,
            "hatch.toml": """
                [envs.default]
                installer = "uv"

                [envs.coverage]
                detached = true
                dependencies = ["coverage[toml]>=6.2"]

                [envs.types]
                extra-dependencies = ["mypy>=1.0.0"]
            """,
        },
    )
    (note,) = notes(root)
    assert note.startswith(
        "not read: the requirements of the Hatch environments coverage, types (hatch.toml [envs])"
    )
    assert "[dependency-groups]" in note


def test_environments_of_pyproject_toml(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "pyproject.toml": PYPROJECT
            + '[tool.hatch.envs.docs]\ndependencies = ["mkdocs"]\n'
            + '[tool.hatch.envs.test]\ndependency-groups = ["test"]\n'
            + '[dependency-groups]\ntest = ["pytest"]\n'
        },
    )
    (note,) = notes(root)
    assert "Hatch environments docs (pyproject.toml [tool.hatch.envs])" in note
    assert {g.name for g in load_project(root).groups} == {"prod", "test"}


def test_no_note_without_environment_requirements(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {"pyproject.toml": PYPROJECT, "hatch.toml": "[envs.default]\ninstaller = 'uv'\n"},
    )
    assert notes(root) == []


def test_a_broken_hatch_toml_is_left_to_hatch(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"pyproject.toml": PYPROJECT, "hatch.toml": "[envs\n"})
    assert notes(root) == []
