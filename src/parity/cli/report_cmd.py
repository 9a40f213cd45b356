"""parity report"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from parity.cli.common import format_option, project_option, spec_format


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
    from parity.api import cached_compare, compare, diff, load_lockable_project, recommend
    from parity.errors import UsageError
    from parity.report.html import check_page_target
    from parity.report.project_report import write_project_report

    check_page_target(output, force=force)
    if len(sides) == 1:
        raise UsageError(
            "--diff needs at least two sides",
            hint="Give --diff twice (or more), e.g. a lock and an env.",
        )
    # None: hand-written requirements files or a Pipfile, which recommend scores
    # but nothing can lock or measure until they are converted.
    fmt = spec_format(click.get_current_context())
    spec = load_lockable_project(project, format=fmt)
    if spec is None:
        result = recommend(project, weights=weights, format=fmt)
        if measure:
            raise UsageError(
                "--measure needs an input parity locks from, and this project has only "
                f"{' and '.join(result.convert)}, written by hand",
                hint="Run `parity init --strategy pip-tools` to convert them, then "
                "`parity report --measure`; or leave out --measure.",
            )
    difference = diff(*sides) if sides else None

    def progress(line: str) -> None:
        if not line.endswith(" ..."):
            click.echo(f"  {line}", err=True)

    measured = None
    if spec is not None:
        measured = compare(spec, runs=runs, progress=progress) if measure else cached_compare(spec)
        result = recommend(spec, weights=weights)  # after compare: speed and disk use its figures
    write_project_report(output, result, measured, difference, force=force)
    click.echo(f"Wrote {output}: {result.project}'s report (best: {result.best.strategy}).")
    if result.convert:
        click.echo(
            f"Read {' and '.join(result.convert)}, written by hand (not a lock): "
            "nothing can be measured until `parity init --strategy pip-tools` converts them."
        )
    elif measured is None:
        click.echo("Nothing measured yet: `parity compare` (or --measure) adds the figures.")
    sys.exit(0)
