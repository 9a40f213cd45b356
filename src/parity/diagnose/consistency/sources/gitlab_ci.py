"""GitLab CI: the Python of every ``image:`` (``image: X`` or ``image: {name: X}``).

``python:3.11-slim``, ``docker.io/library/python:3.11.7`` and images whose tag
names the Python (``...:0.9-python3.11-bookworm``) each state a pin.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.diagnose.consistency import SOURCE_PATTERNS
from parity.diagnose.consistency.facts import PIN, Place, PythonFact
from parity.diagnose.consistency.yamlscan import key_lines, values

PATTERNS = SOURCE_PATTERNS[__name__]
WHAT = "CI image"

_OFFICIAL = re.compile(r"(?:^|/)python:(\d+\.\d+(?:\.\d+)?)(?![\d.])")
_TAGGED = re.compile(r":[^/]*?python(\d+\.\d+(?:\.\d+)?)(?![\d.])")


def python_of_image(image: str) -> str | None:
    match = _OFFICIAL.search(image) or _TAGGED.search(image)
    return match.group(1) if match else None


def facts(path: str, text: str) -> Iterator[PythonFact]:
    entries = key_lines(text)
    for index, entry in enumerate(entries):
        if entry.key != "image":
            continue
        found = values(text, entry)
        if not found:
            # image:\n  name: python:3.11 -- the name key right below it.
            below = entries[index + 1] if index + 1 < len(entries) else None
            if below is None or below.key != "name" or below.indent <= entry.indent:
                continue
            found = values(text, below)
        for item in found:
            version = python_of_image(item.text)
            if version:
                yield PythonFact(PIN, version, Place(path, item.line), WHAT)
