"""GitHub Actions workflows: the ``python-version`` a workflow installs.

A literal version is a pin; a list (a matrix's ``python-version: [...]``) holds
candidates, each of which must satisfy requires-python (a list of one is a
pin).  ``${{ matrix.<key> }}`` is read from the matrix key it names;
``python-version-file`` reads .python-version, so it agrees by construction.
Values are taken as YAML reads them: an unquoted ``3.10`` is the number 3.1,
a classic CI bug that is reported as such.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.diagnose.consistency import SOURCE_PATTERNS
from parity.diagnose.consistency.facts import CANDIDATE, PIN, Place, PythonFact
from parity.diagnose.consistency.yamlscan import KeyLine, Scalar, key_lines, values

PATTERNS = SOURCE_PATTERNS[__name__]
WHAT = "CI python-version"

_MATRIX = re.compile(r"^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$")
_VERSION = re.compile(r"^\d+(\.\d+){0,2}$")


def _foreign_jobs(entries: list[KeyLine]) -> list[tuple[int, int]]:
    """Line spans of the jobs that test another repository than this one.

    A job whose every ``actions/checkout`` names a ``repository:`` (a nightly
    run of a downstream project's tests, say) runs that project on its own
    Python: its python-version says nothing about this project's.
    """
    jobs = next((e for e in entries if e.key == "jobs" and e.indent == 0), None)
    if jobs is None:
        return []
    after = [e for e in entries if e.line > jobs.line]
    end = next((e.line for e in after if e.indent == 0), None)
    body = [e for e in after if end is None or e.line < end]
    if not body:
        return []
    indent = min(e.indent for e in body)
    starts = [e.line for e in body if e.indent == indent]
    spans = [
        (start, (starts[i + 1] if i + 1 < len(starts) else (end or 10**9)) - 1)
        for i, start in enumerate(starts)
    ]
    foreign: list[tuple[int, int]] = []
    for first, last in spans:
        inside = [e for e in body if first <= e.line <= last]
        checkouts = [e for e in inside if e.key == "uses" and "actions/checkout" in e.rest]
        others = [
            e
            for e in inside
            if e.key == "repository" and e.rest.strip() and "github.repository" not in e.rest
        ]
        if checkouts and len(others) >= len(checkouts):
            foreign.append((first, last))
    return foreign


def without_foreign_jobs(text: str) -> str:
    """The workflow with the lines of jobs that test another repository blanked (lines kept)."""
    spans = _foreign_jobs(key_lines(text))
    if not spans:
        return text
    lines = text.splitlines(keepends=True)
    for first, last in spans:
        for number in range(first, min(last, len(lines)) + 1):
            lines[number - 1] = "\n"
    return "".join(lines)


def facts(path: str, text: str) -> Iterator[PythonFact]:
    entries = key_lines(text)
    foreign = _foreign_jobs(entries)
    if foreign:
        entries = [e for e in entries if not any(a <= e.line <= b for a, b in foreign)]
    referenced: set[str] = set()
    direct = []
    for entry in entries:
        if entry.key != "python-version":
            continue
        found = values(text, entry)
        if len(found) == 1 and _MATRIX.match(found[0].text):
            referenced.add(_MATRIX.match(found[0].text).group(1))  # type: ignore[union-attr]
            continue
        direct.append((entry, found))
    for entry in entries:
        if entry.key in referenced and entry.key != "python-version":
            direct.append((entry, values(text, entry)))
    # A matrix runs every version its key lists and its ``include:`` entries add: one
    # ``"3.13"`` under ``include`` is one of several Pythons tried, not the job's pin.
    matrices: dict[int, list[Scalar]] = {}
    for entry, found in direct:
        matrix = _matrix_line(entries, entry)
        if matrix is None:
            yield from _facts(path, found)
        else:
            matrices.setdefault(matrix, []).extend(found)
    for found in matrices.values():
        yield from _facts(path, found)


def _matrix_line(entries: list[KeyLine], entry: KeyLine) -> int | None:
    """The line of the ``matrix:`` key ``entry`` is written under, if it is."""
    indent = entry.indent
    for other in reversed([e for e in entries if e.line < entry.line]):
        if other.indent < indent:
            if other.key == "matrix":
                return other.line
            indent = other.indent
    return None


def _facts(path: str, found: list[Scalar]) -> Iterator[PythonFact]:
    versions = [s for s in found if _VERSION.match(s.value)]
    kind = PIN if len({s.value for s in versions}) == 1 else CANDIDATE
    for item in versions:
        what = WHAT
        if item.value != item.text:
            what = f"{WHAT} (unquoted {item.text} is the YAML number {item.value})"
        yield PythonFact(kind, item.value, Place(path, item.line), what)
