"""PEP 621 [project] dependencies and extras, PEP 735 dependency groups, index settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fixtures import make_project
from parity import toml
from parity.errors import SpecError
from parity.spec.load import load_project
from parity.spec.model import IndexConfig, ProjectSpec, SourceRef
from parity.spec.pyproject import index_config

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
GPU_Extra = ["torch"]

[dependency-groups]
test = ["pytest>=8"]
lint = ["ruff"]
dev = [{include-group = "test"}, {include-group = "lint"}, "ipython"]
"""

HEAD = "[project]\nname = 'x'\nversion = '1'\n"


def load(tmp_path: Path, text: str, **files: str) -> ProjectSpec:
    return load_project(make_project(tmp_path, {"pyproject.toml": text, **files}))


def spec_error(tmp_path: Path, text: str) -> SpecError:
    with pytest.raises(SpecError) as info:
        load(tmp_path, text)
    return info.value


def test_project_dependencies_are_prod_and_extras_and_groups_build_on_it(tmp_path: Path) -> None:
    spec = load(tmp_path, PEP621)
    assert spec.format == "pep621"
    assert spec.group_names == ("prod", "gpu-extra", "test", "lint", "dev")
    assert spec.group("prod").output == "requirements.txt"
    assert spec.group("gpu-extra").output == "requirements-gpu-extra.txt"
    assert spec.group("gpu-extra").includes == ("prod",)
    assert spec.group("test").includes == ("prod",)
    assert spec.group("dev").includes == ("prod", "test", "lint")
    assert spec.group("dev").output == "requirements-dev.txt"
    assert [g.name for g in spec.closure("dev")] == ["dev", "prod", "test", "lint"]
    assert {r.name for r in spec.requirements_of("dev")} == {
        "pandas",
        "pydantic",
        "pytest",
        "ruff",
        "ipython",
    }


def test_requirements_carry_their_pyproject_line(tmp_path: Path) -> None:
    spec = load(tmp_path, PEP621)
    # make_project drops the leading blank line: [build-system] is line 1.
    assert spec.group("prod").requirements[0].source == SourceRef("pyproject.toml", 9)
    assert spec.group("gpu-extra").requirements[0].source.line == 12
    assert spec.group("dev").requirements[0].source.line == 17
    assert spec.group("test").source == SourceRef("pyproject.toml", 15)


def test_the_same_requirement_in_two_tables_gets_each_tables_line(tmp_path: Path) -> None:
    text = HEAD + 'dependencies = [\n  "rich",\n]\n\n[dependency-groups]\ndev = [\n  "rich",\n]\n'
    spec = load(tmp_path, text)
    assert spec.group("prod").requirements[0].source.line == 5
    assert spec.group("dev").requirements[0].source.line == 10


def test_name_python_and_installable_come_from_the_project(tmp_path: Path) -> None:
    spec = load(tmp_path, PEP621)
    assert spec.name == "demo"
    assert spec.installable
    assert spec.python.requires_python == ">=3.10"
    assert spec.python.pinned is None
    assert spec.python.source == SourceRef("pyproject.toml", 8)


def test_project_without_build_system_is_not_installable(tmp_path: Path) -> None:
    spec = load(tmp_path, HEAD + "dependencies = ['a']\n")
    assert not spec.installable


def test_uv_non_package_project_is_not_installable(tmp_path: Path) -> None:
    text = PEP621 + "[tool.uv]\npackage = false\n"
    assert not load(tmp_path, text).installable


def test_extras_are_marked_optional_and_dependency_groups_are_not(tmp_path: Path) -> None:
    # recommend counts what only an extra installs as optional: it must tell them apart.
    spec = load(tmp_path, PEP621)
    assert {g.name: g.extra for g in spec.groups} == {
        "prod": False,
        "gpu-extra": True,
        "test": False,
        "lint": False,
        "dev": False,
    }


def test_project_with_extras_but_no_dependencies_still_has_prod(tmp_path: Path) -> None:
    spec = load(tmp_path, HEAD + "[project.optional-dependencies]\ndocs = ['sphinx']\n")
    assert spec.group_names == ("prod", "docs")
    assert spec.group("prod").requirements == ()


def test_dependency_groups_without_a_project_table_have_no_prod(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        "[dependency-groups]\ntest = ['pytest']\ndev = [{include-group = 'test'}, 'ruff']\n",
    )
    assert spec.format == "pep621"
    assert spec.group_names == ("test", "dev")
    assert spec.group("test").includes == ()
    assert spec.group("dev").includes == ("test",)
    assert spec.name is None


def test_dependency_group_names_are_normalized(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        HEAD + "[dependency-groups]\nDev_Tools = ['ruff']\nall = [{include-group = 'dev.tools'}]\n",
    )
    assert spec.group_names == ("prod", "dev-tools", "all")
    assert spec.group("all").includes == ("prod", "dev-tools")


