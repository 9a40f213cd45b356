"""Small pure decisions several strategy modules share."""

from __future__ import annotations

import functools
import re
from importlib.resources import files
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from parity.frozen import dataclass
from parity.spec.model import DEFAULT_GROUP, ProjectSpec
from parity.strategies.base import Workspace

PINS_FILE = "parity/data/pins.toml"


@dataclass(frozen=True)
class ActionPin:
    uses: str
    tag: str
    commit: str

    @property
    def ref(self) -> str:
        return f"{self.uses}@{self.commit}"


@dataclass(frozen=True)
class Pins:
    actions: dict[str, ActionPin]
    tools: dict[str, str]


@functools.cache
def pins() -> Pins:
    """The action commits and tool versions generated files pin (parity/data/pins.toml)."""
    from parity import toml

    data: dict[str, Any] = toml.loads(
        (files("parity") / "data" / "pins.toml").read_text(encoding="utf-8")
    )
    actions = {
        name: ActionPin(uses=str(v["uses"]), tag=str(v["tag"]), commit=str(v["commit"]))
        for name, v in data["actions"].items()
    }
    return Pins(actions=actions, tools={k: str(v) for k, v in data["tools"].items()})


def parity_version() -> str:
    from parity.version import __version__

    return __version__


def default_group(spec: ProjectSpec, wanted: str | None = None) -> str:
    """The group CI and the Makefile install: the one asked for, else the one with the tests.

    That is dev, unless dev has no pytest and another group has it (``tests``,
    a workspace member's ``app-dev``); without pytest anywhere, dev, else the
    widest group.
    """
    if wanted:
        if not spec.has_group(wanted):
            from parity.errors import UsageError

            raise UsageError(
                f"unknown group {wanted!r}",
                hint=f"This project's groups are: {', '.join(spec.group_names)}.",
            )
        return wanted
    testing = [g.name for g in spec.groups if uses_pytest(spec, g.name)]
    if spec.has_group("dev") and (not testing or "dev" in testing):
        return "dev"
    if testing:
        # dev holds no test runner (a repository's own tools, a workspace root's):
        # the environment that runs the tests is the one CI and `make test` need.
        named = [n for n in ("dev", "test", "tests", "testing") if n in testing]
        if named:
            return named[0]
        return max(testing, key=lambda n: (len(spec.closure(n)), n.endswith("-dev")))
    best = max(spec.groups, key=lambda g: (len(spec.closure(g.name)), g.name == DEFAULT_GROUP))
    return best.name


def python_minor(spec: ProjectSpec | None) -> str | None:
    """The pinned Python as X.Y (from .python-version / [tool.parity] python)."""
    if spec is None or not spec.python.pinned:
        return None
    parts = spec.python.pinned.split(".")
    return ".".join(parts[:2])


def lowest_python(requires: str | None) -> str | None:
    """The lowest CPython minor (3.8 .. 3.20) a requires-python range allows."""
    if not requires:
        return None
    try:
        spec = SpecifierSet(requires)
    except InvalidSpecifier:
        return None
    for minor in range(8, 21):
        if any(spec.contains(f"3.{minor}.{patch}") for patch in (0, 99)):
            return f"3.{minor}"
    return None


def requirement_names(spec: ProjectSpec, group: str) -> set[str]:
    return {r.name for r in spec.requirements_of(group)}


def uses_pytest(spec: ProjectSpec, group: str) -> bool:
    return "pytest" in requirement_names(spec, group)


def test_command(spec: ProjectSpec, group: str, workspace: Workspace, python: str) -> str | None:
    """How the project's tests run: pytest when the group has it, unittest for a tests/ dir."""
    if uses_pytest(spec, group):
        return f"{python} -m pytest"
    if workspace.exists("tests"):
        return f"{python} -m unittest discover -s tests"
    return None


def requirement_name(text: str) -> str | None:
    try:
        return Requirement(text).name
    except InvalidRequirement:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", text)
        return match.group(1) if match else None


def lockfile_outputs(spec: ProjectSpec) -> list[str]:
    return [g.output for g in spec.groups]
