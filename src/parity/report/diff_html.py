"""``parity diff --html``: the findings as a readable table, and the drift matrix.

One self-contained page (no script, no network).  Every finding keeps its
reason, its fix and the sources of its rules, which the terminal shows only
with ``--explain``.  With three or more sides a heat map (sides x aspects)
shows where each side drifts from the reference, the first side.
"""

from __future__ import annotations

from pathlib import Path

from parity.diagnose.diff import Difference, DiffResult, MatrixRow
from parity.report import html as h
from parity.report.diff_report import ABSENT, rows_of, summary_line

HEATMAP_ASPECTS = 40

DIFF_CSS = """
table.findings td { font-size: 13px; }
table.findings td:last-child { min-width: 360px; }
table.findings .why { display: block; }
table.findings .fix { display: block; margin-top: 4px; font-weight: 600; }
table.findings .src { display: block; margin-top: 3px; font-size: 11px; color: var(--muted);
  word-break: break-all; }
table.findings th { white-space: normal; }
"""


def _values(result: DiffResult, row: Difference | MatrixRow) -> list[str | None]:
    if isinstance(row, MatrixRow):
        return list(row.values)
    values: list[str | None] = [None] * len(result.sides)
    for index, value in zip(row.sides, row.values, strict=True):
        values[index] = value
    return values


def _cell_severity(result: DiffResult, row: MatrixRow, side: int) -> Difference | None:
    """The difference between the reference and ``side`` on this row's subject."""
    for difference in result.differences:
        if (
            difference.sides == (0, side)
            and difference.subject == row.subject
            and difference.family == row.family
        ):
            return difference
    return None


def drift_map(result: DiffResult) -> str:
    aspects = list(result.matrix[:HEATMAP_ASPECTS])
    cells: dict[tuple[int, int], h.HeatCell] = {}
    for c, row in enumerate(aspects):
        for side in range(1, len(result.sides)):
            found = _cell_severity(result, row, side)
            if found is None:
                continue
            value = row.values[side]
            cells[(side, c)] = h.HeatCell(
                severity=found.severity,
                score=found.score,
                text=value or ABSENT,
                title=f"{result.labels[side]} · {row.subject}: {value or 'absent'} "
                f"(reference {row.values[0] or 'absent'})\n{found.severity} {found.score}: "
                f"{found.message}",
            )
    return h.heatmap(
        list(result.labels),
        [row.subject for row in aspects],
        cells,
        title="drift heat map, sides by aspects",
    )


def diff_sections(result: DiffResult) -> list[str]:
    rows = rows_of(result)
    counts = result.counts()
    body = [
        h.cards(
            [
                (str(len(result.sides)), "sides"),
                (str(len(rows)), "differences" if len(result.sides) <= 2 else "aspects"),
                *((str(counts.get(s, 0)), s) for s in h.SEVERITIES),
            ]
        ),
        f'<p class="note">{h.escape(summary_line(result))} The first side, '
        f"<code>{h.escape(result.labels[0])}</code>, is the reference.</p>",
    ]
    if len(result.sides) > 2 and result.matrix:
        body += [
            '<section id="heatmap"><h2>Drift matrix: sides &times; aspects</h2>',
            h.legend(),
            '<div class="scroll heat">',
            drift_map(result),
            "</div>",
        ]
        if len(result.matrix) > HEATMAP_ASPECTS:
            body.append(
                f'<p class="note">The map shows the {HEATMAP_ASPECTS} riskiest aspects; '
                "the table below lists them all.</p>"
            )
        body.append("</section>")
    table_rows = []
    for row in rows:
        values = _values(result, row)
        sources = getattr(row, "sources", ())
        table_rows.append(
            [
                h.badge(row.severity, f"{row.severity} {row.score}"),
                h.escape(row.label),
                f"<code>{h.escape(row.subject)}</code>",
                *(f"<code>{h.escape(v or ABSENT)}</code>" for v in values),
                f'<span class="why">{h.escape(row.message)}</span>'
                f'<span class="fix">&rarr; {h.escape(row.fix)}</span>'
                + (
                    '<span class="src">' + " · ".join(h.escape(s) for s in sources) + "</span>"
                    if sources
                    else ""
                ),
            ]
        )
    if rows:
        headers = ["risk", "kind", "subject", *result.labels, "why, and what to do"]
        table = h.table(headers, table_rows, css_class="data findings")
        body += ['<section id="findings"><h2>Findings, most dangerous first</h2>', table]
        body.append("</section>")
    if result.notes:
        body.append('<section id="notes"><h2>Notes</h2><ul class="facts">')
        body += [f"<li>{h.escape(n)}</li>" for n in result.notes]
        body.append("</ul></section>")
    return body


def diff_html(result: DiffResult, *, generated: str) -> str:
    from parity.version import __version__

    title = "parity diff: " + " vs ".join(result.labels)
    body = [
        "<header>",
        f"<h1>{h.escape(title)}</h1>",
        f'<p class="sub">Generated {h.escape(generated)}.</p>',
        "</header>",
        *diff_sections(result),
        f"<footer>parity {h.escape(__version__)} · schema parity/diff@1</footer>",
    ]
    return h.page(title, "\n".join(body), css=DIFF_CSS)


def write_diff_html(result: DiffResult, path: Path) -> None:
    from parity.report.recommend_html import generated_now

    h.write_page(path, diff_html(result, generated=generated_now()))
