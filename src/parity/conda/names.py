"""PyPI <-> conda-forge package names, from data shipped with parity.

Three layers, first match wins:

1. the project's own ``[tool.parity.conda] names`` (PyPI name = conda name);
2. parity's curated table (``data/conda/curated_names.toml``), each entry with
   its source;
3. conda-pypi's copy of grayskull's table (``data/conda/pypi_conda_names.json``,
   MIT): the renames, and the names that are the same on both sides.

A name none of them knows is *unmapped*: reported, never assumed to be the same
on the other side.  A conda package that is no Python distribution (``blas``,
``cudatoolkit``, ``libgdal``) is *conda-only*, and never becomes a PyPI
requirement.  Nothing is downloaded at run time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import Enum
from functools import cache
from importlib.resources import files

from packaging.utils import canonicalize_name

from parity import toml
from parity.conda.native import NativeTable, native_table
from parity.frozen import dataclass

# conda packages that are the environment itself, not a requirement of the project.
INTERPRETER = "python"
INSTALLERS = frozenset({"pip", "setuptools", "wheel"})


class How(str, Enum):
    """Where a name's translation comes from."""

    OVERRIDE = "override"
    CURATED = "curated"
    TABLE = "conda-pypi"
    SAME = "same"
    CONDA_ONLY = "conda-only"
    UNMAPPED = "unmapped"


@dataclass(frozen=True)
class NameMatch:
    """The other side's name, or None (conda-only, or unmapped), and how it was found."""

    name: str | None
    how: How
    note: str | None = None

    @property
    def mapped(self) -> bool:
        return self.name is not None


@dataclass(frozen=True)
class NameTables:
    renamed: Mapping[str, str]  # canonical PyPI name -> conda name
    same: frozenset[str]
    curated: Mapping[str, tuple[str, str]]  # canonical PyPI name -> (conda name, source)
    reverse_prefer: Mapping[str, str]  # conda name -> the PyPI name it reads back as
    source: str
    reverse: Mapping[str, tuple[str, How]]  # conda name -> (PyPI name, how)


@cache
def name_tables() -> NameTables:
    data_dir = files("parity") / "data" / "conda"
    table = json.loads((data_dir / "pypi_conda_names.json").read_text(encoding="utf-8"))
    curated = toml.loads((data_dir / "curated_names.toml").read_text(encoding="utf-8"))
    renamed = {str(k): str(v) for k, v in table["renamed"].items()}
    curated_names: dict[str, tuple[str, str]] = {
        canonicalize_name(k): (str(v["conda"]), str(v["source"]))
        for k, v in curated["names"].items()
    }
    prefer = {str(k): canonicalize_name(v) for k, v in curated["reverse"].items()}
    return NameTables(
        renamed=renamed,
        same=frozenset(table["same"]),
        curated=curated_names,
        reverse_prefer=prefer,
        source=str(table["source"]),
        reverse=reverse_names(renamed, curated_names, prefer),
    )


def reverse_names(
    renamed: Mapping[str, str],
    curated: Mapping[str, tuple[str, str]],
    prefer: Mapping[str, str],
) -> dict[str, tuple[str, How]]:
    """conda name -> (PyPI name, how), for every PyPI name some layer renames."""
    out: dict[str, tuple[str, How]] = {}
    for pypi, conda in sorted(renamed.items()):
        out.setdefault(conda, (pypi, How.TABLE))
    for pypi, (conda, _) in sorted(curated.items()):
        out.setdefault(conda, (pypi, How.CURATED))
    for conda, pypi in prefer.items():
        out[conda] = (pypi, How.CURATED)
    return out


class NameMap:
    """Translates names both ways, with a project's overrides on top of the tables."""

    def __init__(
        self,
        overrides: Mapping[str, str] | None = None,
        *,
        tables: NameTables | None = None,
        native: NativeTable | None = None,
    ) -> None:
        self._tables = tables or name_tables()
        self._native = native or native_table()
        self._overrides = {canonicalize_name(k): v.lower() for k, v in (overrides or {}).items()}
        self._overrides_back = {v: k for k, v in self._overrides.items()}

    def to_conda(self, pypi_name: str) -> NameMatch:
        key = canonicalize_name(pypi_name)
        if key in self._overrides:
            return NameMatch(self._overrides[key], How.OVERRIDE)
        if key in self._tables.curated:
            conda, source = self._tables.curated[key]
            return NameMatch(conda, How.CURATED, source)
        if key in self._tables.renamed:
            return NameMatch(self._tables.renamed[key], How.TABLE)
        if key in self._tables.same:
            return NameMatch(key, How.SAME)
        return NameMatch(
            None,
            How.UNMAPPED,
            f"{key}: no conda-forge name known; it stays a pip requirement "
            "(name it in [tool.parity.conda] names to install it from conda)",
        )

    def to_pypi(self, conda_name: str) -> NameMatch:
        key = conda_name.lower()
        if key in self._overrides_back:
            return NameMatch(self._overrides_back[key], How.OVERRIDE)
        only = self._native.only(key)
        if only is not None:
            return NameMatch(None, How.CONDA_ONLY, f"{key}: conda-only ({only.why})")
        if key in self._tables.reverse:
            pypi, how = self._tables.reverse[key]
            return NameMatch(pypi, how)
        canonical = canonicalize_name(key)
        if canonical == key and key in self._tables.same and key not in self._tables.renamed:
            return NameMatch(key, How.SAME)
        return NameMatch(
            None,
            How.UNMAPPED,
            f"{key}: no PyPI name known for this conda package "
            "(name it in [tool.parity.conda] names if it is a Python package)",
        )

    @property
    def source(self) -> str:
        return self._tables.source