def test_extra_naming_the_project_itself_includes_those_extras(tmp_path: Path) -> None:
    text = (
        HEAD.replace("'x'", "'demo'")
        + "dependencies = ['a']\n[project.optional-dependencies]\n"
        + "gpu = ['torch']\ncli = ['click']\nall = ['Demo[gpu,cli]']\n"
    )
    spec = load(tmp_path, text)
    assert spec.group("all").includes == ("prod", "cli", "gpu")
    assert spec.group("all").requirements == ()


def test_local_path_dependency_is_relative(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        HEAD + "dependencies = ['mylib @ ./libs/mylib']\n",
        **{"libs/mylib/pyproject.toml": "[project]\nname = 'mylib'\n"},
    )
    req = spec.group("prod").requirements[0]
    assert (req.path, req.requirement, req.editable) == (
        "libs/mylib",
        "mylib @ ./libs/mylib",
        False,
    )


def test_env_references_in_urls_are_kept(tmp_path: Path) -> None:
    line = "tool @ git+https://${GIT_TOKEN}@git.example/tool.git@v1"
    spec = load(tmp_path, HEAD + f"dependencies = ['{line}']\n")
    assert spec.group("prod").requirements[0].requirement == line


# -- errors ------------------------------------------------------------------------


def test_unknown_include_group_is_an_error_at_the_group(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path,
        HEAD + "dependencies = []\n[dependency-groups]\ndev = [{include-group = 'nope'}]\n",
    )
    assert "unknown group 'nope'" in error.message
    assert (error.path, error.line) == ("pyproject.toml", 6)


def test_include_group_cycle_is_named(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path,
        HEAD
        + "[dependency-groups]\na = [{include-group = 'b'}]\nb = [{include-group = 'c'}]\n"
        + "c = [{include-group = 'a'}]\n",
    )
    assert error.message == "include-group cycle: a -> b -> c -> a"
    assert (error.path, error.line) == ("pyproject.toml", 5)


def test_group_including_itself_is_a_cycle(tmp_path: Path) -> None:
    error = spec_error(tmp_path, "[dependency-groups]\na = ['x', {include-group = 'a'}]\n")
    assert error.message == "include-group cycle: a -> a"


@pytest.mark.parametrize("name", ["-dev", "dev!", "a b", "_x"])
def test_invalid_group_name_is_refused(tmp_path: Path, name: str) -> None:
    error = spec_error(tmp_path, f"[dependency-groups]\n'{name}' = ['x']\n")
    assert f"invalid group name {name!r}" in error.message
    assert error.path == "pyproject.toml"


def test_an_invalid_project_name_is_not_called_a_requirement(tmp_path: Path) -> None:
    # kedro-starters' templates: [project] name = "{{ cookiecutter.python_package }}".
    error = spec_error(
        tmp_path,
        '[project]\nname = "{{ cookiecutter.python_package }}"\nversion = "1"\n'
        'dependencies = ["x"]\n',
    )
    assert error.message.startswith("not a valid name in [project] name:")
    assert error.line == 2
    assert error.hint is not None and "template not rendered" in error.hint
    plain = spec_error(
        tmp_path / "plain", '[project]\nname = "my app"\nversion = "1"\ndependencies = ["x"]\n'
    )
    assert plain.hint is not None and "letters, digits" in plain.hint


def test_invalid_extra_name_is_refused(tmp_path: Path) -> None:
    error = spec_error(tmp_path, HEAD + "[project.optional-dependencies]\n'gpu!' = ['x']\n")
    assert "invalid extra name 'gpu!'" in error.message


def test_group_names_equal_once_normalized_are_refused(tmp_path: Path) -> None:
    error = spec_error(tmp_path, "[dependency-groups]\nDev = ['a']\ndev = ['b']\n")
    assert "same normalized name" in error.message
    assert error.line == 3


def test_extra_and_dependency_group_with_one_name_are_refused(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path,
        HEAD + "[project.optional-dependencies]\ndev = ['a']\n[dependency-groups]\ndev = ['b']\n",
    )
    assert "two tables define group 'dev'" in error.message


def test_extra_named_prod_collides_with_the_prod_group(tmp_path: Path) -> None:
    error = spec_error(tmp_path, HEAD + "[project.optional-dependencies]\nprod = ['a']\n")
    assert "group 'prod'" in error.message


def test_table_entry_other_than_include_group_is_refused(tmp_path: Path) -> None:
    error = spec_error(tmp_path, "[dependency-groups]\ndev = [{name = 'x'}]\n")
    assert "include-group" in error.message and error.line == 2


def test_bad_requirement_has_the_line_and_packaging_text(tmp_path: Path) -> None:
    error = spec_error(tmp_path, HEAD + "dependencies = [\n  'good',\n  'bad>>1',\n]\n")
    assert (error.path, error.line) == ("pyproject.toml", 6)
    assert "'bad>>1'" in error.message and "Expected" in error.message
    assert error.hint


