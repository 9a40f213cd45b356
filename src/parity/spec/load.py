"""Find a project's inputs and read them into one ProjectSpec.

``detect`` decides which input styles to read (pyproject tables, Poetry
tables, pip-tools ``*.in`` files), combining them when the project says how
and stopping with a question when it does not.  ``.python-version`` pins the
interpreter and ``[tool.parity]`` (in pyproject.toml, or a parity.toml) names
the format and output files and may pin the Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, NoReturn

from packaging.specifiers import SpecifierSet

from parity.errors import SpecError, UsageError
from parity.fsutil import is_link_loop
from parity.spec.conda_settings import read_conda_settings, settings_data
from parity.spec.detect import (
    COMBINED,
    CONDA,
    FORMATS,
    PEP621,
    POETRY,
    REQUIREMENTS_IN,
    AmbiguousStylesError,
    choose_format,
    detect_styles,
    nothing_found,
    recorded_format,
    unread_dependency_files,
)
from parity.spec.digest import (
    digest_constraints_file,
    digest_parity_config,
    digest_pyproject,
    digest_python_version,
    digest_requirements_file,
)
from parity.spec.local_inputs import local_package_inputs
from parity.spec.model import (
    DEFAULT_GROUP,
    CondaEnvironment,
    CondaSettings,
    DirectRequirement,
    Group,
    IndexConfig,
    InputFile,
    LocalPackage,
    ProjectSpec,
    PythonTarget,
    SourceRef,
)
from parity.spec.pyproject import (
    PYPROJECT,
    PyprojectReader,
    TomlLines,
    check_group_cycles,
    check_group_names,
    index_config,
    parse_toml,
    table,
)
from parity.spec.requirements_in import (
    discover_group_files,
    merge_index,
    read_listed_files,
    read_requirements_project,
)
from parity.spec.uv_project import (
    UvProject,
    apply_sources,
    local_packages,
    read_uv_project,
    settings_requirements,
)
from parity.spec.validate import validate_pyproject_tables
from parity.textfile import read_text_file

if TYPE_CHECKING:
    from pathlib import Path

PARITY_TOML = "parity.toml"
PYTHON_VERSION = ".python-version"


@dataclass
class ParityConfig:
    """``[tool.parity]`` settings parity's spec uses, with where each was written."""

    outputs: dict[str, str] = field(default_factory=dict)
    output_refs: dict[str, SourceRef] = field(default_factory=dict)
    python: str | None = None
    python_ref: SourceRef | None = None
    format: str | None = None
    format_ref: SourceRef | None = None
    conda: CondaSettings = field(default_factory=CondaSettings)
    # What each file said, for that file's digest.
    by_file: dict[str, dict[str, Any]] = field(default_factory=dict)


