"""``parity fleet query``: which machines have something, and since when.

A question is a PEP 508 requirement (``numpy<2``, ``torch>=2; sys_platform ==
"linux"``), a Python version (``python<3.10``, ``python 3.8``) or a native
library (``native:openblas``, ``native:cuda>=12``; a name that no machine has
as a package but some have as a native library is read as one).  Markers
are evaluated for each machine's own Python and platform.

A machine *has it* when its latest snapshot matches; *since* is when the
run of matching snapshots that reaches its latest one began.  Machines that
matched before but no longer do are listed apart, with when they stopped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from parity.diagnose.sides import marker_environment
from parity.env.snapshot_model import Snapshot
from parity.errors import UsageError
from parity.fleet.model import QUERY_SCHEMA, Observation
from parity.frozen import dataclass

DISTRIBUTION = "distribution"
PYTHON = "python"
NATIVE = "native"
_PYTHON = re.compile(r"^\s*python(?![A-Za-z._-])\s*(?P<rest>.*)$", re.I)
_NATIVE = re.compile(r"^\s*native:\s*(?P<rest>.+)$", re.I)
_BARE_VERSION = re.compile(r"^\d+(\.\d+)*$")
_HINT = (
    "Ask with a requirement (numpy<2, 'pandas>=2; python_version<\"3.10\"'), a Python version "
    "(python<3.10, python 3.8) or a native library (native:openblas, native:cuda>=12)."
)


@dataclass(frozen=True)
class Question:
    text: str
    kind: str
    name: str
    specifier: SpecifierSet
    marker: Marker | None = None
    url: str | None = None

    @property
    def what(self) -> str:
        if self.kind == PYTHON:
            return f"Python {self.specifier}" if str(self.specifier) else "any Python"
        spec = str(self.specifier)
        return f"{self.name}{spec}" if self.kind == DISTRIBUTION else f"native {self.name}{spec}"


def parse_question(text: str) -> Question:
    stripped = text.strip()
    if not stripped:
        raise UsageError("the question is empty", hint=_HINT)
    python = _PYTHON.match(stripped)
    if python is not None:
        return Question(stripped, PYTHON, "python", _python_specifier(python.group("rest"), text))
    native = _NATIVE.match(stripped)
    if native is not None:
        req = _requirement(native.group("rest"), text)
        return Question(stripped, NATIVE, req.name.lower(), req.specifier)
    req = _requirement(stripped, text)
    if req.extras:
        raise UsageError(
            f"{text!r}: snapshots do not record which extras were installed",
            hint=f"Ask for the package itself: {req.name}{req.specifier}",
        )
    return Question(
        stripped,
        DISTRIBUTION,
        canonicalize_name(req.name),
        req.specifier,
        marker=req.marker,
        url=req.url,
    )


def as_native(question: Question) -> Question:
    return Question(question.text, NATIVE, question.name.lower(), question.specifier)


def _python_specifier(rest: str, text: str) -> SpecifierSet:
    rest = rest.strip()
    if not rest:
        return SpecifierSet()
    if _BARE_VERSION.match(rest):
        rest = f"=={rest}.*" if rest.count(".") < 2 else f"=={rest}"
    try:
        return SpecifierSet(rest)
    except InvalidSpecifier:
        raise UsageError(f"{text!r}: {rest!r} is not a version range", hint=_HINT) from None


def _requirement(text: str, original: str) -> Requirement:
    try:
        return Requirement(text)
    except InvalidRequirement as exc:
        raise UsageError(f"{original!r} is not a requirement: {exc}", hint=_HINT) from None


def version_matches(specifier: SpecifierSet, version: str | None) -> bool:
    if version is None:
        return False
    if not str(specifier):
        return True
    try:
        return specifier.contains(Version(version), prereleases=True)
    except InvalidVersion:
        return False


def marker_matches(question: Question, snapshot: Snapshot) -> bool:
    if question.marker is None:
        return True
    try:
        return bool(
            question.marker.evaluate(marker_environment(snapshot.python, snapshot.platform))
        )
    except ValueError:  # an undefined comparison: the requirement cannot be said to apply
        return False


def python_value(question: Question, context: Snapshot) -> str | None:
    python = context.python
    if python is None or not version_matches(question.specifier, python.version):
        return None
    return python.version


def native_value(question: Question, context: Snapshot) -> str | None:
    found = [
        lib
        for lib in context.native
        if question.name in (lib.name.lower(), lib.kind.lower())
        and (not str(question.specifier) or version_matches(question.specifier, lib.version))
    ]
    if not found:
        return None
    texts = [f"{lib.kind} " + " ".join(x for x in (lib.name, lib.version) if x) for lib in found]
    return ", ".join(dict.fromkeys(texts))


# ----------------------------------------------------------------- answering


@dataclass(frozen=True)
class Hit:
    label: str
    role: str
    value: str
    since: str
    last_seen: str
    snapshots: int

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "role": self.role,
            "value": self.value,
            "since": self.since,
            "last_seen": self.last_seen,
            "snapshots": self.snapshots,
        }


@dataclass(frozen=True)
class Former:
    label: str
    role: str
    value: str
    until: str

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "role": self.role, "value": self.value, "until": self.until}


@dataclass(frozen=True)
class QueryResult:
    """Which machines match a question now (``hits``), and which did before (``former``)."""

    question: Question
    machines: int
    hits: tuple[Hit, ...]
    former: tuple[Former, ...]
    store: str = ""
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": QUERY_SCHEMA,
            "store": self.store,
            "question": {
                "text": self.question.text,
                "kind": self.question.kind,
                "name": self.question.name,
                "specifier": str(self.question.specifier),
            },
            "machines": self.machines,
            "matching": [h.to_json() for h in self.hits],
            "former": [f.to_json() for f in self.former],
            "notes": list(self.notes),
        }


def answer(
    question: Question,
    records: Sequence[Observation],
    value_of: Callable[[Observation], str | None],
    *,
    store: str = "",
    notes: Sequence[str] = (),
) -> QueryResult:
    """Walk every label's records (oldest first) and say who has it now, and since when."""
    by_label: dict[str, list[Observation]] = {}
    for record in records:
        by_label.setdefault(record.label, []).append(record)
    hits: list[Hit] = []
    former: list[Former] = []
    for label, history in by_label.items():
        values = [value_of(r) for r in history]
        latest = history[-1]
        if values[-1] is not None:
            start = len(values) - 1
            while start > 0 and values[start - 1] is not None:
                start -= 1
            hits.append(
                Hit(
                    label=label,
                    role=latest.role,
                    value=values[-1],
                    since=history[start].seen_at,
                    last_seen=latest.seen_at,
                    snapshots=len(values) - start,
                )
            )
            continue
        last = max((i for i, v in enumerate(values) if v is not None), default=None)
        if last is not None:
            value = values[last]
            assert value is not None
            former.append(
                Former(label=label, role=latest.role, value=value, until=history[last + 1].seen_at)
            )
    hits.sort(key=lambda h: (h.since, h.label))
    former.sort(key=lambda f: (f.until, f.label), reverse=True)
    return QueryResult(
        question=question,
        machines=len(by_label),
        hits=tuple(hits),
        former=tuple(former),
        store=store,
        notes=tuple(notes),
    )
