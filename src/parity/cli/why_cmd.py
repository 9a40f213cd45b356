"""parity why"""

from __future__ import annotations

from pathlib import Path

import click

from parity.cli.common import format_option, project_option, project_spec, venv_option


@click.command("why")
@click.argument("name")
@project_option
@format_option
@click.option(
    "-g", "--group", "groups", multiple=True, help="Only these groups (repeatable; default: all)."
)
@venv_option
@click.option(
    "--json", "as_json", is_flag=True, help="Print the result as JSON (schema parity/why@1)."
)
def command(
    name: str, project: Path, groups: tuple[str, ...], venv: str | None, as_json: bool
) -> None:
    """Show why NAME is in the lock: direct, or through which chains of
    dependencies, with the version constraint at each step (read from the
    environment's metadata)."""
    from parity.api import why
    from parity.report.why_report import render_why

    report = why(project_spec(project), name, groups=groups, venv=venv or ".venv")
    render_why(report, as_json=as_json)
