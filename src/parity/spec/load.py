"""Find a project's inputs and read them into one ProjectSpec.

Detection order: Poetry tables in pyproject.toml, then PEP 621/735 tables,
then pip-tools ``*.in`` files.  ``.python-version`` pins the interpreter and
``[tool.parity]`` (in pyproject.toml, or a parity.toml) names output files
and may pin the Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, NoReturn

from parity.errors import SpecError, UsageError
from parity.spec.conda_env import (
    conda_python_target,
    discover_environment_files,
    read_conda_project,
)
from parity.spec.conda_settings import read_conda_settings, settings_data
from parity.spec.digest import (
    digest_constraints_file,
    digest_parity_config,
    digest_pyproject,
    digest_python_version,
    digest_requirements_file,
)
from parity.spec.model import (
    CondaEnvironment,
    CondaSettings,
    Group,
    IndexConfig,
    InputFile,
    ProjectSpec,
    PythonTarget,
    SourceRef,
)
from parity.spec.pyproject import (
    PYPROJECT,
    PyprojectReader,
    TomlLines,
    has_dynamic_dependencies,
    index_config,
    is_pep621,
    is_poetry,
    parse_toml,
)
from parity.spec.requirements_in import discover_group_files, read_requirements_project

if TYPE_CHECKING:
    from pathlib import Path

PARITY_TOML = "parity.toml"
PYTHON_VERSION = ".python-version"
_READS = (
    "parity reads requirements.in (plus requirements-<group>.in or requirements/<group>.in), "
    "a pyproject.toml with [project] dependencies, [dependency-groups] or "
    "[tool.poetry.dependencies], or conda's environment.yml."
)


@dataclass
class ParityConfig:
    """``[tool.parity]`` settings parity's spec uses, with where each was written."""

    outputs: dict[str, str] = field(default_factory=dict)
    output_refs: dict[str, SourceRef] = field(default_factory=dict)
    python: str | None = None
    python_ref: SourceRef | None = None
    conda: CondaSettings = field(default_factory=CondaSettings)
    # What each file said, for that file's digest.
    by_file: dict[str, dict[str, Any]] = field(default_factory=dict)


