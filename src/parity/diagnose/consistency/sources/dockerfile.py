"""Dockerfiles: the Python of every ``FROM`` (and ``ARG PYTHON_VERSION``), and pip pins.

``FROM python:3.11.13-slim-bookworm`` (any registry prefix, ``AS name`` or
not) states a pin; so do ``ARG PYTHON_VERSION=3.11`` and ``ENV
PYTHON_VERSION=...``.  ``pip install name==version`` in a ``RUN`` pins a
package.  ``FROM ${VAR}`` and other images state nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.diagnose.consistency import SOURCE_PATTERNS
from parity.diagnose.consistency.facts import PIN, PinFact, Place, PythonFact
from parity.diagnose.consistency.sources.gitlab_ci import python_of_image
from parity.names import canonical_name as canonicalize_name

PATTERNS = SOURCE_PATTERNS[__name__]
WHAT = "Dockerfile"

_FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(?P<image>\S+)", re.IGNORECASE)
_PY_ARG = re.compile(
    r"^\s*(?:ARG|ENV)\s+PYTHON_VERSION[= ]\s*[\"']?(?P<version>\d+\.\d+(?:\.\d+)?)[\"']?\s*$",
    re.IGNORECASE,
)
_PIP_PIN = re.compile(
    r"(?:^|\s)[\"']?(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[A-Za-z0-9.+!_-]+)"
)


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Instructions with ``\\`` continuations joined, with their first line."""
    buffer: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not buffer and (not stripped or stripped.startswith("#")):
            continue
        if buffer and stripped.startswith("#"):
            continue
        if not buffer:
            start = number
        if stripped.endswith("\\"):
            buffer.append(stripped[:-1])
            continue
        buffer.append(stripped)
        yield start, " ".join(buffer)
        buffer = []
    if buffer:
        yield start, " ".join(buffer)


def facts(path: str, text: str) -> Iterator[PinFact | PythonFact]:
    for line, instruction in logical_lines(text):
        image = _FROM.match(instruction)
        if image:
            version = python_of_image(image.group("image"))
            if version:
                yield PythonFact(PIN, version, Place(path, line), WHAT)
            continue
        argument = _PY_ARG.match(instruction)
        if argument:
            yield PythonFact(PIN, argument.group("version"), Place(path, line), WHAT)
            continue
        if re.match(r"^\s*RUN\s", instruction, re.IGNORECASE) and "pip install" in instruction:
            for command in re.split(r"&&|;", instruction):
                if "pip install" not in command:
                    continue
                for match in _PIP_PIN.finditer(command.split("pip install", 1)[1]):
                    yield PinFact(
                        canonicalize_name(match.group("name")),
                        match.group("version"),
                        Place(path, line),
                    )
