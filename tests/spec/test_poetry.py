"""Poetry projects: constraint translation and the [tool.poetry] tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.requirements import Requirement

from fixtures import make_project
from parity.errors import SpecError
from parity.spec.load import load_project
from parity.spec.model import ProjectSpec, SourceRef
from parity.spec.poetry import (
    PoetryDependency,
    dependency_requirements,
    poetry_to_pep440,
    python_marker,
)

# -- constraint translation --------------------------------------------------------


@pytest.mark.parametrize(
    ("poetry", "pep440"),
    [
        # caret: bump the left-most non-zero component
        ("^1.2.3", ">=1.2.3,<2.0.0"),
        ("^1.2", ">=1.2,<2.0"),
        ("^1", ">=1,<2"),
        ("^0.2.3", ">=0.2.3,<0.3.0"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("^0.0", ">=0.0,<0.1"),
        ("^0", ">=0,<1"),
        ("^ 1.2", ">=1.2,<2.0"),
        ("^1.0.0-beta.1", ">=1.0.0b1,<2.0.0"),
        # tilde: bump minor (or major when only major is given)
        ("~1.2.3", ">=1.2.3,<1.3.0"),
        ("~1.2", ">=1.2,<1.3"),
        ("~1", ">=1,<2"),
        # wildcards
        ("*", ""),
        ("", ""),
        ("1.*", "==1.*"),
        ("1.2.*", "==1.2.*"),
        ("!=1.2.*", "!=1.2.*"),
        # comparisons, with or without commas and spaces
        (">=1.2,<1.5", ">=1.2,<1.5"),
        (">= 1.2, < 1.5", ">=1.2,<1.5"),
        (">=1.2 <1.5", ">=1.2,<1.5"),
        ("^1.2,!=1.2.5", ">=1.2,<2.0,!=1.2.5"),
        ("<2", "<2"),
        ("> 1", ">1"),
        # exact versions
        ("1.2.3", "==1.2.3"),
        ("==1.2.3", "==1.2.3"),
        ("=1.2.3", "==1.2.3"),
        ("!=1.3", "!=1.3"),
        ("<>1.3", "!=1.3"),
        # PEP 440 compatible release is not Poetry's tilde
        ("~=1.4", "~=1.4"),
        ("~= 1.4.2", "~=1.4.2"),
    ],
)
def test_poetry_constraints_translate(poetry: str, pep440: str) -> None:
    assert poetry_to_pep440(poetry) == pep440


@pytest.mark.parametrize("constraint", ["^1.0 || ^3.0", "1.2.3 || 1.2.5", "^1.0 | ^3.0"])
def test_alternatives_are_refused_with_an_explanation(constraint: str) -> None:
    with pytest.raises(SpecError) as info:
        poetry_to_pep440(constraint)
    assert "alternatives" in info.value.message
    assert "cannot say" in info.value.message
    assert info.value.hint is not None and "range" in info.value.hint


@pytest.mark.parametrize(
    ("constraint", "pep440"),
    [("^1.0 || ^2.0", ">=1.0,<3.0"), ("^1.0 | ^2.0", ">=1.0,<3.0"), ("1.* || 2.*", ">=1,<3")],
)
def test_alternatives_that_join_into_one_range_become_it(constraint: str, pep440: str) -> None:
    assert poetry_to_pep440(constraint) == pep440


@pytest.mark.parametrize("constraint", ["^x", "^", "~abc", ">=1.*", "1.2.x", "latest"])
def test_unreadable_constraints_are_refused(constraint: str) -> None:
    with pytest.raises(SpecError) as info:
        poetry_to_pep440(constraint)
    assert repr(constraint) in info.value.message
    assert info.value.hint


@pytest.mark.parametrize(
    ("python", "marker"),
    [
        ("^3.9", "python_version >= '3.9' and python_version < '4.0'"),
        ("<3.12", "python_version < '3.12'"),
        ("~3.9.1", "python_full_version >= '3.9.1' and python_full_version < '3.10.0'"),
        ("3.10.*", "python_version == '3.10.*'"),
        ("*", ""),
    ],
)
def test_python_constraints_become_markers(python: str, marker: str) -> None:
    assert python_marker(python) == marker


# -- dependency forms --------------------------------------------------------------


def test_string_dependency_is_translated() -> None:
    assert dependency_requirements("pandas", "^2.0") == [PoetryDependency("pandas>=2.0,<3.0")]


def test_any_version_dependency_has_no_specifier() -> None:
    assert dependency_requirements("pandas", "*") == [PoetryDependency("pandas")]


def test_table_with_version_extras_markers_and_python() -> None:
    [dep] = dependency_requirements(
        "uvicorn",
        {
            "version": "^0.24",
            "extras": ["standard"],
            "markers": "sys_platform == 'linux'",
            "python": ">=3.10",
        },
    )
    assert dep.text == (
        "uvicorn[standard]>=0.24,<0.25 ; (sys_platform == 'linux') and (python_version >= '3.10')"
    )
    Requirement(dep.text)


def test_platform_becomes_a_marker() -> None:
    [dep] = dependency_requirements("pywin32", {"version": "*", "platform": "win32"})
    assert dep.text == "pywin32 ; (sys_platform == 'win32')"


def test_optional_dependency_is_marked_optional() -> None:
    [dep] = dependency_requirements("torch", {"version": "^2", "optional": True})
    assert dep.optional and dep.text == "torch>=2,<3"


def test_path_dependency_keeps_path_and_develop() -> None:
    [dep] = dependency_requirements("mylib", {"path": "../mylib", "develop": True})
    assert (dep.path, dep.editable, dep.text) == ("../mylib", True, "mylib @ ../mylib")


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ({"rev": "abc123"}, "tool @ git+https://git.example/tool.git@abc123"),
        ({"tag": "v1"}, "tool @ git+https://git.example/tool.git@v1"),
        ({"branch": "main"}, "tool @ git+https://git.example/tool.git@main"),
        ({}, "tool @ git+https://git.example/tool.git"),
        (
            {"tag": "v1", "subdirectory": "py"},
            "tool @ git+https://git.example/tool.git@v1#subdirectory=py",
        ),
    ],
)
def test_git_dependency_becomes_a_vcs_url(ref: dict[str, str], expected: str) -> None:
    [dep] = dependency_requirements("tool", {"git": "https://git.example/tool.git", **ref})
    assert dep.text == expected
    Requirement(dep.text)


def test_scp_like_git_address_becomes_an_ssh_url() -> None:
    [dep] = dependency_requirements("tool", {"git": "git@git.example:org/tool.git", "tag": "v2"})
    assert dep.text == "tool @ git+ssh://git@git.example/org/tool.git@v2"


def test_url_dependency_is_a_direct_reference() -> None:
    [dep] = dependency_requirements(
        "pkg", {"url": "https://files.example/pkg-1.0.tar.gz", "extras": ["x"]}
    )
    assert dep.text == "pkg[x] @ https://files.example/pkg-1.0.tar.gz"


def test_multiple_constraints_become_one_requirement_each() -> None:
    deps = dependency_requirements(
        "numpy",
        [{"version": "^1.26", "python": "<3.12"}, {"version": "^2.0", "python": ">=3.12"}],
    )
    assert [d.text for d in deps] == [
        "numpy>=1.26,<2.0 ; (python_version < '3.12')",
        "numpy>=2.0,<3.0 ; (python_version >= '3.12')",
    ]


def test_dependency_of_another_type_is_refused() -> None:
    with pytest.raises(SpecError, match="cannot read the dependency 'x'"):
        dependency_requirements("x", 3)


# -- Poetry projects ---------------------------------------------------------------

POETRY = """
[tool.poetry]
name = "bankchurn"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.10"
pandas = "^2.0.0"
scikit-learn = { version = "^1.3.0", extras = ["benchmark"] }
numpy = { version = "^1.26", python = "<3.12" }
mylib = { path = "libs/mylib", develop = true, extras = ["fast"], markers = "os_name == 'posix'" }
tool = { git = "https://git.example/tool.git", tag = "v1" }

