"""parity report"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from parity.cli.common import format_option, project_option, project_spec


@click.command("report")
@project_option
@format_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("parity-report.html"),
    show_default=True,
    help="The page to write.",
)
@click.option(
    "--measure",
    is_flag=True,
    help="Run `parity compare` now when nothing is measured for these inputs yet.",
)
@click.option("-n", "--runs", type=int, default=3, show_default=True, help="Rounds for --measure.")
@click.option(
    "--diff",
    "sides",
    multiple=True,
    metavar="SIDE",
    help="A side to compare (repeatable, two or more): snapshot, lockfile, environment or "
    "project, as for `parity diff`; the page adds the findings (and the drift matrix "
    "for three or more).",
)
@click.option(
    "-w", "--weight", "weights", multiple=True, metavar="NAME=NUMBER", help="As for recommend."
)
@click.option("--force", is_flag=True, help="Overwrite the output even if parity did not write it.")
def command(
    project: Path,
    output: Path,
    measure: bool,
    runs: int,
    sides: tuple[str, ...],
    weights: tuple[str, ...],
    force: bool,
) -> None:
    """Write one self-contained HTML page about the project: the decision matrix with
    its scores and evidence, the measurements of `parity compare` as bars (cached ones,
    or --measure), and with --diff the findings between environments with the drift
    matrix. Nothing on the page loads from the network."""
    from parity.api import cached_compare, compare, diff, recommend
    from parity.report.html import check_page_target
    from parity.report.project_report import write_project_report

    check_page_target(output, force=force)
    if len(sides) == 1:
        from parity.errors import UsageError

        raise UsageError(
            "--diff needs at least two sides",
            hint="Give --diff twice (or more), e.g. a lock and an env.",
        )
    spec = project_spec(project)
    difference = diff(*sides) if sides else None

    def progress(line: str) -> None:
        if not line.endswith(" ..."):
            click.echo(f"  {line}", err=True)

    measured = compare(spec, runs=runs, progress=progress) if measure else cached_compare(spec)
    result = recommend(spec, weights=weights)
    write_project_report(output, result, measured, difference, force=force)
    click.echo(f"Wrote {output}: {result.project}'s report (best: {result.best.strategy}).")
    if measured is None:
        click.echo("Nothing measured yet: `parity compare` (or --measure) adds the figures.")
    sys.exit(0)
