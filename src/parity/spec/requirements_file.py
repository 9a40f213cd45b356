"""pip's requirements-file syntax: the one tokenizer parity has.

Input files (``requirements.in``), lockfiles (``requirements.txt``, as
parity, pip-compile and uv write them) and the plain requirement lists
``parity diff`` compares are all read through here:

- :func:`logical_lines`: comments removed, ``\\`` continuations joined, each
  line with the number of its first physical line and the indented comment
  lines that follow it (pip-compile's ``# via`` block);
- :func:`split_option`: an option line as its long option name and words;
- :func:`split_hashes`: a requirement line without its ``--hash`` options;
- :func:`parse_pep508`: a requirement through ``packaging``'s
  :class:`~packaging.requirements.Requirement`, with the marker kept as written.

Each caller decides what the lines mean (an input, a pin, a list entry) and
how to report a bad one.
"""

from __future__ import annotations

import functools
import re

from parity.frozen import dataclass
from parity.patterns import lazy_pattern

TYPE_CHECKING = False  # not typing's: reading an input file must stay cheap
if TYPE_CHECKING:
    from packaging.requirements import Requirement

OPTION_ALIASES = {
    "-r": "--requirement",
    "-c": "--constraint",
    "-e": "--editable",
    "-i": "--index-url",
    "-f": "--find-links",
}
# pip removes a comment that starts a line or follows whitespace: ``#egg=`` in
# a URL is not a comment.
_COMMENT = r"(^|\s)#.*$"
_HASH = r"\s*--hash[= ](\S+)"


@dataclass(frozen=True)
class LogicalLine:
    """One logical line: ``text`` without comments, continuations joined."""

    number: int  # the first physical line, 1-based
    text: str
    comments: tuple[str, ...] = ()  # indented comment lines right after it

    @property
    def is_option(self) -> bool:
        return self.text.startswith("-")


def logical_lines(text: str) -> list[LogicalLine]:
    """The logical lines of a requirements file, in order."""
    out: list[LogicalLine] = []
    # The last logical line waits in ``pending`` until the indented comment lines after
    # it are known (pip-compile's ``# via`` block): each line is made once, comments
    # and all (a lock of 300 pins reads a few thousand lines, in every command).
    pending: tuple[int, str] | None = None
    comments: list[str] = []
    buffer: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not buffer:
            stripped = raw.strip()
            if stripped.startswith("#"):
                if pending is not None and raw[:1] in (" ", "\t"):
                    comments.append(stripped)
                continue
            start = number
        line = re.sub(_COMMENT, "", raw).rstrip() if "#" in raw else raw.rstrip()
        if line.endswith("\\"):
            buffer.append(line[:-1].strip())
            continue
        buffer.append(line.strip())
        joined = " ".join([part for part in buffer if part])
        buffer = []
        if joined:
            if pending is not None:
                out.append(LogicalLine(pending[0], pending[1], tuple(comments)))
                comments = []
            pending = (start, joined)
    if buffer:
        joined = " ".join([part for part in buffer if part])
        if joined:
            if pending is not None:
                out.append(LogicalLine(pending[0], pending[1], tuple(comments)))
                comments = []
            pending = (start, joined)
    if pending is not None:
        out.append(LogicalLine(pending[0], pending[1], tuple(comments)))
    return out


def split_option(text: str) -> tuple[str, list[str]]:
    """``-r file`` / ``--index-url=URL`` / ``-rfile`` -> (long option name, its words).

    Raises ValueError for a line shell-style quoting cannot split.
    """
    if text.isprintable() and not any(c in text for c in "\"'\\"):
        # No quote, no backslash, and no whitespace but spaces: shell-style splitting
        # is splitting at spaces (``-r requirements.in``), without importing shlex.
        parts = text.split()
    else:
        import shlex

        parts = shlex.split(text, posix=True)
    head = parts[0]
    if "=" in head and head.startswith("--"):
        head, value = head.split("=", 1)
        rest = [value, *parts[1:]]
    else:
        rest = parts[1:]
    if not head.startswith("--") and len(head) > 2 and head[:2] in OPTION_ALIASES:
        rest = [head[2:], *rest]
        head = head[:2]
    return OPTION_ALIASES.get(head, head), rest


def split_hashes(text: str) -> tuple[str, tuple[str, ...]]:
    """A requirement line without its ``--hash`` options, and their values in order."""
    if "--hash" not in text:
        return text.strip(), ()
    return re.sub(_HASH, "", text).strip(), tuple(re.findall(_HASH, text))


@dataclass(frozen=True)
class Pep508:
    """A PEP 508 requirement, read by ``packaging``; ``marker`` as written."""

    requirement: Requirement
    marker: str | None

    @property
    def exact_version(self) -> str | None:
        """The version of a ``==``/``===`` pin to one version (no wildcard), else None."""
        specifiers = list(self.requirement.specifier)
        if len(specifiers) != 1:
            return None
        only = specifiers[0]
        if only.operator not in ("==", "===") or only.version.endswith("*"):
            return None
        return only.version


