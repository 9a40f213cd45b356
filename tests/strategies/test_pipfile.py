"""Pipenv's Pipfile converted into .in files by `parity init --strategy pip-tools`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, make_project
from parity.errors import SpecError
from parity.strategies.pipfile import convert_pipfile

PIPFILE = """\
[[source]]
url = "https://index.example/simple"
verify_ssl = true
name = "pypi"

[[source]]
url = "https://download.example/whl/cpu"
verify_ssl = true
name = "torch-cpu"

[packages]
scikit-learn = "==1.0.2"
flask = "*"
torch = {version = "==2.2.0", index = "torch-cpu"}
requests = {version = ">=2", extras = ["socks"], markers = "python_version >= '3.9'"}
pywin32 = {version = "*", sys_platform = "== 'win32'"}
mylib = {git = "https://example.invalid/org/mylib.git", ref = "v1.2"}
localpkg = {path = "./libs/localpkg", editable = true}

[dev-packages]
pytest = ">=7"

[docs]
mkdocs = "*"

[requires]
python_version = "3.9"
"""


def test_categories_become_in_files_with_sources_and_python() -> None:
    converted = convert_pipfile(PIPFILE)
    files = dict(converted.files)
    assert list(files) == ["requirements.in", "requirements-dev.in", "requirements-docs.in"]
    assert files["requirements.in"].splitlines()[1:] == [
        "--index-url https://index.example/simple",
        "--extra-index-url https://download.example/whl/cpu",
        "scikit-learn==1.0.2",
        "flask",
        "torch==2.2.0",
        "requests[socks]>=2 ; python_version >= '3.9'",
        "pywin32 ; sys_platform == 'win32'",
        "mylib @ git+https://example.invalid/org/mylib.git@v1.2",
        "-e ./libs/localpkg",
    ]
    assert files["requirements-dev.in"].splitlines()[1:] == ["-r requirements.in", "pytest>=7"]
    assert files["requirements-docs.in"].splitlines()[1:] == ["-r requirements.in", "mkdocs"]
    assert converted.python == "3.9"
    assert any("torch-cpu" in note for note in converted.notes)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('[packages]\nflask = "*"\nnumpy = {version = "*", os = "linux"}\n', "numpy: os", 3),
        ('[packages]\nflask = "=>1"\n', "not a valid requirement", 2),
        ("[packages]\nflask = [1]\n", "flask: a package is", 2),
        ('[packages\nflask = "*"\n', "invalid TOML", 1),
    ],
)
def test_what_a_requirements_file_cannot_say_is_refused_with_the_line(
    text: str, message: str, line: int
) -> None:
    with pytest.raises(SpecError) as info:
        convert_pipfile(text)
    assert message in info.value.message
    assert (info.value.path, info.value.line) == ("Pipfile", line)


def test_init_converts_a_pipfile_and_lock_keeps_pipfile_lock_versions(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    # A Pipfile-only project got empty requirements*.in files: the lock held nothing.
    pipfile = (
        f'[[source]]\nurl = "{local_index.url}"\nname = "local"\n\n'
        '[packages]\nbeta = "*"\nalpha = "*"\n\n[dev-packages]\ntool-a = "*"\n'
    )
    lock = {
        "_meta": {"requires": {"python_version": "3.11"}},
        "default": {"alpha": {"version": "==1.0"}, "beta": {"version": "==1.0"}},
        "develop": {"tool-a": {"version": "==1.0"}},
    }
    root = make_project(tmp_path, {"Pipfile": pipfile, "Pipfile.lock": json.dumps(lock)})
    result = run_parity("init", "--strategy", "pip-tools", "-p", root)
    assert result.code == 0, result.out + result.err
    assert "Pipfile converted into requirements.in, requirements-dev.in" in result.out
    assert (root / "Pipfile").read_text() == pipfile
    prod = (root / "requirements.txt").read_text()
    assert "alpha==1.0 " in prod and "beta==1.0 " in prod  # alpha 2.0 exists: the lock's kept
    assert "tool-a==1.0 " in (root / "requirements-dev.txt").read_text()
    assert run_parity("check", "--lock-only", "-p", root).code == 0


def test_a_pipfile_it_cannot_convert_writes_nothing(tmp_path: Path, run_parity: Callable) -> None:
    pipfile = '[packages]\nflask = "*"\nnumpy = {version = "*", os = "linux"}\n'
    root = make_project(tmp_path, {"Pipfile": pipfile})
    result = run_parity("init", "--strategy", "pip-tools", "-p", root)
    assert result.code == 2
    assert "Pipfile:3: numpy: os cannot be carried" in result.err
    assert "Traceback" not in result.err
    assert sorted(p.name for p in root.iterdir()) == ["Pipfile"]


def test_lock_on_a_pipfile_project_says_how_to_convert_it(
    tmp_path: Path, run_parity: Callable
) -> None:
    root = make_project(tmp_path, {"Pipfile": '[packages]\nflask = "*"\n'})
    result = run_parity("lock", "-p", root)
    assert result.code == 2
    assert "parity does not read Pipenv's Pipfile" in result.err
    assert "`parity init --strategy pip-tools` converts" in result.err


@pytest.mark.parametrize("strategy", ["poetry", "conda", "docker"])
@pytest.mark.parametrize(
    "files",
    [{"Pipfile": '[packages]\nflask = "*"\n'}, {"requirements.txt": "flask>=2\n"}],
    ids=["pipfile", "requirements-txt"],
)
def test_other_strategies_refuse_to_start_without_the_unread_dependencies(
    tmp_path: Path, run_parity: Callable, strategy: str, files: dict[str, str]
) -> None:
    # `init --strategy poetry` wrote a pyproject.toml without a single dependency.
    root = make_project(tmp_path, files)
    result = run_parity("init", "--strategy", strategy, "--no-lock", "-p", root)
    assert result.code == 2
    assert f"dependencies are in {next(iter(files))}, which parity does not read" in result.err
    assert "`parity init --strategy pip-tools`" in result.err
    assert sorted(p.name for p in root.iterdir()) == sorted(files)
