"""What is removed from a snapshot before a store keeps it.

Snapshots captured by parity are already redacted; files pushed from
elsewhere (CI artifacts, hand-edited files) may not be.  Every URL loses its
credentials (user-info and secret query values), every absolute path becomes
``local`` / ``<local>``, and variables whose name says they hold a secret
keep only ``***``.  A store is shared by a team: it never holds more than a
committed snapshot file would.
"""

from __future__ import annotations

import re

from parity.env.snapshot_model import Distribution, Snapshot
from parity.frozen import replace
from parity.redact import (
    LOCAL,
    REDACTED,
    hide_path,
    redact_credentials,
    redact_location,
    redact_text,
)

_SECRET_NAME = re.compile(r"token|secret|passw|key|auth|credential|cookie", re.I)
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:[\\/]|^\\\\")


def redact_snapshot(snapshot: Snapshot) -> Snapshot:
    """``snapshot`` as a store may keep it."""
    return replace(
        snapshot,
        label=redact_label(snapshot.label),
        distributions=tuple(_distribution(d) for d in snapshot.distributions),
        env_vars={name: _variable(name, value) for name, value in snapshot.env_vars.items()},
        index={
            key: list(dict.fromkeys(redact_location(v) for v in values))
            for key, values in snapshot.index.items()
        },
    )


def redact_label(label: str) -> str:
    """A label that is an absolute path keeps only its last component."""
    if _is_absolute(label):
        tail = re.split(r"[\\/]", label.rstrip("\\/"))[-1]
        return tail or LOCAL
    return redact_text(label)


def _distribution(d: Distribution) -> Distribution:
    source = d.source
    if source is None:
        return d
    if "://" in source:
        cleaned = redact_credentials(source)
        if cleaned.lower().startswith("file:"):
            cleaned = LOCAL
    elif _is_absolute(source) or source.startswith(("~", ".")):
        cleaned = LOCAL
    else:
        cleaned = source
    return d if cleaned == source else replace(d, source=cleaned)


def _variable(name: str, value: str) -> str:
    if _SECRET_NAME.search(name):
        return REDACTED
    parts = value.split(":") if name.upper().endswith("PATH") and "://" not in value else [value]
    return ":".join(redact_text(hide_path(part, home=None)) for part in parts)


def _is_absolute(text: str) -> bool:
    return text.startswith("/") or bool(_WINDOWS_ABSOLUTE.match(text))
