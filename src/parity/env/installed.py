"""Read a virtual environment without running its interpreter.

``check`` must be fast and read-only, so it never starts the environment's
Python: the interpreter version comes from ``pyvenv.cfg`` and the installed
distributions from the ``*.dist-info`` directory names in site-packages
(the name and version are in the name, normalised, per the wheel spec).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from parity.errors import EnvironmentError_
from parity.frozen import Frozen
from parity.names import canonical_name as canonicalize_name  # packaging's, without its import

_DIST_INFO = r"^(?P<name>[^-]+)-(?P<version>[^-]+)\.dist-info$"
_EGG_INFO = r"^(?P<name>[^-]+)-(?P<version>[^-]+?)(-py\d[\d.]*)?\.egg-info$"

# Plain frozen classes, not dataclasses: ``check`` defines them on every run (see frozen.py).


class VenvInfo(Frozen):
    """A venv as found on disk: where it is and which Python made it."""

    _fields = ("root", "python_version", "implementation", "site_packages")
    root: Path
    python_version: str
    implementation: str
    site_packages: Path

    def __init__(
        self, root: Path, python_version: str, implementation: str, site_packages: Path
    ) -> None:
        object.__setattr__(self, "root", root)
        object.__setattr__(self, "python_version", python_version)
        object.__setattr__(self, "implementation", implementation)
        object.__setattr__(self, "site_packages", site_packages)

    @property
    def interpreter(self) -> Path:
        return interpreter_path(self.root)


def interpreter_path(venv: Path) -> Path:
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def read_pyvenv_cfg(venv: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    cfg = venv / "pyvenv.cfg"
    for line in cfg.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip().lower()] = value.strip()
    return values


def read_venv(venv: Path) -> VenvInfo | None:
    """The venv at ``venv``, or None when there is none."""
    try:
        cfg = read_pyvenv_cfg(venv)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise EnvironmentError_(f"cannot read {venv.name}/pyvenv.cfg: {exc.strerror}") from None
    version = cfg.get("version_info") or cfg.get("version") or ""
    implementation = cfg.get("implementation", "CPython")
    return VenvInfo(
        root=venv,
        python_version=version,
        implementation=implementation,
        site_packages=site_packages_dir(venv, version),
    )


def site_packages_dir(venv: Path, version: str) -> Path:
    if os.name == "nt":
        return venv / "Lib" / "site-packages"
    parts = version.split(".")
    if len(parts) >= 2:
        candidate = venv / "lib" / f"python{parts[0]}.{parts[1]}" / "site-packages"
        if candidate.is_dir():
            return candidate
    found = sorted((venv / "lib").glob("*/site-packages"))
    if found:
        return found[0]
    return venv / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"


class InstalledDist(Frozen):
    _fields = ("name", "version", "editable")
    name: str
    version: str
    editable: bool

    def __init__(self, name: str, version: str, editable: bool = False) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "editable", editable)


def installed_distributions(site_packages: Path) -> dict[str, InstalledDist]:
    """Every distribution in a site-packages directory, by canonical name."""
    found: dict[str, InstalledDist] = {}
    try:
        entries = sorted(os.listdir(site_packages))
    except FileNotFoundError:
        return found
    dist_info, egg_info = re.compile(_DIST_INFO), re.compile(_EGG_INFO)
    for entry in entries:
        if entry.endswith(".egg-link"):
            linked = egg_link_distribution(site_packages, entry)
            if linked is not None:
                found.setdefault(linked.name, linked)
            continue
        match = dist_info.match(entry) or egg_info.match(entry)
        if not match:
            continue
        name = canonicalize_name(match.group("name"))
        editable = entry.endswith(".dist-info") and _is_editable(site_packages / entry)
        # Two folders of one package: the first, in a stable order (check reports both).
        found.setdefault(
            name, InstalledDist(name=name, version=match.group("version"), editable=editable)
        )
    return found


def _pkg_info(path: Path) -> tuple[str | None, str | None]:
    name = version = None
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.strip():
                break
            key, _, value = line.partition(":")
            if key.strip().lower() == "name" and name is None:
                name = value.strip()
            elif key.strip().lower() == "version" and version is None:
                version = value.strip()
    return name, version


def egg_link_distribution(site_packages: Path, entry: str) -> InstalledDist | None:
    """A ``setup.py develop`` install: the link names the folder that holds its egg-info.

    A link that cannot be read or names nothing is skipped (``check`` reports
    it as damage); it never stops the listing.
    """
    try:
        text = (site_packages / entry).read_text(encoding="utf-8", errors="replace")
        target = Path(text.splitlines()[0].strip()) if text.strip() else None
        if target is None:
            return None
        if not target.is_absolute():
            target = site_packages / target
        for info in sorted(target.glob("*.egg-info")):
            name, version = _pkg_info(info / "PKG-INFO")
            if name:
                return InstalledDist(
                    name=canonicalize_name(name), version=version or "unknown", editable=True
                )
    except (OSError, ValueError, IndexError):
        return None
    name = canonicalize_name(entry.removesuffix(".egg-link"))
    return InstalledDist(name=name, version="unknown", editable=True)


def _is_editable(dist_info: Path) -> bool:
    direct_url = dist_info / "direct_url.json"
    try:
        text = direct_url.read_text(encoding="utf-8")
    except OSError:
        return False
    from parity.textfile import parse_json

    try:
        data = parse_json(text)
    except ValueError:
        return False
    dir_info = data.get("dir_info") if isinstance(data, dict) else None
    return isinstance(dir_info, dict) and dir_info.get("editable") is True
