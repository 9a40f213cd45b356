"""Each input style read into groups, an index configuration and input digests.

``load_project`` reads one or two styles (pyproject tables, pip-tools
``*.in`` files, conda environment files) and merges what each returned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from parity.errors import SpecError
from parity.frozen import dataclass, field, replace
from parity.spec.detect import (
    POETRY,
    REQUIREMENTS_IN,
)
from parity.spec.digest import (
    digest_constraints_file,
    digest_pyproject,
    digest_requirements_file,
    short_digest,
)
from parity.spec.model import (
    DirectRequirement,
    FormatControl,
    Group,
    IndexConfig,
    InputFile,
    LocalPackage,
    SourceRef,
)
from parity.spec.pyproject import (
    PYPROJECT,
    PyprojectReader,
    index_config,
)
from parity.spec.requirements_in.extra_marker import extra_marker_notes
from parity.spec.requirements_in.format_control import prefer_binary_note
from parity.spec.requirements_in.project import merge_index, read_requirements_project
from parity.spec.uv_project import (
    UvProject,
    apply_sources,
)

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


@dataclass(frozen=True)
class StyleRead:
    """What reading one input style gave: its groups, index options and input digests."""

    format: str
    groups: tuple[Group, ...]
    index: IndexConfig
    inputs: tuple[InputFile, ...]
    index_refs: tuple[SourceRef, ...] = ()
    prerelease: bool = False
    format_control: FormatControl = field(default_factory=FormatControl)


def merged_index(reads: Sequence[StyleRead]) -> IndexConfig:
    """One index configuration: each read's own, which must not name two primary indexes."""
    configured = [r for r in reads if not r.index.is_default]
    if len(configured) <= 1:
        return configured[0].index if configured else IndexConfig()
    first, second = configured[0], configured[1]
    if (
        first.index.index_url
        and second.index.index_url
        and first.index.index_url != second.index.index_url
    ):
        raise SpecError(
            f"pyproject.toml and the requirements files name different index URLs "
            f"({first.index.index_url} and {second.index.index_url})",
            path=PYPROJECT,
            hint="Every group is locked against one index; name it in one place.",
        )
    return IndexConfig(
        index_url=first.index.index_url or second.index.index_url,
        extra_index_urls=tuple(
            dict.fromkeys([*first.index.extra_index_urls, *second.index.extra_index_urls])
        ),
        find_links=tuple(dict.fromkeys([*first.index.find_links, *second.index.find_links])),
        no_index=first.index.no_index or second.index.no_index,
        trusted_hosts=tuple(
            dict.fromkeys([*first.index.trusted_hosts, *second.index.trusted_hosts])
        ),
    )


def read_pyproject_style(
    reader: PyprojectReader,
    fmt: str,
    uv: UvProject,
    notes: list[str],
    parity: Mapping[str, Any] | None,
) -> StyleRead:
    """The groups of pyproject.toml's tables (PEP 621/735 with uv's sources and workspace members, or Poetry's)."""
    inputs: list[InputFile] = []
    if fmt == POETRY:
        from parity.spec.poetry_project import read_poetry_groups

        poetry = read_poetry_groups(reader)
        groups = poetry.groups
        notes += poetry.notes
    else:
        members = [(m.name, m.path) for m in uv.members]
        groups = reader.pep621_groups(members=members)
        from parity.spec.setuptools_dynamic import dynamic_file_groups  # a pyproject's only

        groups, inputs = dynamic_file_groups(reader, groups)
    groups = [
        replace(g, requirements=tuple(apply_sources(reader.root, g.requirements, uv)))
        for g in groups
    ]
    if uv.members and fmt != POETRY:
        from parity.spec.members import member_groups

        virtual = "project" not in reader.data
        groups += member_groups(
            reader.root, uv, members_are_groups=virtual, taken=[g.name for g in groups]
        )
    index = index_config(reader.data, uv_config=reader.uv_config)
    if fmt == POETRY:
        from parity.spec.pyproject import supplemental_sources_note

        notes += supplemental_sources_note(reader.data)
    digest = digest_pyproject(
        PYPROJECT,
        groups,
        index=index,
        requires_python=reader.requires_python()[0],
        parity=parity,
        elsewhere=[i.path for i in inputs],
        sources=_sources_data(uv),
    )
    return StyleRead(fmt, tuple(groups), index, (digest, *inputs))


