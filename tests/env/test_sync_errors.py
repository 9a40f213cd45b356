"""How a failed install is told: what failed, the lines that say why, the fix that fits."""

from __future__ import annotations

from pathlib import Path

import pytest

import parity
from fixtures import LocalIndex, make_project
from parity.env.sync import install_error
from parity.errors import LockFileError

# uv's output when an sdist-only pin fails to build (uv-fastapi-example's httptools 0.6.1
# on Python 3.13), trimmed: the build log names machine paths on nearly every line.
BUILD_FAILED = """\
error: Failed to build `httptools==0.6.1`
  cause: The build backend returned an error
  cause: Call to `setuptools.build_meta:__legacy__.build_wheel` failed (exit status: 1)
         [stdout]
         running build_ext
         gcc -I/home/someone/.cache/uv/sdists-v11/pypi/httptools/src -c httptools/parser/parser.c
         [stderr]
         /home/someone/.cache/uv/builds-v0/.tmp/setuptools/dist.py:318: UserWarning: option
         httptools/parser/parser.c:849:1: warning: 'Py_UNICODE' is deprecated
         httptools/parser/parser.c:9938:27: error: too few arguments to function '_PyLong_AsByteArray'
         error: Command '['gcc', '-I/home/someone/.cache/uv/sdists-v11']' returned non-zero exit status 1.
  hint: Build failures usually indicate a problem with the package or the build environment
"""


def test_a_failed_build_names_the_package_and_the_compiler_error_without_the_build_log() -> None:
    error = install_error(BUILD_FAILED, "requirements.txt", offline=False)
    assert error.message.startswith("httptools 0.6.1 has no wheel for this interpreter")
    assert "too few arguments to function" in error.message
    assert "/home/someone" not in error.message and "warning" not in error.message
    assert error.path == "requirements.txt"
    assert error.hint is not None
    assert "`parity lock --upgrade-package httptools`" in error.hint
    assert ".python-version" in error.hint


def test_an_unexplained_failure_keeps_uvs_whole_message() -> None:
    error = install_error("error: something else went wrong\n", "requirements.txt", offline=False)
    assert "uv could not install the lock" in error.message
    assert "something else went wrong" in error.message


def test_a_marker_edited_by_hand_is_refused_as_any_unreadable_line(
    tmp_path: Path, local_index: LocalIndex
) -> None:
    """sync takes a lockfile's markers as written only while its seal holds."""
    root = make_project(
        tmp_path, {"requirements.in": f"-i {local_index.url}\ngamma\n", ".python-version": "3.11\n"}
    )
    parity.lock(parity.load_project(root))
    lockfile = root / "requirements.txt"
    text = lockfile.read_text(encoding="utf-8")
    assert "delta==1.0 ; sys_platform == 'win32'" in text
    lockfile.write_text(text.replace("== 'win32'", "=== = 'win32'"), encoding="utf-8")
    with pytest.raises(LockFileError, match="not a pinned requirement"):
        parity.sync(parity.load_project(root))
    assert not (root / ".venv").exists()
