"""``parity verify``: the course's verification checklist, executed.

Each item passes, fails or is skipped (with the reason) on the evidence that
decided it.  The expensive part is the rebuild: a fresh environment outside
the project, built from the lock alone (hash-checked), then compared with the
lock, checked for consistency and imported.  It runs in a worker thread while
the cheap checks (lock contents, git, freshness, CI files) run in-process;
the consistency check and the import test run in parallel against the
rebuilt environment.

One module per idea:

- ``checklist``: the items, their statuses, the report;
- ``project``: the whole checklist on a project;
- ``lockfile``, ``committed``, ``fresh``, ``ci``: items 2, 3, 4 and 7;
- ``rebuild``: items 1, 5 and 6 (create, rebuild, usable);
- ``modules``: which modules each distribution provides;
- ``imports``: the import test, in the venv's own interpreter;
- ``import_record``: its outcome for byte-identical packages, reused.
"""

from __future__ import annotations

from parity.diagnose.verify.checklist import (
    FAIL,
    PASS,
    SKIP,
    TITLES,
    VERIFY_SCHEMA,
    Item,
    VerifyReport,
    item,
    not_run,
)
from parity.diagnose.verify.ci import (
    BYPASS,
    LOCK,
    PROJECT,
    TOOL,
    CiInstall,
    ci_item,
    classify_command,
    logical_lines,
    scan_ci_text,
)
from parity.diagnose.verify.committed import git_item
from parity.diagnose.verify.imports import ImportRun, parse_import_output, split_modules
from parity.diagnose.verify.lockfile import lockfile_item
from parity.diagnose.verify.modules import import_names
from parity.diagnose.verify.project import verify_project

__all__ = [
    "BYPASS",
    "FAIL",
    "LOCK",
    "PASS",
    "PROJECT",
    "SKIP",
    "TITLES",
    "TOOL",
    "VERIFY_SCHEMA",
    "CiInstall",
    "ImportRun",
    "Item",
    "VerifyReport",
    "ci_item",
    "classify_command",
    "git_item",
    "import_names",
    "item",
    "lockfile_item",
    "logical_lines",
    "not_run",
    "parse_import_output",
    "scan_ci_text",
    "split_modules",
    "verify_project",
]
