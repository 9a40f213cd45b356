"""parity: pinned, reproducible Python environments.

A library first; the ``parity`` command is a thin layer over it::

    import parity

    spec = parity.load_project("examples/bankchurn")
    outcome = parity.lock(spec, dry_run=True)
    report = parity.check(spec)
    print(report.ok, [f.message for f in report.findings])

The functions (``load_project``, ``lock``, ``sync``, ``check``, ``snapshot``,
``diff``, ``why``, ``verify``, ``export``, ``init``, ``recommend``, ``compare``,
and ``fleet_push``, ``fleet_status``, ``fleet_query``, ``fleet_history``,
``fleet_prune`` over a fleet store) live in :mod:`parity.api`; the models
(``ProjectSpec``, ``Lock``, ``Snapshot``, ``Finding``) and the errors
(``ParityError`` and its subclasses) are importable from here too.  Names are
loaded on first use, so ``import parity`` stays cheap.

Data flows one way: spec -> lock -> env -> snapshot -> diagnose -> report.
"""

from __future__ import annotations

import sys as _sys

if _sys.argv and _sys.argv[0].replace("\\", "/").rsplit("/", 1)[-1] in (
    "parity",
    "parity.exe",
    "-m",
):
    # Started as the ``parity`` command: Ctrl-C before the CLI is ready ends it
    # quietly, not with a traceback of an import.  ``cli.main`` restores the
    # usual KeyboardInterrupt as its first step.
    from parity._startup import quiet_interrupts

    quiet_interrupts()


# The subpackage parity.lock is imported before the function parity.lock is
# bound: once registered, importing its submodules never rebinds the name.
import parity.compare as _compare_package  # noqa: F401
import parity.lock as _lock_package  # noqa: F401
import parity.recommend as _recommend_package  # noqa: F401
from parity.api import (
    cached_compare,
    check,
    compare,
    diff,
    export,
    fleet_history,
    fleet_prune,
    fleet_push,
    fleet_query,
    fleet_status,
    init,
    load_lockable_project,
    load_project,
    lock,
    recommend,
    snapshot,
    sync,
    verify,
    why,
)
from parity.version import __version__

# Not ``typing.TYPE_CHECKING``: importing typing alone costs a third of Python's
# start-up, and ``parity --version`` must cost little more than that start-up.
TYPE_CHECKING = False

# Loaded on first use: name -> module.
_LAZY = {
    "ProjectSpec": "parity.spec.model",
    "Lock": "parity.lock.model",
    "LockedGroup": "parity.lock.model",
    "Pin": "parity.lock.model",
    "Snapshot": "parity.env.snapshot_model",
    "Finding": "parity.diagnose.findings",
    "FleetStatus": "parity.fleet.status",
    "QueryResult": "parity.fleet.query",
    "History": "parity.fleet.history",
    "PushOutcome": "parity.fleet.service",
    "PruneOutcome": "parity.fleet.service",
    "Severity": "parity.diagnose.findings",
    "ParityError": "parity.errors",
    "SpecError": "parity.errors",
    "LockFileError": "parity.errors",
    "LockFileMissing": "parity.errors",
    "ResolutionError": "parity.errors",
    "EngineError": "parity.errors",
    "PythonNotFoundError": "parity.errors",
    "EnvironmentError_": "parity.errors",
    "UsageError": "parity.errors",
    "WriteError": "parity.errors",
}

__all__ = [
    "EngineError",
    "EnvironmentError_",
    "Finding",
    "FleetStatus",
    "History",
    "Lock",
    "LockFileError",
    "LockFileMissing",
    "LockedGroup",
    "ParityError",
    "Pin",
    "ProjectSpec",
    "PruneOutcome",
    "PushOutcome",
    "PythonNotFoundError",
    "QueryResult",
    "ResolutionError",
    "Severity",
    "Snapshot",
    "SpecError",
    "UsageError",
    "WriteError",
    "__version__",
    "cached_compare",
    "check",
    "compare",
    "diff",
    "export",
    "fleet_history",
    "fleet_prune",
    "fleet_push",
    "fleet_query",
    "fleet_status",
    "init",
    "load_lockable_project",
    "load_project",
    "lock",
    "recommend",
    "snapshot",
    "sync",
    "verify",
    "why",
]

if TYPE_CHECKING:
    from typing import Any

    from parity.diagnose.findings import Finding, Severity
    from parity.env.snapshot_model import Snapshot
    from parity.errors import (
        EngineError,
        EnvironmentError_,
        LockFileError,
        LockFileMissing,
        ParityError,
        PythonNotFoundError,
        ResolutionError,
        SpecError,
        UsageError,
        WriteError,
    )
    from parity.fleet.history import History
    from parity.fleet.query import QueryResult
    from parity.fleet.service import PruneOutcome, PushOutcome
    from parity.fleet.status import FleetStatus
    from parity.lock.model import Lock, LockedGroup, Pin
    from parity.spec.model import ProjectSpec


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'parity' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
