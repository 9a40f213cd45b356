"""Which input styles a project uses, and which of them parity reads.

A project may declare its requirements in pyproject.toml (PEP 621/735 or
Poetry tables), in pip-tools ``*.in`` files, or in both.  Both is fine when
the project says how they fit: ``.in`` files that install the project itself
(``-e .``) build on its pyproject requirements, so parity reads the two
together.  Otherwise parity cannot tell which one the project means and
stops, naming the files and the option that chooses (``--format``, or
``format`` under ``[tool.parity]``).  A dependency file that is not read is
always said, never skipped in silence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parity.errors import SpecError, UsageError
from parity.spec.model import DEFAULT_GROUP, SourceRef
from parity.spec.requirements_in import discover_group_files, is_compiled
from parity.spec.uv_project import UvProject

PEP621 = "pep621"
POETRY = "poetry"
REQUIREMENTS_IN = "requirements-in"
CONDA = "conda"
FORMATS = (PEP621, POETRY, REQUIREMENTS_IN, CONDA)
# pyproject tables and requirements files read together (``-e .`` in the .in files).
COMBINED = "pyproject+requirements-in"
PYPROJECT = "pyproject.toml"
READS = (
    "parity reads requirements.in (plus requirements-<group>.in, <group>-requirements.in or "
    "requirements/<group>.in), a pyproject.toml with [project] dependencies, "
    "[dependency-groups] or [tool.poetry.dependencies], or conda's environment.yml."
)
# conda's environment files (spec/conda_env.py reads them; detection needs only the name).
_ENVIRONMENT_FILE = re.compile(r"^environment(?:-[A-Za-z0-9_.-]+)?\.ya?ml$")
_INSTALLS_PROJECT = re.compile(
    r"^\s*(?:-e\s+|--editable[=\s]\s*)?(?:\.|\./|file:\.?/?)(?:\[[^\]]*\])?\s*(?:#.*)?$", re.M
)


@dataclass(frozen=True)
class Styles:
    """The input styles found in a project directory."""

    poetry: bool = False
    pep621: bool = False
    in_files: tuple[str, ...] = ()
    prod_in_file: str | None = None
    in_files_install_project: tuple[str, ...] = ()
    dynamic_without_files: bool = False
    environment_files: tuple[str, ...] = ()
    # [project] says ``dependencies = []`` and nothing else: it declares no requirements.
    pyproject_empty: bool = False
    # Files setuptools reads [project] dependencies from ([tool.setuptools.dynamic]).
    dynamic_files: tuple[str, ...] = ()
    # [project] declares requirements of its own (not only through dynamic files).
    static_requirements: bool = False

    @property
    def pyproject_format(self) -> str | None:
        return POETRY if self.poetry else PEP621 if self.pep621 else None


@dataclass(frozen=True)
class Choice:
    format: str
    pyproject_format: str = PEP621
    notes: tuple[str, ...] = field(default=())


def _non_empty(value: Any) -> bool:
    return bool(value) if isinstance(value, (list, Mapping)) else value is not None


def detect_styles(root: Path, data: Mapping[str, Any], uv: UvProject) -> Styles:
    tool = data.get("tool", {})
    poetry = tool.get("poetry", {}) if isinstance(tool, Mapping) else {}
    project = data.get("project", {})
    project = project if isinstance(project, Mapping) else {}
    dynamic = project.get("dynamic", [])
    dynamic = dynamic if isinstance(dynamic, list) else []
    setuptools_dynamic: Any = {}
    if isinstance(tool, Mapping):
        setuptools_dynamic = tool.get("setuptools", {})
        setuptools_dynamic = (
            setuptools_dynamic.get("dynamic", {}) if isinstance(setuptools_dynamic, Mapping) else {}
        )
    from_files = (
        "dependencies" in dynamic
        and isinstance(setuptools_dynamic, Mapping)
        and isinstance(setuptools_dynamic.get("dependencies"), Mapping)
        and "file" in setuptools_dynamic["dependencies"]
    )
    static = (
        _non_empty(project.get("dependencies"))
        or _non_empty(project.get("optional-dependencies"))
        or _non_empty(data.get("dependency-groups"))
        or uv.is_workspace
    )
    pep621 = static or from_files
    declared_empty = not pep621 and "project" in data and "dependencies" in project
    is_poetry = isinstance(poetry, Mapping) and any(
        key in poetry for key in ("dependencies", "group", "dev-dependencies")
    )
    found = discover_group_files(root)
    installs = tuple(f.input for f in found if _INSTALLS_PROJECT.search(_text(root / f.input)))
    prod = next((f.input for f in found if f.group == DEFAULT_GROUP), None)
    environments = tuple(
        path.name
        for path in sorted(root.iterdir())
        if _ENVIRONMENT_FILE.match(path.name) and path.is_file()
    )
    return Styles(
        dynamic_files=_dynamic_files(setuptools_dynamic) if from_files else (),
        static_requirements=bool(static),
        environment_files=environments,
        poetry=is_poetry,
        pep621=bool(pep621) or declared_empty,
        pyproject_empty=declared_empty,
        in_files=tuple(f.input for f in found),
        prod_in_file=prod,
        in_files_install_project=installs,
        dynamic_without_files="dependencies" in dynamic and not from_files,
    )


def _dynamic_files(settings: Any) -> tuple[str, ...]:
    found: list[str] = []
    entries = [settings.get("dependencies")]
    extras = settings.get("optional-dependencies")
    if isinstance(extras, Mapping):
        entries += list(extras.values())
    for entry in entries:
        files = entry.get("file") if isinstance(entry, Mapping) else None
        files = [files] if isinstance(files, str) else files
        if isinstance(files, list):
            found += [str(f) for f in files]
    return tuple(found)


def _text(path: Path) -> str:
    from parity.errors import ParityError
    from parity.textfile import read_text_file

    try:
        return read_text_file(path, shown=path.name)
    except (OSError, ParityError):
        return ""  # the reader that needs the file says what is wrong with it


def choose_format(
    styles: Styles,
    *,
    requested: str | None,
    requested_by: str,
    requested_ref: SourceRef | None,
    project: str,
) -> Choice:
    """Decide what to read, or stop and ask (an error naming the files and the option)."""
    pyproject = styles.pyproject_format
    if requested is not None:
        present = {
            PEP621: styles.pep621 or styles.poetry,
            POETRY: styles.poetry,
            REQUIREMENTS_IN: bool(styles.in_files),
            CONDA: bool(styles.environment_files),
        }[requested]
        if not present:
            _refuse_requested(requested, requested_by, requested_ref)
        notes: list[str] = []
        if requested == REQUIREMENTS_IN and pyproject:
            notes.append(f"pyproject.toml requirements not read ({requested_by} = {requested})")
        if requested != REQUIREMENTS_IN and styles.in_files:
            notes.append(f"{', '.join(styles.in_files)} not read ({requested_by} = {requested})")
        fmt = requested if requested != PEP621 or not styles.poetry else POETRY
        return Choice(fmt, pyproject_format=pyproject or PEP621, notes=tuple(notes))
    if pyproject and styles.in_files and styles.pyproject_empty and not styles.poetry:
        return Choice(
            REQUIREMENTS_IN,
            notes=("pyproject.toml [project] declares no dependencies; reading the .in files",),
        )
    if (
        pyproject == PEP621
        and styles.in_files
        and styles.dynamic_files
        and not styles.static_requirements
        and set(styles.dynamic_files) <= set(styles.in_files)
    ):
        return Choice(
            REQUIREMENTS_IN,
            notes=(
                f"pyproject.toml takes its dependencies from {', '.join(styles.dynamic_files)}; "
                "reading the .in files",
            ),
        )
    if pyproject and styles.in_files:
        if styles.in_files_install_project and styles.prod_in_file is None:
            return Choice(
                COMBINED,
                pyproject_format=pyproject,
                notes=(
                    f"read pyproject.toml and {', '.join(styles.in_files)} together "
                    f"({', '.join(styles.in_files_install_project)} "
                    f"install{'s' if len(styles.in_files_install_project) == 1 else ''} "
                    "the project itself)",
                ),
            )
        tables = "[tool.poetry] dependencies" if pyproject == POETRY else "[project] dependencies"
        raise SpecError(
            f"{project}: requirements are declared in two styles, {tables} in pyproject.toml "
            f"and requirements files {', '.join(styles.in_files)}; parity cannot tell which one "
            "this project locks",
            path=PYPROJECT,
            hint=f"Choose with `--format {pyproject}` or `--format {REQUIREMENTS_IN}`, or write "
            f'format = "{REQUIREMENTS_IN}" under [tool.parity] in pyproject.toml. To read both, '
            "make the .in files build on the project: add `-e .` to them (and no "
            "requirements.in of their own for prod).",
        )
    unread_envs = (
        (f"{', '.join(styles.environment_files)} not read (choose it with --format conda)",)
        if styles.environment_files
        else ()
    )
    if pyproject:
        return Choice(pyproject, pyproject_format=pyproject, notes=unread_envs)
    if styles.in_files:
        return Choice(REQUIREMENTS_IN, notes=unread_envs)
    if styles.environment_files:
        return Choice(CONDA)
    return Choice("")


def _refuse_requested(requested: str, requested_by: str, ref: SourceRef | None) -> None:
    what = {
        PEP621: "pyproject.toml has no [project] dependencies or [dependency-groups]",
        POETRY: "pyproject.toml has no [tool.poetry] dependencies",
        REQUIREMENTS_IN: "there is no requirements.in, requirements-<group>.in or "
        "requirements/<group>.in",
        CONDA: "there is no environment.yml",
    }[requested]
    message = f"{requested_by} = {requested}, but {what}"
    if ref is None:
        raise UsageError(message, hint=READS)
    raise SpecError(message, path=ref.path, line=ref.line, hint=READS)


def _candidate_files(root: Path) -> list[Path]:
    found = [p for p in root.glob("requirements*.txt") if p.is_file()]
    found += [p for p in root.glob("*-requirements.txt") if p.is_file()]
    folder = root / "requirements"
    if folder.is_dir():
        found += sorted(p for p in folder.rglob("*.txt") if p.is_file())[:200]
        found += sorted(p for p in folder.rglob("*.in") if p.is_file())[:200]
    for name in ("Pipfile",):
        if (root / name).is_file():
            found.append(root / name)
    return sorted(set(found))


def unread_dependency_files(
    root: Path, *, read: Iterable[str], outputs: Iterable[str]
) -> list[str]:
    """A note naming the dependency files in the project that no group reads."""
    known = set(read) | set(outputs)
    stems = {Path(p).with_suffix("").as_posix() for p in known if p.endswith(".in")}
    unread: list[str] = []
    for path in _candidate_files(root):
        relative = path.relative_to(root).as_posix()
        if relative in known:
            continue
        if path.suffix == ".txt" and (
            Path(relative).with_suffix("").as_posix() in stems or is_compiled(_text(path))
        ):
            continue  # a lockfile compiled from an input that is read
        unread.append(relative)
    if not unread:
        return []
    return [
        f"not read: {', '.join(unread)} (no input of this project names "
        f"{'them' if len(unread) > 1 else 'it'}; include one with -r from an .in file, or "
        "rename it <group>.in to lock it as a group)"
    ]


def nothing_found(root: Path, data: Mapping[str, Any]) -> SpecError:
    project = data.get("project", {})
    dynamic = project.get("dynamic", []) if isinstance(project, Mapping) else []
    others = [p.relative_to(root).as_posix() for p in _candidate_files(root)]
    others += [n for n in ("setup.py", "setup.cfg", "environment.yml") if (root / n).is_file()]
    found = f" Found {', '.join(others)}, which parity does not lock as they are." if others else ""
    if isinstance(dynamic, list) and "dependencies" in dynamic:
        return SpecError(
            f"{root.name}: [project] declares its dependencies dynamic, so parity cannot "
            "read them without building the project",
            path=PYPROJECT,
            hint="List them in [project] dependencies, in requirements.in, or name their file "
            "in [tool.setuptools.dynamic]. " + READS + found,
        )
    return SpecError(
        f"no project inputs found in {root.name}/",
        path=root.name,
        hint=READS + found,
    )
