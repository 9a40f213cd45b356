from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import make_project
from parity.errors import SpecError
from parity.spec.load import load_project
from parity.spec.poetry import poetry_to_pep440


@pytest.mark.parametrize(
    ("poetry", "pep440"),
    [
        ("^1.2.3", ">=1.2.3,<2.0.0"),
        ("^1.2", ">=1.2,<2.0"),
        ("^1", ">=1,<2"),
        ("^0.2.3", ">=0.2.3,<0.3.0"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("^0", ">=0,<1"),
        ("~1.2.3", ">=1.2.3,<1.3.0"),
        ("~1.2", ">=1.2,<1.3"),
        ("~1", ">=1,<2"),
        ("*", ""),
        ("1.*", "==1.*"),
        ("1.2.*", "==1.2.*"),
        ("1.2.3", "==1.2.3"),
        ("==1.2.3", "==1.2.3"),
        (">= 1.2, < 1.5", ">=1.2,<1.5"),
        (">=1.2 <1.5", ">=1.2,<1.5"),
        ("!=1.3", "!=1.3"),
        ("~=1.4", "~=1.4"),
    ],
)
def test_poetry_constraints_translate(poetry: str, pep440: str) -> None:
    assert poetry_to_pep440(poetry) == pep440


def test_alternatives_are_refused_with_an_explanation() -> None:
    with pytest.raises(SpecError, match="alternatives"):
        poetry_to_pep440("^1.0 || ^2.0")


POETRY = """
[tool.poetry]
name = "bankchurn"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.10"
pandas = "^2.0.0"
scikit-learn = { version = "^1.3.0", extras = ["benchmark"] }
numpy = { version = "^1.26", python = "<3.12" }
mylib = { path = "libs/mylib", develop = true }
tool = { git = "https://git.example/tool.git", tag = "v1" }

[tool.poetry.group.dev.dependencies]
pytest = "^7.4.0"
"""


def test_poetry_project_groups_and_dependency_forms(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "pyproject.toml": POETRY,
            "libs/mylib/pyproject.toml": "[project]\nname='mylib'\nversion='1'\n",
        },
    )
    spec = load_project(root)
    assert spec.format == "poetry"
    assert spec.python.requires_python == ">=3.10,<4.0"
    reqs = {r.name: r for r in spec.group("prod").requirements}
    assert reqs["pandas"].requirement == "pandas>=2.0.0,<3.0.0"
    assert reqs["scikit-learn"].requirement == "scikit-learn[benchmark]>=1.3.0,<2.0.0"
    assert reqs["numpy"].requirement == "numpy>=1.26,<2.0 ; (python_version < '3.12')"
    assert reqs["mylib"].path == "libs/mylib" and reqs["mylib"].editable
    assert reqs["tool"].requirement == "tool @ git+https://git.example/tool.git@v1"
    assert spec.group("dev").includes == ("prod",)
    assert [r.requirement for r in spec.group("dev").requirements] == ["pytest>=7.4.0,<8.0.0"]
