"""A pip-tools project read whole: every group file, what it includes, one index.

A ``-r`` of another group's file makes that group an include; a ``-r`` of a
file that is no group of its own is inlined, each requirement keeping its
own file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from parity.errors import SpecError
from parity.frozen import dataclass, field, replace
from parity.spec.model import DEFAULT_GROUP, DirectRequirement, Group, IndexConfig, SourceRef
from parity.spec.requirements_in.constraints import read_constraints
from parity.spec.requirements_in.cycles import find_cycle_path
from parity.spec.requirements_in.discover import discover_group_files
from parity.spec.requirements_in.model import (
    ConstraintFile,
    GroupFile,
    ParsedFile,
    RequirementsProject,
)
from parity.spec.requirements_in.parse import parse_file
from parity.spec.requirements_in.paths import confine


def read_requirements_project(
    root: Path, outputs: Mapping[str, str] | None = None, extras: Mapping[str, str] | None = None
) -> RequirementsProject:
    """Read every group file and what it includes.

    ``outputs`` overrides output files by group name.  A ``-r`` or ``-c`` of a
    group's output (``-c requirements.txt`` in requirements-dev.in, the
    pip-tools way to keep dev on prod's pins) refers to that group: parity
    locks all groups in one resolution, so they agree by construction, and
    reading the lock as an input would make every lock stale at once.

    ``extras`` names the files that are extras of the package (see
    ``discover_group_files``): each is a group of its own, never a fragment.

    A file that other group files ``-r``-include and that has no lockfile of
    its own (``requirements/common.in`` without ``common.txt``) is a fragment:
    it is read as part of the files that include it, not as a group.
    """
    discovered = [
        replace(f, output=(outputs or {}).get(f.group, f.output))
        for f in discover_group_files(root, extras)
    ]
    input_of_output = {f.output: f.input for f in discovered}
    parsed = _parse_reachable(root, [f.input for f in discovered], input_of_output)
    _check_file_cycles(parsed, input_of_output, [f.input for f in discovered])
    fragments = _fragments(root, discovered, parsed, input_of_output, outputs or {})
    fragments -= set(extras or {})
    files = [f for f in discovered if f.input not in fragments]
    group_of = {f.input: f.group for f in files}
    input_of_output = {f.output: f.input for f in files}

    groups: list[Group] = []
    constraint_files: dict[str, ConstraintFile] = {}
    for item in files:
        collected = _Collected()
        _collect(root, item.input, parsed, group_of, input_of_output, constraint_files, collected)
        groups.append(
            Group(
                name=item.group,
                requirements=tuple(collected.requirements),
                output=item.output,
                includes=tuple(dict.fromkeys(collected.includes)),
                constraints=tuple(collected.constraints),
                source=SourceRef(item.input),
            )
        )
    return RequirementsProject(
        groups=tuple(groups),
        index=merge_index(parsed.values()),
        files=tuple(parsed.values()),
        constraint_files=tuple(constraint_files.values()),
        fragments=tuple(sorted(fragments)),
    )


def _fragments(
    root: Path,
    files: Sequence[GroupFile],
    parsed: Mapping[str, ParsedFile],
    input_of_output: Mapping[str, str],
    outputs: Mapping[str, str],
) -> set[str]:
    included: set[str] = set()
    for item in files:
        for include in parsed[item.input].includes:
            target = input_of_output.get(include.target, include.target)
            if target != item.input:
                included.add(target)
    return {
        f.input
        for f in files
        if f.input in included
        and f.group != DEFAULT_GROUP
        and f.group not in outputs
        and not (root / f.output).exists()
    }


@dataclass
class _Collected:
    requirements: list[DirectRequirement] = field(default_factory=list)
    constraints: list[DirectRequirement] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)


def _collect(
    root: Path,
    path: str,
    parsed: Mapping[str, ParsedFile],
    group_of: Mapping[str, str],
    input_of_output: Mapping[str, str],
    constraint_files: dict[str, ConstraintFile],
    out: _Collected,
) -> None:
    """A group file's requirements in file order, with non-group files inlined."""
    current = parsed[path]
    for entry in current.entries:
        if isinstance(entry, DirectRequirement):
            out.requirements.append(entry)
            continue
        target = input_of_output.get(entry.target, entry.target)
        if target in group_of:
            out.includes.append(group_of[target])
        else:
            _collect(root, target, parsed, group_of, input_of_output, constraint_files, out)
    for constraint in current.constraint_files:
        if constraint.target in input_of_output:
            continue
        if constraint.target not in constraint_files:
            constraint_files[constraint.target] = read_constraints(
                root, constraint.target, constraint.ref
            )
        out.constraints += constraint_files[constraint.target].constraints


