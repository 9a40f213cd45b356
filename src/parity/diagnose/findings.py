"""Findings: results of a check, a diff or a verification.

A finding is not an error: it is something parity measured, with a stable
code (for scripts and docs), a severity, a one-line message and a fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    fix: str | None = None
    subject: str | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }
        if self.subject is not None:
            out["subject"] = self.subject
        if self.fix is not None:
            out["fix"] = self.fix
        if self.data:
            out["data"] = self.data
        return out
