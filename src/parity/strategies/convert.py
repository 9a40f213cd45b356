"""What conversions between project formats share: requirements with their comments.

A conversion reads the project's ProjectSpec (what to carry) and the text of
the files the requirements were written in (their comments, which the spec
does not hold).  Everything here is pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from parity.errors import UsageError
from parity.frozen import dataclass
from parity.spec.model import DEFAULT_GROUP, DirectRequirement, Group, ProjectSpec
from parity.spec.plain import PATTERNS
from parity.strategies.base import Request, Workspace
from parity.strategies.roundtrip import comments_above, inline_comment

# Comment lines parity itself writes at the top of converted files: not carried again.
_OWN_COMMENT = re.compile(r"^(requirements[\w./-]*\.in: |converted by `parity init)")


@dataclass(frozen=True)
class Carried:
    """One requirement to write in the new format, with the comments that went with it."""

    requirement: DirectRequirement
    above: tuple[str, ...] = ()
    inline: str | None = None

    @property
    def text(self) -> str:
        return self.requirement.requirement

    @property
    def parsed(self) -> Requirement | None:
        try:
            return Requirement(self.text)
        except InvalidRequirement:
            return None


def carried(group: Group, workspace: Workspace) -> list[Carried]:
    """The group's own requirements (not those of groups it includes), with comments."""
    texts: dict[str, str | None] = {}
    out: list[Carried] = []
    for req in group.requirements:
        path = req.source.path
        if path not in texts:
            texts[path] = workspace.read(path)
        text = texts[path]
        if text is None:
            out.append(Carried(req))
            continue
        lines = comments_above(text, req.source.line)
        if req.source.line is not None and len(lines) == req.source.line - 1:
            lines = []  # the file's opening comment block describes the file, not this line
        above = tuple(c for c in lines if not _OWN_COMMENT.match(c))
        out.append(Carried(req, above, inline_comment(text, req.source.line)))
    return out


def group_comments(spec: ProjectSpec, group: Group, workspace: Workspace) -> list[str]:
    """The comment block at the top of a requirements file (its description)."""
    if group.source is None or not group.source.path.endswith(".in"):
        return []
    text = workspace.read(group.source.path) or ""
    out: list[str] = []
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped.startswith("#"):
            break
        comment = stripped.lstrip("#").strip()
        if not _OWN_COMMENT.match(comment):
            out.append(comment)
    return out


def extras_of(pyproject: dict[str, Any]) -> set[str]:
    """Normalized names of the project's extras (PEP 621 and Poetry's [tool.poetry.extras])."""
    names: set[str] = set()
    project = pyproject.get("project")
    if isinstance(project, dict) and isinstance(project.get("optional-dependencies"), dict):
        names |= set(project["optional-dependencies"])
    tool = pyproject.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict) and isinstance(poetry.get("extras"), dict):
        names |= set(poetry["extras"])
    return {re.sub(r"[-_.]+", "-", n).lower() for n in names}


def parse_pyproject(workspace: Workspace) -> tuple[str | None, dict[str, Any]]:
    from parity.spec.pyproject import parse_toml

    text = workspace.read("pyproject.toml")
    if text is None:
        return None, {}
    return text, parse_toml(text, "pyproject.toml")


def check_no_dynamic_dependencies(workspace: Workspace, target: str) -> None:
    """Stop when [project] leaves its dependencies to the build backend (setuptools'
    ``dynamic`` files): ``target`` reads [project], so it would lock none of them.

    Carrying them over would also mean rewriting the build configuration
    (a field cannot be both listed and dynamic), which is the user's to decide.
    """
    text, data = parse_pyproject(workspace)
    project = data.get("project")
    dynamic = project.get("dynamic") if isinstance(project, dict) else None
    if text is None or not isinstance(dynamic, list):
        return
    fields = [f for f in ("dependencies", "optional-dependencies") if f in dynamic]
    if not fields:
        return
    from parity.spec.pyproject import TomlLines

    raise UsageError(
        f"[project] declares its {' and '.join(fields)} dynamic (setuptools reads them "
        f"from the files [tool.setuptools.dynamic] names), which {target} does not read: "
        f"the {target} project would lock without them",
        path="pyproject.toml",
        line=TomlLines(text).key(("project",), "dynamic"),
        hint="List them in [project] dependencies and [project.optional-dependencies] and "
        "take them out of dynamic, then convert; or keep the project as it is (parity "
        "locks it as setuptools reads it).",
    )


