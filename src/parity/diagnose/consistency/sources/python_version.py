""".python-version: the interpreter the project's environments are built with."""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.diagnose.consistency import SOURCE_PATTERNS
from parity.diagnose.consistency.facts import PIN, Place, PythonFact

PATTERNS = SOURCE_PATTERNS[__name__]

_VERSION = re.compile(r"^(?:cpython-|cpython@|python)?(\d+\.\d+(?:\.\d+)?)\S*$")


def facts(path: str, text: str) -> Iterator[PythonFact]:
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _VERSION.match(line)
        if match:
            yield PythonFact(PIN, match.group(1), Place(path, number), ".python-version")
        return  # pyenv reads the first version only
