"""pylock.toml (PEP 751): every ``[[packages]]`` entry's version."""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.diagnose.consistency import SOURCE_PATTERNS
from parity.diagnose.consistency.facts import PinFact
from parity.diagnose.consistency.sources.poetry_lock import package_blocks

PATTERNS = SOURCE_PATTERNS[__name__]

_PACKAGES = re.compile(r"^\[\[packages\]\]\s*$")


def facts(path: str, text: str) -> Iterator[PinFact]:
    yield from package_blocks(path, text, _PACKAGES)