def _sources_data(uv: UvProject) -> dict[str, list[dict[str, Any]]]:
    """``[tool.uv.sources]`` as they apply: an index source with the URL its name stands for."""
    return {
        name: [
            {**entry, "url": uv.indexes.get(str(entry["index"]))} if "index" in entry else {**entry}
            for entry in entries
        ]
        for name, entries in uv.sources.items()
    }


def read_requirements_in_style(
    root: Path, outputs: Mapping[str, str], notes: list[str], extras: Mapping[str, str]
) -> StyleRead:
    """The groups of a pip-tools project's ``*.in`` files, with a digest of each file read.

    ``extras`` names the files that are extras of the package (setuptools'
    dynamic ``optional-dependencies``); their groups are marked as extras.
    """
    project = read_requirements_project(root, outputs, extras)
    inputs: dict[str, InputFile] = {}
    for item in project.files:
        inputs[item.path] = digest_requirements_file(
            item.path,
            item.requirements,
            [i.target for i in item.includes],
            [c.target for c in item.constraint_files],
            item.index,
            item.format_control,
        )
        if item.prefer_binary_ref is not None:
            notes.append(prefer_binary_note(item.prefer_binary_ref))
        notes += extra_marker_notes(item.requirements)
        if item.prerelease:
            digested = inputs[item.path]
            inputs[item.path] = replace(
                digested,
                digest=digested.digest + "+pre",
                parts=(*(digested.parts or ()), ("pre", short_digest(True))),
            )
    for constraints in project.constraint_files:
        if constraints.path not in inputs:
            inputs[constraints.path] = digest_constraints_file(
                constraints.path, constraints.constraints
            )
    for fragment in project.fragments:
        users = sorted(
            g.name for g in project.groups if any(r.source.path == fragment for r in g.requirements)
        )
        if users:
            notes.append(
                f"{fragment} is read as part of group{'s' if len(users) > 1 else ''} "
                f"{', '.join(users)} (it is only included with -r, so it is not a group)"
            )
    groups = tuple(
        replace(
            g,
            origin=g.source.path if g.source else None,
            extra=bool(g.source and extras.get(g.source.path) == g.name),
        )
        for g in project.groups
    )
    return StyleRead(
        REQUIREMENTS_IN,
        groups,
        merge_index(project.files),
        tuple(inputs.values()),
        prerelease=project.prerelease,
        format_control=project.format_control,
    )


# The lock input that holds the [tool.uv] settings (its parts: one per setting).
UV_SETTINGS_INPUT = f"{PYPROJECT} [tool.uv]"


def settings_digest(
    packages: Sequence[LocalPackage],
    constraints: Sequence[DirectRequirement],
    overrides: Sequence[DirectRequirement],
    uv: UvProject,
    prerelease: bool,
) -> InputFile | None:
    """The digest of ``[tool.uv]`` settings that change a lock (local packages, constraints, overrides, environments, pre-releases, resolver settings)."""
    from parity.spec.digest import canonical_requirement, digest_data

    data: dict[str, Any] = {}
    if packages:
        data["local"] = sorted(f"{p.name}={p.path}" for p in packages)
    if constraints:
        data["constraints"] = sorted(canonical_requirement(c.requirement) for c in constraints)
    if overrides:
        data["overrides"] = sorted(canonical_requirement(c.requirement) for c in overrides)
    if uv.environments:
        data["environments"] = list(uv.environments)
    if prerelease:
        data["prerelease"] = True
    for key, value in uv.settings:
        data[key] = dict(value) if isinstance(value, tuple) else value
    if not data:
        return None
    return digest_data(UV_SETTINGS_INPUT, data)
