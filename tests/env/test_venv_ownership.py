"""sync never deletes a folder it cannot prove it created.

A typo in ``--venv`` must not cost anyone their source folder or project:
parity removes only a venv carrying its marker for that very location.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, find_python, make_project, make_venv
from parity.env.venv import MARKER_NAME, is_owned
from parity.interpreters import base_interpreter


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (the proof nothing was touched)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture
def locked(tmp_path: Path, local_index: LocalIndex, run_parity: Callable) -> Path:
    root = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\nbeta\n",
            ".python-version": "3.11\n",
            "src/app/main.py": "print('hello')\n",
            "src/app/__init__.py": "",
        },
    )
    assert run_parity("lock", "-p", root, "--no-pylock").code == 0
    return root


def test_a_source_folder_is_never_replaced(locked: Path, run_parity: Callable) -> None:
    before = tree(locked / "src")
    result = run_parity("sync", "-p", locked, "--venv", "src")
    assert result.code == 2
    assert "src exists and is not a virtual environment" in result.err
    assert "Traceback" not in result.err
    assert tree(locked / "src") == before


@pytest.mark.parametrize("venv", [".", "..", "./"])
def test_the_project_folder_or_a_parent_is_refused(
    locked: Path, run_parity: Callable, venv: str
) -> None:
    before = tree(locked)
    result = run_parity("sync", "-p", locked, "--venv", venv)
    assert result.code == 2
    assert "is the project folder or one of its parents" in result.err
    assert tree(locked) == before


def test_a_folder_outside_the_project_is_not_deleted(
    locked: Path, run_parity: Callable, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "notes.txt").write_text("mine\n")
    result = run_parity("sync", "-p", locked, "--venv", outside)
    assert result.code == 2
    assert (outside / "notes.txt").read_text() == "mine\n"


def test_a_file_is_refused(locked: Path, run_parity: Callable) -> None:
    result = run_parity("sync", "-p", locked, "--venv", "requirements.in")
    assert result.code == 2
    assert "exists and is not a directory" in result.err
    assert "beta" in (locked / "requirements.in").read_text()


def test_a_symlinked_venv_is_refused(locked: Path, run_parity: Callable, tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.mkdir()
    (locked / "linked").symlink_to(target)
    result = run_parity("sync", "-p", locked, "--venv", "linked")
    assert result.code == 2
    assert "symbolic link" in result.err


def test_a_venv_parity_did_not_create_is_synced_in_place_but_never_deleted(
    locked: Path, run_parity: Callable
) -> None:
    make_venv(locked / "theirs", "3.11")
    (locked / "theirs" / "keep.txt").write_text("x")
    assert run_parity("sync", "-p", locked, "--venv", "theirs").code == 0
    result = run_parity("sync", "-p", locked, "--venv", "theirs", "--recreate")
    assert result.code == 2
    assert "parity did not create" in result.err and "rm -rf theirs" in result.err
    assert (locked / "theirs" / "keep.txt").exists()


def test_a_foreign_venv_on_the_wrong_python_is_refused(locked: Path, run_parity: Callable) -> None:
    if find_python("3.12") is None:
        pytest.skip("Python 3.12 is not installed")
    make_venv(locked / ".venv", "3.12")
    result = run_parity("sync", "-p", locked)
    assert result.code == 2
    assert "it runs Python 3.12" in result.err and "lock wants 3.11" in result.err
    assert (locked / ".venv" / "pyvenv.cfg").exists()


def test_a_copied_parity_venv_is_not_proof(locked: Path, run_parity: Callable) -> None:
    assert run_parity("sync", "-p", locked).code == 0
    assert is_owned(locked / ".venv")
    shutil.copytree(locked / ".venv", locked / "copy", symlinks=True)
    assert (locked / "copy" / MARKER_NAME).exists() and not is_owned(locked / "copy")
    result = run_parity("sync", "-p", locked, "--venv", "copy", "--recreate")
    assert result.code == 2
    assert (locked / "copy" / "pyvenv.cfg").exists()


def test_recreate_inside_the_project_resolves_the_interpreter_first(
    locked: Path, run_parity: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_parity("sync", "-p", locked).code == 0
    monkeypatch.chdir(locked)  # uv's discovery now finds .venv/bin/python first
    result = run_parity("sync", "--recreate")
    assert result.code == 0, result.err
    assert "Created and synced .venv" in result.out
    assert run_parity("check").code == 0


def test_an_empty_folder_is_used(locked: Path, run_parity: Callable) -> None:
    (locked / "env").mkdir()
    result = run_parity("sync", "-p", locked, "--venv", "env")
    assert result.code == 0, result.err
    assert is_owned(locked / "env")


def test_an_interrupted_removal_is_finished_by_the_next_run(
    locked: Path, run_parity: Callable
) -> None:
    assert run_parity("sync", "-p", locked).code == 0
    venv = locked / ".venv"
    # What a kill in the middle of the removal leaves: some files gone, the marker last.
    shutil.rmtree(venv / "lib")
    (venv / "pyvenv.cfg").unlink()
    result = run_parity("sync", "-p", locked)
    assert result.code == 0, result.err
    assert "Created and synced" in result.out
    assert run_parity("check", "-p", locked).code == 0


def test_base_interpreter_traces_a_venv_back_to_its_installation(tmp_path: Path) -> None:
    python = make_venv(tmp_path / "v", "3.11")
    base = base_interpreter(python)
    assert not str(base).startswith(str(tmp_path))
    assert os.access(base, os.X_OK)
