"""parity recommend"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from parity.cli.common import format_option, project_option, spec_format


@click.command("recommend")
@project_option
@format_option
@click.option(
    "-w",
    "--weight",
    "weights",
    multiple=True,
    metavar="NAME=NUMBER",
    help="Weight of a criterion for this run (repeatable), e.g. --weight speed=3. "
    "Criteria: simplicity, reproducibility, non-python, native-lockfile, speed, ci, disk, "
    "learning-curve. The project's own: [tool.parity.recommend.weights].",
)
@click.option(
    "-s",
    "--strategies",
    "strategies",
    multiple=True,
    metavar="NAMES",
    help="Rank only these (comma-separated or repeated): pip-tools, poetry, conda, docker.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the result as JSON (parity/recommend@1)."
)
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the matrix with its evidence as one self-contained HTML page.",
)
def command(
    project: Path,
    weights: tuple[str, ...],
    strategies: tuple[str, ...],
    as_json: bool,
    html_file: Path | None,
) -> None:
    """Apply the course's decision matrix to this project: score pip-tools, Poetry,
    Conda and Docker on simplicity, reproducibility, non-Python dependencies, native
    lockfile, speed, CI friendliness, disk use and learning curve, from evidence in
    the project's files (each score with its reason and file:line), and rank them.
    `parity init --strategy <best>` then sets the project up."""
    from parity.api import recommend
    from parity.report.recommend_report import render_recommendation

    if html_file is not None:
        from parity.report.html import check_page_target

        check_page_target(html_file)
    # The path, not a spec: recommend also reads a project parity cannot lock yet
    # (a hand-written requirements.txt, a Pipfile).
    result = recommend(
        project,
        weights=weights,
        strategies=strategies,
        format=spec_format(click.get_current_context(silent=True)),
    )
    render_recommendation(result, as_json=as_json)
    if html_file is not None:
        from parity.report.recommend_html import write_recommendation_html

        write_recommendation_html(result, html_file)
        click.echo(f"Wrote {html_file}: the decision matrix as one self-contained page.", err=True)
    sys.exit(0)
