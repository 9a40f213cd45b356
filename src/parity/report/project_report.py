"""``parity report``: one self-contained page about the project.

The decision matrix with its scores and evidence (``recommend``), the
measurements as bars (``compare``, from its cache or measured now), and, when
sides are given, the diff's findings with the drift matrix.  One file, no
script, nothing loaded from anywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from parity.report import html as h

if TYPE_CHECKING:
    from parity.compare.model import CompareResult
    from parity.diagnose.diff import DiffResult
    from parity.recommend.model import Recommendation

REPORT_CSS = """
nav.toc { display: flex; gap: 16px; margin: 10px 0 0; font-size: 13px; }
nav.toc a { color: #1a5fb4; text-decoration: none; }
section.part { border-top: 2px solid var(--line); margin-top: 28px; padding-top: 4px; }
section.part > h2 { font-size: 19px; }
"""


def project_report_html(
    recommendation: Recommendation,
    compare: CompareResult | None,
    diff: DiffResult | None,
    *,
    generated: str,
) -> str:
    from parity.report.compare_html import compare_cards, compare_sections
    from parity.report.compare_report import headline
    from parity.report.diff_html import diff_sections
    from parity.report.recommend_html import recommendation_sections
    from parity.version import __version__

    parts = [("recommend", "Which strategy"), ("measured", "Measured")]
    if diff is not None:
        parts.append(("diff", "Differences"))
    toc = "".join(f'<a href="#{key}">{h.escape(label)}</a>' for key, label in parts)
    body = [
        "<header>",
        f"<h1>parity report: {h.escape(recommendation.project)}</h1>",
        f'<p class="sub">{h.escape(_what(recommendation))} Generated {h.escape(generated)}.</p>',
        f'<nav class="toc">{toc}</nav>',
        "</header>",
        '<section class="part" id="recommend"><h2>Which strategy, and why</h2>',
        *recommendation_sections(recommendation),
        "</section>",
        '<section class="part" id="measured"><h2>Measured on this project</h2>',
    ]
    if recommendation.convert:
        body.append(
            '<p class="note" id="not-measurable">Nothing can be measured yet: '
            f"{h.escape(_files(recommendation.convert))} "
            f"{'were' if len(recommendation.convert) > 1 else 'was'} written by hand, "
            "and <code>parity compare</code> measures each strategy from an input parity "
            "locks. <code>parity init --strategy pip-tools</code> carries them into "
            "requirements*.in; then <code>parity compare</code> (or "
            "<code>parity report --measure</code>) adds the figures here.</p>"
        )
    elif compare is None:
        body.append(
            '<p class="note">Nothing measured yet: <code>parity compare</code> measures each '
            "strategy on this project (results are kept per input digest, and this page "
            "shows them), or run <code>parity report --measure</code>.</p>"
        )
    else:
        body.append(f'<p class="note">{h.escape(headline(compare).split(": ", 1)[1])}</p>')
        body.append(compare_cards(compare))
        body += compare_sections(compare, heading="Every figure, every strategy")
    body.append("</section>")
    if diff is not None:
        body.append('<section class="part" id="diff"><h2>Differences between environments</h2>')
        body += diff_sections(diff)
        body.append("</section>")
    body.append(
        f"<footer>parity {h.escape(__version__)} · schemas parity/recommend@1, "
        "parity/compare@1, parity/diff@1</footer>"
    )
    return h.page(
        f"parity report: {recommendation.project}",
        "\n".join(body),
        css=h.SCORE_CSS + REPORT_CSS,
    )


def _files(names: tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


def _what(recommendation: Recommendation) -> str:
    """The page's first line: the project's kind, and honestly what was found when not a lock."""
    if recommendation.convert:
        return (
            f"Read from {_files(recommendation.convert)}, written by hand: not a lock, "
            "and not an input parity locks from. The scores below rest on what "
            "those files say."
        )
    return f"{recommendation.format} project."


def write_project_report(
    path: Path,
    recommendation: Recommendation,
    compare: CompareResult | None,
    diff: DiffResult | None,
    *,
    force: bool = False,
) -> None:
    from parity.report.recommend_html import generated_now

    h.write_page(
        path,
        project_report_html(recommendation, compare, diff, generated=generated_now()),
        force=force,
    )
