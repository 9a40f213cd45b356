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

from parity.diagnose.consistency.facts import CANDIDATE, PIN, Place, PythonFact
from parity.diagnose.consistency.yamlscan import Scalar, key_lines, values

PATTERNS = (".github/workflows/*.yml", ".github/workflows/*.yaml")
WHAT = "CI python-version"

_MATRIX = re.compile(r"^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$")
_VERSION = re.compile(r"^\d+(\.\d+){0,2}$")


def facts(path: str, text: str) -> Iterator[PythonFact]:
    entries = key_lines(text)
    referenced: set[str] = set()
    direct = []
    for entry in entries:
        if entry.key != "python-version":
            continue
        found = values(text, entry)
        if len(found) == 1 and _MATRIX.match(found[0].text):
            referenced.add(_MATRIX.match(found[0].text).group(1))  # type: ignore[union-attr]
            continue
        direct.append(found)
    for found in direct:
        yield from _facts(path, found)
    for entry in entries:
        if entry.key in referenced and entry.key != "python-version":
            yield from _facts(path, values(text, entry))


def _facts(path: str, found: list[Scalar]) -> Iterator[PythonFact]:
    versions = [s for s in found if _VERSION.match(s.value)]
    kind = PIN if len(versions) == 1 else CANDIDATE
    for item in versions:
        what = WHAT
        if item.value != item.text:
            what = f"{WHAT} (unquoted {item.text} is the YAML number {item.value})"
        yield PythonFact(kind, item.value, Place(path, item.line), what)
