"""The native-packages table: data with a typed reader, shared with the recommendation."""

from __future__ import annotations

import pytest

from parity.conda.native import NativeTableError, goes_to_conda, native_table, parse_native_table


@pytest.mark.parametrize(
    "name", ["torch", "opencv-python", "gdal", "mkl", "tensorflow", "faiss-gpu", "h5py"]
)
def test_native_heavy_packages_go_to_conda(name: str) -> None:
    assert goes_to_conda(name)


@pytest.mark.parametrize("name", ["fastapi", "pandas", "requests", "pytest"])
def test_pure_python_packages_stay_with_pip(name: str) -> None:
    assert not goes_to_conda(name)


def test_the_project_moves_packages_either_way() -> None:
    assert not goes_to_conda("torch", from_pip=["torch"])
    assert goes_to_conda("NumPy", from_conda=["numpy"])


def test_every_entry_says_why_and_where_from() -> None:
    table = native_table()
    assert table.packages and table.conda_only
    for package in table.packages:
        assert package.why and package.source and package.needs
    assert table.only("cudatoolkit") is not None
    assert table.package("Torch") is not None


def test_a_malformed_table_is_refused() -> None:
    with pytest.raises(NativeTableError, match="schema"):
        parse_native_table('schema = "other"\n')
    with pytest.raises(NativeTableError, match="listed twice"):
        parse_native_table(
            'schema = "parity/native-packages@1"\n'
            + '[[package]]\npypi = "a"\nneeds = ["x"]\nwhy = "w"\nsource = "s"\n' * 2
        )
    with pytest.raises(NativeTableError, match="'why'"):
        parse_native_table(
            'schema = "parity/native-packages@1"\n[[conda_only]]\nname = "a"\nkind = "k"\n'
        )
