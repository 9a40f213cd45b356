"""Dev containers: the Python of ``devcontainer.json`` (JSON with comments).

``"image": ".../devcontainers/python:1-3.12-bookworm"`` (or any
``python:3.12`` image), the Python feature's ``"version": "3.11"``, and a
``VARIANT`` or ``PYTHON_VERSION`` build argument each state a pin.  A dev
container built from a Dockerfile is read through that Dockerfile.

The file is JSONC (VS Code's templates have comments and trailing commas):
comments are blanked out, keeping every line where it was, and the values
are found by pattern, so a file that no JSON parser would take still yields
what it says and never an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.diagnose.consistency import SOURCE_PATTERNS
from parity.diagnose.consistency.facts import PIN, Place, PythonFact
from parity.diagnose.consistency.sources.gitlab_ci import python_of_image

PATTERNS = SOURCE_PATTERNS[__name__]
WHAT = "dev container"

_VERSION = r"(\d+\.\d+(?:\.\d+)?)"
_STRING = r'"((?:[^"\\\n]|\\.)*)"'
_IMAGE = re.compile(r'"image"\s*:\s*' + _STRING)
# .../devcontainers/python:1-3.12-bookworm, .../vscode/devcontainers/python:0-3.10
_DEVCONTAINERS_IMAGE = re.compile(r"devcontainers/python:(?:\d+-)?" + _VERSION + r"(?![\d.])")
_FEATURE = re.compile(
    r'"[^"\n]*devcontainers/features/python(?::[^"\n]*)?"\s*:\s*\{[^{}]*?"version"\s*:\s*"'
    + _VERSION
    + '"'
)
_ARG = re.compile(r'"(?:VARIANT|PYTHON_VERSION)"\s*:\s*"' + _VERSION + r'(?:-[^"]*)?"')


def facts(path: str, text: str) -> Iterator[PythonFact]:
    code = blank_comments(text)
    found: list[tuple[int, str]] = []
    for match in _IMAGE.finditer(code):
        image = match.group(1)
        special = _DEVCONTAINERS_IMAGE.search(image)
        version = special.group(1) if special else python_of_image(image)
        if version:
            found.append((match.start(1), version))
    for pattern in (_FEATURE, _ARG):
        found += [(m.start(1), m.group(1)) for m in pattern.finditer(code)]
    for offset, version in sorted(found):
        yield PythonFact(PIN, version, Place(path, code.count("\n", 0, offset) + 1), WHAT)


def blank_comments(text: str) -> str:
    """``text`` with ``//`` and ``/* */`` comments turned to spaces (newlines kept)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == '"':
            end = i + 1
            while end < n and text[end] not in '"\n':
                end += 2 if text[end] == "\\" else 1
            out.append(text[i : end + 1])
            i = end + 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        else:
            out.append(char)
            i += 1
    return "".join(out)
