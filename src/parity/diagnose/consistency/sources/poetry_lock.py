"""poetry.lock: every ``[[package]]`` entry's version (all groups)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.diagnose.consistency import SOURCE_PATTERNS
from parity.diagnose.consistency.facts import PinFact, Place
from parity.names import canonical_name as canonicalize_name

PATTERNS = SOURCE_PATTERNS[__name__]

_PACKAGE = re.compile(r"^\[\[package\]\]\s*$")
_KEY = re.compile(r'^(name|version)\s*=\s*"([^"]*)"\s*$')


def facts(path: str, text: str) -> Iterator[PinFact]:
    """Pins read line by line: each ``[[package]]`` block's name and version."""
    yield from package_blocks(path, text, _PACKAGE)


def package_blocks(path: str, text: str, header: re.Pattern[str]) -> Iterator[PinFact]:
    name: str | None = None
    version: tuple[str, int] | None = None
    inside = False

    def flush() -> Iterator[PinFact]:
        if inside and name and version:
            yield PinFact(canonicalize_name(name), version[0], Place(path, version[1]))

    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.startswith("["):
            yield from flush()
            inside = bool(header.match(raw))
            name, version = None, None
            continue
        if not inside:
            continue
        match = _KEY.match(raw.strip())
        if match and match.group(1) == "name" and name is None:
            name = match.group(2)
        elif match and match.group(1) == "version" and version is None:
            version = (match.group(2), number)
    yield from flush()
