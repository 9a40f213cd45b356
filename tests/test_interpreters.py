"""Finding Python interpreters: version requests, shims, environment directories."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from parity.interpreters import (
    environment_interpreter,
    is_running,
    managed_candidates,
    matches,
    past_shim,
)


@pytest.mark.parametrize(
    ("version", "request_", "expected"),
    [
        ("3.11.7", "3.11", True),
        ("3.11.7", "3.11.7", True),
        ("3.11.7", "3.1", False),
        ("3.11.7", "3.10", False),
        ("3.11.7", ">=3.10", True),
        ("3.9.18", ">=3.10", False),
        ("3.11.7", "==3.11.*", True),
        ("3.11.7", "not a request", False),
        ("3.13.0rc1", "3.13", True),
        ("3.10.13", "3.1", False),
        ("3.11.7", "3", True),
    ],
)
def test_a_version_matches_a_request(version: str, request_: str, expected: bool) -> None:
    assert matches(version, request_) is expected


def fake_python(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    return path


def test_version_manager_installs_are_found_newest_first(tmp_path: Path) -> None:
    for version in ("3.9.18", "3.12.1", "3.10.13"):
        minor = ".".join(version.split(".")[:2])
        fake_python(tmp_path / "pyenv" / "versions" / version / "bin" / f"python{minor}")
    found = [
        c.version
        for c in managed_candidates({"HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "pyenv")})
        if str(c.path).startswith(str(tmp_path))
    ]
    assert found == ["3.12.1", "3.10.13", "3.9.18"]


def test_a_shim_is_looked_past_to_the_real_interpreter(tmp_path: Path) -> None:
    real = fake_python(tmp_path / "pyenv" / "versions" / "3.9.18" / "bin" / "python3.9")
    shim = fake_python(tmp_path / "pyenv" / "shims" / "python3.9")
    environ = {"HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "pyenv")}
    assert past_shim(shim, "python3.9", environ) == real
    # Not a shim, or not a versioned command: left as found.
    plain = fake_python(tmp_path / "bin" / "python3.9")
    assert past_shim(plain, "python3.9", environ) == plain
    assert past_shim(shim, "python3", environ) == shim


@pytest.mark.parametrize("relative", ["bin/python", "bin/python3", "Scripts/python.exe"])
def test_an_environment_directory_holds_its_interpreter(tmp_path: Path, relative: str) -> None:
    exe = fake_python(tmp_path / "env" / relative)
    assert environment_interpreter(tmp_path / "env") == exe


def test_a_directory_without_an_interpreter_has_none(tmp_path: Path) -> None:
    assert environment_interpreter(tmp_path) is None


def test_the_running_interpreter_is_recognised() -> None:
    assert is_running(Path(sys.executable))
    assert not is_running(Path(sys.executable).with_name("not-python"))