def _parse_reachable(
    root: Path, starts: Sequence[str], input_of_output: Mapping[str, str]
) -> dict[str, ParsedFile]:
    parsed: dict[str, ParsedFile] = {}
    pending = list(starts)
    while pending:
        path = pending.pop(0)
        if path in parsed:
            continue
        parsed[path] = parse_file(root, path)
        for include in parsed[path].includes:
            target = input_of_output.get(include.target, include.target)
            confine(root, target, include.ref, "-r")
            if not (root / target).exists():
                raise SpecError(
                    f"-r {include.target}: file not found",
                    path=include.ref.path,
                    line=include.ref.line,
                    hint="Fix the path; it is relative to the file it is written in.",
                )
            pending.append(target)
    return parsed


def _check_file_cycles(
    parsed: Mapping[str, ParsedFile],
    input_of_output: Mapping[str, str],
    starts: Sequence[str] = (),
) -> None:
    edges = {
        path: [input_of_output.get(i.target, i.target) for i in item.includes]
        for path, item in parsed.items()
    }
    found = find_cycle_path(edges, starts)
    if found is None:
        return
    path, cycle = found
    last, first = cycle[-2], cycle[-1]
    ref = next(
        i.ref for i in parsed[last].includes if input_of_output.get(i.target, i.target) == first
    )
    raise SpecError(
        f"-r cycle: {' -> '.join(path)}",
        path=ref.path,
        line=ref.line,
        hint=f"{last} includes {first}, which already includes {last}; remove one of these "
        "-r lines.",
    )


def merge_index(files: Iterable[ParsedFile]) -> IndexConfig:
    """One project-wide index configuration from the options of every file.

    All groups are resolved together, so two files naming different primary
    indexes is a contradiction, not a per-file choice.
    """
    index_url: str | None = None
    index_ref: SourceRef | None = None
    extras: list[str] = []
    find_links: list[str] = []
    trusted_hosts: list[str] = []
    no_index = False
    for item in files:
        if item.index.index_url is not None:
            if index_url is not None and item.index.index_url != index_url:
                where = item.index_url_ref or SourceRef(item.path)
                raise SpecError(
                    f"conflicting index URLs: {index_ref} says {index_url}, this line says "
                    f"{item.index.index_url}",
                    path=where.path,
                    line=where.line,
                    hint="All groups are locked together against one index; name it once "
                    "(use --extra-index-url for more).",
                )
            index_url, index_ref = item.index.index_url, item.index_url_ref
        extras += item.index.extra_index_urls
        find_links += item.index.find_links
        trusted_hosts += item.index.trusted_hosts
        no_index = no_index or item.index.no_index
    return IndexConfig(
        index_url=index_url,
        extra_index_urls=tuple(dict.fromkeys(extras)),
        find_links=tuple(dict.fromkeys(find_links)),
        no_index=no_index,
        trusted_hosts=tuple(dict.fromkeys(trusted_hosts)),
    )


def read_listed_files(
    root: Path, paths: Sequence[str]
) -> tuple[list[DirectRequirement], list[ParsedFile]]:
    """The requirements of plain requirements files named elsewhere (``-r`` inlined).

    Used for setuptools' ``dynamic`` dependencies read from files: the files
    hold requirement lines, as pip reads them.
    """
    for path in paths:
        if not (root / path).is_file():
            raise SpecError(
                f"{path}: file not found",
                path="pyproject.toml",
                hint="[tool.setuptools.dynamic] names a file that does not exist; fix the path.",
            )
    parsed = _parse_reachable(root, list(paths), {})
    _check_file_cycles(parsed, {}, list(paths))
    requirements: list[DirectRequirement] = []
    for path in paths:
        collected = _Collected()
        _collect(root, path, parsed, {}, {}, {}, collected)
        requirements += collected.requirements
    return requirements, list(parsed.values())
