"""pip-tools style inputs: requirements.in, requirements-<group>.in, requirements/*.in.

pip's requirements-file syntax: comments, ``\\`` continuations, PEP 508 lines,
``-e``/local paths, ``-r``/``-c`` includes and index options.  A ``-r`` of
another group's file makes that group an include (``requirements-dev.in``
with ``-r requirements.in`` is prod plus dev); a ``-r`` of a file that is no
group of its own is inlined.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from packaging.requirements import InvalidRequirement, Requirement

from parity.errors import SpecError
from parity.spec.local import local_requirement
from parity.spec.model import DEFAULT_GROUP, DirectRequirement, Group, IndexConfig, SourceRef

PROD_STEMS = frozenset({"requirements", "base", "main", "prod"})
_OPTION_ALIASES = {
    "-r": "--requirement",
    "-c": "--constraint",
    "-e": "--editable",
    "-i": "--index-url",
    "-f": "--find-links",
}
_IGNORED_OPTIONS = frozenset(
    {"--pre", "--prefer-binary", "--only-binary", "--no-binary", "--trusted-host", "--use-feature"}
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


@dataclass
class ParsedFile:
    """What one .in file says, with its includes resolved to files."""

    path: str
    requirements: list[DirectRequirement] = field(default_factory=list)
    constraints: list[DirectRequirement] = field(default_factory=list)
    includes: list[tuple[str, SourceRef]] = field(default_factory=list)
    index: IndexConfig = field(default_factory=IndexConfig)


def discover_group_files(root: Path) -> list[tuple[str, str, str]]:
    """(group, input file, output file) for every group file, prod first."""
    found: list[tuple[str, str, str]] = []
    if (root / "requirements.in").is_file():
        found.append((DEFAULT_GROUP, "requirements.in", "requirements.txt"))
    for path in sorted(root.glob("requirements-*.in")):
        group = path.stem.removeprefix("requirements-")
        found.append((_group_name(group, path.name), path.name, f"{path.stem}.txt"))
    folder = root / "requirements"
    if folder.is_dir():
        for path in sorted(folder.glob("*.in")):
            group = DEFAULT_GROUP if path.stem in PROD_STEMS else path.stem
            found.append(
                (
                    _group_name(group, path.name),
                    f"requirements/{path.name}",
                    f"requirements/{path.stem}.txt",
                )
            )
    seen: dict[str, str] = {}
    for group, source, _ in found:
        if group in seen:
            raise SpecError(
                f"two files define group {group!r}: {seen[group]} and {source}",
                path=source,
                hint="Rename one of them; each group is locked into its own file.",
            )
        seen[group] = source
    found.sort(key=lambda item: item[0] != DEFAULT_GROUP)
    return found


def _group_name(name: str, source: str) -> str:
    normalized = re.sub(r"[-_.]+", "-", name).lower()
    if not re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?", normalized):
        raise SpecError(
            f"{source!r} does not give a valid group name",
            path=source,
            hint="Use letters, digits and dashes.",
        )
    return normalized


def read_groups(root: Path) -> tuple[list[Group], IndexConfig, list[ParsedFile]]:
    """Every group of a pip-tools project, its index options, and the files read."""
    files = discover_group_files(root)
    group_of = {source: group for group, source, _ in files}
    parsed: dict[str, ParsedFile] = {}
    groups: list[Group] = []
    index = IndexConfig()
    for group, source, output in files:
        requirements: list[DirectRequirement] = []
        constraints: list[DirectRequirement] = []
        includes: list[str] = []
        for item in _walk(root, source, group_of, parsed, stack=()):
            requirements += item.requirements
            constraints += item.constraints
            for target, _ref in item.includes:
                if group_of[target] not in includes:
                    includes.append(group_of[target])
            index = _merge_index(index, item.index)
        groups.append(
            Group(
                name=group,
                requirements=tuple(requirements),
                output=output,
                includes=tuple(includes),
                constraints=tuple(constraints),
                source=SourceRef(source),
            )
        )
    check_include_cycles(groups)
    return groups, index, list(parsed.values())


def _walk(
    root: Path,
    source: str,
    group_of: dict[str, str],
    parsed: dict[str, ParsedFile],
    *,
    stack: tuple[str, ...],
) -> Iterator[ParsedFile]:
    """The file, then the non-group files it includes (inlined), depth first.

    Group files named by ``-r`` are recorded as includes, not inlined; cycles
    among groups are caught by ``check_include_cycles``.
    """
    if source in stack:
        cycle = " -> ".join((*stack[stack.index(source) :], source))
        raise SpecError(f"-r cycle: {cycle}", path=stack[-1], hint="Remove one of the -r lines.")
    if source not in parsed:
        parsed[source] = parse_file(root, source)
    item = parsed[source]
    own = ParsedFile(
        path=item.path,
        requirements=item.requirements,
        constraints=item.constraints,
        index=item.index,
    )
    for target, ref in item.includes:
        if target in group_of:
            own.includes.append((target, ref))
        else:
            yield from _walk(root, target, group_of, parsed, stack=(*stack, source))
    yield own


def check_include_cycles(groups: list[Group]) -> None:
    edges = {g.name: g.includes for g in groups}
    sources = {g.name: g.source.path if g.source else g.name for g in groups}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            files = " -> ".join(sources[n] for n in (*path[path.index(name) :], name))
            raise SpecError(
                f"-r cycle: {files}", path=sources[path[-1]], hint="Remove one of the -r lines."
            )
        for child in edges.get(name, ()):
            visit(child, (*path, name))

    for group in groups:
        visit(group.name, ())


def _merge_index(a: IndexConfig, b: IndexConfig) -> IndexConfig:
    return IndexConfig(
        index_url=b.index_url or a.index_url,
        extra_index_urls=tuple(dict.fromkeys((*a.extra_index_urls, *b.extra_index_urls))),
        find_links=tuple(dict.fromkeys((*a.find_links, *b.find_links))),
        no_index=a.no_index or b.no_index,
    )


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, content) with continuations joined and comments removed."""
    buffer: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if not buffer:
            start = number
        if line.endswith("\\"):
            buffer.append(line[:-1])
            continue
        buffer.append(line)
        joined = " ".join(part.strip() for part in buffer).strip()
        buffer = []
        if joined:
            yield start, joined
    if buffer:
        joined = " ".join(part.strip() for part in buffer).strip()
        if joined:
            yield start, joined


