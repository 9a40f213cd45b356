"""load_project: format detection, [tool.parity] outputs, the Python target, inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import make_project
from parity.errors import SpecError, UsageError
from parity.spec.load import load_project
from parity.spec.model import ProjectSpec, SourceRef

PEP621 = "[project]\nname = 'demo'\nversion = '1'\ndependencies = ['alpha']\n"
POETRY = "[tool.poetry.dependencies]\npython = '^3.11'\nbeta = '^1'\n"


def load(tmp_path: Path, files: dict[str, str], **kwargs: dict[str, str]) -> ProjectSpec:
    return load_project(make_project(tmp_path, files), **kwargs)


def spec_error(tmp_path: Path, files: dict[str, str]) -> SpecError:
    with pytest.raises(SpecError) as info:
        load(tmp_path, files)
    return info.value


# -- detection ---------------------------------------------------------------------


def test_two_input_styles_stop_and_name_the_files_and_the_option(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path,
        {
            "pyproject.toml": PEP621,
            "requirements/main.in": "gamma\n",
            "requirements/dev.in": "beta\n",
        },
    )
    assert "two styles" in error.message
    assert "requirements/main.in" in error.message and "requirements/dev.in" in error.message
    assert error.path == "pyproject.toml"
    assert error.hint is not None
    assert "--format" in error.hint and "[tool.parity]" in error.hint


def test_poetry_tables_and_requirements_in_stop_too(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"pyproject.toml": PEP621 + POETRY, "requirements.in": "g\n"})
    assert "[tool.poetry] dependencies" in error.message


@pytest.mark.parametrize(
    ("how", "fmt"),
    [("cli", "requirements-in"), ("cli", "pep621"), ("config", "requirements-in")],
)
def test_the_format_option_chooses_and_the_other_files_are_named(
    tmp_path: Path, how: str, fmt: str
) -> None:
    pyproject = PEP621 + (f"[tool.parity]\nformat = '{fmt}'\n" if how == "config" else "")
    root = make_project(tmp_path, {"pyproject.toml": pyproject, "requirements/dev.in": "beta\n"})
    spec = load_project(root, format=fmt if how == "cli" else None)
    assert spec.format == fmt
    unread = "pyproject.toml requirements" if fmt == "requirements-in" else "requirements/dev.in"
    assert any(note.startswith(unread) and "not read" in note for note in spec.notes)


def test_requested_format_that_is_absent_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"pyproject.toml": PEP621})
    with pytest.raises(UsageError, match="poetry"):
        load_project(root, format="poetry")
    with pytest.raises(UsageError, match="unknown format"):
        load_project(root, format="pipenv")


def test_in_files_that_install_the_project_are_read_with_the_pyproject(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "pyproject.toml": PEP621,
            "requirements/dev.in": "-e .\nbeta\n",
            "requirements/docs.in": "gamma\n",
        },
    )
    assert spec.format == "pyproject+requirements-in"
    assert spec.group_names == ("prod", "dev", "docs")
    assert [r.name for r in spec.group("prod").requirements] == ["alpha"]
    dev = spec.group("dev")
    assert [(r.name, r.path) for r in dev.requirements] == [("demo", "."), ("beta", None)]
    assert dev.origin == "requirements/dev.in"
    assert any("together" in note for note in spec.notes)


def test_empty_project_dependencies_leave_it_to_the_in_files(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'a'\nversion = '1'\ndependencies = []\n",
            "requirements/dev.in": "beta\n",
        },
    )
    assert spec.format == "requirements-in"
    assert spec.group_names == ("dev",)


def test_dependency_groups_table_alone_is_a_pep621_project(tmp_path: Path) -> None:
    spec = load(tmp_path, {"pyproject.toml": "[dependency-groups]\ndev = ['x']\n"})
    assert spec.format == "pep621"


def test_pyproject_without_dependency_tables_leaves_it_to_requirements_in(
    tmp_path: Path,
) -> None:
    spec = load(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'app'\nversion = '1'\n[tool.ruff]\nline-length = 99\n",
            "requirements.in": "gamma\n",
        },
    )
    assert spec.format == "requirements-in"
    assert spec.name == "app"
    assert not spec.installable


def test_requirements_directory_alone_is_detected(tmp_path: Path) -> None:
    assert load(tmp_path, {"requirements/dev.in": "x\n"}).format == "requirements-in"


def test_no_inputs_names_the_directory_and_what_parity_reads(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, {"README.md": "hi", "pyproject.toml": "[tool.ruff]\n"}, name="app"
    )
    with pytest.raises(SpecError) as info:
        load_project(root)
    assert "no project inputs found in app/" in info.value.message
    assert info.value.hint is not None
    for name in ("requirements.in", "pyproject.toml", "[dependency-groups]", "[tool.poetry"):
        assert name in info.value.hint


def test_dynamic_dependencies_get_their_own_explanation(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path, {"pyproject.toml": "[project]\nname = 'x'\ndynamic = ['dependencies']\n"}
    )
    assert "dynamic" in error.message
    assert error.path == "pyproject.toml"


_HATCH_DYNAMIC = """
    [project]
    name = "mcp"
    dynamic = ["version", "dependencies"]

    [build-system]
    requires = ["hatchling"]
    build-backend = "hatchling.build"
