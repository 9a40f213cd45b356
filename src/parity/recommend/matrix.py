"""The course's decision matrix, as data: the scores parity starts from.

``parity/data/recommend/matrix.toml`` (schema ``parity/recommend-matrix@1``)
holds, for each criterion and strategy, the module's score and what the
module says that score rests on; and the default weights.  Read once.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from parity import toml
from parity.frozen import dataclass
from parity.recommend.model import CRITERIA, MAX_SCORE, STRATEGIES

MATRIX_SCHEMA = "parity/recommend-matrix@1"
DATA_PATH = "parity/data/recommend/matrix.toml"


class MatrixError(ValueError):
    """The shipped matrix is malformed (a packaging bug)."""


@dataclass(frozen=True)
class Cell:
    score: int
    course: str


@dataclass(frozen=True)
class Matrix:
    labels: Mapping[str, str]  # strategy -> label
    criteria: Mapping[str, str]  # criterion -> label
    course_names: Mapping[str, str]  # criterion -> the module's column name
    cells: Mapping[tuple[str, str], Cell]  # (criterion, strategy) -> cell
    weights: Mapping[str, float]

    def cell(self, criterion: str, strategy: str) -> Cell:
        return self.cells[(criterion, strategy)]


@cache
def course_matrix() -> Matrix:
    text = (files("parity") / "data" / "recommend" / "matrix.toml").read_text(encoding="utf-8")
    return parse_matrix(text)


def parse_matrix(text: str) -> Matrix:
    data = toml.loads(text)
    if data.get("schema") != MATRIX_SCHEMA:
        raise MatrixError(f"{DATA_PATH}: schema must be {MATRIX_SCHEMA!r}")
    if tuple(data.get("strategies", ())) != STRATEGIES:
        raise MatrixError(f"{DATA_PATH}: strategies must be {list(STRATEGIES)}")
    rows: list[Mapping[str, Any]] = data.get("criterion", [])
    if tuple(r.get("key") for r in rows) != CRITERIA:
        raise MatrixError(f"{DATA_PATH}: criteria must be {list(CRITERIA)}, in that order")
    cells: dict[tuple[str, str], Cell] = {}
    for row in rows:
        for strategy in STRATEGIES:
            entry = row.get(strategy)
            if not isinstance(entry, Mapping):
                raise MatrixError(f"{DATA_PATH}: {row['key']} has no {strategy} entry")
            score = entry.get("score")
            if not isinstance(score, int) or not 0 <= score <= MAX_SCORE:
                raise MatrixError(f"{DATA_PATH}: {row['key']}.{strategy} score must be 0-5")
            cells[(row["key"], strategy)] = Cell(score, str(entry.get("course", "")))
    weights = data.get("weights", {})
    if set(weights) != set(CRITERIA):
        raise MatrixError(f"{DATA_PATH}: [weights] must name every criterion")
    return Matrix(
        labels={s: str(data["labels"][s]) for s in STRATEGIES},
        criteria={str(r["key"]): str(r["label"]) for r in rows},
        course_names={str(r["key"]): str(r["course"]) for r in rows},
        cells=cells,
        weights={c: float(weights[c]) for c in CRITERIA},
    )
