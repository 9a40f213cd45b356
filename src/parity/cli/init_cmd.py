"""parity init"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from parity.cli.common import project_option


@click.command("init")
@project_option
@click.option(
    "-s",
    "--strategy",
    required=True,
    metavar="NAME",
    help="pip-tools, poetry, conda or docker.",
)
@click.option("--no-lock", is_flag=True, help="Write the strategy's files, but do not lock.")
@click.option(
    "--with-tools",
    is_flag=True,
    help="poetry: add the course's ruff, mypy, pytest and coverage settings when absent.",
)
@click.option("--offline", is_flag=True, help="Lock from the cache only.")
@click.option("--dry-run", is_flag=True, help="Print a unified diff of the files; write nothing.")
@click.option(
    "--force", is_flag=True, help="Replace files even when they exist with other content."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (parity/init@1).")
def command(
    project: Path,
    strategy: str,
    no_lock: bool,
    with_tools: bool,
    offline: bool,
    dry_run: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Set the project up for a strategy: on a new project write its files; on a project
    in another format convert it (requirements.in, PEP 621/735, Poetry), keeping every
    group, marker, index and comment that can be carried and saying what cannot. Then
    lock, and write the strategy's Makefile."""
    from parity.api import init
    from parity.report.strategy_report import render_outcome

    outcome = init(
        project,
        strategy,
        lock=not no_lock,
        offline=offline,
        with_tools=with_tools,
        dry_run=dry_run,
        force=force,
    )
    render_outcome(outcome, as_json=as_json)
    sys.exit(0)
