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
