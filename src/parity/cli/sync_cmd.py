"""parity sync"""

from __future__ import annotations

from pathlib import Path

import click

from parity.cli.common import format_option, project_option, project_spec, venv_option


@click.command("sync")
@project_option
@format_option
@click.option("-g", "--group", help="The group to install (default: prod).")
@venv_option
@click.option("--offline", is_flag=True, help="Install from the cache only.")
@click.option("--recreate", is_flag=True, help="Rebuild the environment from scratch.")
@click.option(
    "--reinstall",
    is_flag=True,
    help="Reinstall every package from freshly downloaded files, verified against the "
    "lock's hashes.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def command(
    project: Path,
    group: str | None,
    venv: str | None,
    offline: bool,
    recreate: bool,
    reinstall: bool,
    as_json: bool,
) -> None:
    """Create the environment on the pinned Python and make it match the lock exactly
    (hash-checked installs; packages not in the lock are removed)."""
    from parity.api import sync
    from parity.report.sync_report import render_sync

    outcome = sync(
        project_spec(project),
        group=group,
        venv=venv,
        offline=offline,
        recreate=recreate,
        reinstall=reinstall,
    )
    render_sync(outcome, as_json=as_json)
