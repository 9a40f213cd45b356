"""parity compare"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from parity.cli.common import format_option, output_options, project_option, project_spec, verbosity


@click.command("compare")
@project_option
@format_option
@click.option(
    "-s",
    "--strategies",
    "strategies",
    multiple=True,
    metavar="NAMES",
    help="Measure only these (comma-separated or repeated): pip-tools, poetry, conda, docker. "
    "pip-tools is measured two ways, parity's (uv) and pip-tools' own commands; "
    "pip-tools/parity or pip-tools/pip-compile picks one.",
)
@click.option(
    "-n",
    "--runs",
    type=int,
    default=3,
    show_default=True,
    help="Rounds to run, interleaved; the median is shown.",
)
@click.option("--fresh", is_flag=True, help="Measure again even when a result is cached.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the result as JSON (parity/compare@1)."
)
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the figures as bars on one self-contained HTML page.",
)
@output_options
def command(
    project: Path,
    strategies: tuple[str, ...],
    runs: int,
    fresh: bool,
    as_json: bool,
    html_file: Path | None,
) -> None:
    """Measure each strategy whose tools are here on a copy of this project: cold and
    warm lock, the environment from the lock into an empty folder, a no-op re-sync,
    disk and lockfile size, whether two independent builds are identical and whether
    the CI cache key stays put. Whole processes, interleaved, medians; a strategy
    that cannot run here is shown as not measured, with the reason. Results are cached
    per input digest in .parity/compare/ (--fresh measures again)."""
    from parity.api import compare
    from parity.report.compare_report import render_compare

    if html_file is not None:
        from parity.report.html import check_page_target

        check_page_target(html_file)
    quiet = verbosity() < 0
    spec = project_spec(project)
    with step_display(quiet) as progress:
        result = compare(spec, strategies=strategies, runs=runs, fresh=fresh, progress=progress)
    if not quiet or as_json:
        render_compare(result, as_json=as_json)
    if html_file is not None:
        from parity.report.compare_html import write_compare_html

        write_compare_html(result, html_file)
        if not quiet:
            click.echo(f"Wrote {html_file}: the measurements as one self-contained page.", err=True)
    sys.exit(0)


@contextlib.contextmanager
def step_display(quiet: bool) -> Iterator[Callable[[str], None]]:
    """One line on stderr per finished step; on a terminal, a spinner names the running one."""
    if quiet:
        yield lambda _line: None
        return
    if not sys.stderr.isatty():

        def plain(line: str) -> None:
            if not line.endswith(" ..."):
                click.echo(f"  {line}", err=True)

        yield plain
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(stderr=True, highlight=False)
    with console.status("measuring ...", spinner="dots") as status:

        def live(line: str) -> None:
            if line.endswith(" ..."):
                status.update(line)
            else:
                console.print(Text(f"  {line}"))

        yield live