def load_project(
    root: Path,
    *,
    groups_output: Mapping[str, str] | None = None,
    format: str | None = None,
) -> ProjectSpec:
    """Read the project in ``root`` (detecting its format) into a ProjectSpec.

    ``groups_output`` (group name -> output file, from the command line)
    overrides the output files the project names; ``format`` (from the
    command line) chooses the input style when a project has several.
    """
    root = root.resolve()
    if not root.is_dir():
        raise SpecError(
            f"no such project directory: {root.name}",
            path=root.name,
            hint="Pass the project directory with -p.",
        )
    text = ""
    data: dict[str, Any] = {}
    if _present(root / PYPROJECT):
        text = _read_text(root, PYPROJECT)
        data = parse_toml(text, PYPROJECT)
        validate_pyproject_tables(data, text)
    config = read_parity_config(root, data, text)
    reader = PyprojectReader(root, data, text)
    requires_python, requires_ref = reader.requires_python()
    check_python_range(requires_python, requires_ref)
    lines = TomlLines(text)
    uv = read_uv_project(root, data, lines.table, key_line=lines.key)
    styles = detect_styles(root, data, uv)
    requested = format
    if format is not None and format not in FORMATS:
        raise UsageError(f"unknown format {format!r}", hint=f"Choose one of: {', '.join(FORMATS)}.")
    format_option = requested
    try:
        choice = choose_format(
            styles,
            requested=requested or config.format,
            requested_by="--format" if requested else "[tool.parity] format",
            requested_ref=None if requested else config.format_ref,
            project=root.name,
        )
    except AmbiguousStylesError:
        # Locked before with --format: read the project as that lock was made.
        recorded = recorded_format(root)
        if recorded is None:
            raise
        format_option, where = recorded
        choice = choose_format(
            styles,
            requested=format_option,
            requested_by="--format",
            requested_ref=None,
            project=root.name,
        )
        choice = replace(
            choice,
            notes=(
                f"read as {where} was locked: `parity lock --format {format_option}`",
                *choice.notes,
            ),
        )
    if not choice.format:
        raise nothing_found(root, data)
    outputs = {**config.outputs, **(groups_output or {})}
    name = _project_name(data)
    # A setuptools project whose dependencies live in .in files is still a package.
    installable = _installable(data, name) and (
        choice.format not in (REQUIREMENTS_IN, CONDA) or bool(styles.dynamic_files)
    )
    notes: list[str] = list(choice.notes)
    reads: list[_Read] = []
    if choice.format in (PEP621, POETRY, COMBINED):
        reads.append(
            _read_pyproject_project(
                reader, choice.pyproject_format, uv, notes, config.by_file.get(PYPROJECT)
            )
        )
    if choice.format in (REQUIREMENTS_IN, COMBINED):
        discovered = discover_group_files(root)
        if not discovered:
            raise nothing_found(root, data)
        # Checked before reading too: a -r of an output is read as an include of its group.
        check_output_names([f.group for f in discovered], outputs, config, groups_output)
        check_outputs_are_not_inputs(
            [(f.group, outputs.get(f.group, f.output)) for f in discovered],
            [f.input for f in discovered],
            config,
            groups_output,
        )
        reads.append(_read_requirements_in_project(root, outputs, notes))
    conda: tuple[CondaEnvironment, ...] = ()
    if choice.format == CONDA:
        from parity.spec.conda_env import read_conda_project

        conda_project = read_conda_project(root, dict(outputs))
        conda = conda_project.environments
        reads.append(_Read(CONDA, conda_project.groups, conda_project.index, conda_project.inputs))
    groups = [g for read in reads for g in read.groups]
    check_group_names(groups)
    check_group_cycles(groups)
    groups = apply_outputs(groups, outputs, config, groups_output)
    inputs: dict[str, InputFile] = {}
    for read in reads:
        inputs.update({i.path: i for i in read.inputs})
    index = _merged_index(reads)
    spec_constraints = settings_requirements(
        uv.constraints,
        where="[tool.uv] constraint-dependencies",
        line=lines.key(("tool", "uv"), "constraint-dependencies"),
    )
    overrides = settings_requirements(
        uv.overrides,
        where="[tool.uv] override-dependencies",
        line=lines.key(("tool", "uv"), "override-dependencies"),
    )
    packages = local_packages(uv, project=name, installable=installable)
    prerelease = uv.prerelease or any(r.prerelease for r in reads)
    if PYPROJECT not in inputs and (
        requires_python is not None
        or PYPROJECT in config.by_file
        or packages
        or spec_constraints
        or overrides
    ):
        # pyproject.toml holds no requirements here, but may set the Python and outputs.
        inputs[PYPROJECT] = digest_pyproject(
            PYPROJECT,
            (),
            index=IndexConfig(),
            requires_python=requires_python,
            parity=config.by_file.get(PYPROJECT),
        )
    project_settings = _settings_digest(packages, spec_constraints, overrides, uv, uv.prerelease)
    if project_settings is not None:
        inputs[f"{PYPROJECT} [tool.uv]"] = project_settings
    if PARITY_TOML in config.by_file:
        inputs[PARITY_TOML] = digest_parity_config(PARITY_TOML, config.by_file[PARITY_TOML])
    # Members and local path requirements bring requirements of their own.
    local_dirs = [p.path for p in packages] + [
        r.path for g in groups for r in (*g.requirements, *g.constraints) if r.path is not None
    ]
    for found in local_package_inputs(root, local_dirs):
        inputs.setdefault(found.path, found)
    python = python_target(root, requires_python, requires_ref, config)
    if conda and python.pinned is None:
        from parity.spec.conda_env import conda_python_target

        python = conda_python_target(conda, python)
    if python.source is not None and python.source.path == PYTHON_VERSION and python.pinned:
        inputs[PYTHON_VERSION] = digest_python_version(python.pinned)
    check_outputs_are_not_inputs(
        [(g.name, g.output) for g in groups], inputs, config, groups_output
    )
    check_output_locations(root, [(g.name, g.output) for g in groups], config, groups_output)
    check_requirement_names(groups)
    read_paths = {path for g in groups for path in g.files} | set(inputs)
    notes += unread_dependency_files(root, read=read_paths, outputs={g.output for g in groups})
    return ProjectSpec(
        root=root,
        format=choice.format,
        groups=tuple(groups),
        python=python,
        index=index,
        inputs=tuple(inputs[path] for path in sorted(inputs)),
        name=name,
        installable=installable,
        local_packages=packages,
        constraints=spec_constraints,
        overrides=overrides,
        prerelease=prerelease,
        notes=tuple(notes),
        format_option=format_option,
        conda=conda,
        conda_settings=config.conda,
    )


