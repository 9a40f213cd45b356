"""The native-packages table: which packages belong in conda, which are conda-only.

Data in ``parity/data/conda/native_packages.toml`` (schema
``parity/native-packages@1``), read into typed values.  The conda strategy
uses it to decide what goes to conda-forge and what stays with pip; the
recommendation reads the same table to tell when a project needs conda at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from packaging.utils import canonicalize_name

from parity import toml
from parity.frozen import dataclass

NATIVE_SCHEMA = "parity/native-packages@1"
DATA_PATH = "parity/data/conda/native_packages.toml"


@dataclass(frozen=True)
class NativePackage:
    """A PyPI package whose native side conda manages better than pip."""

    pypi: str
    needs: tuple[str, ...]
    why: str
    source: str
    # How many parts of the PyPI version the conda package's version has (None: all).
    conda_version_parts: int | None = None

    def conda_version(self, version: str) -> str:
        if self.conda_version_parts is None:
            return version
        return ".".join(version.split(".")[: self.conda_version_parts])


@dataclass(frozen=True)
class CondaOnlyPackage:
    """A conda package that is no Python distribution (a library, toolkit or compiler)."""

    name: str
    kind: str
    why: str


@dataclass(frozen=True)
class NativeTable:
    packages: tuple[NativePackage, ...]
    conda_only: tuple[CondaOnlyPackage, ...]

    def package(self, pypi_name: str) -> NativePackage | None:
        key = canonicalize_name(pypi_name)
        return next((p for p in self.packages if p.pypi == key), None)

    def only(self, conda_name: str) -> CondaOnlyPackage | None:
        key = conda_name.lower()
        return next((p for p in self.conda_only if p.name == key), None)


class NativeTableError(ValueError):
    """The table is malformed (a packaging bug, or a user's own table)."""


@cache
def native_table() -> NativeTable:
    """The table shipped with parity (read once)."""
    text = (files("parity") / "data" / "conda" / "native_packages.toml").read_text(encoding="utf-8")
    return parse_native_table(text)


def parse_native_table(text: str) -> NativeTable:
    data = toml.loads(text)
    if data.get("schema") != NATIVE_SCHEMA:
        raise NativeTableError(f"{DATA_PATH}: schema must be {NATIVE_SCHEMA!r}")
    packages = tuple(_package(item) for item in _tables(data.get("package", [])))
    only = tuple(_conda_only(item) for item in _tables(data.get("conda_only", [])))
    for kind, names in (
        ("package", [p.pypi for p in packages]),
        ("conda_only", [p.name for p in only]),
    ):
        duplicate = next((n for n in names if names.count(n) > 1), None)
        if duplicate:
            raise NativeTableError(f"{DATA_PATH}: [[{kind}]] {duplicate!r} is listed twice")
    return NativeTable(packages=packages, conda_only=only)


def _tables(value: Any) -> Iterable[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise NativeTableError(f"{DATA_PATH}: expected arrays of tables")
    return value


def _string(item: Mapping[str, Any], key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise NativeTableError(f"{DATA_PATH}: every entry needs a {key!r} string ({dict(item)})")
    return value.strip()


def _package(item: Mapping[str, Any]) -> NativePackage:
    needs = item.get("needs", [])
    if not isinstance(needs, list) or not all(isinstance(n, str) for n in needs):
        raise NativeTableError(f"{DATA_PATH}: needs must be a list of strings ({dict(item)})")
    parts = item.get("conda-version-parts")
    if parts is not None and (not isinstance(parts, int) or parts < 1):
        raise NativeTableError(f"{DATA_PATH}: conda-version-parts must be a positive integer")
    return NativePackage(
        pypi=canonicalize_name(_string(item, "pypi")),
        needs=tuple(needs),
        why=_string(item, "why"),
        source=_string(item, "source"),
        conda_version_parts=parts,
    )


def _conda_only(item: Mapping[str, Any]) -> CondaOnlyPackage:
    return CondaOnlyPackage(
        name=_string(item, "name").lower(),
        kind=_string(item, "kind"),
        why=_string(item, "why"),
    )


def goes_to_conda(
    pypi_name: str,
    *,
    from_conda: Iterable[str] = (),
    from_pip: Iterable[str] = (),
    table: NativeTable | None = None,
) -> bool:
    """Whether a PyPI requirement is installed from conda (the table, then the project's say)."""
    key = canonicalize_name(pypi_name)
    if key in {canonicalize_name(n) for n in from_pip}:
        return False
    if key in {canonicalize_name(n) for n in from_conda}:
        return True
    return (table or native_table()).package(key) is not None
