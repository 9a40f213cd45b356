"""uv.lock: the version of every package uv locked from an index.

``uv sync --locked`` installs what uv.lock holds, not parity's lockfiles: a
project that keeps both must keep them in agreement, or CI and ``parity sync``
build different environments.  The project itself and its workspace members
(``source = { editable = ... }``, ``virtual``, ``path``, ``git``, ``url``) are
the source tree's, not pins, and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.diagnose.consistency import SOURCE_PATTERNS
from parity.diagnose.consistency.facts import PinFact, Place
from parity.names import canonical_name

PATTERNS = SOURCE_PATTERNS[__name__]

_KEY = re.compile(r'^(name|version)\s*=\s*"([^"]*)"\s*$')


def facts(path: str, text: str) -> Iterator[PinFact]:
    """Each ``[[package]]`` whose ``source`` is a registry: its name and version."""
    name: str | None = None
    version: tuple[str, int] | None = None
    registry = False
    inside = False

    def flush() -> Iterator[PinFact]:
        if inside and registry and name and version:
            yield PinFact(canonical_name(name), version[0], Place(path, version[1]))

    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.startswith("["):
            yield from flush()
            inside = raw.strip() == "[[package]]"
            name, version, registry = None, None, False
            continue
        if not inside:
            continue
        line = raw.strip()
        if line.startswith("source") and "=" in line:
            registry = line.split("=", 1)[1].lstrip().startswith("{ registry")
            continue
        match = _KEY.match(line)
        if match and match.group(1) == "name" and name is None:
            name = match.group(2)
        elif match and match.group(1) == "version" and version is None:
            version = (match.group(2), number)
    yield from flush()
