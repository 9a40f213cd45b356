"""environment.yml as a ProjectSpec: channels, conda packages, Python, the pip section."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import make_project
from parity.errors import SpecError
from parity.spec.conda_env import parse_environment, pip_lock_name
from parity.spec.load import load_project
from parity.spec.model import ProjectSpec, SourceRef

ENV = """
name: demo
channels:
  - conda-forge
  - pytorch
dependencies:
  - python=3.11
  - numpy>=1.26,<2
  - pytorch::pytorch 2.1.* *cuda*
  - libgdal
  - pip
  - pip:
      - -r requirements-extra.txt
      - fastapi>=0.100
"""


def load(tmp_path: Path, files: dict[str, str]) -> ProjectSpec:
    return load_project(make_project(tmp_path, files))


def error(tmp_path: Path, files: dict[str, str]) -> SpecError:
    with pytest.raises(SpecError) as info:
        load(tmp_path, files)
    return info.value


def test_environment_yml_alone_is_a_conda_project(tmp_path: Path) -> None:
    spec = load(tmp_path, {"environment.yml": ENV, "requirements-extra.txt": "httpx>=0.25\n"})
    assert spec.format == "conda"
    assert spec.group_names == ("prod",)
    (env,) = spec.conda
    assert env.channels == ("conda-forge", "pytorch")
    assert [d.name for d in env.dependencies] == ["python", "numpy", "pytorch", "libgdal", "pip"]
    torch = env.dependencies[2]
    assert (torch.channel, torch.version, torch.build) == ("pytorch", "2.1.*", "*cuda*")
    assert torch.source == SourceRef("environment.yml", 8)


def test_the_pip_section_is_the_groups_requirements_with_r_lines_inlined(tmp_path: Path) -> None:
    spec = load(tmp_path, {"environment.yml": ENV, "requirements-extra.txt": "httpx>=0.25\n"})
    group = spec.group("prod")
    assert [(r.name, str(r.source)) for r in group.requirements] == [
        ("httpx", "requirements-extra.txt:1"),
        ("fastapi", "environment.yml:13"),
    ]
    assert group.output == "environment.pip.txt"
    assert {i.path for i in spec.inputs} == {"environment.yml", "requirements-extra.txt"}


@pytest.mark.parametrize(
    ("pip_lines", "extra"),
    [(["--pre", "fastapi"], ""), (["-r requirements-extra.txt", "fastapi"], "--pre\nhttpx\n")],
)
def test_pre_in_the_pip_section_allows_prereleases_and_is_an_input(
    tmp_path: Path, pip_lines: list[str], extra: str
) -> None:
    # pip reads `--pre` in the section (or a file it includes) and resolves pre-releases;
    # dropping it locked other versions than `conda env create` installs.
    head = "channels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pip:\n"
    without = load(tmp_path / "a", {"environment.yml": head + "      - fastapi\n"})
    files = {"environment.yml": head + "".join(f"      - {x}\n" for x in pip_lines)}
    if extra:
        files["requirements-extra.txt"] = extra
    spec = load(tmp_path / "b", files)
    assert spec.prerelease and not without.prerelease
    digest = {i.path: i.digest for i in spec.inputs}["environment.yml"]
    assert digest != {i.path: i.digest for i in without.inputs}["environment.yml"]


def test_python_is_pinned_from_the_environment_file(tmp_path: Path) -> None:
    spec = load(tmp_path, {"environment.yml": ENV, "requirements-extra.txt": ""})
    assert spec.python.pinned == "3.11"
    assert spec.python.source == SourceRef("environment.yml", 6)


def test_a_python_range_is_the_requires_python(tmp_path: Path) -> None:
    spec = load(tmp_path, {"environment.yml": "dependencies:\n  - python>=3.10,<3.13\n"})
    assert spec.python.pinned is None
    assert spec.python.requires_python == ">=3.10,<3.13"


def test_python_version_file_wins(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {"environment.yml": "dependencies:\n  - python=3.11\n", ".python-version": "3.12\n"},
    )
    assert spec.python.pinned == "3.12"


def test_each_environment_file_is_a_group(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "environment.yml": "dependencies:\n  - numpy\n",
            "environment-dev.yml": "dependencies:\n  - numpy\n  - pytest\n",
        },
    )
    assert spec.group_names == ("prod", "dev")
    assert spec.group("dev").output == "environment-dev.pip.txt"
    assert pip_lock_name("environment-gpu.yaml") == "environment-gpu.pip.txt"


def test_requirements_in_wins_over_environment_yml(tmp_path: Path) -> None:
    spec = load(tmp_path, {"environment.yml": ENV, "requirements.in": "numpy\n"})
    assert spec.format == "requirements-in"
    assert spec.conda == ()


def test_tool_parity_conda_settings(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "environment.yml": "dependencies:\n  - numpy\n",
            "pyproject.toml": """
                [tool.parity.conda]
                platforms = ["linux-64", "osx-arm64"]
                names = { "My_Pkg" = "my-pkg-conda" }
                from-pip = ["torch"]
            """,
        },
    )
    settings = spec.conda_settings
    assert settings.platforms == ("linux-64", "osx-arm64")
    assert settings.names == (("my-pkg", "my-pkg-conda"),)
    assert settings.from_pip == ("torch",)


# -- bad input: file, line, what is wrong --------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("name: [unclosed\n", 1, "not valid YAML"),
        ("- numpy\n- pandas\n", 1, "expected a mapping"),
        ("name: x\ndependencies: numpy\n", 2, "dependencies must be a list"),
        ("name: x\nchannels:\n  - conda forge\ndependencies: []\n", 3, "is not a channel"),
        ("channels: conda-forge\ndependencies: []\n", 1, "channels must be a list"),
        ("dependencies:\n  - numpy\n  - numpy=1.26\n", 3, "listed twice"),
        ("dependencies:\n  - numpy@1.2\n", 2, "not a conda match spec"),
        ("dependencies:\n  - 3.11\n", 2, "must be a match spec string"),
        ("dependencies:\n  - conda:\n      - numpy\n", 2, "unknown item 'conda'"),
        ("dependencies:\n  - pip: numpy\n", 2, "pip: must hold a list"),
        ("dependancies:\n  - numpy\n", 1, "unknown key 'dependancies'"),
        ("name: x\n", None, "no `dependencies:` list"),
        ("dependencies:\n  - pip:\n      - -r missing.txt\n", 3, "file not found"),
        ("dependencies:\n  - pip:\n      - not a requirement!!\n", 3, "not a valid requirement"),
        ("platforms: [linux64]\ndependencies: []\n", 1, "not a conda platform"),
        ("dependencies:\n  - x::numpy\n  - bad chan::y\n", 3, "not a conda match spec"),
    ],
)
def test_bad_input_names_file_and_line(
    tmp_path: Path, text: str, line: int | None, message: str
) -> None:
    exc = error(tmp_path, {"environment.yml": text})
    assert exc.path == "environment.yml"
    assert exc.line == line
    assert message in exc.message


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    assert "empty" in error(tmp_path, {"environment.yml": "# nothing\n"}).message


def test_a_pip_r_cycle_is_refused(tmp_path: Path) -> None:
    exc = error(
        tmp_path,
        {
            "environment.yml": "dependencies:\n  - pip:\n      - -r a.txt\n",
            "a.txt": "-r b.txt\n",
            "b.txt": "-r a.txt\n",
        },
    )
    assert "cycle" in exc.message


def test_parse_environment_is_pure_over_text() -> None:
    parsed = parse_environment("dependencies:\n  - numpy=1.26\n", path="env.yml")
    assert parsed.environment.dependencies[0].version == "1.26.*"


def test_cli_bad_environment_exits_2_and_writes_nothing(
    tmp_path: Path, run_parity: Callable
) -> None:
    root = make_project(tmp_path, {"environment.yml": "name: x\ndependencies:\n  - [numpy\n"})
    before = sorted(p.name for p in root.iterdir())
    result = run_parity("lock", "-p", root)
    assert result.code == 2
    assert "environment.yml:3" in result.err
    assert "Traceback" not in result.err
    assert sorted(p.name for p in root.iterdir()) == before


@pytest.mark.parametrize(
    ("target", "problem"),
    [(None, "a symbolic link loop"), ("gone.yml", "a symbolic link to a file that does not exist")],
)
def test_an_environment_file_that_is_a_broken_link_is_an_error_not_skipped(
    tmp_path: Path, target: str | None, problem: str
) -> None:
    root = make_project(tmp_path, {"environment.yml": "dependencies:\n  - python=3.11\n"})
    (root / "environment-gpu.yml").symlink_to(target or "environment-gpu.yml")
    with pytest.raises(SpecError) as info:
        load_project(root)
    assert (info.value.message, info.value.path) == (problem, "environment-gpu.yml")
