"""setuptools' ``dynamic`` dependencies read from requirements files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

from parity.errors import SpecError
from parity.frozen import replace
from parity.spec.digest import (
    digest_requirements_file,
)
from parity.spec.model import (
    DEFAULT_GROUP,
    DirectRequirement,
    Group,
    InputFile,
    SourceRef,
)
from parity.spec.pyproject import (
    PYPROJECT,
    PyprojectReader,
    TomlLines,
    builds_with_setuptools,
    dynamic_dependencies_error,
    table,
)
from parity.spec.requirements_in.project import read_listed_files

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from typing import Any


def dynamic_file_groups(
    reader: PyprojectReader, groups: list[Group]
) -> tuple[list[Group], list[InputFile]]:
    """setuptools' ``dynamic`` dependencies read from requirements files.

    ``[tool.setuptools.dynamic] dependencies = {file = ["requirements.in"]}``
    makes that file the project's prod requirements (and likewise for each
    extra), so it is read as setuptools reads it.
    """
    project = table(reader.data, "project")
    dynamic = project.get("dynamic", [])
    if not isinstance(dynamic, list):
        return groups, []
    settings = table(reader.data, "tool", "setuptools", "dynamic")
    line = reader.lines.key(("tool", "setuptools", "dynamic"), "dependencies")
    inputs: list[InputFile] = []
    out = list(groups)
    if "dependencies" in dynamic:
        files = _dynamic_files(settings.get("dependencies"))
        if files is None:
            raise dynamic_dependencies_error(
                reader.root,
                reader.data,
                line=reader.lines.key(("project",), "dynamic"),
                hint="List them in [project] dependencies"
                + (
                    ", or name the file that holds them in [tool.setuptools.dynamic] "
                    "dependencies = { file = [...] }."
                    if builds_with_setuptools(reader.data)
                    else ", or in requirements.in (parity then locks that file)."
                ),
            )
        requirements, parsed = read_listed_files(reader.root, files)
        inputs += _file_digests(parsed)
        origin = f"{', '.join(files)} ([tool.setuptools.dynamic] dependencies)"
        out = [
            replace(
                g,
                requirements=tuple(requirements),
                source=SourceRef(PYPROJECT, line),
                origin=origin,
            )
            if g.name == DEFAULT_GROUP
            else g
            for g in out
        ]
        if not any(g.name == DEFAULT_GROUP for g in out):
            out.insert(
                0,
                Group(
                    DEFAULT_GROUP,
                    tuple(requirements),
                    "requirements.txt",
                    source=SourceRef(PYPROJECT, line),
                    origin=origin,
                ),
            )
    if "optional-dependencies" in dynamic:
        extras = settings.get("optional-dependencies")
        if not isinstance(extras, Mapping):
            raise SpecError(
                "[project] declares its optional dependencies dynamic, so parity cannot read "
                "them without building the project",
                path=PYPROJECT,
                hint="Name their files in [tool.setuptools.dynamic] optional-dependencies.",
            )
        from parity.spec.pyproject import includes_for, normalize_group

        where = ("tool", "setuptools", "dynamic", "optional-dependencies")
        named: list[tuple[str, DirectRequirement]] = []
        for raw, value in extras.items():
            files = _dynamic_files(value)
            if files is None:
                continue
            # The extra's own line: errors about it (its name, what its file names) point there.
            ref = SourceRef(PYPROJECT, reader.lines.key(where, raw))
            name = normalize_group(raw, ref=ref, what="extra")
            requirements, parsed = read_listed_files(reader.root, files)
            inputs += _file_digests(parsed)
            requirements, own = _own_extras(reader, requirements)
            named += [(name, req) for req in own]
            out.append(
                Group(
                    name,
                    tuple(requirements),
                    f"requirements-{name}.txt",
                    includes_for(True, _extra_names(own)),
                    source=ref,
                    origin=f"{', '.join(files)} ([tool.setuptools.dynamic] extra {raw})",
                    extra=True,
                )
            )
        _check_own_extras(named, [g.name for g in out if g.extra], reader.project_name)
    return out, inputs


def _extra_names(own: Iterable[DirectRequirement]) -> list[str]:
    from packaging.requirements import Requirement

    from parity.spec.pyproject import normalize_group

    return [
        normalize_group(extra, ref=req.source, what="extra")
        for req in own
        for extra in sorted(Requirement(req.requirement).extras)
    ]


def _check_own_extras(
    named: Iterable[tuple[str, DirectRequirement]], extras: list[str], project: str | None
) -> None:
    """Every ``app[NAME]`` an extra's file writes names an extra of the project.

    Said at that line of that file: the extra's own line only says which file
    it reads.
    """
    for group, req in named:
        unknown = [name for name in _extra_names([req]) if name not in extras]
        if unknown:
            raise SpecError(
                f"extra {group!r} includes {req.requirement!r}, but {project} has no extra "
                f"{unknown[0]!r}",
                path=req.source.path,
                line=req.source.line,
                hint=f"Its extras ([tool.setuptools.dynamic] optional-dependencies): "
                f"{', '.join(extras)}.",
            )


def _own_extras(
    reader: PyprojectReader, requirements: Iterable[DirectRequirement]
) -> tuple[list[DirectRequirement], list[DirectRequirement]]:
    """The requirements, less self-references, and those self-references.

    ``app[web]`` in a file of project ``app`` names its own extra ``web``, as in
    ``[project.optional-dependencies]``: an include of that group, not a
    requirement on the source tree.
    """
    out: list[DirectRequirement] = []
    own: list[DirectRequirement] = []
    for req in requirements:
        if reader.project_name and req.name == reader.project_name and req.path is None:
            own.append(req)
            continue
        out.append(req)
    return out, own


def dynamic_extra_files(data: Mapping[str, Any], lines: TomlLines) -> dict[str, str]:
    """The .in files setuptools reads as extras, each with its extra's name.

    A pip-tools project whose ``[tool.setuptools.dynamic]`` names its .in files
    is read from those files (as pip-compile reads them), but a file named as
    ``optional-dependencies.NAME`` is still the package's extra NAME
    (``pip install .[NAME]``): its group is that extra, whatever the file is
    called.  Only an extra read from one file is a file's group.
    """
    from parity.spec.pyproject import normalize_group

    project = table(data, "project")
    dynamic = project.get("dynamic", [])
    extras = table(data, "tool", "setuptools", "dynamic").get("optional-dependencies")
    if not isinstance(dynamic, list) or "optional-dependencies" not in dynamic:
        return {}
    if not isinstance(extras, Mapping):
        return {}
    where = ("tool", "setuptools", "dynamic", "optional-dependencies")
    named: dict[str, str] = {}
    for raw, value in extras.items():
        files = _dynamic_files(value)
        if files is not None and len(files) == 1:
            ref = SourceRef(PYPROJECT, lines.key(where, raw))
            named[files[0]] = normalize_group(raw, ref=ref, what="extra")
    return named


def _dynamic_files(value: Any) -> list[str] | None:
    if not isinstance(value, Mapping) or "file" not in value:
        return None
    files = value["file"]
    files = [files] if isinstance(files, str) else files
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return [PurePosixPath(f).as_posix() for f in files]


def _file_digests(parsed: Iterable[Any]) -> list[InputFile]:
    return [
        digest_requirements_file(
            item.path,
            item.requirements,
            [i.target for i in item.includes],
            [c.target for c in item.constraint_files],
            item.index,
        )
        for item in parsed
    ]
