"""A project parity does not lock from, read as evidence: requirements*.txt and Pipfile.

The most common layout of an ML repository is a ``requirements.txt`` written
by hand (or by ``pip freeze``), sometimes layered (``requirements-dev.txt``,
``requirements/*.txt``, ``-r`` between them), or Pipenv's ``Pipfile``.
``parity lock`` does not read them (``parity init --strategy pip-tools``
carries them into ``.in`` files first), but ``parity recommend`` must still
answer for such a project.  :func:`read_plain_project` reads them into a
ProjectSpec that is only ever scored, never locked, plus a summary of each
file (how many entries, how many of them not pinned with ``==``) so the
recommendation says what the project has, not what it would have after
the conversion.

A line no reader can read stops the reading with its file and line, as the
``.in`` reader does: a requirement recommend silently skipped could be the
very one (a CUDA build, a database driver) the recommendation turns on.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from packaging.requirements import InvalidRequirement, Requirement

from parity.errors import SpecError
from parity.frozen import dataclass
from parity.spec.model import DirectRequirement, Group, ProjectSpec, PythonTarget, SourceRef
from parity.spec.pipfile import PIPFILE, read_pipfile
from parity.spec.python_target import read_python_version
from parity.spec.requirements_in.discover import is_compiled
from parity.spec.requirements_in.line import editable_requirement, parse_requirement_line
from parity.spec.requirements_in.parse import parse_requirements_text
from parity.spec.requirements_in.paths import confine
from parity.textfile import is_present, read_text_file

# The formats of a spec read here (ProjectSpec.format; recommend's JSON "format").
REQUIREMENTS_TXT = "requirements-txt"
PIPFILE_FORMAT = "pipfile"
# Where requirement files live (the names `parity init --strategy pip-tools` carries).
PATTERNS = (
    "requirements*.txt",
    "*-requirements.txt",
    "*_requirements.txt",
    "requirements/*.txt",
)
PIPFILE_LOCK = "Pipfile.lock"
# A bound on -r chains and layers, so a hostile tree costs a bounded time.
MAX_FILES = 200
# ``--hash`` options belong to a lock; a pip-freeze-with-hashes file still names its packages.
_HASH = re.compile(r"(^|\s)--hash[=\s]\s*\S+")


@dataclass(frozen=True)
class PlainFile:
    """One file the dependencies were read from, and what it holds."""

    path: str
    entries: int
    unpinned: int
    # ``first`` is the line of its first requirement (the evidence a fact points to).
    first: int | None = None
    # A lock a tool generated (pip-compile's header), not a list written by hand.
    generated: bool = False
    hashed: bool = False
    # Included with -r by another of the files, not read as a layer of its own.
    included: bool = False
    # The files it includes with -r, in order.
    includes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlainProject:
    """The spec recommend scores, and the files it was read from."""

    spec: ProjectSpec
    files: tuple[PlainFile, ...]
    # Pipfile.lock, when the Pipfile has one.
    lockfile: str | None = None


def read_plain_project(root: Path) -> PlainProject | None:
    """The requirements files and Pipfile in ``root`` as a spec to score; None without any."""
    root = root.resolve()
    groups: list[Group] = []
    files: list[PlainFile] = []
    tops = _requirement_files(root)
    seen: set[str] = set()
    queue = [(path, False) for path in tops]
    while queue and len(seen) < MAX_FILES:
        path, included = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        text = read_text_file(root / path, shown=path, missing_hint="Fix the path of the -r.")
        group, summary, includes = _read_requirements_file(root, path, text, included=included)
        groups.append(group)
        files.append(summary)
        queue.extend((target, True) for target in includes if target not in seen)
    lockfile = None
    python = read_python_version(root)
    target = PythonTarget(pinned=python[0], source=python[1]) if python else PythonTarget()
    if is_present(root / PIPFILE):
        text = read_text_file(root / PIPFILE, shown=PIPFILE)
        pipfile_groups, pipfile_files, pipfile_python = _read_pipfile(root, text)
        groups += pipfile_groups
        files += pipfile_files
        lockfile = PIPFILE_LOCK if is_present(root / PIPFILE_LOCK) else None
        if python is None and pipfile_python is not None:
            # Pipenv builds the environment with the Python [requires] names.
            target = PythonTarget(pinned=pipfile_python[0], source=pipfile_python[1])
    if not files:
        return None
    spec = ProjectSpec(
        root=root,
        format=REQUIREMENTS_TXT if tops else PIPFILE_FORMAT,
        groups=tuple(groups),
        python=target,
    )
    return PlainProject(spec, tuple(files), lockfile)


def _requirement_files(root: Path) -> list[str]:
    """The requirement files of the project, ``requirements.txt`` first."""
    found: list[str] = []
    for pattern in PATTERNS:
        for path in sorted(root.glob(pattern)):
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    found = list(dict.fromkeys(found))
    return sorted(found, key=lambda p: p != "requirements.txt")


def _read_requirements_file(
    root: Path, path: str, text: str, *, included: bool
) -> tuple[Group, PlainFile, list[str]]:
    """One requirements file as a group, its summary and the files it ``-r``-includes."""
    hashed = bool(_HASH.search(text))
    # Drop hashes line by line: the line numbers of what is left stay those of the file.
    stripped = "\n".join(_HASH.sub(r"\1", line) for line in text.splitlines())
    parsed = parse_requirements_text(root, path, stripped)
    includes: list[str] = []
    for include in parsed.includes:
        confine(root, include.target, include.ref, "-r")
        if not (root / include.target).is_file():
            raise SpecError(
                f"-r {include.target}: no such file",
                path=include.ref.path,
                line=include.ref.line,
                hint="Fix the path, or remove the line.",
            )
        includes.append(include.target)
    requirements = parsed.requirements
    summary = PlainFile(
        path=path,
        entries=len(requirements),
        unpinned=sum(1 for r in requirements if not _exact_pin(r)),
        first=requirements[0].source.line if requirements else None,
        generated=is_compiled(text),
        hashed=hashed,
        included=included,
        includes=tuple(includes),
    )
    group = Group(
        name=path,
        requirements=tuple(requirements),
        output=path,
        includes=tuple(includes),
        source=SourceRef(path),
    )
    return group, summary, includes


def _read_pipfile(
    root: Path, text: str
) -> tuple[list[Group], list[PlainFile], tuple[str, SourceRef] | None]:
    """Each category of the Pipfile as a group (one summary for the whole file)."""
    pipfile = read_pipfile(text)
    here = PurePosixPath(".")
    groups: list[Group] = []
    requirements_all: list[DirectRequirement] = []
    for category in pipfile.categories:
        requirements: list[DirectRequirement] = []
        for entry in category.entries:
            ref = SourceRef(PIPFILE, entry.line)
            line = entry.requirement
            if line.startswith("-e "):
                requirements.append(editable_requirement(root, here, line[3:].strip(), ref))
            else:
                requirements.append(parse_requirement_line(root, here, line, ref))
        requirements_all += requirements
        groups.append(
            Group(
                name=category.name,
                requirements=tuple(requirements),
                output=PIPFILE,
                source=SourceRef(PIPFILE, category.line),
                origin=f"{PIPFILE} [{category.name}]",
            )
        )
    summary = PlainFile(
        path=PIPFILE,
        entries=len(requirements_all),
        unpinned=sum(1 for r in requirements_all if not _exact_pin(r)),
        first=requirements_all[0].source.line if requirements_all else None,
    )
    python = (
        (pipfile.python, SourceRef(PIPFILE, pipfile.python_line))
        if pipfile.python is not None
        else None
    )
    return groups, [summary], python


def _exact_pin(requirement: DirectRequirement) -> bool:
    """Whether the requirement names one version (``==1.2.3``, not ``==1.*`` or a range)."""
    if requirement.path is not None:
        return False
    try:
        parsed = Requirement(requirement.requirement)
    except InvalidRequirement:
        return False
    if parsed.url:
        return False
    specifiers = list(parsed.specifier)
    return (
        len(specifiers) == 1
        and specifiers[0].operator in ("==", "===")
        and not specifiers[0].version.endswith(".*")
    )
