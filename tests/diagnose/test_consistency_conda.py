"""Cross-file consistency for conda's files: environment.yml and conda.lock as sources."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fixtures import LocalIndex, make_project
from parity.diagnose.consistency.facts import PIN, RANGE, PinFact, Place, PythonFact
from parity.diagnose.consistency.sources import conda_env, conda_lock

ENV = """\
name: demo
channels: [conda-forge]
dependencies:
  - python=3.11
  - numpy==1.26.4
  - pytables=3.9.2
  - scipy>=1.11          # a range pins nothing
  - libgdal=3.8.4        # conda-only: no PyPI name
  - pip
  - pip:
      - requests==2.31.0
      - httpx>=0.25
"""


def test_environment_file_pins_and_python() -> None:
    found = list(conda_env.facts("environment.yml", ENV))
    assert PythonFact(PIN, "3.11", Place("environment.yml", 4), "environment file") in found
    pins = {(f.name, f.version, f.place.line) for f in found if isinstance(f, PinFact)}
    assert pins == {("numpy", "1.26.4", 5), ("tables", "3.9.2", 6), ("requests", "2.31.0", 11)}


def test_environment_file_python_range() -> None:
    found = list(conda_env.facts("e.yml", "dependencies:\n  - python>=3.10,<3.13\n"))
    assert found == [PythonFact(RANGE, ">=3.10,<3.13", Place("e.yml", 2), "environment file")]


def test_unusual_layouts_yield_nothing() -> None:
    assert list(conda_env.facts("e.yml", "dependencies: [numpy==1.0]\n")) == []
    assert list(conda_env.facts("e.yml", "name: x\n")) == []


LOCK = """\
# parity:digest sha256:00
version: 7
platforms:
- name: linux-64
- name: osx-arm64
environments:
  default:
    channels:
    - url: https://conda.example/conda-forge/
    packages:
      linux-64:
      - conda: https://conda.example/conda-forge/linux-64/python-3.11.7-h0_cpython.conda
      - conda: https://conda.example/conda-forge/noarch/pytables-3.9.2-pyh_0.conda
      - conda: https://conda.example/conda-forge/linux-64/libgdal-3.8.4-h0.conda
      osx-arm64:
      - conda: https://conda.example/conda-forge/noarch/pytables-3.9.1-pyh_0.conda
packages:
- conda: https://conda.example/conda-forge/noarch/pytables-3.9.2-pyh_0.conda
"""


def test_conda_lock_pins_of_one_platform() -> None:
    found = list(conda_lock.facts("conda.lock", LOCK))
    assert found == [
        PythonFact(PIN, "3.11.7", Place("conda.lock", 12), "conda.lock"),
        PinFact("tables", "3.9.2", Place("conda.lock", 13)),
    ]


def test_check_reports_environment_yml_against_the_lock(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = make_project(
        tmp_path,
        {"requirements.in": f"-i {local_index.url}\nbeta\n", ".python-version": "3.11\n"},
    )
    assert run_parity("lock", "-p", project, "--no-pylock").code == 0
    (project / "environment.yml").write_text(
        "dependencies:\n  - python=3.12\n  - pip:\n      - alpha==1.0\n"
    )
    result = run_parity("check", "-p", project, "--lock-only", "--json")
    assert result.code == 1
    codes = {(f["code"], f.get("subject")) for f in result.json()["findings"]}
    assert ("pins-disagree", "alpha") in codes
    assert any(code == "python-disagrees" for code, _ in codes)
    text = run_parity("check", "-p", project, "--lock-only").out
    assert "environment.yml:4" in text and "requirements.txt:" in text
