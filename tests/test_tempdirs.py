"""parity's work folders: found where tempfile would put them, gone when the block ends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from parity.tempdirs import work_dir

_BOTH = """
import sys
from parity.tempdirs import system_temp_dir
ours = system_temp_dir()
assert "tempfile" not in sys.modules, "tempfile was imported"
import tempfile
print(ours == tempfile.gettempdir(), ours)
"""


@pytest.mark.skipif(os.name == "nt", reason="Windows asks tempfile itself")
@pytest.mark.parametrize("case", ["set", "missing", "unset"])
def test_the_temp_folder_is_the_one_tempfile_finds(tmp_path: Path, case: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("TMPDIR", "TEMP", "TMP")}
    if case == "set":
        env["TMPDIR"] = str(tmp_path)
    elif case == "missing":
        env["TMPDIR"] = str(tmp_path / "nowhere")
        env["TEMP"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", _BOTH], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == "True", out
    if case != "unset":
        assert out[1] == str(tmp_path)


def test_a_work_folder_is_private_and_removed_after_its_block() -> None:
    with work_dir("test") as path:
        assert path.is_dir() and path.name.startswith(f"test-{os.getpid()}-")
        if os.name != "nt":
            assert path.stat().st_mode & 0o777 == 0o700
        (path / "file").write_text("x")
    assert not path.exists()
