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

from parity.frozen import dataclass
from parity.lock.formats.files import carried_text_digest

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
