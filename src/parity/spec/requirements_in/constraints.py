"""``-c`` files: their requirement lines, following the files they name, as pip does."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from parity.errors import SpecError
from parity.spec.model import DirectRequirement, SourceRef
from parity.spec.requirements_file import logical_lines, split_hashes
from parity.spec.requirements_in.line import parse_requirement_line
from parity.spec.requirements_in.model import ConstraintFile
from parity.spec.requirements_in.paths import confine, project_relative, relative_target
from parity.textfile import read_text_file


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
                path = project_relative(root, relative_target(folder, nested, here))
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