def test_non_string_requirement_is_refused(tmp_path: Path) -> None:
    error = spec_error(tmp_path, HEAD + "dependencies = [1]\n")
    assert error.message == "[project] dependencies[0] must be a string, not 1"
    assert error.line == 4


def test_dependencies_that_are_not_a_list_are_refused(tmp_path: Path) -> None:
    error = spec_error(tmp_path, HEAD + "dependencies = 'numpy'\n")
    # Never read character by character (a package "n", "u", "m", ...).
    assert error.message == '[project] dependencies must be a list, not "numpy"'
    assert (error.path, error.line) == ("pyproject.toml", 4)


@pytest.mark.parametrize("value", ["3.10+", "==3.x.*"])
def test_invalid_requires_python_is_refused_at_its_line(tmp_path: Path, value: str) -> None:
    error = spec_error(tmp_path, HEAD + f"requires-python = '{value}'\ndependencies = []\n")
    # A range, never called a requirement with a missing package name.
    assert f"requires-python {value!r} is not a PEP 440 specifier" in error.message
    assert "package name" not in error.message
    assert (error.path, error.line) == ("pyproject.toml", 4)


def test_malformed_toml_reports_the_line(tmp_path: Path) -> None:
    error = spec_error(tmp_path, "[project]\nname = 'x'\ndependencies = [\n'a',,\n]\n")
    assert (error.path, error.line) == ("pyproject.toml", 4)
    assert error.message.startswith("invalid TOML: ")
    assert "(at line" not in error.message
    assert error.hint


# -- index settings ----------------------------------------------------------------


def index_of(text: str) -> IndexConfig:
    data: dict[str, Any] = toml.loads(text)
    return index_config(data)


def test_uv_index_tables_give_default_and_extra_indexes(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        HEAD
        + "dependencies = ['a']\n"
        + "[[tool.uv.index]]\nname = 'extra'\nurl = 'https://extra.example/simple'\n"
        + "[[tool.uv.index]]\nname = 'corp'\nurl = 'https://${TOKEN}@corp.example/simple'\n"
        + "default = true\n"
        + "[[tool.uv.index]]\nname = 'only-for-some'\nurl = 'https://explicit.example/simple'\n"
        + "explicit = true\n",
    )
    assert spec.index.index_url == "https://${TOKEN}@corp.example/simple"
    assert spec.index.extra_index_urls == ("https://extra.example/simple",)


def test_uv_index_url_options_are_read() -> None:
    index = index_of(
        "[tool.uv]\nindex-url = 'https://i.example/simple'\n"
        "extra-index-url = ['https://e1.example/simple', 'https://e2.example/simple']\n"
        "find-links = ['./wheels']\nno-index = true\n"
    )
    assert index == IndexConfig(
        index_url="https://i.example/simple",
        extra_index_urls=("https://e1.example/simple", "https://e2.example/simple"),
        find_links=("./wheels",),
        no_index=True,
    )


def test_a_single_extra_index_string_is_one_url() -> None:
    index = index_of("[tool.uv]\nextra-index-url = 'https://e.example/simple'\n")
    assert index.extra_index_urls == ("https://e.example/simple",)


def test_poetry_sources_map_by_priority() -> None:
    index = index_of(
        "[[tool.poetry.source]]\nname='a'\nurl='https://supp.example/simple'\npriority='supplemental'\n"
        "[[tool.poetry.source]]\nname='b'\nurl='https://primary.example/simple'\npriority='primary'\n"
        "[[tool.poetry.source]]\nname='c'\nurl='https://second.example/simple'\npriority='primary'\n"
        "[[tool.poetry.source]]\nname='d'\nurl='https://explicit.example/simple'\npriority='explicit'\n"
        "[[tool.poetry.source]]\nname='PyPI'\npriority='primary'\n"
    )
    # PyPI, declared primary, stays the default index beside the primary sources (as
    # `poetry source add --priority=primary PyPI` asks); primaries come before the rest.
    assert index.index_url is None
    assert index.extra_index_urls == (
        "https://primary.example/simple",
        "https://second.example/simple",
        "https://supp.example/simple",
    )


def test_primary_sources_without_pypi_replace_it() -> None:
    index = index_of(
        "[[tool.poetry.source]]\nname='s'\nurl='https://supp.example/simple'\n"
        "priority='supplemental'\n"
        "[[tool.poetry.source]]\nname='b'\nurl='https://primary.example/simple'\n"
        "priority='primary'\n"
    )
    assert index.index_url == "https://primary.example/simple"
    assert index.extra_index_urls == ("https://supp.example/simple",)


