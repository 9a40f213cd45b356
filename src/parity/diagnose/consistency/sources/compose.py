"""Docker Compose files: the Python of ``image:`` and of a ``PYTHON_VERSION`` build argument."""

from __future__ import annotations

from collections.abc import Iterator

from parity.diagnose.consistency import SOURCE_PATTERNS
from parity.diagnose.consistency.facts import PIN, Place, PythonFact
from parity.diagnose.consistency.sources.gitlab_ci import python_of_image
from parity.diagnose.consistency.yamlscan import key_lines, values

PATTERNS = SOURCE_PATTERNS[__name__]
WHAT = "compose file"


def facts(path: str, text: str) -> Iterator[PythonFact]:
    for entry in key_lines(text):
        if entry.key not in ("image", "PYTHON_VERSION"):
            continue
        for item in values(text, entry):
            if entry.key == "image":
                version = python_of_image(item.text)
            else:
                version = item.text if item.quoted or item.text.count(".") >= 2 else None
            if version:
                yield PythonFact(PIN, version, Place(path, item.line), WHAT)
