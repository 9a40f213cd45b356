"""``parity diff``: how environments differ, riskiest difference first.

Pure functions over :class:`~parity.env.snapshot_model.Snapshot` values: no
disk, no subprocess.  Turning files and live environments into snapshots is
``diagnose/sides.py``'s job; scoring facts come from the rule table
(``diagnose/risk.py``).

- ``model``: the result (differences, matrix rows, sides) and its JSON;
- ``scoring``: a pair of sides and how one difference is scored;
- ``python``, ``platform``, ``native``, ``packages``: one comparer per kind;
- ``matrix``: many sides at once;
- ``text``: how values read;
- ``compare``: the entry points below.
"""

from parity.diagnose.diff.compare import compare_snapshots, diff_snapshots, rank
from parity.diagnose.diff.model import (
    DIFF_SCHEMA,
    Difference,
    DiffResult,
    MatrixRow,
    SideInfo,
)
from parity.diagnose.findings import count_by_severity

__all__ = [
    "DIFF_SCHEMA",
    "DiffResult",
    "Difference",
    "MatrixRow",
    "SideInfo",
    "compare_snapshots",
    "count_by_severity",
    "diff_snapshots",
    "rank",
]
