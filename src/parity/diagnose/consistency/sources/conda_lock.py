"""conda.lock (rattler's lock format, as parity writes it): the versions of Python packages.

Lines are scanned, no YAML library: ``- conda: <location>/<name>-<version>-<build>.tar.bz2``
under ``environments: <env>: packages: <platform>:``.  Only one platform is
read (linux-64 when locked, else the first), since others may legitimately
differ; conda names are read back as PyPI names, conda-only packages skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.diagnose.consistency import SOURCE_PATTERNS
from parity.diagnose.consistency.facts import PIN, PinFact, Place, PythonFact
from parity.diagnose.consistency.sources.conda_env import comparable
from parity.names import canonical_name as canonicalize_name

PATTERNS = SOURCE_PATTERNS[__name__]
WHAT = "conda.lock"

_ENTRY = re.compile(r"^\s*-\s+conda:\s+(?P<location>\S+)\s*$")
_PLATFORM = re.compile(r"^\s{6}(?P<platform>[a-z0-9]+-[a-z0-9]+):\s*$")


def facts(path: str, text: str) -> Iterator[PinFact | PythonFact]:
    from parity.conda.names import NameMap
    from parity.lock.formats.conda_lock import split_archive_name

    by_platform: dict[str, list[tuple[str, str, int]]] = {}
    platform: str | None = None
    in_environments = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.startswith("environments:"):
            in_environments = True
            continue
        if raw and not raw[0].isspace() and not raw.startswith("#"):
            in_environments = False
        if not in_environments:
            continue
        header = _PLATFORM.match(raw)
        if header:
            platform = header.group("platform")
            continue
        entry = _ENTRY.match(raw)
        if entry and platform:
            split = split_archive_name(entry.group("location").rsplit("/", 1)[-1])
            if split:
                by_platform.setdefault(platform, []).append((split[0], split[1], number))
    if not by_platform:
        return
    chosen = "linux-64" if "linux-64" in by_platform else sorted(by_platform)[0]
    names = NameMap()
    seen: set[str] = set()
    for name, version, line in by_platform[chosen]:
        if name in seen:
            continue
        seen.add(name)
        if name == "python":
            yield PythonFact(PIN, version, Place(path, line), WHAT)
            continue
        pypi = names.to_pypi(name).name
        if pypi and comparable(pypi):
            yield PinFact(canonicalize_name(pypi), version, Place(path, line))
