"""The fleet page's workflow is valid for actionlint, and the page holds no machine path."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "fleet.md"


def _actionlint() -> str | None:
    beside = Path(sys.executable).with_name("actionlint")
    return str(beside) if beside.is_file() else shutil.which("actionlint")


def test_the_documented_workflow_passes_actionlint(tmp_path: Path) -> None:
    tool = _actionlint()
    if tool is None:
        pytest.skip("actionlint is not installed")
    (block,) = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "fleet.yml").write_text(block, encoding="utf-8")
    proc = subprocess.run(
        [tool, "-no-color", str(workflows / "fleet.yml")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_page_holds_no_machine_path() -> None:
    text = DOC.read_text(encoding="utf-8")
    for path in ("/tmp/", "/root/", "/work/", "/home/", "/opt/"):
        assert path not in text
