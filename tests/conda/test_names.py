"""PyPI <-> conda-forge names: shipped tables, curated entries, overrides, never a guess."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from parity.conda.names import How, NameMap, name_tables


@pytest.mark.parametrize(
    ("conda", "pypi"),
    [
        ("pytables", "tables"),
        ("python-graphviz", "graphviz"),
        ("pytorch", "torch"),
        ("matplotlib-base", "matplotlib"),
        ("matplotlib", "matplotlib"),
        ("msgpack-python", "msgpack"),
        ("opencv", "opencv-python"),
        ("numpy", "numpy"),
        ("scikit-learn", "scikit-learn"),
        ("pyyaml", "pyyaml"),
        ("pillow", "pillow"),
    ],
)
def test_conda_names_read_back_as_pypi_names(conda: str, pypi: str) -> None:
    assert NameMap().to_pypi(conda).name == pypi


@pytest.mark.parametrize(
    ("pypi", "conda"),
    [
        ("torch", "pytorch"),
        ("tables", "pytables"),
        ("graphviz", "python-graphviz"),
        ("opencv-python", "opencv"),
        ("scikit-learn", "scikit-learn"),
        ("PyYAML", "pyyaml"),
        ("Pillow", "pillow"),
        ("typing_extensions", "typing_extensions"),
    ],
)
def test_pypi_names_map_to_conda_forge(pypi: str, conda: str) -> None:
    assert NameMap().to_conda(pypi).name == conda


@pytest.mark.parametrize("conda", ["blas", "cudatoolkit", "libgdal", "graphviz", "cudnn"])
def test_conda_only_packages_have_no_pypi_name(conda: str) -> None:
    match = NameMap().to_pypi(conda)
    assert match.name is None
    assert match.how is How.CONDA_ONLY
    assert match.note is not None and "conda-only" in match.note


def test_an_unknown_name_is_reported_not_assumed_equal() -> None:
    names = NameMap()
    assert names.to_pypi("surely-not-a-package-xyz").how is How.UNMAPPED
    assert names.to_conda("surely-not-a-package-xyz").name is None
    assert "no conda-forge name" in (names.to_conda("surely-not-a-package-xyz").note or "")


def test_project_overrides_win_both_ways() -> None:
    names = NameMap({"Internal_Tool": "internal-tool-conda"})
    assert names.to_conda("internal-tool").name == "internal-tool-conda"
    assert names.to_pypi("internal-tool-conda").name == "internal-tool"
    assert names.to_conda("internal-tool").how is How.OVERRIDE


def test_curated_entries_name_their_source() -> None:
    match = NameMap().to_conda("pandas")
    assert match.how is How.CURATED
    assert match.note is not None and "feedstock" in match.note


def test_curated_entries_only_add_what_the_shipped_table_lacks() -> None:
    tables = name_tables()
    overlap = sorted(n for n in tables.curated if n in tables.same or n in tables.renamed)
    assert overlap == []


def test_shipped_table_keeps_its_license_and_source() -> None:
    data_dir = files("parity") / "data" / "conda"
    assert "MIT License" in (data_dir / "LICENSE-conda-pypi.txt").read_text(encoding="utf-8")
    table = json.loads((data_dir / "pypi_conda_names.json").read_text(encoding="utf-8"))
    assert table["schema"] == "parity/conda-names@1"
    assert "conda-pypi" in table["source"]
    assert len(table["same"]) + len(table["renamed"]) > 12000