@functools.lru_cache(maxsize=4096)
def requirement(text: str) -> Requirement:
    """``Requirement(text)``, read once per text: shared, so never change what it returns.

    A requirement is read where it is declared, again for the input digests, again
    for the resolver's request (a tenth of a millisecond each, in every command).
    Raises :class:`~packaging.requirements.InvalidRequirement` as packaging does.
    """
    from packaging.requirements import Requirement

    return Requirement(text)


# ``name`` or ``name OP release`` (one specifier, a release of plain numbers): what most
# input lines say.  packaging accepts every text this matches, and reads it as this
# name and this one specifier, printed as ``OP`` + the release (tested against packaging).
# ``~=`` needs two release numbers; a wildcard (``==3.11.*``) ends an ``==`` or ``!=``
# release; extras (``uvicorn[standard]``) are names in brackets; ``===``, letters in a
# version, URLs and markers are left to packaging.
_PLAIN_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_PLAIN = (
    rf"(?P<name>{_PLAIN_NAME})"
    rf"(?:\s*\[\s*(?P<extras>{_PLAIN_NAME}(?:\s*,\s*{_PLAIN_NAME})*)?\s*\])?"
    r"(?:\s*(?:(?P<op>==|!=|<=|>=|<|>)\s*(?P<release>[0-9]+(?:\.[0-9]+)*)"
    r"|(?P<wild_op>==|!=)\s*(?P<wild>[0-9]+(?:\.[0-9]+)*\.\*)"
    r"|~=\s*(?P<compatible>[0-9]+(?:\.[0-9]+)+)))?"
)


_PLAIN_SPECIFIER = r"\s*(?P<op>==|!=|<=|>=|<|>)\s*(?P<release>[0-9]+(?:\.[0-9]+)*)\s*"


_plain_pattern = lazy_pattern(_PLAIN)


_plain_specifier_pattern = lazy_pattern(_PLAIN_SPECIFIER)


def plain_specifier(text: str) -> tuple[str, tuple[int, ...]] | None:
    """``>=3.10`` -> ``(">=", (3, 10))``: one specifier on a release of plain numbers, or None.

    packaging's ``SpecifierSet`` accepts every text this matches (a
    ``requires-python``, read without importing it); None for anything else.
    """
    match = _plain_specifier_pattern().fullmatch(text)
    if match is None:
        return None
    return match["op"], tuple(int(part) for part in match["release"].split("."))


def plain_range(text: str) -> str | None:
    """``text`` as ``str(SpecifierSet(text))`` prints it, when it is one plain specifier.

    ``>= 3.10`` -> ``>=3.10``, ``==3.11.*`` -> ``==3.11.*``; None for anything
    else (packaging must read it).  Read as the specifier of a requirement.
    """
    stripped = text.strip()
    if stripped[:1] not in ("<", ">", "=", "!", "~"):
        return None  # "3.10" would read as a name
    plain = plain_requirement("python" + stripped)
    return None if plain is None else plain[1]


def plain_requirement(text: str) -> tuple[str, str, tuple[str, ...]] | None:
    """``(name, specifier, extras)`` of a requirement read without packaging, or None.

    ``pandas >= 2.0`` -> ``("pandas", ">=2.0", ())``; ``uvicorn[standard]`` ->
    ``("uvicorn", "", ("standard",))``.  The name and extras as written (the
    extras sorted, once each, as ``sorted(Requirement(text).extras)``); the
    specifier as ``str(Requirement(text).specifier)`` prints it.  None for
    anything else (packaging must read it): importing packaging's requirement
    parser costs more than reading a whole project.
    """
    match = _plain_pattern().fullmatch(text)
    if match is None:
        return None
    extras = (
        tuple(sorted({e.strip() for e in match["extras"].split(",")})) if match["extras"] else ()
    )
    if match["compatible"] is not None:
        return match["name"], "~=" + match["compatible"], extras
    if match["wild"] is not None:
        return match["name"], match["wild_op"] + match["wild"], extras
    if match["op"] is None:
        return match["name"], "", extras
    return match["name"], match["op"] + match["release"], extras


def parse_pep508(text: str) -> Pep508:
    """A requirement line (no options) through ``packaging``.

    The marker is validated but kept as written (quotes and spacing), since
    lockfiles repeat it byte for byte.  Raises
    :class:`~packaging.requirements.InvalidRequirement` (or
    :class:`~packaging.markers.InvalidMarker`).
    """
    from packaging.markers import Marker
    from packaging.requirements import Requirement

    head, _, tail = _split_marker(text)
    marker = tail or None
    requirement = Requirement(head)
    if marker is not None:
        Marker(marker)
        requirement = Requirement(f"{head} ; {marker}")
    return Pep508(requirement=requirement, marker=marker)


def _split_marker(text: str) -> tuple[str, str, str]:
    # In ``name @ url ; marker`` the separator needs whitespace before it, as in
    # PEP 508, since a URL may hold ``;``.
    if " @ " in text or "@" in text.split(";", 1)[0]:
        match = re.search(r"\s;\s*|;\s+", text)
        if match is None:
            return text, "", ""
        return text[: match.start()].strip(), ";", text[match.end() :].strip()
    head, sep, tail = text.partition(";")
    return head.strip(), sep, tail.strip()
