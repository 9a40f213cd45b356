"""Every malformed or hostile input gets one clear error and changes nothing.

For each case of ``cases.py``: exit code 2, one ``error:`` line naming the
file (and line) where there is one, a hint or a message a person can act on,
no traceback, no secret from outside the project echoed, and every file of
the project byte for byte as it was (no file added either).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from .cases import CASES, SECRET, Big, Case, Content, Fifo, Folder, Link


def materialise(root: Path, files: dict[str, Content], outside: Path) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Fifo):
            os.mkfifo(path)
        elif isinstance(content, Folder):
            path.mkdir()
        elif isinstance(content, Link):
            path.symlink_to(content.target.replace("{outside}", str(outside)))
        elif isinstance(content, Big):
            with open(path, "w", encoding="utf-8") as handle:
                handle.seek(content.size)
                handle.write(content.line)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content.replace("{outside}", str(outside)), encoding="utf-8")


def state(root: Path) -> dict[str, object]:
    """Every entry under ``root``: a file's bytes, or what kind of entry it is."""
    found: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            rel = str(path.relative_to(root))
            if path.is_symlink():
                found[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                found[rel] = "folder"
            elif path.is_fifo():
                found[rel] = "fifo"
            elif path.stat().st_size > 1024 * 1024:
                found[rel] = ("big", path.stat().st_size)
            else:
                found[rel] = path.read_bytes()
    return found


PARAMS = [
    pytest.param(
        case,
        id=case.id,
        marks=[pytest.mark.xfail(strict=True, reason=case.known_defect)]
        if case.known_defect
        else [],
    )
    for case in CASES
]


@pytest.mark.parametrize("case", PARAMS)
def test_hostile_input_gets_one_clear_error_and_changes_nothing(
    case: Case,
    tmp_path: Path,
    run_parity: Callable,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.in").write_text(f"{SECRET}\n")
    root = tmp_path / "project"
    root.mkdir()
    materialise(root, dict(case.files), outside)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(root)
    before = state(root)
    args = [a.replace("{root}", str(root)).replace("{outside}", str(outside)) for a in case.args]
    result = run_parity(*args)
    assert result.code == 2, f"exit {result.code}\n{result.out}\n{result.err}"
    assert "Traceback" not in result.err + result.out
    errors = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.err
    assert case.expect in result.err, result.err
    if case.where is not None:
        assert f" {case.where}" in errors[0], errors[0]
    assert SECRET not in result.err + result.out
    assert state(root) == before, "the project changed"


def test_the_corpus_covers_every_format_and_command() -> None:
    kinds = {c.fmt for c in CASES}
    assert kinds >= {
        "requirements.in",
        "pep621",
        "poetry",
        "parity.toml",
        ".python-version",
        "lockfile",
        "diff",
        "cli",
        "environment.yml",
    }
    commands = {c.args[0] for c in CASES}
    assert commands >= {"lock", "sync", "check", "diff", "why", "verify", "export", "snapshot"}
    assert len(CASES) >= 80
