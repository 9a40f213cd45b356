from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import make_project
from parity.errors import SpecError
from parity.spec.load import load_project

PEP621 = """
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "demo"
version = "1.0"
requires-python = ">=3.10"
dependencies = ["pandas>=2", "pydantic>=2"]

[project.optional-dependencies]
gpu = ["torch"]

[dependency-groups]
test = ["pytest>=8"]
lint = ["ruff"]
dev = [{include-group = "test"}, {include-group = "lint"}, "ipython"]

[tool.parity]
outputs = { dev = "requirements/dev.txt" }
"""


def test_pep621_groups_extras_and_includes(tmp_path: Path) -> None:
    spec = load_project(make_project(tmp_path, {"pyproject.toml": PEP621}))
    assert spec.format == "pep621"
    assert spec.group_names == ("prod", "gpu", "test", "lint", "dev")
    assert spec.group("dev").includes == ("prod", "test", "lint")
    assert spec.group("dev").output == "requirements/dev.txt"
    assert {r.name for r in spec.requirements_of("dev")} == {
        "pandas",
        "pydantic",
        "pytest",
        "ruff",
        "ipython",
    }
    assert spec.python.requires_python == ">=3.10"
    assert spec.installable and spec.name == "demo"
    assert spec.group("prod").requirements[0].source.line == 9


def test_unknown_include_group_is_an_error(tmp_path: Path) -> None:
    text = "[project]\nname='x'\nversion='1'\ndependencies=[]\n[dependency-groups]\ndev=[{include-group='nope'}]\n"
    with pytest.raises(SpecError, match="unknown group 'nope'"):
        load_project(make_project(tmp_path, {"pyproject.toml": text}))


def test_include_group_cycle_is_an_error(tmp_path: Path) -> None:
    text = "[project]\nname='x'\nversion='1'\n[dependency-groups]\na=[{include-group='b'}]\nb=[{include-group='a'}]\n"
    with pytest.raises(SpecError, match="cycle"):
        load_project(make_project(tmp_path, {"pyproject.toml": text}))


def test_malformed_toml_reports_the_line(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_project(
            make_project(
                tmp_path, {"pyproject.toml": "[project]\nname = 'x'\ndependencies = [\n'a',,\n]\n"}
            )
        )
    assert info.value.path == "pyproject.toml"
    assert info.value.line == 4
    assert "invalid TOML" in info.value.message


def test_bad_requirement_in_pyproject_has_the_line(tmp_path: Path) -> None:
    text = "[project]\nname='x'\nversion='1'\ndependencies = [\n  'good',\n  'bad>>1',\n]\n"
    with pytest.raises(SpecError) as info:
        load_project(make_project(tmp_path, {"pyproject.toml": text}))
    assert info.value.line == 6


def test_outputs_for_unknown_groups_are_refused(tmp_path: Path) -> None:
    text = (
        "[project]\nname='x'\nversion='1'\ndependencies=[]\n[tool.parity]\noutputs={docs='d.txt'}\n"
    )
    with pytest.raises(SpecError, match="unknown group"):
        load_project(make_project(tmp_path, {"pyproject.toml": text}))


def test_uv_index_settings_are_read(tmp_path: Path) -> None:
    text = (
        "[project]\nname='x'\nversion='1'\ndependencies=['a']\n"
        "[[tool.uv.index]]\nurl='https://corp.example/simple'\ndefault=true\n"
        "[[tool.uv.index]]\nurl='https://extra.example/simple'\n"
    )
    spec = load_project(make_project(tmp_path, {"pyproject.toml": text}))
    assert spec.index.index_url == "https://corp.example/simple"
    assert spec.index.extra_index_urls == ("https://extra.example/simple",)


def test_only_the_tables_parity_reads_are_digested(tmp_path: Path) -> None:
    base = "[project]\nname='x'\nversion='1'\ndependencies=['a']\n"
    one = load_project(
        make_project(tmp_path / "1", {"pyproject.toml": base + "[tool.ruff]\nline-length=80\n"})
    )
    two = load_project(
        make_project(tmp_path / "2", {"pyproject.toml": base + "[tool.ruff]\nline-length=99\n"})
    )
    three = load_project(
        make_project(tmp_path / "3", {"pyproject.toml": base.replace("'a'", "'a>1'")})
    )
    assert one.inputs == two.inputs != three.inputs
