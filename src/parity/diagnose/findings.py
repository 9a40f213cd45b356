"""Findings: what check, diff and verify report, in one shape and one vocabulary.

A finding is not an error: it is something parity measured, with a stable
code (for scripts and docs), a severity, a one-line message and a fix.
``check`` and ``verify`` fail on any finding; the severity says how
dangerous each one is, so the most dangerous comes first.  ``diff`` adds
scores and per-side values to its findings (``diagnose/diff/model.py``).

Severities, most dangerous first:

- ``critical``: breaks code or results (another Python minor, NumPy 1 vs 2);
- ``high``: likely to break something (a major upgrade, a stale lock);
- ``medium``: may change behaviour (a missing or unpinned package);
- ``low``: worth knowing, rarely breaks (a patch release, an extra package);
- ``info``: context, not a problem.
"""

from __future__ import annotations

from parity.frozen import dataclass, field

# typing is not imported at run time: ``check`` (every commit, every CI job) passes here,
# and typing costs a tenth of a fresh check.  ``Severity`` and ``HasSeverity`` exist at run
# time all the same, built on first use (module ``__getattr__`` below).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, Literal, Protocol, TypeAlias

    Severity: TypeAlias = Literal["critical", "high", "medium", "low", "info"]

    class HasSeverity(Protocol):
        @property
        def severity(self) -> Severity: ...


# Most dangerous first; the order of every listing and count (``typing.get_args(Severity)``).
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")

if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        if name == "Severity":
            from typing import Literal

            value: object = Literal[SEVERITIES]
        elif name == "HasSeverity":
            from typing import Protocol

            class HasSeverity(Protocol):
                @property
                def severity(self) -> Severity: ...

            value = HasSeverity
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = value
        return value


def severity_rank(severity: Severity) -> int:
    """0 for critical, up to 4 for info: sorts the most dangerous first."""
    return SEVERITIES.index(severity)


def at_least(severity: Severity, threshold: Severity) -> bool:
    """Whether ``severity`` is as dangerous as ``threshold`` or more."""
    return severity_rank(severity) <= severity_rank(threshold)


def as_severity(text: str) -> Severity:
    """A severity read from text (a rule file, a command line); raises ValueError."""
    for severity in SEVERITIES:
        if severity == text:
            return severity
    raise ValueError(f"not a severity: {text!r} (one of {', '.join(SEVERITIES)})")


@dataclass(frozen=True)
class Finding:
    """One thing parity found: ``code`` names the kind, ``subject`` what it is about."""

    code: str
    severity: Severity
    message: str
    fix: str | None = None
    subject: str | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }
        if self.subject is not None:
            out["subject"] = self.subject
        if self.fix is not None:
            out["fix"] = self.fix
        if self.data:
            out["data"] = self.data
        return out


def count_by_severity(
    items: Iterable[HasSeverity], *, levels: Iterable[Severity] = SEVERITIES[:4]
) -> dict[str, int]:
    """How many items have each severity, most dangerous first (``info`` only when asked)."""
    counts: dict[str, int] = {level: 0 for level in levels}
    for item in items:
        counts[item.severity] = counts.get(item.severity, 0) + 1
    return counts