def parse_file(root: Path, source: str) -> ParsedFile:
    path = root / source
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(
            "file not found",
            path=source,
            hint="Fix the -r/-c path; it is relative to the including file.",
        ) from None
    except UnicodeDecodeError:
        raise SpecError("not a UTF-8 text file", path=source) from None
    result = ParsedFile(path=source)
    extra_urls: list[str] = []
    find_links: list[str] = []
    index_url: str | None = None
    no_index = False
    base = PurePosixPath(source).parent
    for number, line in logical_lines(text):
        ref = SourceRef(source, number)
        if line.startswith("-"):
            option, value = _split_option(line, ref)
            if option in ("--requirement", "--constraint"):
                target = _relative(base, value)
                if option == "--requirement":
                    result.includes.append((target, ref))
                else:
                    result.constraints += _constraint_file(root, target, ref)
            elif option == "--editable":
                result.requirements.append(local_requirement(root, base, value, ref, editable=True))
            elif option == "--index-url":
                index_url = value
            elif option == "--extra-index-url":
                extra_urls.append(value)
            elif option == "--find-links":
                find_links.append(value)
            elif option == "--no-index":
                no_index = True
            elif option == "--hash":
                raise SpecError(
                    "--hash belongs in a lockfile, not in an input file",
                    path=source,
                    line=number,
                    hint="Remove it; `parity lock` writes hashes into the lockfile.",
                )
            elif option in _IGNORED_OPTIONS:
                continue
            else:
                raise SpecError(
                    f"unknown option {option!r}",
                    path=source,
                    line=number,
                    hint="parity reads -r, -c, -e, -i/--index-url, --extra-index-url, -f/--find-links, --no-index.",
                )
            continue
        if "--hash" in line:
            raise SpecError(
                "--hash belongs in a lockfile, not in an input file",
                path=source,
                line=number,
                hint="Remove it; `parity lock` writes hashes into the lockfile.",
            )
        result.requirements.append(parse_requirement_line(root, base, line, ref))
    result.index = IndexConfig(
        index_url=index_url,
        extra_index_urls=tuple(extra_urls),
        find_links=tuple(find_links),
        no_index=no_index,
    )
    return result


def _split_option(line: str, ref: SourceRef) -> tuple[str, str]:
    try:
        parts = shlex.split(line)
    except ValueError as exc:
        raise SpecError(f"cannot read this line: {exc}", path=ref.path, line=ref.line) from None
    head = parts[0]
    if "=" in head and head.startswith("--"):
        head, value = head.split("=", 1)
        rest = [value, *parts[1:]]
    else:
        rest = parts[1:]
    if (
        head.startswith("-")
        and not head.startswith("--")
        and len(head) > 2
        and head[:2] in _OPTION_ALIASES
    ):
        rest = [head[2:], *rest]
        head = head[:2]
    option = _OPTION_ALIASES.get(head, head)
    if option in _TAKES_VALUE:
        if not rest:
            raise SpecError(f"{head} needs a value", path=ref.path, line=ref.line)
        return option, " ".join(rest)
    return option, ""


def _relative(base: PurePosixPath, value: str) -> str:
    if value.startswith(("http://", "https://")):
        raise SpecError(
            "remote -r/-c files are not supported", hint="Vendor the file into the project."
        )
    combined = PurePosixPath(base, value)
    parts: list[str] = []
    for part in combined.parts:
        if part == "..":
            if parts:
                parts.pop()
            else:
                parts.append(part)
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def _constraint_file(root: Path, target: str, ref: SourceRef) -> list[DirectRequirement]:
    try:
        text = (root / target).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(
            f"constraints file {target} not found", path=ref.path, line=ref.line
        ) from None
    out: list[DirectRequirement] = []
    for number, line in logical_lines(text):
        if line.startswith("-"):
            continue
        line = re.sub(r"\s--hash[= ]\S+", "", line).strip()
        out.append(
            parse_requirement_line(
                root, PurePosixPath(target).parent, line, SourceRef(target, number)
            )
        )
    return out


def parse_requirement_line(
    root: Path, base: PurePosixPath, line: str, ref: SourceRef
) -> DirectRequirement:
    if line.startswith((".", "/")) or line.startswith("file:") or _looks_like_path(line):
        return local_requirement(root, base, line, ref, editable=False)
    try:
        req = Requirement(line)
    except InvalidRequirement as exc:
        raise SpecError(
            f"not a valid requirement: {line!r} ({exc})",
            path=ref.path,
            line=ref.line,
            hint="Write it as in PEP 508, e.g. `pandas>=2.0` or `name @ https://...`.",
        ) from None
    if req.url and req.url.startswith("file:"):
        return local_requirement(root, base, line, ref, editable=False)
    return DirectRequirement.make(line, ref, name=req.name)


def _looks_like_path(line: str) -> bool:
    return "/" in line.split(";")[0] and "@" not in line and "://" not in line
