"""One requirements file parsed: requirement lines, ``-r``/``-c``/``-e``, index and binary options."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from parity.errors import SpecError
from parity.spec.model import IndexConfig, SourceRef
from parity.spec.requirements_file import logical_lines, split_option
from parity.spec.requirements_in.format_control import NO_BINARY, ONLY_BINARY, apply_option
from parity.spec.requirements_in.line import HASH_HINT, editable_requirement, parse_requirement_line
from parity.spec.requirements_in.model import Include, ParsedFile
from parity.spec.requirements_in.paths import project_relative, rebase_location, relative_target
from parity.textfile import read_text_file

# Accepted for compatibility with pip and pip-tools; they do not change what is locked.
_IGNORED_OPTIONS = frozenset({"--use-feature"})
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
_KNOWN = (
    "-r, -c, -e, -i/--index-url, --extra-index-url, -f/--find-links, --no-index, --pre, "
    "--no-binary, --only-binary, --prefer-binary"
)


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
    trusted_hosts: list[str] = []
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
                Include(project_relative(root, relative_target(base, value, ref)), ref)
            )
        elif option == "--constraint":
            result.constraint_files.append(
                Include(project_relative(root, relative_target(base, value, ref)), ref)
            )
        elif option == "--editable":
            result.entries.append(editable_requirement(root, here, value, ref))
        elif option == "--index-url":
            index_url = value
            result.index_url_ref = ref
        elif option == "--extra-index-url":
            extra_urls.append(value)
        elif option == "--find-links":
            find_links.append(rebase_location(base, value))
        elif option == "--no-index":
            no_index = True
        elif option == "--trusted-host":
            trusted_hosts.append(value)
        elif option == "--pre":
            result.prerelease = True
        elif option in (NO_BINARY, ONLY_BINARY):
            result.format_control = apply_option(result.format_control, option, value, ref)
            result.format_control_ref = ref
        elif option == "--prefer-binary":
            result.prefer_binary_ref = ref
        elif option == "--hash":
            raise SpecError(
                "--hash belongs in a lockfile, not in an input file",
                path=source,
                line=number,
                hint=HASH_HINT,
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
        trusted_hosts=tuple(dict.fromkeys(trusted_hosts)),
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
            hint=HASH_HINT,
        )
    raise SpecError(
        f"{option} takes {'one value' if option in _TAKES_VALUE else 'no value'}; "
        f"found more: {' '.join(rest)!r}",
        path=ref.path,
        line=ref.line,
        hint="Put each option and each requirement on a line of its own.",
    )


_FLAGS = frozenset({"--no-index", "--pre", "--prefer-binary"})
