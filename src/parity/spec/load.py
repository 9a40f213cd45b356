"""Find a project's inputs and read them into one ProjectSpec.

``detect`` decides which input styles to read (pyproject tables, Poetry
tables, pip-tools ``*.in`` files), combining them when the project says how
and stopping with a question when it does not.  ``.python-version`` pins the
interpreter and ``[tool.parity]`` (in pyproject.toml, or a parity.toml) names
the format and output files and may pin the Python.

Each piece has a module of its own: ``styles`` reads one input style,
``parity_config`` the settings, ``python_target`` the Python, ``outputs``
checks where each group is locked; this module puts them together.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from parity.errors import SpecError, UsageError
from parity.frozen import replace
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
    other_parity_locks,
    recorded_conda_lock,
    recorded_format,
    unread_dependency_files,
)
from parity.spec.digest import (
    digest_data,
    digest_parity_config,
    digest_pyproject,
    digest_python_version,
)
from parity.spec.local_inputs import local_package_inputs
from parity.spec.model import (
    CondaEnvironment,
    FormatControl,
    Group,
    IndexConfig,
    InputFile,
    ProjectSpec,
)
from parity.spec.outputs import (
    apply_outputs,
    check_output_locations,
    check_output_names,
    check_outputs_are_not_inputs,
)
from parity.spec.parity_config import PARITY_TOML, read_parity_config
from parity.spec.pyproject import (
    PYPROJECT,
    PyprojectReader,
    TomlLines,
    check_group_cycles,
    check_group_names,
    parse_toml,
)
from parity.spec.python_target import PYTHON_VERSION, check_python_range, python_target
from parity.spec.requirements_in.discover import discover_group_files
from parity.spec.styles import (
    StyleRead,
    merged_index,
    read_pyproject_style,
    read_requirements_in_style,
    settings_digest,
)
from parity.spec.uv_project import (
    local_packages,
    read_uv_project,
    settings_requirements,
)
from parity.textfile import is_present, read_text_file

# The input a lock made with UV_NO_CONFIG set has, when it turned project settings off.
UV_NO_CONFIG = "UV_NO_CONFIG"

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from parity.spec.detect import Choice, Styles
    from parity.spec.parity_config import ParityConfig
    from parity.spec.requirements_in.model import GroupFile


def load_project(
    root: Path,
    *,
    groups_output: Mapping[str, str] | None = None,
    format: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> ProjectSpec:
    """Read the project in ``root`` (detecting its format) into a ProjectSpec.

    ``groups_output`` (group name -> output file, from the command line)
    overrides the output files the project names; ``format`` (from the
    command line) chooses the input style when a project has several.
    ``environ`` (default: this process's) says whether ``UV_NO_CONFIG`` turns
    off ``[tool.uv]``'s settings, for uv and so for parity.
    """
    from parity.uvconf import uv_config_off

    uv_config = not uv_config_off(os.environ if environ is None else environ)
    root = root.resolve()
    if not root.is_dir():
        raise SpecError(
            f"no such project directory: {root.name}",
            path=root.name,
            hint="Pass the project directory with -p.",
        )
    text = ""
    data: dict[str, Any] = {}
    if is_present(root / PYPROJECT):
        text = read_text_file(root / PYPROJECT, shown=PYPROJECT)
        data = parse_toml(text, PYPROJECT)
        from parity.spec.validate import validate_pyproject_tables  # only with a pyproject.toml

        validate_pyproject_tables(data, text)
    config = read_parity_config(root, data, text)
    reader = PyprojectReader(root, data, text, uv_config=uv_config)
    requires_python, requires_ref = reader.requires_python()
    lines = TomlLines(text)
    uv = read_uv_project(root, data, lines.table, key_line=lines.key, uv_config=uv_config)
    if uv.members:
        from parity.spec.workspace_python import member_ranges, workspace_range

        requires_python, requires_ref = workspace_range(
            requires_python, requires_ref, member_ranges(root, uv.members)
        )
    check_python_range(requires_python, requires_ref)
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
    if requested is None and config.format is None and choice.format != CONDA:
        choice, format_option = _as_conda_locked(root, styles, choice, format_option, config)
    if not choice.format:
        raise nothing_found(root, data, text=text)
    outputs = {**config.outputs, **(groups_output or {})}
    name = _project_name(data)
    # A setuptools project whose dependencies live in .in files is still a package.
    installable = _installable(data, name) and (
        choice.format not in (REQUIREMENTS_IN, CONDA) or bool(styles.dynamic_files)
    )
    notes: list[str] = list(choice.notes)
    reads: list[StyleRead] = []
    if choice.format in (PEP621, POETRY, COMBINED):
        reads.append(
            read_pyproject_style(
                reader, choice.pyproject_format, uv, notes, config.by_file.get(PYPROJECT)
            )
        )
    extras: dict[str, str] = {}
    if choice.format == REQUIREMENTS_IN and styles.dynamic_files:
        from parity.spec.setuptools_dynamic import dynamic_extra_files

        extras = dynamic_extra_files(data, lines)
    if choice.format in (REQUIREMENTS_IN, COMBINED):
        discovered = discover_group_files(root, extras)
        notes += [_extra_file_note(f) for f in discovered if f.file_group]
        if not discovered:
            raise nothing_found(root, data, text=text)
        # Checked before reading too: a -r of an output is read as an include of its group.
        check_output_names([f.group for f in discovered], outputs, config, groups_output)
        check_outputs_are_not_inputs(
            [(f.group, outputs.get(f.group, f.output)) for f in discovered],
            [f.input for f in discovered],
            config,
            groups_output,
        )
        reads.append(read_requirements_in_style(root, outputs, notes, extras))
    conda: tuple[CondaEnvironment, ...] = ()
    if choice.format == CONDA:
        from parity.spec.conda_env import read_conda_project

        conda_project = read_conda_project(root, dict(outputs))
        conda = conda_project.environments
        reads.append(
            StyleRead(
                CONDA,
                conda_project.groups,
                conda_project.index,
                conda_project.inputs,
                prerelease=conda_project.prerelease,
                format_control=conda_project.format_control,
            )
        )
        notes += conda_project.notes
    groups = [g for read in reads for g in read.groups]
    check_group_names(groups)
    check_group_cycles(groups)
    groups = apply_outputs(groups, outputs, config, groups_output)
    inputs: dict[str, InputFile] = {}
    for read in reads:
        inputs.update({i.path: i for i in read.inputs})
    index = merged_index(reads)
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
    # Only requirements files and pip sections say --no-binary / --only-binary, and a
    # project reads one of those two styles at most.
    format_control = next(
        (r.format_control for r in reads if not r.format_control.is_default), FormatControl()
    )
    # Whether pyproject.toml's requirements are an input (read as the project's spec).
    root_pyproject_read = PYPROJECT in inputs
    if PYPROJECT not in inputs and (
        requires_python is not None
        or PYPROJECT in config.by_file
        or packages
        or spec_constraints
        or overrides
        or uv.settings
    ):
        # pyproject.toml holds no requirements here, but may set the Python and outputs.
        inputs[PYPROJECT] = digest_pyproject(
            PYPROJECT,
            (),
            index=IndexConfig(),
            requires_python=requires_python,
            parity=config.by_file.get(PYPROJECT),
        )
    project_settings = settings_digest(packages, spec_constraints, overrides, uv, uv.prerelease)
    if project_settings is not None:
        inputs[project_settings.path] = project_settings
    if uv.ignored:
        # A lock made with them differs from one made without: the check names this.
        inputs[UV_NO_CONFIG] = digest_data(UV_NO_CONFIG, {"ignored": uv.ignored})
        notes.append(
            f"UV_NO_CONFIG is set, so uv ignores [tool.uv] {', '.join(uv.ignored)} in "
            f"{PYPROJECT}, and so does this lock; unset it to lock with them"
        )
    if PARITY_TOML in config.by_file:
        inputs[PARITY_TOML] = digest_parity_config(PARITY_TOML, config.by_file[PARITY_TOML])
    # Members and local path requirements bring requirements of their own.
    local_dirs = [p.path for p in packages] + [
        r.path for g in groups for r in (*g.requirements, *g.constraints) if r.path is not None
    ]
    for found in local_package_inputs(root, local_dirs, root_pyproject_read=root_pyproject_read):
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
    from parity.spec.hatch_envs import unread_hatch_environments

    notes += unread_hatch_environments(root, data)
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
        format_control=format_control,
        resolver_settings=tuple(uv.settings),
        notes=tuple(notes),
        format_option=format_option,
        conda=conda,
        conda_settings=config.conda,
    )


def _as_conda_locked(
    root: Path, styles: Styles, choice: Choice, format_option: str | None, config: ParityConfig
) -> tuple[Choice, str | None]:
    """A project locked with ``parity lock --format conda`` is read as conda by every command.

    Beside a pyproject.toml, environment.yml is read only when asked; once
    conda.lock records that it was asked, check and sync act on that lock,
    not on a pyproject lock that was never made.  With parity locks of both
    styles, nothing says which one the user means: stop and ask.
    """
    if not styles.environment_files or not recorded_conda_lock(root):
        return choice, format_option
    others = other_parity_locks(root, config.outputs.values())
    if others:
        other = choice.format if choice.format in FORMATS else choice.pyproject_format
        locks = ", ".join(f"{path} (`{command}`)" for path, command in others)
        raise AmbiguousStylesError(
            f"this project is locked in two styles: conda.lock (`parity lock --format conda`, "
            f"from {', '.join(styles.environment_files)}) and {locks}; parity cannot tell "
            "which one it uses",
            path="conda.lock",
            hint=f"Choose with `--format conda` or `--format {other}`, or write "
            f'format = "conda" (or "{other}") under [tool.parity] in pyproject.toml; then '
            "delete the lock of the style you no longer use.",
        )
    chosen = choose_format(
        styles, requested=CONDA, requested_by="--format", requested_ref=None, project=root.name
    )
    note = "read as conda.lock was locked: `parity lock --format conda`"
    return replace(chosen, notes=(note, *chosen.notes)), CONDA


def _extra_file_note(item: GroupFile) -> str:
    return (
        f"{item.input} is extra {item.group} of the package ([tool.setuptools.dynamic]): "
        f"its group is {item.group}, not {item.file_group} (`sync --extra {item.group}`), "
        f"locked into {item.output}"
    )


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