@dataclass(frozen=True)
class _Read:
    format: str
    groups: tuple[Group, ...]
    index: IndexConfig
    inputs: tuple[InputFile, ...]
    index_refs: tuple[SourceRef, ...] = ()
    prerelease: bool = False


def _merged_index(reads: Sequence[_Read]) -> IndexConfig:
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
    )


def _read_pyproject_project(
    reader: PyprojectReader,
    fmt: str,
    uv: UvProject,
    notes: list[str],
    parity: Mapping[str, Any] | None,
) -> _Read:
    inputs: list[InputFile] = []
    if fmt == POETRY:
        from parity.spec.poetry_project import read_poetry_groups

        poetry = read_poetry_groups(reader)
        groups = poetry.groups
        notes += poetry.notes
    else:
        members = [(m.name, m.path) for m in uv.members]
        groups = reader.pep621_groups(members=members)
        groups, inputs = _dynamic_file_groups(reader, groups)
    groups = [
        replace(g, requirements=tuple(apply_sources(reader.root, g.requirements, uv)))
        for g in groups
    ]
    if uv.members and fmt != POETRY:
        from parity.spec.members import member_groups

        virtual = "project" not in reader.data
        groups += member_groups(reader.root, uv, members_are_groups=virtual)
    index = index_config(reader.data)
    digest = digest_pyproject(
        PYPROJECT,
        groups,
        index=index,
        requires_python=reader.requires_python()[0],
        parity=parity,
    )
    return _Read(fmt, tuple(groups), index, (digest, *inputs))


