"""What ``parity recommend`` prints: the ranking, each score's reason and evidence, the next step.

The terminal gets what parity found (one line per topic), the matrix (one
row per strategy, best first, with the weights under it), then one line per
score: the score, its reason and the files it rests on (``file:line``).
``--json`` prints ``parity/recommend@1``; ``--html`` writes the same as one
self-contained page (``recommend_html``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from parity.recommend.model import CRITERIA, Ranked, Recommendation, Score, where
from parity.report.console import console, print_json
from parity.spec.services import Evidence

if TYPE_CHECKING:
    from rich.text import Text

SHORT = {
    "simplicity": "simple",
    "reproducibility": "repro",
    "non-python": "non-Py",
    "native-lockfile": "lockfile",
    "speed": "speed",
    "ci": "CI",
    "disk": "disk",
    "learning-curve": "learning",
}
_SCORE_STYLE = {0: "bold red", 1: "red", 2: "yellow", 3: "", 4: "green", 5: "bold green"}


def evidence_text(evidence: Sequence[Evidence], limit: int = 3) -> str:
    places = list(dict.fromkeys(w for w in (where(e) for e in evidence) if w))
    if not places:
        return ""
    more = f" +{len(places) - limit}" if len(places) > limit else ""
    return ", ".join(places[:limit]) + more


def weight_text(value: float) -> str:
    return f"{value:g}"


def render_recommendation(result: Recommendation, *, as_json: bool = False) -> None:
    if as_json:
        print_json(result.to_json())
        return
    from rich.table import Table
    from rich.text import Text

    out = console()
    out.print(
        Text.assemble(
            ("parity recommend: ", "bold"),
            (result.project, "bold"),
            f" ({result.format} project"
            + (f", uses {result.current}" if result.current else "")
            + ")",
        )
    )
    out.print("What parity found:")
    for fact in result.facts:
        shown = evidence_text(fact.evidence)
        line = Text(f"  - {fact.text}")
        if shown:
            line.append(f"  [{shown}]", style="dim")
        out.print(line)
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    table.add_column("#", justify="right")
    table.add_column("strategy")
    table.add_column("total", justify="right")
    for criterion in CRITERIA:
        table.add_column(SHORT[criterion], justify="right")
    for row in result.ranking:
        table.add_row(
            str(row.rank),
            Text(row.strategy, style="bold" if row.rank == 1 else ""),
            f"{row.total:.0f}",
            *(_score_text(row.scores[c]) for c in CRITERIA),
        )
    table.add_row(
        "",
        Text("weight", style="dim"),
        "",
        *(Text(weight_text(result.weights.values[c]), style="dim") for c in CRITERIA),
    )
    out.print()
    out.print(table)
    for row in result.ranking:
        out.print()
        out.print(_heading(row, result))
        width = max(len(result.criteria_labels[c]) for c in CRITERIA)
        for criterion in CRITERIA:
            score = row.scores[criterion]
            line = Text(f"  {result.criteria_labels[criterion]:<{width}}  ")
            line.append(str(score.value), style=_SCORE_STYLE.get(score.value, ""))
            line.append(f"  {score.reason}")
            shown = evidence_text(score.evidence)
            if shown:
                line.append(f"  [{shown}]", style="dim")
            out.print(line)
    out.print()
    if result.measured:
        out.print(Text(result.measured, style="dim"))
    for note in result.notes:
        out.print(Text(f"note: {note}", style="dim"))
    out.print(Text(result.next_step, style="bold"))


def _score_text(score: Score) -> Text:
    from rich.text import Text

    mark = "*" if score.basis == "measured" else ""
    return Text(f"{score.value}{mark}", style=_SCORE_STYLE.get(score.value, ""))


def _heading(row: Ranked, result: Recommendation) -> Text:
    from rich.text import Text

    text = Text(f"{row.rank}. {row.strategy}", style="bold")
    text.append(f" ({row.label}): {row.total:.0f}/100", style="")
    if row.strategy == result.current:
        text.append("  (what the project uses now)", style="dim")
    return text
