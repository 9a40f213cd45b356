"""The dependency groups of uv workspace members.

A member's ``[dependency-groups]`` (its ``dev`` tools, its test runner) are
part of the workspace's lock, as uv locks them: ``uv sync --package api``
installs the member with its ``dev`` group.  parity reads each one as a group
``<member>-<group>`` that installs the member from the source tree and the
group's requirements, so nothing a member declares is left out of the lock.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from parity.errors import SpecError
from parity.frozen import replace
from parity.spec.local import local_requirement
from parity.spec.model import DirectRequirement, Group, SourceRef
from parity.spec.pyproject import (
    PYPROJECT,
    PyprojectReader,
    TomlLines,
    normalize_group,
    parse_toml,
    table,
)
from parity.spec.uv_project import UvProject, apply_sources, read_uv_project
from parity.textfile import read_text_file


def member_groups(
    root: Path, uv: UvProject, *, members_are_groups: bool, taken: Iterable[str] = ()
) -> list[Group]:
    """One group per dependency group and per extra of each member, ``<member>-<name>``.

    ``members_are_groups``: the workspace root is virtual, so each member is a
    group of its own, which the member's groups include; otherwise each
    group installs its member itself.  ``taken``: the names of the groups
    read before these, which an extra's group must not reuse.
    """
    out: list[Group] = []
    extras: list[tuple[str, str, Group]] = []
    for member in uv.members:
        shown = f"{member.path}/{PYPROJECT}"
        try:
            out += _groups_of(root, member.name, member.path, shown, uv, members_are_groups)
            extras += _extras_of(root, member.name, member.path, shown)
        except SpecError as exc:
            if exc.path != PYPROJECT:
                raise
            # Readers shared with the root's file name it pyproject.toml: name the member's.
            raise SpecError(exc.message, path=shown, line=exc.line, hint=exc.hint) from None
    used = {*taken, *(g.name for g in out)}
    for owner, extra, group in extras:
        if group.name in used:
            # crewAI: member crewai's extra ``tools`` and member ``crewai-tools``.
            name = f"{owner}-extra-{extra}"
            group = replace(group, name=name, output=f"requirements-{name}.txt")
        used.add(group.name)
        out.append(group)
    return out


def _groups_of(
    root: Path, name: str, path: str, shown: str, uv: UvProject, members_are_groups: bool
) -> list[Group]:
    text = read_text_file(root / path / PYPROJECT, shown=shown)
    data = parse_toml(text, shown)
    tool = data.get("tool")
    settings = tool.get("uv") if isinstance(tool, dict) else None
    legacy = isinstance(settings, dict) and settings.get("dev-dependencies")
    if not data.get("dependency-groups") and not legacy:
        return []
    reader = PyprojectReader(root, data, text, path=shown, base=PurePosixPath(path))
    lines = TomlLines(text)
    sources = read_uv_project(root / path, data, lines.table, key_line=lines.key)
    sources.members = uv.members  # ``{ workspace = true }`` names the root's members
    own: DirectRequirement = local_requirement(
        root, PurePosixPath("."), f"{name} @ ./{path}", SourceRef(shown, None), editable=True
    )
    groups: list[Group] = []
    for group in reader.dependency_groups(has_prod=False):
        requirements = apply_sources(root, group.requirements, sources, base=PurePosixPath(path))
        includes = [f"{name}-{i}" for i in group.includes]
        if members_are_groups:
            includes.insert(0, name)
        else:
            requirements.insert(0, replace(own, source=group.source or own.source))
        groups.append(
            replace(
                group,
                name=f"{name}-{group.name}",
                requirements=tuple(requirements),
                output=f"requirements-{name}-{group.name}.txt",
                includes=tuple(includes),
            )
        )
    return groups


def _extras_of(root: Path, name: str, path: str, shown: str) -> list[tuple[str, str, Group]]:
    """One group per extra of a member: the member from the source tree with that extra.

    ``uv lock`` locks every member's extras (``uv sync --package crewai --extra
    tools``); the member's metadata, which uv reads, says what each one needs.
    """
    text = read_text_file(root / path / PYPROJECT, shown=shown)
    data = parse_toml(text, shown)
    where = ("project", "optional-dependencies")
    declared = table(data, *where)
    lines = TomlLines(text)
    out: list[tuple[str, str, Group]] = []
    for raw in declared:
        ref = SourceRef(shown, lines.key(where, raw))
        extra = normalize_group(raw, ref=ref, what="extra")
        requirement = local_requirement(
            root, PurePosixPath("."), f"{name}[{extra}] @ ./{path}", ref, editable=True
        )
        group = Group(
            f"{name}-{extra}",
            (requirement,),
            f"requirements-{name}-{extra}.txt",
            source=ref,
            origin=f"{shown} [project.optional-dependencies] {raw}",
            extra=True,  # installed only when asked for (recommend, sync --extra)
        )
        out.append((name, extra, group))
    return out
