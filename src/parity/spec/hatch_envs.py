"""Hatch environments: requirements that parity does not lock, and says so.

Hatch declares per-environment requirements (``dependencies``,
``extra-dependencies``) under ``[tool.hatch.envs.<name>]`` in pyproject.toml
or ``[envs.<name>]`` in hatch.toml (which Hatch reads first).  They are
Hatch's own inputs, with templates, matrices and per-environment Pythons that
one lock cannot stand for, so parity does not read them; a lock that names
only ``[project]`` dependencies would otherwise look complete.  Since Hatch
1.16 an environment installs PEP 735 groups (``dependency-groups = [...]``),
which parity does lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from typing import Any

HATCH_TOML = "hatch.toml"
_KEYS = ("dependencies", "extra-dependencies")


def environments_with_requirements(envs: Any) -> list[str]:
    """The names of the environments that list requirements of their own, in file order."""
    if not isinstance(envs, Mapping):
        return []
    return [
        str(name)
        for name, table in envs.items()
        if isinstance(table, Mapping) and any(table.get(key) for key in _KEYS)
    ]


def unread_hatch_environments(root: Path, pyproject: Mapping[str, Any]) -> list[str]:
    """A note naming the Hatch environments whose requirements no group reads."""
    found: list[tuple[str, list[str]]] = []
    tool = pyproject.get("tool")
    hatch = tool.get("hatch") if isinstance(tool, Mapping) else None
    if isinstance(hatch, Mapping):
        names = environments_with_requirements(hatch.get("envs"))
        if names:
            found.append(("pyproject.toml [tool.hatch.envs]", names))
    if (root / HATCH_TOML).is_file():
        from parity.errors import ParityError
        from parity.spec.pyproject import parse_toml
        from parity.textfile import read_text_file

        try:
            data = parse_toml(read_text_file(root / HATCH_TOML, shown=HATCH_TOML), HATCH_TOML)
        except (OSError, ParityError):
            data = {}  # Hatch reports its own file; parity reads nothing from it
        names = environments_with_requirements(data.get("envs"))
        if names:
            found.append((f"{HATCH_TOML} [envs]", names))
    return [
        f"not read: the requirements of the Hatch environments {', '.join(names)} ({where}); "
        "to lock them, move them to [dependency-groups] (Hatch 1.16+ installs a group "
        "with `dependency-groups = [...]` in the environment)"
        for where, names in found
    ]
