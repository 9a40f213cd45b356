"""What a file says about pins and Python versions, with where it says it.

Every source module turns one file's text into these facts; the comparison
in ``compare.py`` never looks at files.  Names are canonical (PEP 503) and
Python versions are plain ``X.Y`` or ``X.Y.Z`` strings or PEP 440 ranges.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Place:
    """A project-relative path and a 1-based line (None when unknown)."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def to_json(self) -> dict[str, object]:
        return {"file": self.path, "line": self.line}


@dataclass(frozen=True)
class PinFact:
    """``name`` is pinned to ``version`` at ``place``.

    ``scope`` separates locks made for different targets (a lock for
    production's ``Python 3.8 / linux`` may pin other versions than the
    universal one): only pins of the same scope are compared.
    """

    name: str
    version: str
    place: Place
    scope: str | None = None


# PythonFact kinds.
PIN = "pin"  # the version environments are built with: .python-version, Dockerfile FROM, CI
RANGE = "range"  # a range every pin must satisfy: requires-python, Poetry's python
CANDIDATE = "candidate"  # one of several versions tried (a CI matrix): must satisfy the ranges


@dataclass(frozen=True)
class PythonFact:
    """A Python version (or range) a file states, and what states it (for messages)."""

    kind: str
    value: str
    place: Place
    what: str