"""


def test_dynamic_dependencies_name_the_project_not_its_checkout_folder(tmp_path: Path) -> None:
    """A checkout is often named otherwise than its project (python-sdk holds mcp)."""
    root = make_project(tmp_path, {"pyproject.toml": _HATCH_DYNAMIC}, name="python-sdk")
    with pytest.raises(SpecError) as info:
        load_project(root)
    error = info.value
    assert error.message.startswith("project mcp declares its dependencies dynamic")
    assert "python-sdk" not in error.message
    assert (error.path, error.line) == ("pyproject.toml", 3)
    assert error.hint is not None and "requirements.in" in error.hint
    assert "setuptools" not in error.hint  # hatchling builds it: no setuptools table helps


def test_dynamic_dependencies_read_as_pep_621_name_the_project_too(tmp_path: Path) -> None:
    """Extras are read from pyproject.toml, the dependencies are nowhere: setuptools' way out."""
    files = {
        "pyproject.toml": "[project]\nname = 'Stuff'\ndynamic = ['dependencies']\n"
        "optional-dependencies = { x = ['alpha'] }\n"
    }
    root = make_project(tmp_path, files, name="checkout")
    with pytest.raises(SpecError) as info:
        load_project(root)
    error = info.value
    assert error.message.startswith("project Stuff declares its dependencies dynamic")
    assert "checkout" not in error.message
    assert (error.path, error.line) == ("pyproject.toml", 3)
    assert error.hint is not None and "[tool.setuptools.dynamic]" in error.hint


def test_dynamic_dependencies_with_requirements_in_read_the_in_files(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'x'\ndynamic = ['dependencies']\n",
            "requirements.in": "alpha\n",
        },
    )
    assert spec.format == "requirements-in"


def test_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no such project directory"):
        load_project(tmp_path / "absent")


def test_root_is_resolved(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"requirements.in": "alpha\n"})
    spec = load_project(root / ".." / root.name)
    assert spec.root == root.resolve()


# -- outputs -----------------------------------------------------------------------


def test_tool_parity_outputs_rename_lockfiles(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "pyproject.toml": PEP621
            + "[dependency-groups]\ndev = ['x']\n[tool.parity]\noutputs = { dev = 'locks/dev.txt' }\n"
        },
    )
    assert spec.group("dev").output == "locks/dev.txt"
    assert spec.group("prod").output == "requirements.txt"


def test_tool_parity_outputs_apply_to_requirements_in_projects(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "pyproject.toml": "[tool.parity]\noutputs = { prod = 'locks/prod.txt' }\n",
            "requirements.in": "alpha\n",
        },
    )
    assert spec.group("prod").output == "locks/prod.txt"
    assert "pyproject.toml" in [i.path for i in spec.inputs]


