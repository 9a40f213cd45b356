"""pip-tools style inputs: requirements.in, requirements-<group>.in, requirements/*.in.

pip's requirements-file syntax: comments, ``\\`` continuations, PEP 508 lines,
URLs, ``-e``/local paths, ``-r``/``-c`` includes and index options.  A ``-r``
of another group's file makes that group an include (``requirements-dev.in``
with ``-r requirements.in`` is prod plus dev); a ``-r`` of a file that is no
group of its own is inlined, each requirement keeping its own file and line.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from parity.errors import SpecError
from parity.fsutil import is_link_loop
from parity.spec.local import archive_name, local_requirement
from parity.spec.model import DEFAULT_GROUP, DirectRequirement, Group, IndexConfig, SourceRef
from parity.spec.requirements_file import logical_lines, split_hashes, split_option
from parity.textfile import read_text_file

PROD_STEMS = frozenset({"requirements", "base", "main", "prod"})
# Accepted for compatibility with pip and pip-tools; they do not change what is locked.
_IGNORED_OPTIONS = frozenset(
    {"--prefer-binary", "--only-binary", "--no-binary", "--trusted-host", "--use-feature"}
)
_TAKES_VALUE = frozenset(
    {
        "--requirement",
        "--constraint",
        "--editable",
        "--index-url",
        "--extra-index-url",
        "--find-links",
        "--only-binary",
        "--no-binary",
        "--trusted-host",
        "--use-feature",
    }
)
_KNOWN = "-r, -c, -e, -i/--index-url, --extra-index-url, -f/--find-links, --no-index, --pre"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_VCS = re.compile(r"^(git|hg|svn|bzr)\+")
_HASH_HINT = "Remove it; `parity lock` writes hashes into the lockfile."


@dataclass(frozen=True)
class Include:
    """A ``-r``/``-c`` line: the target as a project-relative path, and where it was written."""

    target: str
    ref: SourceRef


@dataclass
class ParsedFile:
    """What one requirements file says, in file order."""

    path: str
    entries: list[DirectRequirement | Include] = field(default_factory=list)
    constraint_files: list[Include] = field(default_factory=list)
    index: IndexConfig = field(default_factory=IndexConfig)
    index_url_ref: SourceRef | None = None
    # ``--pre`` in the file: the project asks for pre-releases (as pip-compile reads it).
    prerelease: bool = False

    @property
    def requirements(self) -> list[DirectRequirement]:
        return [e for e in self.entries if isinstance(e, DirectRequirement)]

    @property
    def includes(self) -> list[Include]:
        return [e for e in self.entries if isinstance(e, Include)]


@dataclass(frozen=True)
class GroupFile:
    """A requirements file that is a group of its own: ``requirements-dev.in`` -> dev."""

    group: str
    input: str
    output: str


@dataclass(frozen=True)
class ConstraintFile:
    path: str
    constraints: tuple[DirectRequirement, ...]


@dataclass(frozen=True)
class RequirementsProject:
    """A pip-tools project read: its groups, index options and every file read."""

    groups: tuple[Group, ...]
    index: IndexConfig
    files: tuple[ParsedFile, ...]
    constraint_files: tuple[ConstraintFile, ...]
    # Files that other files only ``-r``-include (read as part of them, not groups).
    fragments: tuple[str, ...] = ()

    @property
    def prerelease(self) -> bool:
        return any(f.prerelease for f in self.files)


# -- discovery -----------------------------------------------------------------


def discover_group_files(root: Path) -> list[GroupFile]:
    """Every group file of a pip-tools project, prod first, then in file-name order."""
    found: list[GroupFile] = []
    if (root / "requirements.in").is_file():
        found.append(GroupFile(DEFAULT_GROUP, "requirements.in", "requirements.txt"))
    for path in sorted(root.glob("requirements-*.in")):
        if path.is_file():
            group = path.stem.removeprefix("requirements-")
            found.append(GroupFile(_group_name(group, path.name), path.name, f"{path.stem}.txt"))
    for path in sorted(root.glob("*-requirements.in")):
        if path.is_file() and not path.name.startswith("requirements"):
            group = path.stem.removesuffix("-requirements")
            found.append(GroupFile(_group_name(group, path.name), path.name, f"{path.stem}.txt"))
    folder = root / "requirements"
    if folder.is_dir():
        for path in sorted(folder.glob("*.in")):
            if not path.is_file():
                continue
            group = DEFAULT_GROUP if path.stem in PROD_STEMS else path.stem
            source = f"requirements/{path.name}"
            found.append(
                GroupFile(_group_name(group, source), source, f"requirements/{path.stem}.txt")
            )
    seen: dict[str, str] = {}
    for item in found:
        if item.group in seen:
            raise SpecError(
                f"two files define group {item.group!r}: {seen[item.group]} and {item.input}",
                path=item.input,
                hint="Rename one of them; each group is locked into its own file.",
            )
        seen[item.group] = item.input
    found.sort(key=lambda item: item.group != DEFAULT_GROUP)
    return found


def _group_name(name: str, source: str) -> str:
    normalized = str(canonicalize_name(name))
    if not re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?", normalized):
        raise SpecError(
            f"{source!r} does not give a valid group name",
            path=source,
            hint="Name it requirements-<group>.in with letters, digits and dashes.",
        )
    return normalized


# -- reading a project -----------------------------------------------------------


def read_requirements_project(
    root: Path, outputs: Mapping[str, str] | None = None
) -> RequirementsProject:
    """Read every group file and what it includes.

    ``outputs`` overrides output files by group name.  A ``-r`` or ``-c`` of a
    group's output (``-c requirements.txt`` in requirements-dev.in, the
    pip-tools way to keep dev on prod's pins) refers to that group: parity
    locks all groups in one resolution, so they agree by construction, and
    reading the lock as an input would make every lock stale at once.

    A file that other group files ``-r``-include and that has no lockfile of
    its own (``requirements/common.in`` without ``common.txt``) is a fragment:
    it is read as part of the files that include it, not as a group.
    """
    discovered = [
        GroupFile(f.group, f.input, (outputs or {}).get(f.group, f.output))
        for f in discover_group_files(root)
    ]
    input_of_output = {f.output: f.input for f in discovered}
    parsed = _parse_reachable(root, [f.input for f in discovered], input_of_output)
    _check_file_cycles(parsed, input_of_output, [f.input for f in discovered])
    fragments = _fragments(root, discovered, parsed, input_of_output, outputs or {})
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


def find_cycle(edges: Mapping[str, Sequence[str]]) -> list[str] | None:
    """The first cycle of a directed graph as ``[a, b, a]``, or None (depth first, in order)."""
    found = find_cycle_path(edges)
    return found[1] if found else None


def find_cycle_path(
    edges: Mapping[str, Sequence[str]], starts: Sequence[str] = ()
) -> tuple[list[str], list[str]] | None:
    """The first cycle found from ``starts`` (then every node): (path to it, the cycle).

    The path runs from the start node to the cycle's first node, so a report
    can show how the cycle is reached (``requirements.in -> b.in -> c.in -> b.in``).
    """
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> tuple[list[str], list[str]] | None:
        if node in path:
            return [*path, node], [*path[path.index(node) :], node]
        if node in done:
            return None
        for child in edges.get(node, ()):
            found = visit(child, [*path, node])
            if found:
                return found
        done.add(node)
        return None

    for start in [*starts, *edges]:
        found = visit(start, [])
        if found:
            return found
    return None


def merge_index(files: Iterable[ParsedFile]) -> IndexConfig:
    """One project-wide index configuration from the options of every file.

    All groups are resolved together, so two files naming different primary
    indexes is a contradiction, not a per-file choice.
    """
    index_url: str | None = None
    index_ref: SourceRef | None = None
    extras: list[str] = []
    find_links: list[str] = []
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
        no_index = no_index or item.index.no_index
    return IndexConfig(
        index_url=index_url,
        extra_index_urls=tuple(dict.fromkeys(extras)),
        find_links=tuple(dict.fromkeys(find_links)),
        no_index=no_index,
    )


# -- one file --------------------------------------------------------------------


def parse_file(root: Path, source: str) -> ParsedFile:
    """Read one requirements file (``source`` is project-relative)."""
    text = read_text_file(root / source, shown=source, missing_hint="Fix the path.")
    return parse_requirements_text(root, source, text)


def parse_requirements_text(root: Path, source: str, text: str) -> ParsedFile:
    """Parse the text of requirements file ``source``.

    ``root`` is only read to name local directories that a line does not name.
    """
    result = ParsedFile(path=source)
    extra_urls: list[str] = []
    find_links: list[str] = []
    index_url: str | None = None
    no_index = False
    base = PurePosixPath(source).parent
    # pip and uv read a local requirement's path from the working directory (the
    # project root), but -r, -c and --find-links from the file's own directory.
    here = PurePosixPath(".")
    for logical in logical_lines(text):
        number, line = logical.number, logical.text
        ref = SourceRef(source, number)
        if not line.startswith("-"):
            result.entries.append(parse_requirement_line(root, here, line, ref))
            continue
        option, value = _split_option(line, ref)
        if option == "--requirement":
            result.entries.append(
                Include(_project_relative(root, _relative(base, value, ref)), ref)
            )
        elif option == "--constraint":
            result.constraint_files.append(
                Include(_project_relative(root, _relative(base, value, ref)), ref)
            )
        elif option == "--editable":
            result.entries.append(_editable(root, here, value, ref))
        elif option == "--index-url":
            index_url = value
            result.index_url_ref = ref
        elif option == "--extra-index-url":
            extra_urls.append(value)
        elif option == "--find-links":
            find_links.append(_rebase_location(base, value))
        elif option == "--no-index":
            no_index = True
        elif option == "--pre":
            result.prerelease = True
        elif option == "--hash":
            raise SpecError(
                "--hash belongs in a lockfile, not in an input file",
                path=source,
                line=number,
                hint=_HASH_HINT,
            )
        elif option not in _IGNORED_OPTIONS:
            raise SpecError(
                f"unknown option {option!r}",
                path=source,
                line=number,
                hint=f"parity reads {_KNOWN} in requirements files.",
            )
    result.index = IndexConfig(
        index_url=index_url,
        extra_index_urls=tuple(extra_urls),
        find_links=tuple(find_links),
        no_index=no_index,
    )
    return result


def _split_option(line: str, ref: SourceRef) -> tuple[str, str]:
    try:
        option, rest = split_option(line)
    except ValueError as exc:
        raise SpecError(f"cannot read this line: {exc}", path=ref.path, line=ref.line) from None
    head = line.split(None, 1)[0].split("=", 1)[0]
    if option not in _TAKES_VALUE:
        if rest and option in _FLAGS:
            _refuse_trailing(option, rest, ref)
        return option, ""
    if not rest:
        raise SpecError(
            f"{head} needs a value", path=ref.path, line=ref.line, hint=f"Write `{head} VALUE`."
        )
    if option == "--editable":
        return option, " ".join(rest)
    if len(rest) > 1:
        _refuse_trailing(option, rest[1:], ref)
    return option, rest[0]


def _refuse_trailing(option: str, rest: Sequence[str], ref: SourceRef) -> None:
    if any(r.startswith("--hash") for r in rest):
        raise SpecError(
            "--hash belongs in a lockfile, not in an input file",
            path=ref.path,
            line=ref.line,
            hint=_HASH_HINT,
        )
    raise SpecError(
        f"{option} takes {'one value' if option in _TAKES_VALUE else 'no value'}; "
        f"found more: {' '.join(rest)!r}",
        path=ref.path,
        line=ref.line,
        hint="Put each option and each requirement on a line of its own.",
    )


_FLAGS = frozenset({"--no-index", "--pre"})


def _relative(base: PurePosixPath, value: str, ref: SourceRef) -> str:
    """A -r/-c target as a project-relative POSIX path (pip reads it from the file's dir)."""
    if _URL.match(value):
        raise SpecError(
            f"remote file {value} cannot be an input",
            path=ref.path,
            line=ref.line,
            hint="Copy the file into the project and name it by its path.",
        )
    if "${" in value:
        raise SpecError(
            f"cannot follow {value!r}: it names an environment variable",
            path=ref.path,
            line=ref.line,
            hint="Name the file by its path; parity must read it to lock.",
        )
    return _normalize(PurePosixPath(base, value.replace("\\", "/")))


def _project_relative(root: Path, target: str) -> str:
    """An absolute include named relative to the project: a spec holds no machine path."""
    if not target.startswith("/"):
        return target
    return Path(os.path.relpath(target, root)).as_posix()


ALLOW_VARIABLE = "PARITY_ALLOW_INCLUDE"


def _refuse_link_loop(path: Path) -> None:
    """Raise OSError for a link loop: Python 3.13's resolve() no longer does."""
    if path.is_symlink():
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise


def confine(root: Path, target: str, ref: SourceRef, option: str) -> None:
    """Refuse a ``-r``/``-c`` file outside the project, unless the user allowed its folder.

    A requirements file is code review's blind spot: ``-r /etc/shadow`` or a
    link to it in a pull request would print a line of it into a CI log.  So
    includes stay inside the project (links resolved); folders outside it
    are allowed only through the ``PARITY_ALLOW_INCLUDE`` environment variable
    (paths separated by the OS path separator), which no repository can set.
    """
    try:
        _refuse_link_loop(root / target)
        resolved = (root / target).resolve()
        inside = resolved.is_relative_to(root.resolve())
        if is_link_loop(root / target):
            raise RuntimeError("symbolic link loop")  # as Python < 3.13 does
    except (OSError, RuntimeError):
        raise SpecError(
            f"{option} {target}: a symbolic link loop",
            path=ref.path,
            line=ref.line,
            hint="Fix or remove the link.",
        ) from None
    if inside:
        return
    allowed = [
        Path(d).expanduser().resolve()
        for d in os.environ.get(ALLOW_VARIABLE, "").split(os.pathsep)
        if d.strip()
    ]
    if any(resolved.is_relative_to(folder) for folder in allowed):
        return
    raise SpecError(
        f"{option} {target}: the file is outside the project",
        path=ref.path,
        line=ref.line,
        hint="Copy it into the project, or allow its folder with "
        f"{ALLOW_VARIABLE}=<folder> in the environment (not in the repository).",
    )


def _normalize(path: PurePosixPath) -> str:
    if path.is_absolute():
        return "/" + _normalize(PurePosixPath(*path.parts[1:]))
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            else:
                parts.append(part)
        elif part != ".":
            parts.append(part)
    return "/".join(parts) or "."


def _rebase_location(base: PurePosixPath, value: str) -> str:
    """A relative find-links directory of a nested file, made relative to the project.

    pip reads it relative to the file; the spec keeps every path relative to
    the project root.  URLs, absolute paths and ``${VAR}`` stay as written.
    """
    if str(base) in ("", ".") or _URL.match(value) or value.startswith(("/", "~", "$", "file:")):
        return value
    rebased = _normalize(PurePosixPath(base, value))
    return rebased if rebased.startswith(".") else f"./{rebased}"


def _editable(root: Path, base: PurePosixPath, value: str, ref: SourceRef) -> DirectRequirement:
    if _URL.match(value) or _VCS.match(value):
        return url_requirement(value, ref, editable=True)
    return local_requirement(root, base, value, ref, editable=True)


def parse_requirement_line(
    root: Path, base: PurePosixPath, line: str, ref: SourceRef
) -> DirectRequirement:
    """One requirement line: PEP 508, a URL, or a local path."""
    option = re.search(r"\s(--?[A-Za-z][\w-]*)(?==|\s|$)", line)
    if option:
        if option.group(1) == "--hash":
            raise SpecError(
                "--hash belongs in a lockfile, not in an input file",
                path=ref.path,
                line=ref.line,
                hint=_HASH_HINT,
            )
        raise SpecError(
            f"per-requirement option {option.group(1)} is not supported",
            path=ref.path,
            line=ref.line,
            hint="Remove it; parity passes no build options per requirement.",
        )
    if line.startswith((".", "/", "file:", "~")) or _looks_like_path(line):
        return local_requirement(root, base, line, ref, editable=False)
    if _URL.match(line) or _VCS.match(line):
        return url_requirement(line, ref, editable=False)
    try:
        req = Requirement(line)
    except InvalidRequirement as exc:
        raise SpecError(
            f"not a valid requirement: {line!r} ({exc})",
            path=ref.path,
            line=ref.line,
            hint="Write it as in PEP 508, e.g. `pandas>=2.0` or `name @ https://...`.",
        ) from None
    if req.url and (req.url.startswith(("file:", ".", "/")) or "://" not in req.url):
        return local_requirement(root, base, line, ref, editable=False)
    return DirectRequirement.make(line, ref, name=req.name)


def url_requirement(line: str, ref: SourceRef, *, editable: bool) -> DirectRequirement:
    """A bare URL line (``git+https://...#egg=name``, ``https://.../pkg-1.0.whl``).

    The name comes from ``#egg=`` or the archive's file name; the stored
    requirement is the PEP 508 form ``name @ url``.
    """
    url, marker = line, ""
    split = re.split(r"\s+;\s*|;\s+", line, maxsplit=1)
    if len(split) == 2:
        url, marker = split[0].strip(), split[1].strip()
    name: str | None = None
    extras = ""
    base_url, _, fragment = url.partition("#")
    kept: list[str] = []
    for part in fragment.split("&") if fragment else []:
        key, _, value = part.partition("=")
        if key == "egg":
            match = re.fullmatch(r"([A-Za-z0-9._-]+)(\[[^\]]*\])?", value)
            if match:
                name, extras = match.group(1), match.group(2) or ""
                continue
            legacy = re.match(r"[A-Za-z0-9._-]+", value)
            suggested = f"{legacy.group(0)} @ {base_url}" if legacy else "name @ <url>"
            raise SpecError(
                f"#egg={value} is not a package name (pip no longer reads a version or "
                "specifier there)",
                path=ref.path,
                line=ref.line,
                hint=f"Write it as `{suggested}`: the URL's @ref pins the version.",
            )
        kept.append(part)
    if name is None:
        name = archive_name(unquote(urlsplit(base_url).path).rsplit("/", 1)[-1])
    if name is None:
        raise SpecError(
            f"cannot tell the package name of {url!r}",
            path=ref.path,
            line=ref.line,
            hint="Write it as `name @ <url>`.",
        )
    clean = base_url + (f"#{'&'.join(kept)}" if kept else "")
    text = f"{name}{extras} @ {clean}" + (f" ; {marker}" if marker else "")
    try:
        Requirement(text)
    except InvalidRequirement as exc:
        raise SpecError(
            f"not a valid requirement: {line!r} ({exc})",
            path=ref.path,
            line=ref.line,
            hint="Write it as `name @ <url>`.",
        ) from None
    return DirectRequirement.make(text, ref, name=name, editable=editable)


def _looks_like_path(line: str) -> bool:
    head = line.split(";")[0]
    return ("/" in head or "\\" in head) and "@" not in head and "://" not in head


def read_constraints(
    root: Path, target: str, ref: SourceRef, _seen: set[str] | None = None
) -> ConstraintFile:
    """A ``-c`` file: its requirement lines, and those of the files it names with ``-c``/``-r``.

    pip follows ``-c common_constraints.txt`` inside a constraints file (and
    reads a ``-r`` there as more constraints): so does parity.  Other options
    and the hashes of a lockfile used as constraints are skipped.
    """
    seen = set() if _seen is None else _seen
    if target in seen:
        return ConstraintFile(target, ())  # read once, even in a cycle
    seen.add(target)
    confine(root, target, ref, "-c")
    try:
        text = read_text_file(root / target, shown=target)
    except FileNotFoundError:
        raise SpecError(
            f"-c {target}: file not found",
            path=ref.path,
            line=ref.line,
            hint="Fix the path; it is relative to the file it is written in.",
        ) from None
    out: list[DirectRequirement] = []
    base = PurePosixPath(".")  # requirement paths are read from the project root, as pip does
    folder = PurePosixPath(target).parent
    for logical in logical_lines(text):
        here = SourceRef(target, logical.number)
        if logical.is_option:
            nested = _nested_file(logical.text)
            if nested is not None:
                path = _project_relative(root, _relative(folder, nested, here))
                out += read_constraints(root, path, here, seen).constraints
            continue
        line, _hashes = split_hashes(logical.text)
        out.append(parse_requirement_line(root, base, line, here))
    return ConstraintFile(target, tuple(out))


_NESTED = re.compile(
    r"^(?:-c|--constraint|-r|--requirement)(?:\s*=\s*|\s+|(?=[^-\s]))(?P<path>\S+)\s*$"
)


def _nested_file(line: str) -> str | None:
    """The file a ``-c``/``-r`` line of a constraints file names, if it is one."""
    match = _NESTED.match(line.strip())
    return match.group("path") if match else None


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


def is_compiled(text: str) -> bool:
    """Whether a requirements file is a lock some tool wrote (pip-compile, uv, parity)."""
    head = text[:2000].lower()
    return "autogenerated" in head or "# parity:" in head or "\n    # via" in text
