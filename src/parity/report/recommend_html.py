"""``parity recommend --html``: the decision matrix with the project's scores and evidence.

One self-contained page (``report.html``'s building blocks: no script, no
network).  :func:`recommendation_sections` is the body, which ``parity
report`` puts on its own page next to the measurements.
"""

from __future__ import annotations

from pathlib import Path

from parity.recommend.model import CRITERIA, Recommendation
from parity.report import html as h
from parity.report.recommend_report import evidence_text, weight_text


def in_use_card(result: Recommendation) -> tuple[str, str]:
    """What the project uses now: its strategy, else the strategies whose files are
    here (a pep621 project with a dev container), else none."""
    if result.current:
        return result.current, "in use now"
    present = next((f.text for f in result.facts if f.topic == "in-use"), "")
    if present:
        return present.removeprefix("already uses: "), "its files are here"
    return "none", "in use now"


def recommendation_sections(result: Recommendation) -> list[str]:
    best = result.best
    runner = result.ranking[1] if len(result.ranking) > 1 else None
    body = [
        h.cards(
            [
                (best.strategy, f"recommended, {best.total:.0f}/100"),
                *(
                    [(runner.strategy, f"runner-up, {runner.total:.0f}/100")]
                    if runner is not None
                    else []
                ),
                in_use_card(result),
            ]
        ),
        f'<p class="note"><strong>{h.escape(result.next_step)}</strong></p>',
        '<section id="facts"><h2>What parity found in the project</h2><ul class="facts">',
    ]
    for fact in result.facts:
        shown = evidence_text(fact.evidence, limit=4)
        body.append(
            f"<li>{h.escape(fact.text)}"
            + (f' <code class="muted">{h.escape(shown)}</code>' if shown else "")
            + "</li>"
        )
    body.append("</ul></section>")
    body.append('<section id="matrix"><h2>The decision matrix, scored on this project</h2>')
    body.append(
        '<p class="note">The course&#8217;s matrix (module 03) moved by evidence from the '
        "project; 0 is worst and 5 best (5 for disk use means little disk). Each cell gives "
        "its reason and the file and line it rests on.</p>"
    )
    head = "".join(
        f'<th class="{"best" if r.rank == 1 else ""}">{h.escape(f"{r.rank}. {r.strategy}")}'
        f'<br><span class="muted">{h.escape(r.label)}</span></th>'
        for r in result.ranking
    )
    rows = []
    for criterion in CRITERIA:
        cells = [
            f'<td class="crit">{h.escape(result.criteria_labels[criterion])}'
            f'<br><span class="muted">weight {h.escape(weight_text(result.weights.values[criterion]))}'
            "</span></td>"
        ]
        for row in result.ranking:
            score = row.scores[criterion]
            shown = evidence_text(score.evidence, limit=3)
            cells.append(
                f'<td data-strategy="{h.escape(row.strategy)}" data-criterion="{h.escape(criterion)}">'
                f"{h.score_chip(score.value, title=f'{score.basis} score')}"
                + (' <span class="muted">measured</span>' if score.basis == "measured" else "")
                + f'<span class="why">{h.escape(score.reason)}</span>'
                + (f'<span class="ev">{h.escape(shown)}</span>' if shown else "")
                + "</td>"
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    totals = "".join(f"<td>{row.total:.0f} / 100</td>" for row in result.ranking)
    rows.append(f'<tr class="total"><td class="crit">weighted total</td>{totals}</tr>')
    body.append(
        '<div class="scroll"><table class="data matrix"><thead><tr><th>criterion</th>'
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )
    body.append("</section>")
    body.append(
        '<section id="totals"><h2>Weighted totals</h2><div class="bars">'
        + h.bar_chart(
            "weighted totals",
            [
                h.Bar(r.strategy, r.total, f"{r.total:.0f} / 100", best=r.rank == 1)
                for r in result.ranking
            ],
        )
        + "</div></section>"
    )
    return body


def recommendation_html(result: Recommendation, *, generated: str) -> str:
    from parity.version import __version__

    body = [
        "<header>",
        f"<h1>parity recommend: {h.escape(result.project)}</h1>",
        f'<p class="sub">{h.escape(result.format)} project. Generated {h.escape(generated)}.</p>',
        "</header>",
        *recommendation_sections(result),
        f"<footer>parity {h.escape(__version__)} · schema parity/recommend@1</footer>",
    ]
    return h.page(f"parity recommend: {result.project}", "\n".join(body), css=h.SCORE_CSS)


def generated_now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def write_recommendation_html(result: Recommendation, path: Path) -> None:
    h.write_page(path, recommendation_html(result, generated=generated_now()))
