"""The bundled example locked against the real registry (skipped offline)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from parity.lock.formats import requirements_txt

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bankchurn"


@pytest.mark.network
def test_bankchurn_locks_every_group_consistently(tmp_path: Path, run_parity: Callable) -> None:
    project = tmp_path / "bankchurn"
    project.mkdir()
    for name in ("requirements.in", "requirements-dev.in", ".python-version"):
        shutil.copy(EXAMPLE / name, project / name)
    result = run_parity("lock", "-p", project)
    assert result.code == 0, result.err
    prod = {p.name: p for p in requirements_txt.read(project / "requirements.txt").pins}
    dev = {p.name: p for p in requirements_txt.read(project / "requirements-dev.txt").pins}
    for direct in (
        "pandas",
        "scikit-learn",
        "pydantic",
        "fastapi",
        "uvicorn",
        "mlflow",
        "pyyaml",
        "joblib",
    ):
        assert prod[direct].is_direct
    assert set(prod) < set(dev)
    assert all(dev[name].version == pin.version for name, pin in prod.items())
    assert all(p.hashes for p in dev.values())
    assert len(dev) > 80
    check = run_parity("check", "-p", project, "--lock-only")
    assert check.code == 0, check.out
    before = (project / "requirements-dev.txt").read_text()
    offline = run_parity("lock", "-p", project, "--offline")
    assert offline.code == 0, offline.err
    assert (project / "requirements-dev.txt").read_text() == before


def _pins(project: Path) -> dict[str, dict[str, str | None]]:
    return {
        name: {p.name: p.version for p in requirements_txt.read(project / name).pins}
        for name in ("requirements.txt", "requirements-dev.txt")
    }


@pytest.mark.network
def test_bankchurn_converts_to_poetry_and_back_with_the_same_pins(
    tmp_path: Path, run_parity: Callable
) -> None:
    import subprocess
    import sys

    project = tmp_path / "bankchurn"
    project.mkdir()
    for name in (
        "requirements.in",
        "requirements-dev.in",
        ".python-version",
        "pyproject.toml",
        "requirements.txt",
        "requirements-dev.txt",
    ):
        shutil.copy(EXAMPLE / name, project / name)
    committed = _pins(project)
    result = run_parity("init", "-p", project, "--strategy", "poetry")
    assert result.code == 0, result.err
    assert _pins(project) == committed
    assert run_parity("check", "-p", project, "--lock-only").code == 0
    poetry = Path(sys.executable).parent / "poetry"
    checked = subprocess.run([poetry, "check"], cwd=project, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    for name in ("requirements.in", "requirements-dev.in"):
        (project / name).unlink()
    result = run_parity("init", "-p", project, "--strategy", "pip-tools")
    assert result.code == 0, result.err
    assert _pins(project) == committed
    assert run_parity("check", "-p", project, "--lock-only").code == 0
    assert (
        "# FastAPI's TestClient is built on httpx.\nhttpx>=0.25.0"
        in (project / "requirements-dev.in").read_text()
    )
