"""What ``parity recommend`` decides: scores per criterion and strategy, with reasons.

Plain values: :class:`Score` is one cell of the decision matrix (0-5, a
one-line reason, the evidence it rests on); :class:`Ranked` one strategy's
row with its weighted total; :class:`Recommendation` the whole answer, which
prints itself as JSON (``parity/recommend@1``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parity.frozen import dataclass, field
from parity.spec.services import Evidence

SCHEMA = "parity/recommend@1"
STRATEGIES = ("pip-tools", "poetry", "conda", "docker")
CRITERIA = (
    "simplicity",
    "reproducibility",
    "non-python",
    "native-lockfile",
    "speed",
    "ci",
    "disk",
    "learning-curve",
)
MAX_SCORE = 5
# The strategy whose init converts a hand-written requirements.txt or a Pipfile.
CONVERTER = "pip-tools"


def evidence_json(evidence: Evidence) -> dict[str, Any]:
    return {"file": evidence.path or None, "line": evidence.line, "what": evidence.what}


def where(evidence: Evidence) -> str:
    """``file:line`` of a piece of evidence (the file alone without a line; "" for none)."""
    if not evidence.path:
        return ""
    return f"{evidence.path}:{evidence.line}" if evidence.line else evidence.path


@dataclass(frozen=True)
class Score:
    """One cell: how well a strategy serves the project on one criterion, and why."""

    value: int
    reason: str
    evidence: tuple[Evidence, ...] = ()
    # Where the value came from: "course" (the module's matrix), "project", "measured".
    basis: str = "course"

    def to_json(self) -> dict[str, Any]:
        return {
            "score": self.value,
            "reason": self.reason,
            "basis": self.basis,
            "evidence": [evidence_json(e) for e in self.evidence],
        }


@dataclass(frozen=True)
class Ranked:
    """One strategy's row: its scores and the weighted total (0-100)."""

    strategy: str
    label: str
    rank: int
    total: float
    scores: Mapping[str, Score]

    def to_json(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "label": self.label,
            "rank": self.rank,
            "total": round(self.total, 1),
            "scores": {c: s.to_json() for c, s in self.scores.items()},
        }


@dataclass(frozen=True)
class Fact:
    """Something parity found in the project that the scores rest on."""

    topic: str
    text: str
    evidence: tuple[Evidence, ...] = ()
    # What the text says, as fields for --json (the native stacks, each with whether
    # only optional extras need it); keys of their own, beside topic, text and evidence.
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "text": self.text,
            "evidence": [evidence_json(e) for e in self.evidence],
            **self.details,
        }


@dataclass(frozen=True)
class Weights:
    """How much each criterion counts, and where each value was set."""

    values: Mapping[str, float]
    sources: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            c: {"weight": self.values[c], "from": self.sources.get(c, "default")}
            for c in self.values
        }


@dataclass(frozen=True)
class Recommendation:
    """Every strategy ranked for one project, best first."""

    project: str
    format: str
    ranking: tuple[Ranked, ...]
    weights: Weights
    facts: tuple[Fact, ...]
    criteria_labels: Mapping[str, str]
    current: str | None = None
    measured: str | None = None
    notes: tuple[str, ...] = ()
    # The files parity must convert before any strategy (a hand-written
    # requirements.txt, a Pipfile): ``parity init --strategy pip-tools`` carries them.
    convert: tuple[str, ...] = ()

    @property
    def best(self) -> Ranked:
        return self.ranking[0]

    @property
    def steps(self) -> tuple[str, ...]:
        """The commands to run, in order, to adopt the best strategy."""
        best = f"parity init --strategy {self.best.strategy}"
        if self.convert and self.best.strategy != CONVERTER:
            return (f"parity init --strategy {CONVERTER}", best)
        return (best,)

    @property
    def next_command(self) -> str:
        return self.steps[0]

    @property
    def next_step(self) -> str:
        """One sentence: what to run to adopt the best strategy (or keep it)."""
        best = self.best.strategy
        if self.convert:
            files = " and ".join(self.convert)
            carry = (
                f"`parity init --strategy {CONVERTER}` carries {files} into requirements*.in, "
                "the input parity locks from"
            )
            if best == CONVERTER:
                return f"One step away: {carry}; then `parity lock`."
            return f"Two steps: {carry}; then `{self.steps[1]}`."
        if self.current == best:
            return (
                f"{best} is what the project already uses: keep it current with `parity lock`"
                + ("" if best != "docker" else " and `parity export --to devcontainer`")
                + "."
            )
        return f"One step away: `{self.next_command}` (add --dry-run to see the files first)."

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "project": self.project,
            "format": self.format,
            "current": self.current,
            "best": self.best.strategy,
            "next": self.next_command,
            "steps": list(self.steps),
            "convert": list(self.convert),
            "weights": self.weights.to_json(),
            "criteria": dict(self.criteria_labels),
            "ranking": [r.to_json() for r in self.ranking],
            "facts": [f.to_json() for f in self.facts],
            "measured": self.measured,
            "notes": list(self.notes),
        }
