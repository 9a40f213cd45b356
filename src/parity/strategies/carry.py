"""Hand-written requirements*.txt files carried into the .in files parity reads.

The course's starting point is a ``requirements.txt`` written by hand (or by
``pip freeze``): the file pip-tools renames to ``requirements.in`` before its
first compile.  ``parity init --strategy pip-tools`` does that move as a copy:
each file's lines go, as they are, into the ``.in`` file of the same name
(``-r`` between carried files follows them; ``--hash`` options, which belong
to a lock, are dropped), and the ``.in`` file records the digest of the text
it carried.  ``parity lock`` may then replace the ``.txt`` file with the lock,
because what it held is provably kept (lock/formats/files.py checks the digest:
a ``.txt`` edited after the carry is refused again).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from parity.errors import UsageError
from parity.frozen import dataclass
from parity.lock.formats.files import carried_text_digest
from parity.spec.model import DEFAULT_GROUP
from parity.spec.requirements_in.discover import PROD_STEMS

_INCLUDE = re.compile(r"^(?P<flag>-r|--requirement)(?P<sep>\s*=?\s*)(?P<target>\S+)(?P<rest>.*)$")
_HASH = re.compile(r"\s+--hash[=\s]\s*\S+")


@dataclass(frozen=True)
class CarriedFile:
    """One hand-written requirements file and the .in file that takes its lines."""

    source: str
    target: str
    text: str
    requirements: int
    pinned: int


def input_for(source: str) -> str | None:
    """The .in name parity reads for a requirements .txt name, or None when there is none."""
    pure = PurePosixPath(source)
    if pure.suffix != ".txt":
        return None
    stem = pure.stem
    parent = pure.parent.as_posix()
    if parent == "." and (
        stem == "requirements"
        or re.fullmatch(r"requirements-[A-Za-z0-9][A-Za-z0-9_.-]*", stem)
        or re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*-requirements", stem)
    ):
        return f"{stem}.in"
    if parent == "requirements" and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", stem):
        return f"requirements/{stem}.in"
    return None


def group_of_input(target: str) -> str:
    """The group parity reads an .in file named by :func:`input_for` as (its file names' rule)."""
    pure = PurePosixPath(target)
    stem = pure.stem
    if pure.parent.as_posix() == "requirements":
        name = "" if stem in PROD_STEMS else stem
    else:
        name = stem.removeprefix("requirements").removeprefix("-").removesuffix("-requirements")
    return str(canonicalize_name(name)) if name else DEFAULT_GROUP


def settle(sources: Iterable[tuple[str, str]]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The files to carry, and those left as they are (path: why), so each group has one file.

    A ``requirements.txt`` that only ``-r``-includes ``requirements/base.txt``
    (a common layout) would make a second ``prod`` file: it is left as it is,
    and after ``parity lock`` it installs the lock through its ``-r``.  Two
    files with requirements of their own for one group are refused, since
    parity cannot tell which one is the group.
    """
    items = [(path, text) for path, text in sources if input_for(path) is not None]
    by_group: dict[str, list[str]] = {}
    for path, _ in items:
        by_group.setdefault(group_of_input(input_for(path) or path), []).append(path)
    texts = dict(items)
    left: dict[str, str] = {}
    for group, paths in by_group.items():
        if len(paths) < 2:
            continue
        wrappers = {p: inc for p in paths if (inc := _only_includes(p, texts[p]))}
        kept = [p for p in paths if p not in wrappers] or paths[-1:]
        for path in paths:
            if path not in kept:
                left[path] = f"it only includes {', '.join(wrappers[path])} (-r)"
        if len(kept) > 1:
            first, second = kept[:2]
            raise UsageError(
                f"{first} and {second} would both become group {group!r} "
                f"({input_for(first)} and {input_for(second)})",
                path=second,
                hint="Nothing was written. Merge them into one file, or rename one "
                "(requirements/<group>.txt) so each group has its own, then run init again.",
            )
    return [(p, t) for p, t in items if p not in left], left


def _only_includes(path: str, text: str) -> list[str]:
    """The files a requirements file ``-r``-includes, when that is all it holds."""
    folder = PurePosixPath(path).parent.as_posix()
    included: list[str] = []
    for line in _logical_lines(text):
        stripped = line.split(" #", 1)[0].strip()
        if not stripped or stripped.startswith("#"):
            continue
        include = _INCLUDE.match(stripped)
        if include is None:
            return []
        included.append(posixpath.normpath(posixpath.join(folder, include.group("target"))))
    return included


def read_by_build(
    build_files: Iterable[tuple[str, str]], paths: Iterable[str]
) -> tuple[str, int, str] | None:
    """Where setup.py or setup.cfg names a requirements file: (file, line, that file's path).

    A package that reads ``requirements.txt`` into ``install_requires`` would
    publish the whole lock (hash lines and all) once ``parity lock`` replaces
    the file, so such a file is not carried.  Named means: the file's name in
    a quoted string of setup.py, or after ``file:`` in setup.cfg.
    """
    wanted = list(paths)
    for build_file, text in build_files:
        for number, line in enumerate(text.splitlines(), start=1):
            code = line.split("#", 1)[0]
            for path in wanted:
                name = re.escape(PurePosixPath(path).name)
                quoted = rf"""["'][^"']*\b{name}["']"""
                if re.search(quoted, code) or (
                    build_file.endswith(".cfg") and re.search(rf"file:.*\b{name}\b", code)
                ):
                    return build_file, number, path
    return None


def carry(sources: Iterable[tuple[str, str]]) -> list[CarriedFile]:
    """Each (path, text) of a hand-written requirements file as the .in file to write."""
    items = [(path, text) for path, text in sources if input_for(path) is not None]
    renamed = {path: input_for(path) or path for path, _ in items}
    carried: list[CarriedFile] = []
    for path, text in items:
        target = renamed[path]
        body, requirements, pinned = _carried_lines(path, text, renamed)
        head = (
            f"# {target}: carried from {path} by `parity init --strategy pip-tools`.\n"
            f"# carried from {path} (sha256:{carried_text_digest(text)}): `parity lock` "
            f"replaces {path} with the lock of these requirements.\n"
        )
        carried.append(CarriedFile(path, target, head + body, requirements, pinned))
    return carried


def _carried_lines(path: str, text: str, renamed: dict[str, str]) -> tuple[str, int, int]:
    folder = PurePosixPath(path).parent
    lines: list[str] = []
    requirements = pinned = 0
    for line in _logical_lines(text):
        stripped = _HASH.sub("", line).rstrip()
        include = _INCLUDE.match(stripped.lstrip())
        if include:
            target = include.group("target")
            resolved = posixpath.normpath(posixpath.join(folder.as_posix(), target))
            new = renamed.get(resolved)
            if new is not None:
                relative = posixpath.relpath(new, folder.as_posix())
                stripped = f"{include.group('flag')}{include.group('sep')}{relative}{include.group('rest')}"
        elif stripped and not stripped.lstrip().startswith(("#", "-")):
            requirements += 1
            pinned += _is_exact_pin(stripped)
        lines.append(stripped)
    return "\n".join(lines).rstrip("\n") + "\n", requirements, pinned


def _logical_lines(text: str) -> list[str]:
    """Lines with pip's backslash continuations joined (hash lists span several)."""
    out: list[str] = []
    pending = ""
    for raw in text.replace("\r\n", "\n").split("\n"):
        if raw.endswith("\\") and not raw.lstrip().startswith("#"):
            pending += raw[:-1].rstrip() + " "
            continue
        out.append(pending + raw if pending else raw)
        pending = ""
    if pending:
        out.append(pending.rstrip())
    return out


def _is_exact_pin(line: str) -> bool:
    try:
        requirement = Requirement(line.split(" #", 1)[0].strip())
    except InvalidRequirement:
        return False
    return len(requirement.specifier) == 1 and next(iter(requirement.specifier)).operator == "=="
