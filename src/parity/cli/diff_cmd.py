"""parity diff"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from parity.cli.common import report_format_options, rules_option

if TYPE_CHECKING:
    from parity import Severity


@click.command("diff")
@click.argument("sides", nargs=-1, metavar="SIDE...")
@click.option(
    "--python",
    "pythons",
    multiple=True,
    metavar="PATH",
    help="A live interpreter to compare (repeatable; after the SIDEs).",
)
@click.option(
    "--env",
    "envs",
    multiple=True,
    metavar="DIR",
    help="A live environment directory, venv or conda prefix (repeatable; after --python).",
)
@click.option(
    "--direct",
    multiple=True,
    metavar="NAME",
    help="A package the project imports directly: weighs more (repeatable).",
)
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    help="Read the direct requirements of the project in this directory.",
)
@click.option(
    "-g",
    "--group",
    "groups",
    multiple=True,
    metavar="NAME",
    help="Groups to read from uv.lock / pylock.toml / poetry.lock sides, or the group whose "
    "lockfile stands for a project directory (default: prod, or the lock's default groups). "
    "A group a side does not have is an error.",
)
@rules_option
@report_format_options("parity/diff@1", "a pull-request comment")
@click.option(
    "--fail-on",
    type=click.Choice(["low", "medium", "high", "critical"]),
    default="low",
    show_default=True,
    help="Exit 1 only when a difference is at least this severe.",
)
@click.option(
    "--top", type=click.IntRange(min=0), default=0, help="Show only the N riskiest rows (0: all)."
)
@click.option(
    "--explain",
    is_flag=True,
    help="Give each finding its reason and what to do (default: one line per finding).",
)
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the findings, reasons and fixes (and the drift matrix for three or "
    "more sides) as one self-contained HTML page.",
)
def command(
    sides: tuple[str, ...],
    pythons: tuple[str, ...],
    envs: tuple[str, ...],
    direct: tuple[str, ...],
    project: Path | None,
    groups: tuple[str, ...],
    rule_files: tuple[Path, ...],
    as_json: bool,
    fmt: str,
    fail_on: str,
    top: int,
    explain: bool,
    html_file: Path | None,
) -> None:
    """Explain how environments or locks differ, most dangerous difference first.

    Each SIDE is a snapshot JSON file, a lockfile (requirements.txt, pylock.toml,
    uv.lock, poetry.lock), a requirements list (requirements.in), an environment
    directory or a project directory (its lock is used). The first side is the reference:
    the one that works.

    Exit 0 when the sides do not differ, 1 when they do, 2 on bad input.
    """
    from parity.api import diff
    from parity.report.diff_report import render_diff

    if html_file is not None:
        from parity.report.html import check_page_target

        check_page_target(html_file)
    result = diff(
        *sides,
        python=pythons,
        env=envs,
        direct=direct,
        project=project,
        groups=groups,
        rules=rule_files,
    )
    for note in result.input_notes:
        click.echo(f"note: {note}", err=True)
    render_diff(result, fmt="json" if as_json else fmt, top=top, explain=explain)
    if html_file is not None:
        from parity.report.diff_html import write_diff_html

        write_diff_html(result, html_file)
        click.echo(f"Wrote {html_file}: the findings as one self-contained page.", err=True)
    sys.exit(1 if result.at_least(cast("Severity", fail_on)) else 0)
