"""init and export end to end on the local index: round trips, consumers, bad input."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, make_project, make_venv, uv_bin
from fixtures.poetry_locks import POETRY_1X_LOCK
from fixtures.projects import STYLES
from parity.lock.formats import requirements_txt

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    return str(BIN / name)


def lock_pins(project: Path) -> dict[str, dict[str, str | None]]:
    return {
        path.name: {p.name: p.version for p in requirements_txt.read(path).pins}
        for path in sorted(project.glob("requirements*.txt"))
    }


def tree(project: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(project)): p.read_bytes()
        for p in sorted(project.rglob("*"))
        if p.is_file() and ".venv" not in p.parts
    }


def locked_project(tmp_path: Path, style: str, url: str, run_parity: Callable) -> Path:
    project = make_project(tmp_path, STYLES[style](url))
    result = run_parity("lock", "-p", project, "--no-pylock")
    assert result.code == 0, result.err
    return project


@pytest.mark.parametrize(
    ("style", "target"),
    [
        ("pep621", "pip-tools"),
        ("poetry", "pip-tools"),
        ("pip-tools", "poetry"),
        ("pep621", "poetry"),
    ],
)
def test_conversion_keeps_every_pin_and_check_is_clean(
    style: str, target: str, tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = locked_project(tmp_path, style, local_index.url, run_parity)
    before = lock_pins(project)
    result = run_parity("init", "-p", project, "--strategy", target)
    assert result.code == 0, result.err
    assert run_parity("lock", "-p", project, "--no-pylock").code == 0
    assert lock_pins(project) == before
    check = run_parity("check", "-p", project, "--lock-only")
    assert check.code == 0, check.out
    # Running it again changes nothing.
    files = tree(project)
    again = run_parity("init", "-p", project, "--strategy", target, "--no-lock")
    assert again.code == 0, again.err
    assert tree(project) == files


def test_there_and_back_keeps_every_pin(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = locked_project(tmp_path, "pip-tools", local_index.url, run_parity)
    before = lock_pins(project)
    assert run_parity("init", "-p", project, "--strategy", "poetry").code == 0
    for path in project.glob("requirements*.in"):
        path.unlink()
    result = run_parity("init", "-p", project, "--strategy", "pip-tools")
    assert result.code == 0, result.err
    assert lock_pins(project) == before
    assert "# the core\nbeta>=1.0\n" in (project / "requirements.in").read_text()
    assert run_parity("check", "-p", project, "--lock-only").code == 0


def test_pip_tools_accepts_the_converted_project(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = locked_project(tmp_path, "pep621", local_index.url, run_parity)
    assert run_parity("init", "-p", project, "--strategy", "pip-tools").code == 0
    compiled = subprocess.run(
        [tool("pip-compile"), "--dry-run", "--quiet", "--no-header", "requirements-dev.in"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert compiled.returncode == 0, compiled.stderr
    assert "tool-a==1.0" in compiled.stdout + compiled.stderr
    python = make_venv(tmp_path / "synced", "3.11", pip=True)
    synced = subprocess.run(
        [tool("pip-sync"), "--python-executable", python, project / "requirements-dev.txt"],
        capture_output=True,
        text=True,
    )
    assert synced.returncode == 0, synced.stderr
    frozen = subprocess.run(
        [uv_bin(), "pip", "freeze", "--python", python], capture_output=True, text=True
    ).stdout.replace("_", "-")
    assert "tool-a==1.0" in frozen and "eta==1.0" in frozen
    makefile = (project / "Makefile").read_text()
    assert "parity:generated makefile" in makefile


@pytest.mark.parametrize("style", ["pip-tools", "pep621"])
def test_poetry_accepts_the_converted_pyproject(
    style: str, tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = locked_project(tmp_path, style, local_index.url, run_parity)
    assert run_parity("init", "-p", project, "--strategy", "poetry", "--no-lock").code == 0
    valid = subprocess.run(
        [tool("validate-pyproject"), project / "pyproject.toml"], capture_output=True, text=True
    )
    assert valid.returncode == 0, valid.stdout + valid.stderr
    checked = subprocess.run(
        [tool("poetry"), "check", "--no-ansi"], cwd=project, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.fixture
def poetry_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POETRY_CACHE_DIR", str(tmp_path / "poetry-cache"))
    monkeypatch.setenv("POETRY_CONFIG_DIR", str(tmp_path / "poetry-config"))
    monkeypatch.setenv("POETRY_DATA_DIR", str(tmp_path / "poetry-data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.setenv("PATH", f"{BIN}:{Path(sys.executable).parent}:/usr/bin:/bin")


def test_poetry_lock_by_poetry_then_export_requirements_with_hashes(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable, poetry_env: None
) -> None:
    project = locked_project(tmp_path, "poetry", local_index.url, run_parity)
    result = run_parity("export", "-p", project, "--to", "poetry", "--lock")
    assert result.code == 0, result.err
    assert "poetry lock: wrote poetry.lock (Poetry 2." in result.out
    assert (project / "poetry.lock").is_file()
    # poetry.lock and parity's lock came from the same index: check finds them consistent.
    assert run_parity("check", "-p", project, "--lock-only").code == 0
    exported = run_parity(
        "export",
        "-p",
        project,
        "--to",
        "requirements",
        "-o",
        "requirements-all.txt",
        "--with",
        "dev",
    )
    assert exported.code == 0, exported.err
    text = (project / "requirements-all.txt").read_text()
    assert "lock=poetry:" in text and "--hash=sha256:" in text
    assert "tool-a==1.0" in text and 'gamma==0.5 ; sys_platform != "win32"' in text
    python = make_venv(tmp_path / "fromexport", "3.11", pip=True)
    installed = subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--require-hashes",
            "-r",
            project / "requirements-all.txt",
        ],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    # A disagreeing hand edit of poetry.lock is caught, naming both files.
    lock_text = (project / "poetry.lock").read_text()
    (project / "poetry.lock").write_text(lock_text.replace('version = "1.0"', 'version = "0.9"', 1))
    check = run_parity("check", "-p", project, "--lock-only")
    assert check.code == 1
    assert "poetry.lock:" in check.out and "requirements" in check.out


def test_export_poetry_lock_without_poetry_writes_nothing(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = locked_project(tmp_path, "pip-tools", local_index.url, run_parity)
    import importlib

    engine = importlib.import_module("parity.lock.engines.poetry")
    monkeypatch.setattr(engine, "find_poetry", lambda: None)
    files = tree(project)
    result = run_parity("export", "-p", project, "--to", "poetry", "--lock")
    assert result.code == 2
    assert "Poetry is not installed" in result.err and "Traceback" not in result.err
    assert tree(project) == files


# -- bad input: exit 2, nothing written ----------------------------------------------------


def test_unknown_strategy_and_export(tmp_path: Path, run_parity: Callable) -> None:
    project = make_project(tmp_path, {"requirements.in": "alpha\n"})
    files = tree(project)
    result = run_parity("init", "-p", project, "--strategy", "conda-forge-magic")
    assert result.code == 2 and "unknown strategy 'conda-forge-magic'" in result.err
    assert "pip-tools, poetry" in result.err
    result = run_parity("export", "-p", project, "--to", "nowhere")
    assert result.code == 2 and "unknown export 'nowhere'" in result.err
    assert tree(project) == files


def test_pyproject_that_is_not_toml(tmp_path: Path, run_parity: Callable) -> None:
    project = make_project(tmp_path, {"pyproject.toml": "[project\nname = 'x'\n"})
    files = tree(project)
    result = run_parity("init", "-p", project, "--strategy", "poetry")
    assert result.code == 2
    assert "pyproject.toml:1" in result.err and "TOML" in result.err
    assert tree(project) == files


def test_group_that_cannot_be_carried(tmp_path: Path, run_parity: Callable) -> None:
    project = make_project(
        tmp_path, {"requirements.in": "alpha\n", "requirements-lint.in": "tool-a\n"}
    )
    files = tree(project)
    result = run_parity("init", "-p", project, "--strategy", "poetry")
    assert result.code == 2
    assert "requirements-lint.in" in result.err and "'lint'" in result.err
    assert tree(project) == files


def test_existing_file_with_other_content_is_refused(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = locked_project(tmp_path, "pep621", local_index.url, run_parity)
    (project / "requirements-dev.in").write_text("# mine\nzeta\n")
    files = tree(project)
    result = run_parity("init", "-p", project, "--strategy", "pip-tools")
    assert result.code == 2
    assert "requirements-dev.in" in result.err
    assert tree(project) == files


def test_failed_lock_puts_every_file_back(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    files = STYLES["pep621"](local_index.url)
    files["pyproject.toml"] = files["pyproject.toml"].replace('"eta"', '"eta", "theta"')
    project = make_project(tmp_path, files)
    before = tree(project)
    result = run_parity("init", "-p", project, "--strategy", "pip-tools")
    assert result.code == 2, result.out
    assert tree(project) == before


def test_export_needs_a_lock_and_its_own_options(tmp_path: Path, run_parity: Callable) -> None:
    project = make_project(tmp_path, {"requirements.in": "alpha\n", ".python-version": "3.11\n"})
    result = run_parity("export", "-p", project, "--to", "github-actions")
    assert result.code == 2 and "parity lock" in result.err
    result = run_parity("export", "-p", project, "--to", "makefile", "--lock")
    assert result.code == 2 and "--lock does not apply to --to makefile" in result.err


def test_new_project_gets_the_strategy_files(tmp_path: Path, run_parity: Callable) -> None:
    project = tmp_path / "fresh"
    result = run_parity("init", "-p", project, "--strategy", "pip-tools", "--no-lock")
    assert result.code == 0, result.err
    assert sorted(p.name for p in project.iterdir()) == [
        ".python-version",
        "requirements-dev.in",
        "requirements.in",
    ]
    dry = run_parity("init", "-p", tmp_path / "other", "--strategy", "poetry", "--dry-run")
    assert dry.code == 0 and "+++ b/pyproject.toml" in dry.out
    assert not (tmp_path / "other").exists()


@pytest.mark.parametrize(
    ("artifact", "extra"),
    [
        ("makefile", ()),
        ("github-actions", ()),
        ("gitlab-ci", ()),
        ("pre-commit", ()),
        ("requirements", ("-o", "requirements-all.txt", "--with", "dev")),
        ("pylock", ()),
    ],
)
def test_every_export_twice_changes_nothing(
    artifact: str,
    extra: tuple[str, ...],
    tmp_path: Path,
    local_index: LocalIndex,
    run_parity: Callable,
) -> None:
    project = locked_project(tmp_path, "pip-tools", local_index.url, run_parity)
    first = run_parity("export", "-p", project, "--to", artifact, *extra, "--json")
    assert first.code == 0, first.err
    assert first.json()["schema"] == "parity/export@1"
    files = tree(project)
    second = run_parity("export", "-p", project, "--to", artifact, *extra, "--json")
    assert second.code == 0, second.err
    assert all(f["status"] == "unchanged" for f in second.json()["files"])
    assert tree(project) == files
    assert run_parity("check", "-p", project, "--lock-only").code == 0


def test_pip_tools_makefile_for_a_pip_compile_project(tmp_path: Path, run_parity: Callable) -> None:
    project = make_project(
        tmp_path,
        {
            "requirements.in": "alpha\n",
            "requirements-dev.in": "-r requirements.in\n",
            ".python-version": "3.11\n",
        },
    )
    result = run_parity("export", "-p", project, "--to", "makefile", "--engine", "pip-tools")
    assert result.code == 0, result.err
    assert "lock=none" in (project / "Makefile").read_text()


def test_export_from_a_poetry_lock_without_groups_takes_only_what_main_needs(
    tmp_path: Path, run_parity: Callable
) -> None:
    """A Poetry 1.x lock (lock-version 2.0) says nothing of groups: main is walked, not all."""
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": "[tool.poetry]\nname = 'app'\nversion = '0.1.0'\n"
            "[tool.poetry.dependencies]\npython = '^3.10'\nrequests = '^2.31'\n"
            "[tool.poetry.group.test.dependencies]\npytest = '*'\n",
            "poetry.lock": POETRY_1X_LOCK,
        },
    )
    result = run_parity("export", "-p", project, "--to", "requirements", "-o", "main.txt")
    assert result.code == 0, result.err
    text = (project / "main.txt").read_text()
    assert "requests==2.31.0" in text and "idna==3.7" in text
    assert "pytest" not in text and "pysocks" not in text
    result = run_parity(
        "export", "-p", project, "--to", "requirements", "-o", "test.txt", "--with", "test"
    )
    assert result.code == 0, result.err
    names = [line.split("==")[0] for line in (project / "test.txt").read_text().splitlines()]
    assert [n for n in names if n and not n.startswith("#")] == [
        "colorama",
        "idna",
        "iniconfig",
        "pytest",
        "requests",
    ]
    result = run_parity(
        "export", "-p", project, "--to", "requirements", "-o", "x.txt", "--with", "nope"
    )
    assert result.code == 2 and "unknown group 'nope'" in result.err
    assert not (project / "x.txt").exists()