def test_a_poetry_source_without_priority_is_primary() -> None:
    # Poetry 1.5 and later: a source that names no priority is primary, and PyPI is then
    # left out; parity read it as supplemental, beside PyPI.
    index = index_of("[[tool.poetry.source]]\nname='corp'\nurl='https://corp.example/simple'\n")
    assert index.index_url == "https://corp.example/simple"
    assert index.extra_index_urls == ()


def test_a_supplemental_poetry_source_is_said_to_come_first_for_uv(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        "[tool.poetry.dependencies]\npython = '^3.11'\nalpha = '*'\n"
        "[[tool.poetry.source]]\nname='corp'\nurl='https://corp.example/simple'\n"
        "priority='supplemental'\n",
    )
    assert spec.index.extra_index_urls == ("https://corp.example/simple",)
    [note] = [n for n in spec.notes if "supplemental" in n]
    assert note.startswith("[[tool.poetry.source]] corp: Poetry asks a supplemental source")
    assert 'priority = "explicit"' in note


def test_legacy_poetry_default_source_is_the_index() -> None:
    index = index_of(
        "[[tool.poetry.source]]\nname='x'\nurl='https://x.example/simple'\ndefault=true\n"
        "[[tool.poetry.source]]\nname='y'\nurl='https://y.example/simple'\nsecondary=true\n"
    )
    assert index.index_url == "https://x.example/simple"
    assert index.extra_index_urls == ("https://y.example/simple",)


def test_no_index_settings_is_the_default_config() -> None:
    assert index_of("[project]\nname='x'\n").is_default


def test_uv_index_without_url_is_refused() -> None:
    with pytest.raises(SpecError, match="needs a url"):
        index_of("[[tool.uv.index]]\nname = 'x'\n")


def test_wrongly_typed_uv_option_is_refused() -> None:
    with pytest.raises(SpecError, match="find-links"):
        index_of("[tool.uv]\nfind-links = [1]\n")


def test_a_dependency_group_named_prod_is_told_to_move_not_the_main_dependencies(
    tmp_path: Path,
) -> None:
    """djangoproject.com: [dependency-groups] prod = [gunicorn, ...] next to [project]."""
    error = spec_error(
        tmp_path,
        HEAD + "dependencies = ['a']\n[dependency-groups]\nprod = ['gunicorn']\n",
    )
    assert "two tables define group 'prod'" in error.message
    assert error.line == 6
    assert error.hint is not None and "main dependencies" in error.hint
    assert "'production'" in error.hint


_UV_CONFIGURED = (
    HEAD
    + "dependencies = ['a']\n"
    + "[tool.uv]\nindex-strategy = 'unsafe-best-match'\nno-binary = true\n"
    + "constraint-dependencies = ['a<2']\nrequired-environments = [\"sys_platform == 'linux'\"]\n"
    + "[[tool.uv.index]]\nname = 'corp'\nurl = 'https://corp.example/simple'\ndefault = true\n"
    + "[[tool.uv.index]]\nname = 'pinned'\nurl = 'https://pinned.example/simple'\n"
    + "explicit = true\n"
    + "[tool.uv.sources]\na = { index = 'pinned' }\n"
)


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_uv_no_config_leaves_out_the_tool_uv_settings_uv_then_ignores(
    tmp_path: Path, value: str
) -> None:
    """With UV_NO_CONFIG set, `uv lock` reads none of [tool.uv]'s settings (its indexes
    among them) but still its project tables; parity used the indexes all the same."""
    root = make_project(tmp_path, {"pyproject.toml": _UV_CONFIGURED})
    spec = load_project(root, environ={"UV_NO_CONFIG": value})
    assert spec.index == IndexConfig()
    assert dict(spec.resolver_settings) == {"required-environments": ["sys_platform == 'linux'"]}
    assert [c.requirement for c in spec.constraints] == ["a<2"]
    # A source naming an explicit index still pins the package to it, as in uv.
    assert spec.groups[0].requirements[0].index == "https://pinned.example/simple"
    assert "UV_NO_CONFIG" in {i.path for i in spec.inputs}
    assert any("UV_NO_CONFIG is set, so uv ignores [tool.uv]" in n for n in spec.notes)
    on = load_project(root, environ={"UV_NO_CONFIG": "0"})
    assert on.index.index_url == "https://corp.example/simple"
    assert dict(on.resolver_settings)["no-binary"] is True
    assert "UV_NO_CONFIG" not in {i.path for i in on.inputs}
    assert not any("UV_NO_CONFIG" in n for n in on.notes)


def test_a_group_name_ending_in_a_newline_is_refused() -> None:
    from parity.errors import SpecError
    from parity.spec.model import SourceRef
    from parity.spec.pyproject import normalize_group

    with pytest.raises(SpecError, match="invalid group name"):
        normalize_group("dev\n", ref=SourceRef("pyproject.toml", 3))
