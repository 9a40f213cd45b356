"""What ``parity diff`` shows: a rich table, JSON (``parity/diff@1``) or markdown.

Two sides print one row per difference; more sides print a matrix (one row
per aspect that differs somewhere, one column per side) with the row's
highest risk.  Markdown is meant for a pull-request comment: a heading, the
table and the top fixes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from parity.diagnose.diff import Difference, DiffResult, MatrixRow
from parity.report.console import console, print_json

if TYPE_CHECKING:
    from rich.table import Table

ABSENT = "—"
_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "dim"}


EXPLAIN_HINT = "--explain shows why each one matters and what to do (--html FILE: as a page)."


def render_diff(
    result: DiffResult, *, fmt: str = "table", top: int = 0, explain: bool = False
) -> None:
    """The terminal gets one line per finding; ``explain`` adds each reason and fix."""
    if fmt == "json":
        print_json(result.to_json())
        return
    if fmt == "markdown":
        sys.stdout.write(diff_markdown(result, top=top))
        return
    out = console()
    out.print(summary_line(result))
    if rows_of(result):
        if not explain:
            out.print(compact_table(result, top=top))
            out.print(_text(EXPLAIN_HINT), style="dim")
        else:
            out.print(diff_table(result, top=top))
            fixes = top_fixes(result)
            if fixes:
                out.print("[bold]Fix first:[/]")
                for i, (subject, fix) in enumerate(fixes, start=1):
                    out.print(f"  {i}. ", _text(f"{subject}: {fix}"), sep="")
    for note in result.notes:
        out.print(_text(f"note: {note}"), style="dim")


def compact_table(result: DiffResult, *, top: int = 0) -> Table:
    """One line per finding: risk, kind, subject and each side's value."""
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold")
    rows = rows_of(result)
    shown = rows[:top] if top else rows
    # Risk and kind are never cut; names and values give way on a narrow terminal.
    table.add_column(
        "risk", no_wrap=True, min_width=max(len(f"{r.severity} {r.score}") for r in shown)
    )
    table.add_column("kind", no_wrap=True, min_width=max(len(r.label) for r in shown))
    table.add_column("subject", no_wrap=True, overflow="ellipsis", max_width=36)
    for position, label in enumerate(result.labels):
        # A version is never cut nor broken across lines (a pipe gets 80 columns).
        widest = max(len(_values(result, row)[position] or ABSENT) for row in shown)
        table.add_column(label, no_wrap=True, min_width=widest, overflow="fold")
    for row in shown:
        table.add_row(
            Text(f"{row.severity} {row.score}", style=_STYLE.get(row.severity, "")),
            Text(row.label),
            Text(row.subject),
            *(Text(v or ABSENT) for v in _values(result, row)),
        )
    return table


def rows_of(result: DiffResult) -> Sequence[Difference | MatrixRow]:
    """Pairwise differences for two sides, the matrix for more."""
    return result.matrix if len(result.sides) > 2 else result.differences


def summary_line(result: DiffResult) -> str:
    between = _joined(result.labels)
    if not rows_of(result):
        return f"No differences between {between}."
    return (
        f"{_count_phrase(result)} between {between} ({_severity_counts(result)}); "
        "most dangerous first."
    )


def _count_phrase(result: DiffResult) -> str:
    n = len(rows_of(result))
    if len(result.sides) > 2:
        return f"{n} aspect{'s differ' if n != 1 else ' differs'}"
    return f"{n} difference{'s' if n != 1 else ''}"


def _severity_counts(result: DiffResult) -> str:
    return ", ".join(f"{n} {label}" for label, n in result.counts().items() if n)


def _joined(labels: Sequence[str]) -> str:
    if len(labels) <= 2:
        return " and ".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def top_fixes(result: DiffResult, limit: int = 5) -> list[tuple[str, str]]:
    """The fixes of the riskiest rows, each once, as (subject, fix)."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for row in rows_of(result):
        if row.severity == "low" or row.fix in seen:
            continue
        seen.add(row.fix)
        out.append((row.subject, row.fix))
        if len(out) == limit:
            break
    return out


def diff_table(result: DiffResult, *, top: int = 0) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=True, expand=False)
    table.add_column("risk", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("subject", no_wrap=True)
    rows = rows_of(result)
    shown_rows = rows[:top] if top else rows
    for position, label in enumerate(result.labels):
        # A version is never broken across lines (a pipe gets 80 columns); the
        # explanation column wraps instead.
        widest = max(
            [len(label)] + [len(_values(result, row)[position] or ABSENT) for row in shown_rows]
        )
        table.add_column(label, no_wrap=True, min_width=min(widest, 40))
    table.add_column("why / what to do", ratio=1, min_width=30)
    for row in shown_rows:
        values = _values(result, row)
        why = Text(row.message)
        why.append("\n→ " + row.fix, style="bold")
        table.add_row(
            Text(f"{row.severity} {row.score}", style=_STYLE.get(row.severity, "")),
            Text(row.label),
            Text(row.subject),
            *(Text(v or ABSENT) for v in values),
            why,
        )
    return table


def diff_markdown(result: DiffResult, *, top: int = 0, fixes: int = 5) -> str:
    labels = result.labels
    lines = [f"## parity diff: {' vs '.join(f'`{label}`' for label in labels)}", ""]
    rows = rows_of(result)
    if not rows:
        lines.append("No differences.")
        if result.notes:
            lines += ["", *(f"> {_cell(n)}" for n in result.notes)]
        return "\n".join(lines) + "\n"
    lines += [_md_summary(result), ""]
    header = ["Risk", "Kind", "Subject", *(f"`{_cell(label)}`" for label in labels), "Why"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(["---"] * len(header)) + "|")
    shown = rows[:top] if top else rows
    for row in shown:
        values = [_cell(v) if v else ABSENT for v in _values(result, row)]
        cells = [
            f"**{row.severity}** {row.score}",
            row.label,
            f"`{_cell(row.subject)}`",
            *values,
            _cell(row.message),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    if len(shown) < len(rows):
        lines += ["", f"_{len(rows) - len(shown)} lower-risk rows not shown._"]
    chosen = top_fixes(result, fixes)
    if chosen:
        lines += ["", "### Top fixes", ""]
        lines += [f"{i}. **{_cell(s)}**: {_cell(f)}" for i, (s, f) in enumerate(chosen, start=1)]
    if result.notes:
        lines.append("")
        lines += [f"> {_cell(n)}" for n in result.notes]
    lines += ["", "<sub>parity diff, schema parity/diff@1</sub>"]
    return "\n".join(lines) + "\n"


def _md_summary(result: DiffResult) -> str:
    return f"**{_count_phrase(result)}** ({_severity_counts(result)}), most dangerous first."


def _values(result: DiffResult, row: Difference | MatrixRow) -> tuple[str | None, ...]:
    if isinstance(row, MatrixRow):
        return row.values
    values: list[str | None] = [None] * len(result.sides)
    for index, value in zip(row.sides, row.values, strict=True):
        values[index] = value
    return tuple(values)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _text(value: str) -> object:
    from rich.text import Text

    return Text(value)
