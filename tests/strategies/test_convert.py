"""Conversions between project formats, as pure functions of the spec and the files."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import make_project
from fixtures.projects import STYLES
from parity import toml
from parity.errors import UsageError
from parity.spec.load import load_project
from parity.strategies import piptools, poetry
from parity.strategies.base import DiskWorkspace, Request
from parity.strategies.poetry import poetry_constraint

URL = "https://index.example/simple"


def convert(module: object, root: Path, **options: object) -> dict[str, str]:
    spec = load_project(root)
    request = Request(spec, None, DiskWorkspace(root), {"python": "3.11", **options})
    rendered = module.convert(request)  # type: ignore[attr-defined]
    return {path: out.text for path, out in rendered.files.items()}


@pytest.mark.parametrize("style", ["pep621", "poetry"])
def test_to_pip_tools_matches_golden(
    style: str, tmp_path: Path, golden: Callable[[str, str], None]
) -> None:
    root = make_project(tmp_path, STYLES[style](URL))
    files = convert(piptools, root)
    for path in sorted(files):
        golden(f"pip-tools-from-{style}/{path}", files[path])


@pytest.mark.parametrize("style", ["pip-tools", "pep621"])
def test_to_poetry_matches_golden(
    style: str, tmp_path: Path, golden: Callable[[str, str], None]
) -> None:
    root = make_project(tmp_path, STYLES[style](URL))
    files = convert(poetry, root)
    for path in sorted(files):
        golden(f"poetry-from-{style}/{path}", files[path])


def test_conversion_keeps_comments_markers_extras_and_index(tmp_path: Path) -> None:
    root = make_project(tmp_path, STYLES["pep621"](URL))
    files = convert(piptools, root)
    prod = files["requirements.in"]
    assert f"--index-url {URL}" in prod
    assert "# the core\nbeta>=1.0\n" in prod
    assert "gamma ; sys_platform != 'win32'  # not on Windows" in prod
    assert files["requirements-fast.in"].splitlines()[1:] == ["-r requirements.in", "epsilon[fast]"]
    assert "-r requirements-test.in" in files["requirements-dev.in"]
    pyproject = files["pyproject.toml"]
    assert "# The demo application." in pyproject and "[tool.ruff]" in pyproject
    assert "dependencies" not in pyproject and "tool.uv" not in pyproject


def test_poetry_form_uses_caret_and_tilde_only_when_exact(tmp_path: Path) -> None:
    root = make_project(tmp_path, STYLES["pep621"](URL))
    text = convert(poetry, root)["pyproject.toml"]
    assert 'tool-a = "^1.0"' in text
    assert '[tool.poetry.group.dev]\ninclude-groups = ["test"]' in text
    assert "package-mode = false" in text
    assert "[dependency-groups]" not in text
    assert '[project.optional-dependencies]\nfast = ["epsilon[fast]"]' in text


@pytest.mark.parametrize(
    ("pep440", "poetry_text"),
    [
        ("", "*"),
        (">=1.2,<2.0", "^1.2"),
        (">=1.2,<2", "^1.2"),
        (">=0.2.3,<0.3.0", "^0.2.3"),
        (">=1.2,<1.3", "~1.2"),
        (">=1.2.3,<1.3.0", "~1.2.3"),
        (">=1.2", ">=1.2"),
        (">=1.2,<3", ">=1.2,<3"),
        ("==1.2.3", "==1.2.3"),
        ("~=1.4", "^1.4"),
        ("~=0.4", "~=0.4"),
        ("~=1.4.2", "~1.4.2"),
        (">=1.0,!=1.5", ">=1.0,!=1.5"),
    ],
)
def test_poetry_constraint(pep440: str, poetry_text: str) -> None:
    assert poetry_constraint(pep440) == poetry_text


def test_an_installable_package_keeps_its_dependencies(tmp_path: Path) -> None:
    files = STYLES["pep621"](URL)
    files["pyproject.toml"] = (
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        + files["pyproject.toml"]
    )
    root = make_project(tmp_path, files)
    with pytest.raises(UsageError, match="installable package"):
        convert(piptools, root)


def test_constraints_cannot_go_to_poetry(tmp_path: Path) -> None:
    files = STYLES["pip-tools"](URL)
    files["requirements.in"] += "-c constraints.txt\n"
    files["constraints.txt"] = "alpha<2\n"
    root = make_project(tmp_path, files)
    with pytest.raises(UsageError, match="no constraints files") as info:
        convert(poetry, root)
    assert info.value.path == "constraints.txt"


def test_a_group_without_the_main_dependencies_cannot_go_to_poetry(tmp_path: Path) -> None:
    files = STYLES["pip-tools"](URL)
    files["requirements-lint.in"] = "tool-a\n"
    root = make_project(tmp_path, files)
    with pytest.raises(UsageError, match="'lint' does not include the main dependencies") as info:
        convert(poetry, root)
    assert info.value.path == "requirements-lint.in"


@pytest.mark.parametrize(
    "files",
    [
        {"deps/base.txt": "alpha\n", "deps/gpu.txt": "beta\n"},  # read through pyproject.toml
        {"requirements.in": "alpha\n", "requirements-gpu.in": "beta\n"},  # read as .in files
    ],
    ids=["pyproject", "in-files"],
)
def test_dependencies_setuptools_reads_from_files_cannot_go_to_poetry(
    tmp_path: Path, files: dict[str, str]
) -> None:
    # Poetry reads [project], not [tool.setuptools.dynamic]: the converted project locked
    # none of them, and the .in route wrote `dependencies` beside dynamic = ["dependencies"].
    base, gpu = files
    pyproject = f"""
        [build-system]
        requires = ["setuptools"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "app"
        version = "1.0"
        dynamic = ["dependencies", "optional-dependencies"]

        [tool.setuptools.dynamic]
        dependencies = {{ file = ["{base}"] }}
        optional-dependencies.gpu = {{ file = ["{gpu}"] }}
    """
    root = make_project(tmp_path, {**files, "pyproject.toml": pyproject})
    with pytest.raises(UsageError, match="which Poetry does not read") as info:
        convert(poetry, root)
    assert (info.value.path, info.value.line) == ("pyproject.toml", 8)


def test_a_pyproject_whose_tool_tables_are_split_converts_to_poetry(tmp_path: Path) -> None:
    # [tool.ruff], then [dependency-groups], then [tool.mypy]: tomlkit reads [tool] as a
    # proxy without add(), and the conversion ended in a traceback.
    pyproject = """
        [project]
        name = "app"
        version = "1.0"
        requires-python = ">=3.11"
        dependencies = ["alpha"]

        [tool.ruff]
        line-length = 100

        [dependency-groups]
        dev = ["pytest"]

        [tool.mypy]
        strict = true
    """
    root = make_project(tmp_path, {"pyproject.toml": pyproject})
    data = toml.loads(convert(poetry, root)["pyproject.toml"])
    assert data["tool"]["poetry"]["package-mode"] is False
    assert data["tool"]["poetry"]["group"]["dev"]["dependencies"] == {"pytest": "*"}
    assert data["tool"]["ruff"] == {"line-length": 100} and data["tool"]["mypy"] == {"strict": True}
    assert "dependency-groups" not in data


def test_split_poetry_tables_convert_to_a_valid_poetry_project(tmp_path: Path) -> None:
    # [tool.poetry], then [dependency-groups], then [tool.poetry.requires-plugins]: setting
    # the index as a Poetry source ended in a traceback (the proxy tomlkit reads a split
    # table as has no add()), and the group written ran into the next table.
    pyproject = """
        [project]
        name = "app"
        version = "1.0"
        requires-python = ">=3.11"
        dependencies = ["alpha"]

        [tool.poetry]
        package-mode = false

        [dependency-groups]
        dev = ["pytest"]

        [tool.poetry.requires-plugins]
        poetry-plugin-export = ">=1.8"

        [tool.uv]
        index-url = "https://index.example/simple"

        [tool.ruff]
        line-length = 100
    """
    root = make_project(tmp_path, {"pyproject.toml": pyproject})
    text = convert(poetry, root)["pyproject.toml"]
    data = toml.loads(text)
    assert data["tool"]["poetry"]["source"] == [
        {"name": "primary", "url": "https://index.example/simple", "priority": "primary"}
    ]
    assert data["tool"]["poetry"]["group"]["dev"]["dependencies"] == {"pytest": "*"}
    assert data["tool"]["poetry"]["requires-plugins"] == {"poetry-plugin-export": ">=1.8"}
    assert 'pytest = "*"\n\n[tool.poetry.requires-plugins]' in text
    assert "package-mode = false\n\n[[tool.poetry.source]]" in text
    (root / "pyproject.toml").write_text(text, encoding="utf-8")
    env = {
        **os.environ,
        **{f"POETRY_{d}_DIR": str(tmp_path / d) for d in ("CACHE", "CONFIG", "DATA")},
    }
    for command in (["validate-pyproject", "pyproject.toml"], ["poetry", "check", "--no-ansi"]):
        command[0] = str(Path(sys.executable).parent / command[0])
        checked = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr


def test_find_links_cannot_go_to_poetry(tmp_path: Path) -> None:
    files = STYLES["pip-tools"](URL)
    files["requirements.in"] += "--find-links ./wheels\n"
    root = make_project(tmp_path, files)
    with pytest.raises(UsageError, match=r"find-links \./wheels"):
        convert(poetry, root)


def test_new_projects(tmp_path: Path, golden: Callable[[str, str], None]) -> None:
    for module, name in ((piptools, "pip-tools"), (poetry, "poetry")):
        request = Request(
            None, None, DiskWorkspace(tmp_path), {"python": "3.11", "project_name": "Bank_Churn"}
        )
        rendered = module.convert(request)  # type: ignore[attr-defined]
        for path, out in sorted(rendered.files.items()):
            golden(f"new-{name}/{path}", out.text)


def test_course_tools_are_added_when_asked(tmp_path: Path) -> None:
    root = make_project(tmp_path, STYLES["pip-tools"](URL))
    text = convert(poetry, root, with_tools=True)["pyproject.toml"]
    for table in ("[tool.ruff]", "[tool.mypy]", "[tool.pytest.ini_options]", "[tool.coverage.run]"):
        assert table in text


def test_a_prod_only_project_converted_to_poetry_is_read_back(tmp_path: Path) -> None:
    # Poetry 2's form, [project] dependencies and [tool.poetry] package-mode = false with
    # no group table, is a Poetry project all the same: format = "poetry" must read it.
    root = make_project(tmp_path, {"requirements.in": "alpha>=1.0\nbeta\n"})
    files = convert(poetry, root)
    assert 'format = "poetry"' in files["pyproject.toml"]
    (root / "pyproject.toml").write_text(files["pyproject.toml"], encoding="utf-8")
    spec = load_project(root)
    assert spec.format == "poetry"
    [prod] = spec.groups
    assert [r.requirement for r in prod.requirements] == ["alpha>=1.0", "beta"]


def test_to_pip_tools_leaves_a_virtual_workspace_root_without_a_project_table(
    tmp_path: Path,
) -> None:
    # crewAI: a root with no [project], members that each declare requires-python. The
    # range is the members' (they keep it): a [project] table written into the root would
    # make it a package, named after the folder, as one of its members is.
    member = (
        "[project]\nname = '{name}'\nversion = '0.1'\nrequires-python = '>=3.10, <3.14'\n"
        "dependencies = []\n"
    )
    root = make_project(
        tmp_path / "crewai",
        {
            "pyproject.toml": """
                [dependency-groups]
                dev = ["alpha"]

                [tool.uv.workspace]
                members = ["lib/*"]
            """,
            "lib/crewai/pyproject.toml": member.format(name="crewai"),
            "lib/tools/pyproject.toml": member.format(name="tools"),
        },
    )
    pyproject = convert(piptools, root)["pyproject.toml"]
    assert "[project]" not in pyproject and "requires-python" not in pyproject
    assert "[tool.uv.workspace]" in pyproject