def _dynamic_file_groups(
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
            raise SpecError(
                f"{reader.root.name}: [project] declares its dependencies dynamic, so parity "
                "cannot read them without building the project",
                path=PYPROJECT,
                line=reader.lines.key(("project",), "dynamic"),
                hint="List them in [project] dependencies, or name the file that holds them "
                "in [tool.setuptools.dynamic] dependencies = { file = [...] }.",
            )
        requirements, parsed = read_listed_files(reader.root, files)
        inputs += _file_digests(parsed)
        origin = f"{', '.join(files)} ([tool.setuptools.dynamic] dependencies)"
        out = [
            replace(g, requirements=tuple(requirements), origin=origin)
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

        for raw, value in extras.items():
            files = _dynamic_files(value)
            if files is None:
                continue
            name = normalize_group(raw, ref=SourceRef(PYPROJECT, line), what="extra")
            requirements, parsed = read_listed_files(reader.root, files)
            inputs += _file_digests(parsed)
            out.append(
                Group(
                    name,
                    tuple(requirements),
                    f"requirements-{name}.txt",
                    includes_for(True, []),
                    source=SourceRef(PYPROJECT, line),
                    origin=f"{', '.join(files)} ([tool.setuptools.dynamic] extra {raw})",
                )
            )
    return out, inputs


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


def _read_requirements_in_project(
    root: Path, outputs: Mapping[str, str], notes: list[str]
) -> _Read:
    project = read_requirements_project(root, outputs)
    inputs: dict[str, InputFile] = {}
    for item in project.files:
        inputs[item.path] = digest_requirements_file(
            item.path,
            item.requirements,
            [i.target for i in item.includes],
            [c.target for c in item.constraint_files],
            item.index,
        )
        if item.prerelease:
            inputs[item.path] = replace(inputs[item.path], digest=inputs[item.path].digest + "+pre")
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
    groups = tuple(replace(g, origin=g.source.path if g.source else None) for g in project.groups)
    return _Read(
        REQUIREMENTS_IN,
        groups,
        merge_index(project.files),
        tuple(inputs.values()),
        prerelease=project.prerelease,
    )


def _settings_digest(
    packages: Sequence[LocalPackage],
    constraints: Sequence[DirectRequirement],
    overrides: Sequence[DirectRequirement],
    uv: UvProject,
    prerelease: bool,
) -> InputFile | None:
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
    if not data:
        return None
    return digest_data(f"{PYPROJECT} [tool.uv]", data)


def check_python_range(requires_python: str | None, ref: SourceRef | None) -> None:
    """A Python range that no Python satisfies is a mistake, not a missing interpreter."""
    if not requires_python:
        return
    spec = SpecifierSet(requires_python)
    for major, minors in ((2, range(8)), (3, range(40))):
        for minor in minors:
            for patch in (0, 1, 5, 10, 20, 50, 99):
                if spec.contains(f"{major}.{minor}.{patch}", prereleases=True):
                    return
    raise SpecError(
        f"requires-python {requires_python!r} admits no Python version",
        path=ref.path if ref else PYPROJECT,
        line=ref.line if ref else None,
        hint='Its bounds contradict each other; write a range such as ">=3.10,<3.13".',
    )


def _present(path: Path) -> bool:
    """There, whatever it is: a folder or a pipe named pyproject.toml is an error, not absent."""
    return path.exists() or path.is_symlink()


def _read_text(root: Path, name: str) -> str:
    return read_text_file(root / name, shown=name)


def _project_name(data: Mapping[str, Any]) -> str | None:
    for key in ("project", "tool"):
        value = data.get(key)
        if key == "tool":
            value = value.get("poetry") if isinstance(value, Mapping) else None
        if isinstance(value, Mapping) and isinstance(value.get("name"), str):
            return str(value["name"])
    return None


def _installable(data: Mapping[str, Any], name: str | None) -> bool:
    """Whether the project itself is a package (to install into its environments)."""
    tool = data.get("tool", {})
    poetry = tool.get("poetry", {}) if isinstance(tool, Mapping) else {}
    uv = tool.get("uv", {}) if isinstance(tool, Mapping) else {}
    if (isinstance(poetry, Mapping) and poetry.get("package-mode") is False) or (
        isinstance(uv, Mapping) and uv.get("package") is False
    ):
        return False
    return "build-system" in data and bool(name)


# -- [tool.parity] -----------------------------------------------------------------


def read_parity_config(root: Path, pyproject: Mapping[str, Any], text: str) -> ParityConfig:
    """``[tool.parity]`` of pyproject.toml, then parity.toml (whose keys win)."""
    config = ParityConfig()
    tool = pyproject.get("tool", {})
    found = tool.get("parity") if isinstance(tool, Mapping) else None
    if found is not None:
        _merge_config(config, found, PYPROJECT, TomlLines(text), ("tool", "parity"))
    if _present(root / PARITY_TOML):
        own_text = _read_text(root, PARITY_TOML)
        own = parse_toml(own_text, PARITY_TOML)
        nested = own.get("tool", {}).get("parity") if isinstance(own.get("tool"), Mapping) else None
        if nested is not None:
            _merge_config(config, nested, PARITY_TOML, TomlLines(own_text), ("tool", "parity"))
        else:
            _merge_config(config, own, PARITY_TOML, TomlLines(own_text), ())
    return config


def _merge_config(
    config: ParityConfig, found: Any, path: str, lines: TomlLines, at: tuple[str, ...]
) -> None:
    where = "[tool.parity]" if at else path
    if not isinstance(found, Mapping):
        raise SpecError(f"{where} must be a table", path=path)
    used: dict[str, Any] = {}
    if "outputs" in found:
        line = lines.key(at, "outputs")
        outputs = found["outputs"]
        if not isinstance(outputs, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in outputs.items()
        ):
            raise SpecError(
                f"{where} outputs must map group names to file names",
                path=path,
                line=line,
                hint='Write outputs = { dev = "requirements/dev.txt" }.',
            )
        for group, output in outputs.items():
            config.outputs[group] = output
            config.output_refs[group] = SourceRef(path, line)
        used["outputs"] = dict(outputs)
    if "python" in found:
        line = lines.key(at, "python")
        value = found["python"]
        if not isinstance(value, str) or not re.fullmatch(r"\d+\.\d+(\.\d+)?", value.strip()):
            raise SpecError(
                f'{where} python must be a Python version such as "3.11", not {value!r}',
                path=path,
                line=line,
                hint='Write python = "3.11" (or "3.11.7").',
            )
        config.python, config.python_ref = value.strip(), SourceRef(path, line)
        used["python"] = value.strip()
    if "conda" in found:
        line = lines.key(at, "conda")
        config.conda = read_conda_settings(found["conda"], path=path, line=line)
        used["conda"] = settings_data(config.conda)
    if "format" in found:
        line = lines.key(at, "format")
        value = found["format"]
        if value not in FORMATS:
            raise SpecError(
                f"{where} format must be one of {', '.join(FORMATS)}, not {value!r}",
                path=path,
                line=line,
                hint='Write format = "requirements-in" (or "pep621", "poetry", "conda").',
            )
        config.format, config.format_ref = str(value), SourceRef(path, line)
        used["format"] = value
    if used:
        config.by_file[path] = used


def check_output_names(
    names: Iterable[str],
    outputs: Mapping[str, str],
    config: ParityConfig,
    from_cli: Mapping[str, str] | None,
) -> None:
    """Every output named must be for a group of the project, and stay inside it."""
    known = list(names)
    for group, output in outputs.items():
        if group not in known:
            _output_error(
                f"an output file is named for unknown group {group!r}",
                group,
                config,
                from_cli,
                hint=f"This project's groups are: {', '.join(known)}.",
            )
        path = PurePosixPath(output.replace("\\", "/"))
        if not output.strip() or path.is_absolute() or ".." in path.parts or ":" in output:
            _output_error(
                f"the output file for {group!r} must be a relative path inside the project, "
                f"not {output!r}",
                group,
                config,
                from_cli,
                hint="Write it relative to the project root, e.g. requirements/dev.txt.",
            )


def apply_outputs(
    groups: list[Group],
    outputs: Mapping[str, str],
    config: ParityConfig,
    from_cli: Mapping[str, str] | None,
) -> list[Group]:
    check_output_names([g.name for g in groups], outputs, config, from_cli)
    return [replace(g, output=outputs.get(g.name, g.output)) for g in groups]


def check_outputs_are_not_inputs(
    outputs: Iterable[tuple[str, str]],
    inputs: Iterable[str],
    config: ParityConfig,
    from_cli: Mapping[str, str] | None,
) -> None:
    """Two groups cannot share a lockfile, and no lockfile may overwrite an input."""
    read = {
        i.split(" ", 1)[0].casefold() for i in (*inputs, PYPROJECT, PARITY_TOML, PYTHON_VERSION)
    }
    seen: dict[str, str] = {}
    for group, output_text in outputs:
        output = PurePosixPath(output_text.replace("\\", "/")).as_posix()
        # Case-folded: on macOS and Windows REQUIREMENTS.IN is requirements.in.
        key = output.casefold()
        if key in read or key.endswith(".in"):
            _output_error(
                f"group {group!r} would be locked into {output}, which is an input file",
                group,
                config,
                from_cli,
                hint="Name a .txt file for it in [tool.parity] outputs; parity would "
                "overwrite the input.",
            )
        if key in seen:
            _output_error(
                f"groups {seen[key]!r} and {group!r} would both be locked into {output}",
                group,
                config,
                from_cli,
                hint="Give each group its own output file.",
            )
        seen[key] = group
        if not key.endswith(".txt"):
            _output_error(
                f"the output file for {group!r} must be a .txt file, not {output!r}",
                group,
                config,
                from_cli,
                hint="Lockfiles are requirements files: name it e.g. requirements/dev.txt.",
            )


MAX_NAME_LENGTH = 200


def check_requirement_names(groups: Iterable[Group]) -> None:
    """Refuse names no index can serve, before they turn into a confusing network error."""
    for group in groups:
        for requirement in (*group.requirements, *group.constraints):
            if len(requirement.name) > MAX_NAME_LENGTH:
                raise SpecError(
                    f"a package name of {len(requirement.name)} characters "
                    f"({requirement.name[:30]}...) is not a package anyone can install",
                    path=requirement.source.path,
                    line=requirement.source.line,
                    hint="Fix the line; a name is letters, digits, '.', '-' and '_'.",
                )


def check_output_locations(
    root: Path,
    outputs: Iterable[tuple[str, str]],
    config: ParityConfig,
    from_cli: Mapping[str, str] | None,
) -> None:
    """Each lockfile lands inside the project, as a regular file, through no link."""
    resolved_root = root.resolve()
    for group, output in outputs:
        path = root / output
        try:
            inside = path.resolve().is_relative_to(resolved_root)
            loop = is_link_loop(path)
        except (OSError, RuntimeError):  # Python < 3.13 raises on a loop
            loop = True
        if loop:
            _output_error(
                f"the output file for {group!r} ({output}) is a symbolic link loop",
                group,
                config,
                from_cli,
                hint="Remove the link or name another file.",
            )
        if not inside:
            _output_error(
                f"the output file for {group!r} ({output}) leads outside the project "
                "through a symbolic link",
                group,
                config,
                from_cli,
                hint="Name a file inside the project; parity writes nothing outside it.",
            )
        if path.is_symlink():
            _output_error(
                f"the output file for {group!r} ({output}) is a symbolic link",
                group,
                config,
                from_cli,
                hint="parity writes lockfiles as regular files; remove the link or name "
                "another file.",
            )
        if path.is_dir():
            _output_error(
                f"the output file for {group!r} ({output}) is a directory",
                group,
                config,
                from_cli,
                hint="Name a file, e.g. requirements/dev.txt.",
            )


def _output_error(
    message: str,
    group: str,
    config: ParityConfig,
    from_cli: Mapping[str, str] | None,
    *,
    hint: str,
) -> NoReturn:
    if from_cli and group in from_cli:
        raise UsageError(message, hint=hint)
    ref = config.output_refs.get(group)
    raise SpecError(
        message, path=ref.path if ref else None, line=ref.line if ref else None, hint=hint
    )


# -- Python ------------------------------------------------------------------------


def read_python_version(root: Path) -> tuple[str, SourceRef] | None:
    """The version a ``.python-version`` file pins (its first non-comment line)."""
    version_file = root / PYTHON_VERSION
    if not _present(version_file):
        return None
    text = _read_text(root, PYTHON_VERSION)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"(?:cpython-|cpython@|python)?(\d+\.\d+(?:\.\d+)?)\S*", line)
        if not match:
            raise SpecError(
                f"not a Python version: {line!r}",
                path=PYTHON_VERSION,
                line=number,
                hint="Write a version such as 3.11 or 3.11.7.",
            )
        return match.group(1), SourceRef(PYTHON_VERSION, number)
    return None


def python_target(
    root: Path,
    requires_python: str | None,
    requires_ref: SourceRef | None,
    config: ParityConfig,
) -> PythonTarget:
    """Which Python the project runs on: the range to lock for and the pinned version.

    ``source`` is where the pin is written, else where the range is.
    """
    pinned: tuple[str, SourceRef] | None = read_python_version(root)
    if config.python is not None and config.python_ref is not None:
        if pinned is not None and pinned[0] != config.python:
            raise SpecError(
                f"[tool.parity] python = {config.python!r}, but {PYTHON_VERSION} pins {pinned[0]}",
                path=config.python_ref.path,
                line=config.python_ref.line,
                hint="Pin the Python in one place: remove one of them, or make them agree.",
            )
        if pinned is None:
            pinned = (config.python, config.python_ref)
    if pinned is None:
        return PythonTarget(requires_python=requires_python, source=requires_ref)
    return PythonTarget(requires_python=requires_python, pinned=pinned[0], source=pinned[1])
