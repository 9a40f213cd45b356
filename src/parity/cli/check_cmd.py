"""parity check"""

from __future__ import annotations

from pathlib import Path

import click

from parity.cli.common import format_option, project_option, spec_format, venv_option


@click.command("check")
@project_option
@format_option
@click.option(
    "-g",
    "--group",
    help="The group the environment should match. Default: the group the environment was "
    "last synced to (its stamp), else the group whose lock it matches best, else prod.",
)
@venv_option
@click.option(
    "--lock-only", is_flag=True, help="Check only that the lock is fresh, not the environment."
)
@click.option(
    "--deep",
    is_flag=True,
    help="Also verify every installed file against its RECORD hash (slower).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the result as JSON (schema parity/check@1)."
)
@click.option(
    "--markdown",
    is_flag=True,
    help="Print the result as a Markdown summary (for CI job summaries).",
)
def command(
    project: Path,
    group: str | None,
    venv: str | None,
    lock_only: bool,
    deep: bool,
    as_json: bool,
    markdown: bool,
) -> None:
    """Exit 0 when the lock is fresh and the environment matches it, 1 with findings
    otherwise, 2 on bad input. Read-only: no resolution, no network."""
    from parity.cli.plain import run_check

    run_check(
        project=project,
        spec_format=spec_format(click.get_current_context()),
        group=group,
        venv=venv,
        lock_only=lock_only,
        deep=deep,
        as_json=as_json,
        markdown=markdown,
    )