def check_includes_prod(spec: ProjectSpec, target: str) -> None:
    """Every non-prod group must sit on top of prod: Poetry and PEP 621 groups always do."""
    if not spec.has_group(DEFAULT_GROUP):
        return
    for group in spec.groups:
        if group.name == DEFAULT_GROUP:
            continue
        if DEFAULT_GROUP not in {g.name for g in spec.closure(group.name)}:
            raise UsageError(
                f"group {group.name!r} does not include the main dependencies, and in "
                f"{target} every group sits on top of them: its lock would change",
                path=group.source.path if group.source else None,
                hint=f"Add `-r requirements.in` to {group.source.path if group.source else 'it'}"
                " (the usual layering), or keep the project as it is.",
            )


def check_not_conda(spec: ProjectSpec, target: str) -> None:
    """A conda project's conda packages have no place in a PyPI-only strategy: stop, naming them.

    Converting only the ``pip:`` section would drop PyTorch, NumPy and the
    Python pin without a word (the files would install something else).
    """
    if spec.format != "conda":
        return
    packages = [d for env in spec.conda for d in env.dependencies if d.name != "python"]
    first = packages[0].source if packages else None
    shown = ", ".join(dict.fromkeys(d.spec for d in packages)) or "none"
    raise UsageError(
        f"this is a conda project: {target} cannot carry its conda packages ({shown}), and "
        "converting only its pip: section would drop them",
        path=first.path if first else None,
        line=first.line if first else None,
        hint="Keep the conda strategy (`parity lock` solves environment.yml), or move each "
        "package you want from PyPI into the pip: section first, then convert.",
    )


def check_no_constraints(spec: ProjectSpec, target: str) -> None:
    for group in spec.groups:
        if group.constraints:
            first = group.constraints[0]
            raise UsageError(
                f"group {group.name!r} is constrained by {first.source.path} (-c), and "
                f"{target} has no constraints files: its lock would change",
                path=first.source.path,
                line=first.source.line,
                hint="Move the constraints into the requirements (as version ranges), then convert.",
            )


def ordered_groups(spec: ProjectSpec) -> Iterable[Group]:
    """prod first, then the others in the order the project declares them."""
    yield from (g for g in spec.groups if g.name == DEFAULT_GROUP)
    yield from (g for g in spec.groups if g.name != DEFAULT_GROUP)


def default_output(group: str) -> str:
    """The lockfile a group gets when the project names none."""
    return "requirements.txt" if group == DEFAULT_GROUP else f"requirements-{group}.txt"


def python_pin(request: Request) -> str | None:
    """The Python a converted project pins: the spec's, else the lock's, else the option."""
    spec = request.spec
    if spec is not None and spec.python.pinned:
        return spec.python.pinned
    if request.lock is not None and request.lock.meta.python:
        return request.lock.meta.python
    pin = request.option("python")
    return str(pin) if pin else None


# Where dependencies live that only `parity init --strategy pip-tools` turns into inputs.
UNREAD_INPUTS = (*PATTERNS, "Pipfile")


def check_nothing_unconverted(request: Request, strategy: str) -> None:
    """Refuse to start a project empty when its dependencies sit in files parity does not read.

    A hand-written requirements.txt or a Pipfile is carried into .in files by
    the pip-tools strategy only; any other strategy on such a project would
    write files without a single dependency and lock nothing.
    """
    from parity.lock.formats.files import unless_generated

    if request.spec is not None:
        return
    found = []
    for pattern in UNREAD_INPUTS:
        for path in request.workspace.glob(pattern):
            text = request.workspace.read(path)
            if text and text.strip() and unless_generated(path, text) is not None:
                found.append(path)
    if found:
        names = ", ".join(sorted(set(found)))
        raise UsageError(
            f"this project's dependencies are in {names}, which parity does not read: "
            f"the {strategy} files would start without them",
            hint="Nothing was written. Convert them first with `parity init --strategy "
            f"pip-tools`, then run `parity init --strategy {strategy}` again.",
        )