def test_parity_toml_outputs_and_python(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "parity.toml": "python = '3.12'\n[outputs]\nprod = 'locked.txt'\n",
            "requirements.in": "alpha\n",
        },
    )
    assert spec.group("prod").output == "locked.txt"
    assert spec.python.pinned == "3.12"
    assert spec.python.source == SourceRef("parity.toml", 1)
    assert "parity.toml" in [i.path for i in spec.inputs]


def test_parity_toml_may_hold_a_tool_parity_table(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "parity.toml": "[tool.parity]\noutputs = { prod = 'locked.txt' }\n",
            "requirements.in": "alpha\n",
        },
    )
    assert spec.group("prod").output == "locked.txt"


def test_parity_toml_wins_over_pyproject(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "pyproject.toml": PEP621 + "[tool.parity]\noutputs = { prod = 'a.txt' }\n",
            "parity.toml": "outputs = { prod = 'b.txt' }\n",
        },
    )
    assert spec.group("prod").output == "b.txt"


def test_command_line_outputs_win_over_the_project(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {"pyproject.toml": PEP621 + "[tool.parity]\noutputs = { prod = 'a.txt' }\n"},
        groups_output={"prod": "cli.txt"},
    )
    assert spec.group("prod").output == "cli.txt"


def test_outputs_for_unknown_groups_are_refused_at_their_line(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path, {"pyproject.toml": PEP621 + "[tool.parity]\noutputs = { docs = 'd.txt' }\n"}
    )
    assert "unknown group 'docs'" in error.message
    assert (error.path, error.line) == ("pyproject.toml", 6)
    assert error.hint is not None and "prod" in error.hint


def test_unknown_group_from_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown group 'docs'"):
        load(tmp_path, {"requirements.in": "a\n"}, groups_output={"docs": "d.txt"})


@pytest.mark.parametrize("output", ["/abs/dev.txt", "../dev.txt", "C:/dev.txt", ""])
def test_output_outside_the_project_is_refused(tmp_path: Path, output: str) -> None:
    error = spec_error(
        tmp_path,
        {
            "pyproject.toml": f"[tool.parity]\noutputs = {{ prod = '{output}' }}\n",
            "requirements.in": "a\n",
        },
    )
    assert "inside the project" in error.message


def test_output_overwriting_an_input_is_refused(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path,
        {
            "pyproject.toml": "[tool.parity]\noutputs = { dev = 'requirements.in' }\n",
            "requirements.in": "a\n",
            "requirements-dev.in": "-r requirements.in\n",
        },
    )
    assert "which is an input file" in error.message
    assert error.path == "pyproject.toml"


def test_two_groups_with_one_output_are_refused(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path,
        {
            "pyproject.toml": "[tool.parity]\noutputs = { dev = 'requirements.txt' }\n",
            "requirements.in": "a\n",
            "requirements-dev.in": "b\n",
        },
    )
    assert "would both be locked into requirements.txt" in error.message


def test_outputs_that_are_not_a_table_of_strings_are_refused(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path,
        {"pyproject.toml": "[tool.parity]\noutputs = ['x']\n", "requirements.in": "a\n"},
    )
    assert "outputs must map group names to file names" in error.message
    assert error.line == 2


# -- the Python target -------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "pinned", "line"),
    [
        ("3.11\n", "3.11", 1),
        ("3.11.7\n", "3.11.7", 1),
        ("# the project's Python\n\n3.12\n3.11\n", "3.12", 3),
        ("cpython-3.11.7\n", "3.11.7", 1),
        ("3.13t\n", "3.13", 1),
    ],
)
def test_python_version_file_pins_its_first_version(
    tmp_path: Path, content: str, pinned: str, line: int
) -> None:
    spec = load(tmp_path, {"requirements.in": "a\n", ".python-version": content})
    assert spec.python.pinned == pinned
    assert spec.python.source == SourceRef(".python-version", line)
    assert spec.python.requires_python is None


def test_bad_python_version_file_is_refused_at_its_line(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "a\n", ".python-version": "# pin\nlatest\n"})
    assert (error.path, error.line) == (".python-version", 2)
    assert error.hint