[tool.poetry.group.dev.dependencies]
pytest = "^7.4.0"

[tool.poetry.group.docs]
optional = true

[tool.poetry.group.docs.dependencies]
sphinx = "*"
"""
MYLIB = {"libs/mylib/pyproject.toml": "[project]\nname='mylib'\nversion='1'\n"}


def load(tmp_path: Path, text: str, **files: str) -> ProjectSpec:
    return load_project(make_project(tmp_path, {"pyproject.toml": text, **files}))


def spec_error(tmp_path: Path, text: str, **files: str) -> SpecError:
    with pytest.raises(SpecError) as info:
        load(tmp_path, text, **files)
    return info.value


def test_poetry_project_groups_and_dependency_forms(tmp_path: Path) -> None:
    spec = load(tmp_path, POETRY, **MYLIB)
    assert spec.format == "poetry"
    assert spec.name == "bankchurn"
    assert spec.group_names == ("prod", "dev", "docs")
    assert spec.python.requires_python == ">=3.10,<4.0"
    assert spec.python.source == SourceRef("pyproject.toml", 6)
    reqs = {r.name: r for r in spec.group("prod").requirements}
    assert "python" not in reqs
    assert reqs["pandas"].requirement == "pandas>=2.0.0,<3.0.0"
    assert reqs["scikit-learn"].requirement == "scikit-learn[benchmark]>=1.3.0,<2.0.0"
    assert reqs["numpy"].requirement == "numpy>=1.26,<2.0 ; (python_version < '3.12')"
    assert reqs["mylib"].requirement == "mylib[fast] @ ./libs/mylib ; (os_name == 'posix')"
    assert reqs["mylib"].path == "libs/mylib" and reqs["mylib"].editable
    assert reqs["tool"].requirement == "tool @ git+https://git.example/tool.git@v1"
    assert spec.group("dev").includes == ("prod",)
    assert spec.group("dev").output == "requirements-dev.txt"
    assert [r.requirement for r in spec.group("dev").requirements] == ["pytest>=7.4.0,<8.0.0"]
    assert [r.requirement for r in spec.group("docs").requirements] == ["sphinx"]


def test_poetry_requirements_carry_their_line(tmp_path: Path) -> None:
    spec = load(tmp_path, POETRY, **MYLIB)
    assert spec.group("prod").requirements[0].source == SourceRef("pyproject.toml", 7)
    assert spec.group("dev").requirements[0].source == SourceRef("pyproject.toml", 14)
    assert spec.group("dev").source == SourceRef("pyproject.toml", 13)


def test_legacy_dev_dependencies_are_the_dev_group(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        "[tool.poetry.dependencies]\npython = '^3.11'\nalpha = '^1'\n"
        "[tool.poetry.dev-dependencies]\npytest = '^8'\n",
    )
    assert spec.group_names == ("prod", "dev")
    assert [r.requirement for r in spec.group("dev").requirements] == ["pytest>=8,<9"]
    assert spec.group("dev").includes == ("prod",)


def test_legacy_dev_dependencies_merge_with_the_dev_group(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        "[tool.poetry.dependencies]\nalpha = '*'\n"
        "[tool.poetry.dev-dependencies]\npytest = '*'\n"
        "[tool.poetry.group.dev.dependencies]\nruff = '*'\n",
    )
    assert spec.group_names == ("prod", "dev")
    assert [r.name for r in spec.group("dev").requirements] == ["pytest", "ruff"]


def test_poetry_group_include_groups(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        "[tool.poetry.dependencies]\nalpha = '*'\n"
        "[tool.poetry.group.test.dependencies]\npytest = '*'\n"
        "[tool.poetry.group.dev]\ninclude-groups = ['test']\n"
        "[tool.poetry.group.dev.dependencies]\nruff = '*'\n",
    )
    assert spec.group("dev").includes == ("prod", "test")


def test_poetry_include_group_cycle_is_refused(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path,
        "[tool.poetry.group.a]\ninclude-groups = ['b']\n"
        "[tool.poetry.group.b]\ninclude-groups = ['a']\n",
    )
    assert "cycle: a -> b -> a" in error.message


def test_poetry_groups_without_main_dependencies_have_no_prod(tmp_path: Path) -> None:
    spec = load(tmp_path, "[tool.poetry.group.dev.dependencies]\npytest = '*'\n")
    assert spec.format == "poetry"
    assert spec.group_names == ("dev",)
    assert spec.group("dev").includes == ()


def test_python_only_main_table_still_defines_an_empty_prod(tmp_path: Path) -> None:
    spec = load(tmp_path, "[tool.poetry.dependencies]\npython = '3.11.*'\n")
    assert spec.group_names == ("prod",)
    assert spec.group("prod").requirements == ()
    assert spec.python.requires_python == "==3.11.*"


def test_any_python_means_no_range(tmp_path: Path) -> None:
    spec = load(tmp_path, "[tool.poetry.dependencies]\npython = '*'\nalpha = '*'\n")
    assert spec.python.requires_python is None


def test_poetry_extras_select_optional_dependencies(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        "[tool.poetry.dependencies]\nalpha = '*'\n"
        "Torch_Lib = { version = '^2', optional = true }\n"
        "[tool.poetry.extras]\nGPU = ['torch-lib']\n",
    )
    assert spec.group_names == ("prod", "gpu")
    assert [r.name for r in spec.group("prod").requirements] == ["alpha"]
    assert [r.requirement for r in spec.group("gpu").requirements] == ["Torch_Lib>=2,<3"]
    assert spec.group("gpu").includes == ("prod",)
    assert spec.group("gpu").extra and not spec.group("prod").extra


def test_extra_naming_a_required_dependency_moves_it_there_as_poetry_does(
    tmp_path: Path,
) -> None:
    # Poetry installs it only with the extra (its lock marks it extra == "x"):
    # a project Poetry locks and installs is read, not refused, and parity says so.
    spec = load(
        tmp_path,
        "[tool.poetry.dependencies]\nalpha = '*'\nbeta = '^1'\n"
        "[tool.poetry.extras]\nx = ['alpha']\ny = ['Alpha', 'beta']\n",
    )
    assert [r.name for r in spec.group("prod").requirements] == []
    assert [r.name for r in spec.group("x").requirements] == ["alpha"]
    assert [r.requirement for r in spec.group("y").requirements] == ["alpha", "beta>=1,<2"]
    (note,) = [n for n in spec.notes if "not marked optional" in n]
    assert "alpha (x, y), beta (y)" in note


def test_extra_naming_no_dependency_is_left_out_with_a_note(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        "[tool.poetry.dependencies]\nalpha = { version = '*', optional = true }\n"
        "[tool.poetry.extras]\nx = ['alpha', 'typo-pkg']\n",
    )
    assert [r.name for r in spec.group("x").requirements] == ["alpha"]
    (note,) = [n for n in spec.notes if "typo-pkg" in n]
    assert note.startswith("pyproject.toml:4: extra 'x' names 'typo-pkg'")


def test_untranslatable_constraint_names_the_dependency_and_line(tmp_path: Path) -> None:
    error = spec_error(tmp_path, "[tool.poetry.dependencies]\nalpha = '*'\nbeta = '^1.0 || ^3.0'\n")
    assert error.message.startswith("dependency 'beta': Poetry constraint")
    assert (error.path, error.line) == ("pyproject.toml", 3)
    assert error.hint


def test_untranslatable_python_constraint_has_its_line(tmp_path: Path) -> None:
    error = spec_error(tmp_path, "[tool.poetry.dependencies]\npython = '^2.7 || ^3.6'\n")
    assert error.message.startswith("python: ")
    assert error.line == 2


def test_dependency_with_an_invalid_marker_is_refused(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path, "[tool.poetry.dependencies]\nalpha = { version = '*', markers = 'nonsense' }\n"
    )
    assert "not a valid requirement" in error.message and error.line == 2


def test_poetry2_project_dependencies_are_prod(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        "[project]\nname = 'app'\nrequires-python = '>=3.11'\n"
        "dependencies = ['alpha>=1', 'beta']\n"
        "[tool.poetry.dependencies]\nalpha = { version = '<2', source = 'corp' }\n"
        "gamma = '^1'\n"
        "[tool.poetry.group.dev.dependencies]\npytest = '*'\n"
        "[[tool.poetry.source]]\nname = 'corp'\nurl = 'https://corp.example/simple'\n"
        "priority = 'explicit'\n",
    )
    assert spec.format == "poetry"
    # Poetry 2: [project] declares the dependencies; [tool.poetry] refines alpha, and
    # gamma (named only there) is not a dependency at all, which parity says.
    prod = spec.group("prod").requirements
    assert [r.requirement for r in prod] == ["alpha>=1,<2", "beta"]
    assert prod[0].index == "https://corp.example/simple"
    assert any("gamma not read" in note for note in spec.notes)
    assert spec.python.requires_python == ">=3.11"
    assert spec.group("dev").includes == ("prod",)


def test_poetry_package_mode_false_is_not_installable(tmp_path: Path) -> None:
    text = (
        "[build-system]\nrequires = ['poetry-core']\nbuild-backend = 'poetry.core.masonry.api'\n"
        + POETRY.replace('version = "0.1.0"', 'version = "0.1.0"\npackage-mode = false')
    )
    assert not load(tmp_path, text, **MYLIB).installable
    assert load(tmp_path / "b", text.replace("package-mode = false", ""), **MYLIB).installable
