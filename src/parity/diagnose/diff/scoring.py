"""One pair of sides being compared, and how a difference between them is scored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from packaging.utils import canonicalize_name

from parity.diagnose.diff.model import DECLARED_KINDS, Difference
from parity.diagnose.risk import RiskRules, TransitionRule
from parity.env.snapshot_model import Snapshot
from parity.frozen import dataclass


@dataclass(frozen=True)
class Pair:
    a: Snapshot
    b: Snapshot
    rules: RiskRules
    today: dt.date
    direct: frozenset[str]
    sides: tuple[int, int]

    def make(
        self,
        kind: str,
        subject: str,
        values: tuple[str | None, str | None],
        *,
        base: int,
        reason: str,
        fix: str,
        change: str | None = None,
        direct: bool | None = None,
        matched: Sequence[TransitionRule] = (),
        bonus: int = 0,
        sources: Sequence[str] = (),
    ) -> Difference:
        score = base
        if matched:
            score = max(score, max(self.rules.rule_score(r.severity) for r in matched))
            score += self.rules.adjustment("each_extra_rule") * (len(matched) - 1)
        if direct is True:
            score += self.rules.adjustment("direct")
        elif direct is False:
            score += self.rules.adjustment("transitive")
        score = max(0, min(100, score + bonus))
        return Difference(
            code=kind,
            kind=kind,
            subject=subject,
            values=values,
            score=score,
            severity=self.rules.severity(score),
            message=reason,
            fix=fix,
            change=change,
            direct=direct,
            rules=tuple(r.id for r in matched),
            sources=unique([*(r.source for r in matched), *sources]),
            sides=self.sides,
            base=base,
        )


def direct_names(sides: Iterable[Snapshot], given: frozenset[str]) -> frozenset[str]:
    names = {canonicalize_name(n) for n in given}
    for side in sides:
        if side.kind in DECLARED_KINDS:
            names.update(canonicalize_name(d.name) for d in side.distributions if d.requested)
    return frozenset(names)


def unique(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        if item:
            seen.setdefault(item, None)
    return tuple(seen)