def load_project(root: Path, *, groups_output: Mapping[str, str] | None = None) -> ProjectSpec:
    """Read the project in ``root`` (detecting its format) into a ProjectSpec.

    ``groups_output`` (group name -> output file, from the command line)
    overrides the output files the project names.
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
    if (root / PYPROJECT).is_file():
        text = _read_text(root, PYPROJECT)
        data = parse_toml(text, PYPROJECT)
    config = read_parity_config(root, data, text)
    reader = PyprojectReader(root, data, text)
    requires_python, requires_ref = reader.requires_python()
    outputs = {**config.outputs, **(groups_output or {})}

    conda: tuple[CondaEnvironment, ...] = ()
    if is_poetry(data) or is_pep621(data):
        read = _read_pyproject_project(reader, requires_python, outputs, config, groups_output)
    elif not discover_group_files(root) and discover_environment_files(root):
        read, conda = _read_conda_project(root, requires_python, outputs, config, groups_output)
    else:
        read = _read_requirements_in_project(
            root, data, requires_python, outputs, config, groups_output
        )
    inputs = {i.path: i for i in read.inputs}
    if PARITY_TOML in config.by_file:
        inputs[PARITY_TOML] = digest_parity_config(PARITY_TOML, config.by_file[PARITY_TOML])
    python = python_target(root, requires_python, requires_ref, config)
    if conda and python.pinned is None:
        python = conda_python_target(conda, python)
    if python.source is not None and python.source.path == PYTHON_VERSION and python.pinned:
        inputs[PYTHON_VERSION] = digest_python_version(python.pinned)
    check_outputs_are_not_inputs(
        [(g.name, g.output) for g in read.groups], inputs, config, groups_output
    )
    check_output_locations(root, [(g.name, g.output) for g in read.groups], config, groups_output)
    name = _project_name(data)
    return ProjectSpec(
        root=root,
        format=read.format,
        groups=read.groups,
        python=python,
        index=read.index,
        inputs=tuple(inputs[path] for path in sorted(inputs)),
        name=name,
        installable=read.format not in ("requirements-in", "conda") and _installable(data, name),
        conda=conda,
        conda_settings=config.conda,
    )


@dataclass(frozen=True)
class _Read:
    format: str
    groups: tuple[Group, ...]
    index: IndexConfig
    inputs: tuple[InputFile, ...]


def _read_pyproject_project(
    reader: PyprojectReader,
    requires_python: str | None,
    outputs: Mapping[str, str],
    config: ParityConfig,
    groups_output: Mapping[str, str] | None,
) -> _Read:
    fmt = "poetry" if is_poetry(reader.data) else "pep621"
    groups = reader.poetry_groups() if fmt == "poetry" else reader.pep621_groups()
    groups = apply_outputs(groups, outputs, config, groups_output)
    index = index_config(reader.data)
    digest = digest_pyproject(
        PYPROJECT,
        groups,
        index=index,
        requires_python=requires_python,
        parity=config.by_file.get(PYPROJECT),
    )
    return _Read(fmt, tuple(groups), index, (digest,))


def _read_requirements_in_project(
    root: Path,
    data: Mapping[str, Any],
    requires_python: str | None,
    outputs: Mapping[str, str],
    config: ParityConfig,
    groups_output: Mapping[str, str] | None,
) -> _Read:
    discovered = discover_group_files(root)
    if not discovered:
        raise _nothing_found(root, data)
    check_output_names([f.group for f in discovered], outputs, config, groups_output)
    # Checked before reading too: a -r of an output is read as an include of its group.
    check_outputs_are_not_inputs(
        [(f.group, outputs.get(f.group, f.output)) for f in discovered],
        [f.input for f in discovered],
        config,
        groups_output,
    )
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
    for constraints in project.constraint_files:
        if constraints.path not in inputs:
            inputs[constraints.path] = digest_constraints_file(
                constraints.path, constraints.constraints
            )
    if requires_python is not None or PYPROJECT in config.by_file:
        # pyproject.toml holds no requirements here, but may set the Python and outputs.
        inputs[PYPROJECT] = digest_pyproject(
            PYPROJECT,
            (),
            index=IndexConfig(),
            requires_python=requires_python,
            parity=config.by_file.get(PYPROJECT),
        )
    return _Read("requirements-in", project.groups, project.index, tuple(inputs.values()))


def _read_conda_project(
    root: Path,
    requires_python: str | None,
    outputs: Mapping[str, str],
    config: ParityConfig,
    groups_output: Mapping[str, str] | None,
) -> tuple[_Read, tuple[CondaEnvironment, ...]]:
    project = read_conda_project(root, dict(outputs))
    groups = apply_outputs(list(project.groups), outputs, config, groups_output)
    inputs = {i.path: i for i in project.inputs}
    if requires_python is not None or PYPROJECT in config.by_file:
        inputs[PYPROJECT] = digest_pyproject(
            PYPROJECT,
            (),
            index=IndexConfig(),
            requires_python=requires_python,
            parity=config.by_file.get(PYPROJECT),
        )
    read = _Read("conda", tuple(groups), project.index, tuple(inputs.values()))
    return read, project.environments


def _read_text(root: Path, name: str) -> str:
    try:
        return (root / name).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SpecError("not a UTF-8 text file", path=name) from None


def _nothing_found(root: Path, data: Mapping[str, Any]) -> SpecError:
    if has_dynamic_dependencies(data):
        return SpecError(
            f"{root.name}: [project] declares its dependencies dynamic, so parity cannot "
            "read them without building the project",
            path=PYPROJECT,
            hint="List them in [project] dependencies, or in requirements.in. " + _READS,
        )
    return SpecError(
        f"no project inputs found in {root.name}/",
        path=root.name,
        hint=_READS,
    )


def _project_name(data: Mapping[str, Any]) -> str | None:
    for table in (data.get("project"), data.get("tool", {}).get("poetry")):
        if isinstance(table, Mapping) and isinstance(table.get("name"), str):
            return str(table["name"])
    return None


def _installable(data: Mapping[str, Any], name: str | None) -> bool:
    """Whether the project itself is a package (to install into its environments)."""
    tool = data.get("tool", {})
    if (
        tool.get("poetry", {}).get("package-mode") is False
        or tool.get("uv", {}).get("package") is False
    ):
        return False
    return "build-system" in data and bool(name)


# -- [tool.parity] -----------------------------------------------------------------


def read_parity_config(root: Path, pyproject: Mapping[str, Any], text: str) -> ParityConfig:
    """``[tool.parity]`` of pyproject.toml, then parity.toml (whose keys win)."""
    config = ParityConfig()
    tool = pyproject.get("tool", {})
    table = tool.get("parity") if isinstance(tool, Mapping) else None
    if table is not None:
        _merge_config(config, table, PYPROJECT, TomlLines(text), ("tool", "parity"))
    if (root / PARITY_TOML).is_file():
        own_text = _read_text(root, PARITY_TOML)
        own = parse_toml(own_text, PARITY_TOML)
        nested = own.get("tool", {}).get("parity") if isinstance(own.get("tool"), Mapping) else None
        if nested is not None:
            _merge_config(config, nested, PARITY_TOML, TomlLines(own_text), ("tool", "parity"))
        else:
            _merge_config(config, own, PARITY_TOML, TomlLines(own_text), ())
    return config


def _merge_config(
    config: ParityConfig, table: Any, path: str, lines: TomlLines, at: tuple[str, ...]
) -> None:
    where = "[tool.parity]" if at else path
    if not isinstance(table, Mapping):
        raise SpecError(f"{where} must be a table", path=path)
    used: dict[str, Any] = {}
    if "outputs" in table:
        line = lines.key(at, "outputs")
        outputs = table["outputs"]
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
    if "python" in table:
        line = lines.key(at, "python")
        value = table["python"]
        if not isinstance(value, str) or not re.fullmatch(r"\d+\.\d+(\.\d+)?", value.strip()):
            raise SpecError(
                f'{where} python must be a Python version such as "3.11", not {value!r}',
                path=path,
                line=line,
                hint='Write python = "3.11" (or "3.11.7").',
            )
        config.python, config.python_ref = value.strip(), SourceRef(path, line)
        used["python"] = value.strip()
    if "conda" in table:
        line = lines.key(at, "conda")
        config.conda = read_conda_settings(table["conda"], path=path, line=line)
        used["conda"] = settings_data(config.conda)
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
    read = {i.casefold() for i in (*inputs, PYPROJECT, PARITY_TOML, PYTHON_VERSION)}
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
                hint="Name a .txt file for it; parity would overwrite the input.",
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
        except (OSError, RuntimeError):
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
    if not version_file.is_file():
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
