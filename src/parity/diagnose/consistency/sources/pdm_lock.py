"""pdm.lock: the version of every package PDM locked from an index.

``pdm sync`` (and ``pdm install``) install what pdm.lock holds, not parity's
lockfiles: both must agree.  Packages of the source tree or from a URL
(``path``, ``url``, ``git``, ``editable`` keys) are not pins and are left out;
an entry for a package with extras (``name = "mkdocstrings[python]"`` in older
locks) pins the package itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.diagnose.consistency import SOURCE_PATTERNS
from parity.diagnose.consistency.facts import PinFact, Place
from parity.names import canonical_name

PATTERNS = SOURCE_PATTERNS[__name__]

_KEY = re.compile(r'^(name|version)\s*=\s*"([^"]*)"\s*$')
_NOT_A_PIN = re.compile(r"^(path|url|git|editable)\s*=")


def facts(path: str, text: str) -> Iterator[PinFact]:
    """Each ``[[package]]`` from an index: its name and version."""
    name: str | None = None
    version: tuple[str, int] | None = None
    pinned = True
    inside = False

    def flush() -> Iterator[PinFact]:
        if inside and pinned and name and version:
            package = canonical_name(name.split("[", 1)[0].strip())
            yield PinFact(package, version[0], Place(path, version[1]))

    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.startswith("["):
            yield from flush()
            inside = raw.strip() == "[[package]]"
            name, version, pinned = None, None, True
            continue
        if not inside or raw[:1].isspace():
            continue  # the items of a list (``files = [``, ``dependencies = [``)
        if _NOT_A_PIN.match(raw):
            pinned = False
            continue
        match = _KEY.match(raw.strip())
        if match and match.group(1) == "name" and name is None:
            name = match.group(2)
        elif match and match.group(1) == "version" and version is None:
            version = (match.group(2), number)
    yield from flush()
