"""Output files are validated before anything is resolved or written.

An output may not be an input, may not leave the project (even through a
link), may not be shared by two groups, and is a ``.txt`` file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fixtures import make_project
from parity.errors import ParityError
from parity.spec.load import load_project


def project(tmp_path: Path, outputs: str) -> Path:
    return make_project(
        tmp_path,
        {
            "requirements.in": "alpha\n",
            "requirements-dev.in": "-r requirements.in\nbeta\n",
            "constraints.txt": "alpha<3\n",
            ".python-version": "3.11\n",
            "parity.toml": f"[tool.parity]\noutputs = {outputs}\n",
        },
    )


def error_for(root: Path) -> ParityError:
    with pytest.raises(ParityError) as caught:
        load_project(root)
    return caught.value


@pytest.mark.parametrize(
    ("outputs", "words"),
    [
        ('{ prod = "requirements.in" }', "which is an input file"),
        ('{ prod = "REQUIREMENTS.IN" }', "which is an input file"),
        ('{ prod = "./requirements-dev.in" }', "which is an input file"),
        ('{ prod = "pyproject.toml" }', "which is an input file"),
        ('{ prod = "parity.toml" }', "which is an input file"),
        ('{ prod = ".python-version" }', "which is an input file"),
        ('{ prod = "" }', "must be a relative path inside the project"),
        ('{ prod = "  " }', "must be a relative path inside the project"),
        ('{ prod = "/tmp/x.txt" }', "must be a relative path inside the project"),
        ('{ prod = "../x.txt" }', "must be a relative path inside the project"),
        ('{ prod = "a/../../x.txt" }', "must be a relative path inside the project"),
        ('{ prod = "C:/x.txt" }', "must be a relative path inside the project"),
        ('{ prod = "x.txt", dev = "x.txt" }', "would both be locked into"),
        ('{ prod = "X.txt", dev = "x.TXT" }', "would both be locked into"),
        ('{ prod = "requirements.lock" }', "must be a .txt file"),
        ('{ prod = "out.toml" }', "must be a .txt file"),
        ('{ docs = "docs.txt" }', "unknown group 'docs'"),
        ("{ prod = 5 }", "must map group names to file names"),
        ('"x.txt"', "must map group names to file names"),
    ],
)
def test_bad_outputs_are_refused_with_file_and_line(
    tmp_path: Path, outputs: str, words: str
) -> None:
    error = error_for(project(tmp_path, outputs))
    assert words in error.message
    assert error.location == "parity.toml:2"


def test_an_output_through_a_link_to_outside_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, '{ prod = "out/prod.txt" }')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "out").symlink_to(elsewhere)
    assert "leads outside the project" in error_for(root).message


def test_an_output_that_is_a_link_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, '{ prod = "prod.txt" }')
    (root / "prod.txt").symlink_to(root / "requirements.in")
    assert "is a symbolic link" in error_for(root).message


def test_an_output_in_a_link_loop_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, '{ prod = "loop.txt" }')
    os.symlink("loop.txt", root / "loop.txt")
    assert "symbolic link loop" in error_for(root).message


def test_an_output_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, '{ prod = "locks.txt" }')
    (root / "locks.txt").mkdir()
    assert "is a directory" in error_for(root).message


def test_default_outputs_are_checked_too(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"requirements.in": "alpha\n"})
    (root / "requirements.txt").mkdir()
    with pytest.raises(ParityError, match="is a directory"):
        load_project(root)


def test_a_valid_output_in_a_subfolder_is_accepted(tmp_path: Path) -> None:
    spec = load_project(project(tmp_path, '{ dev = "locks/dev.txt" }'))
    assert spec.group("dev").output == "locks/dev.txt"