@pytest.mark.parametrize(
    ("content", "line"), [("3.11\x00\n", 1), ("# pin\n3.11\x1b[0m\n", 2), ("3.11\n\x00", 2)]
)
def test_python_version_file_with_a_control_character_is_refused_at_its_line(
    tmp_path: Path, content: str, line: int
) -> None:
    # `printf '3.11\0'` wrote a NUL after the version; its \S* tail took it in silently.
    error = spec_error(tmp_path, {"requirements.in": "a\n", ".python-version": content})
    assert (error.path, error.line) == (".python-version", line)
    assert "control character" in str(error)
    assert error.hint


def test_empty_python_version_file_pins_nothing(tmp_path: Path) -> None:
    spec = load(tmp_path, {"requirements.in": "a\n", ".python-version": "# none\n"})
    assert spec.python.pinned is None


def test_requires_python_and_python_version_together(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {"pyproject.toml": PEP621 + "requires-python = '>=3.10'\n", ".python-version": "3.11\n"},
    )
    assert spec.python.requires_python == ">=3.10"
    assert spec.python.pinned == "3.11"
    assert spec.python.source == SourceRef(".python-version", 1)


def test_requires_python_of_a_requirements_in_project_is_read(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.11'\n",
            "requirements.in": "a\n",
        },
    )
    assert spec.python.requires_python == ">=3.11"
    assert "pyproject.toml" in [i.path for i in spec.inputs]


def test_tool_parity_python_pins_without_a_python_version_file(tmp_path: Path) -> None:
    spec = load(tmp_path, {"pyproject.toml": PEP621 + "[tool.parity]\npython = '3.11'\n"})
    assert spec.python.pinned == "3.11"
    assert spec.python.source == SourceRef("pyproject.toml", 6)
    assert ".python-version" not in [i.path for i in spec.inputs]


def test_tool_parity_python_agreeing_with_python_version_is_fine(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "pyproject.toml": PEP621 + "[tool.parity]\npython = '3.11'\n",
            ".python-version": "3.11\n",
        },
    )
    assert spec.python.source == SourceRef(".python-version", 1)


def test_tool_parity_python_contradicting_python_version_is_refused(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path,
        {
            "pyproject.toml": PEP621 + "[tool.parity]\npython = '3.12'\n",
            ".python-version": "3.11\n",
        },
    )
    assert "3.12" in error.message and "3.11" in error.message
    assert (error.path, error.line) == ("pyproject.toml", 6)


def test_tool_parity_python_must_be_a_version(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"pyproject.toml": PEP621 + "[tool.parity]\npython = 'newest'\n"})
    assert "python must be a Python version" in error.message


# -- inputs ------------------------------------------------------------------------


def test_requirements_in_project_inputs_are_every_file_read(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements.in": "-c constraints.txt\n-r shared.in\nalpha\n",
            "requirements-dev.in": "-r requirements.in\nbeta\n",
            "shared.in": "gamma\n",
            "constraints.txt": "alpha<2\n",
            ".python-version": "3.11\n",
            "unrelated.in": "delta\n",
        },
    )
    assert [i.path for i in spec.inputs] == [
        ".python-version",
        "constraints.txt",
        "requirements-dev.in",
        "requirements.in",
        "shared.in",
    ]
    assert all(i.digest.startswith("sha256:") and len(i.digest) == 71 for i in spec.inputs)


def test_pyproject_project_inputs(tmp_path: Path) -> None:
    spec = load(tmp_path, {"pyproject.toml": PEP621, ".python-version": "3.11\n"})
    assert [i.path for i in spec.inputs] == [".python-version", "pyproject.toml"]


def test_a_constraints_file_that_is_also_an_input_is_listed_once(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {"requirements.in": "alpha\n", "requirements-dev.in": "-c requirements.in\nbeta\n"},
    )
    assert [i.path for i in spec.inputs] == ["requirements-dev.in", "requirements.in"]
    assert [c.requirement for c in spec.group("dev").constraints] == ["alpha"]
