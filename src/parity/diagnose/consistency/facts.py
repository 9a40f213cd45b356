"""What a file says about pins and Python versions, with where it says it.

Every source module turns one file's text into these facts; the comparison
in ``compare.py`` never looks at files.  Names are canonical (PEP 503) and
Python versions are plain ``X.Y`` or ``X.Y.Z`` strings or PEP 440 ranges.
"""

from __future__ import annotations

from parity.frozen import Frozen

# Plain frozen classes, not dataclasses: ``check`` defines them on every run (see frozen.py).


class Place(Frozen):
    """A project-relative path and a 1-based line (None when unknown).  Ordered."""

    _fields = ("path", "line")
    path: str
    line: int | None

    def __init__(self, path: str, line: int | None = None) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "line", line)

    def _key(self, other: object) -> tuple[tuple[str, int | None], tuple[str, int | None]] | None:
        if other.__class__ is not self.__class__ or not isinstance(other, Place):
            return None
        return (self.path, self.line), (other.path, other.line)

    def __lt__(self, other: object) -> bool:
        pair = self._key(other)
        return NotImplemented if pair is None else pair[0] < pair[1]

    def __le__(self, other: object) -> bool:
        pair = self._key(other)
        return NotImplemented if pair is None else pair[0] <= pair[1]

    def __gt__(self, other: object) -> bool:
        pair = self._key(other)
        return NotImplemented if pair is None else pair[0] > pair[1]

    def __ge__(self, other: object) -> bool:
        pair = self._key(other)
        return NotImplemented if pair is None else pair[0] >= pair[1]

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def to_json(self) -> dict[str, object]:
        return {"file": self.path, "line": self.line}


class PinFact(Frozen):
    """``name`` is pinned to ``version`` at ``place``.

    ``scope`` separates locks made for different targets (a lock for
    production's ``Python 3.8 / linux`` may pin other versions than the
    universal one): only pins of the same scope are compared.
    """

    _fields = ("name", "version", "place", "scope")
    name: str
    version: str
    place: Place
    scope: str | None

    def __init__(self, name: str, version: str, place: Place, scope: str | None = None) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "place", place)
        object.__setattr__(self, "scope", scope)


# PythonFact kinds.
PIN = "pin"  # the version environments are built with: .python-version, Dockerfile FROM, CI
RANGE = "range"  # a range every pin must satisfy: requires-python, Poetry's python
CANDIDATE = "candidate"  # one of several versions tried (a CI matrix): must satisfy the ranges


class PythonFact(Frozen):
    """A Python version (or range) a file states, and what states it (for messages)."""

    _fields = ("kind", "value", "place", "what")
    kind: str
    value: str
    place: Place
    what: str

    def __init__(self, kind: str, value: str, place: Place, what: str) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "place", place)
        object.__setattr__(self, "what", what)
