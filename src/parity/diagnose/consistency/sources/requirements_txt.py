"""requirements*.txt: the ``name==version`` pins of any requirements file.

Read tolerantly (a hand-written file with ranges still yields its exact
pins); a ``# parity:target`` header puts the file's pins in that target's
scope, so a lock made for production's Python is not compared with the
universal one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.diagnose.consistency import SOURCE_PATTERNS
from parity.diagnose.consistency.facts import PinFact, Place
from parity.names import canonical_name as canonicalize_name

PATTERNS = SOURCE_PATTERNS[__name__]

_PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*===?\s*(?P<version>[^\s;\\,#]+)\s*(?:[;\\#]|$)"
)
_TARGET = re.compile(r"^#\s*parity:target\s+(.+?)\s*$")


def facts(path: str, text: str) -> Iterator[PinFact]:
    scope = None
    continued = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        target = _TARGET.match(line)
        if target:
            scope = target.group(1)
            continue
        was_continued, continued = continued, line.endswith("\\")
        if was_continued or not line or line.startswith(("#", "-")):
            continue
        match = _PIN.match(line)
        if match:
            yield PinFact(
                name=canonicalize_name(match.group("name")),
                version=match.group("version"),
                place=Place(path, number),
                scope=scope,
            )
