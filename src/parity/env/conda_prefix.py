"""Read a conda prefix without running anything: its package records and pip's installs.

``conda-meta/<name>-<version>-<build>.json`` holds one record per conda
package (conda, mamba and py-rattler all write them); the Python packages pip
installed on top are the ``*.dist-info`` directories whose INSTALLER is not
conda.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from packaging.utils import canonicalize_name

from parity.frozen import dataclass

PREFIX_MARKER = "conda-meta"


@dataclass(frozen=True)
class PrefixPackage:
    name: str
    version: str
    build: str
    sha256: str | None = None


@dataclass(frozen=True)
class CondaPrefix:
    root: Path
    packages: dict[str, PrefixPackage]
    python_version: str | None

    @property
    def site_packages(self) -> Path | None:
        if not self.python_version:
            return None
        if os.name == "nt":
            return self.root / "Lib" / "site-packages"
        minor = ".".join(self.python_version.split(".")[:2])
        return self.root / "lib" / f"python{minor}" / "site-packages"

    @property
    def interpreter(self) -> Path:
        if os.name == "nt":
            return self.root / "python.exe"
        return self.root / "bin" / "python"


def is_conda_prefix(path: Path) -> bool:
    return (path / PREFIX_MARKER).is_dir()


def read_prefix(path: Path) -> CondaPrefix | None:
    """The prefix at ``path``, or None when there is no conda prefix there."""
    meta = path / PREFIX_MARKER
    if not meta.is_dir():
        return None
    packages: dict[str, PrefixPackage] = {}
    for record in sorted(meta.glob("*.json")):
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or not data.get("name") or not data.get("version"):
            continue
        packages[str(data["name"])] = PrefixPackage(
            name=str(data["name"]),
            version=str(data["version"]),
            build=str(data.get("build") or ""),
            sha256=str(data["sha256"]) if data.get("sha256") else None,
        )
    python = packages.get("python")
    return CondaPrefix(
        root=path, packages=packages, python_version=python.version if python else None
    )


def pip_distributions(prefix: CondaPrefix) -> dict[str, str]:
    """Distributions in the prefix that conda did not install: name -> version."""
    site = prefix.site_packages
    if site is None or not site.is_dir():
        return {}
    out: dict[str, str] = {}
    for dist_info in sorted(site.glob("*.dist-info")):
        name, _, version = dist_info.name[: -len(".dist-info")].rpartition("-")
        if not name:
            continue
        try:
            installer = (dist_info / "INSTALLER").read_text(encoding="utf-8").strip()
        except OSError:
            installer = ""
        if installer != "conda":
            out[canonicalize_name(name)] = version
    return out
