"""conda's environment files: exact pins of conda packages and of the pip section, and Python.

``numpy==1.26.4``, ``numpy 1.26.4`` and ``numpy=1.26.4=build`` pin a version
(so does ``numpy=1.26.4``: conda reads it as 1.26.4 or 1.26.4.x, and no
release has a fourth part); ranges pin nothing.  Conda names are read back as
PyPI names (pytables is tables); conda-only and unmapped packages yield
nothing.  ``python=3.11`` pins the Python, ``python>=3.10`` states a range.
Lines are scanned (no YAML library): an unusual layout yields nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.diagnose.consistency import SOURCE_PATTERNS
from parity.diagnose.consistency.facts import PIN, RANGE, PinFact, Place, PythonFact
from parity.diagnose.consistency.yamlscan import scalar, strip_comment
from parity.names import canonical_name as canonicalize_name

PATTERNS = SOURCE_PATTERNS[__name__]
WHAT = "environment file"

_TARGET = re.compile(r"^#\s*parity:target\s+(.+?)\s*$", re.M)
_ITEM = re.compile(r"^(?P<indent>\s*)-\s+(?P<rest>.*)$")
_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:")
_PIP_PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*===?\s*(?P<version>[^\s;,#]+)\s*(?:;|$)"
)


def entries(text: str) -> Iterator[tuple[str, int, bool]]:
    """(item text, line, in the pip section) for each item of ``dependencies:``."""
    in_deps = False
    pip_indent: int | None = None
    deps_indent: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        top = _TOP_KEY.match(raw)
        if top:
            in_deps = top.group("key") == "dependencies"
            pip_indent = deps_indent = None
            continue
        if not in_deps:
            continue
        match = _ITEM.match(raw)
        if match is None:
            continue
        indent = len(match.group("indent"))
        rest = strip_comment(match.group("rest")).strip()
        if deps_indent is None:
            deps_indent = indent
        if pip_indent is not None and indent <= deps_indent:
            pip_indent = None
        if indent == deps_indent and re.fullmatch(r"pip\s*:", rest):
            pip_indent = indent
            continue
        item = scalar(rest, number)
        if item is None:
            continue
        yield item.text, number, pip_indent is not None and indent > pip_indent


def facts(path: str, text: str) -> Iterator[PinFact | PythonFact]:
    from parity.conda.matchspec import MatchSpecError, exact_version, parse_match_spec, to_pep440
    from parity.conda.names import NameMap

    names: NameMap | None = None
    target = _TARGET.search(text)
    scope = target.group(1) if target else None
    for item, line, pip in entries(text):
        place = Place(path, line)
        if pip:
            match = _PIP_PIN.match(item)
            if match:
                yield PinFact(
                    canonicalize_name(match.group("name")), match.group("version"), place, scope
                )
            continue
        try:
            spec = parse_match_spec(item)
        except MatchSpecError:
            continue
        version = exact_version(spec) or _fuzzy_exact(spec.version)
        if spec.name == "python":
            if version or (spec.version and re.fullmatch(r"\d+\.\d+(\.\*)?", spec.version)):
                yield PythonFact(
                    PIN, (version or spec.version or "").removesuffix(".*"), place, WHAT
                )
            else:
                translated = to_pep440(spec).specifier
                if translated:
                    yield PythonFact(RANGE, translated, place, WHAT)
            continue
        if version is None:
            continue
        names = names or NameMap()
        pypi = names.to_pypi(spec.name).name
        if pypi and comparable(pypi):
            yield PinFact(canonicalize_name(pypi), version, place, scope)


def _fuzzy_exact(version: str | None) -> str | None:
    """``=1.26.4`` (read as ``1.26.4.*``) pins 1.26.4: three parts or more."""
    if version and re.fullmatch(r"\d+(\.\d+){2,}\.\*", version):
        return version[:-2]
    return None


def comparable(pypi_name: str) -> bool:
    """Whether conda's version of the package is PyPI's (not so for opencv-python's builds)."""
    from parity.conda.native import native_table

    native = native_table().package(pypi_name)
    return native is None or native.conda_version_parts is None
