"""Comparing two sides, or every pair of many, into ranked differences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from parity.diagnose.diff.matrix import matrix_rows, notes, side_info
from parity.diagnose.diff.model import Difference, DiffResult, kind_index
from parity.diagnose.diff.native import compare_native
from parity.diagnose.diff.packages import compare_packages
from parity.diagnose.diff.platform import compare_platform
from parity.diagnose.diff.python import compare_python
from parity.diagnose.diff.scoring import Pair, direct_names
from parity.diagnose.risk import RiskRules, default_rules
from parity.env.snapshot_model import Snapshot


def compare_snapshots(
    a: Snapshot,
    b: Snapshot,
    *,
    direct: frozenset[str] = frozenset(),
    rules: RiskRules | None = None,
    today: dt.date | None = None,
    sides: tuple[int, int] = (0, 1),
) -> list[Difference]:
    """Every difference between ``a`` (the reference) and ``b``, scored, unranked.

    ``direct`` names the packages the project requires itself; packages a
    lock or requirements side marks as requested count as direct too.
    """
    pair = Pair(
        a=a,
        b=b,
        rules=rules or default_rules(),
        today=today or dt.date.today(),
        direct=direct_names((a, b), direct),
        sides=sides,
    )
    return [
        *compare_python(pair),
        *compare_platform(pair),
        *compare_native(pair),
        *compare_packages(pair),
    ]


def rank(differences: Iterable[Difference]) -> list[Difference]:
    """Most dangerous first: by score, then generic weight, kind and name."""
    return sorted(
        differences,
        key=lambda d: (-d.score, -d.base, kind_index(d.kind), d.subject, d.sides),
    )


def diff_snapshots(
    snapshots: Sequence[Snapshot],
    *,
    direct: frozenset[str] = frozenset(),
    rules: RiskRules | None = None,
    today: dt.date | None = None,
) -> DiffResult:
    """Compare every pair of sides; rows of the matrix take the riskiest pair's reason."""
    rules = rules or default_rules()
    today = today or dt.date.today()
    # What any side knows to be direct holds for every pair, so a package
    # weighs the same in every column of the matrix.
    direct = direct_names(snapshots, direct)
    found: list[Difference] = []
    for i in range(len(snapshots)):
        for j in range(i + 1, len(snapshots)):
            found += compare_snapshots(
                snapshots[i], snapshots[j], direct=direct, rules=rules, today=today, sides=(i, j)
            )
    ranked = rank(found)
    return DiffResult(
        sides=tuple(side_info(s) for s in snapshots),
        differences=tuple(ranked),
        matrix=tuple(matrix_rows(snapshots, ranked)),
        notes=tuple(notes(snapshots)),
    )
