"""parity sync"""

from __future__ import annotations

from pathlib import Path

import click

from parity.cli.common import (
    format_option,
    output_options,
    progress,
    project_option,
    project_spec,
    venv_option,
    verbosity,
)


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
@click.option(
    "--extra",
    "extras",
    multiple=True,
    metavar="NAME",
    help="Also install this extra of the project (repeatable).",
)
@click.option(
    "--no-install-project",
    is_flag=True,
    help="Leave the project itself out: its dependencies and tools only.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@output_options
def command(
    project: Path,
    group: str | None,
    venv: str | None,
    offline: bool,
    recreate: bool,
    reinstall: bool,
    extras: tuple[str, ...],
    no_install_project: bool,
    as_json: bool,
) -> None:
    """Create the environment on the pinned Python and make it match the lock exactly
    (hash-checked installs; packages not in the lock are removed)."""
    from parity.api import sync
    from parity.report.sync_report import render_sync

    with progress("Installing..."):
        outcome = sync(
            project_spec(project),
            group=group,
            venv=venv,
            offline=offline,
            recreate=recreate,
            reinstall=reinstall,
            extras=extras,
            install_project=not no_install_project,
        )
    if verbosity() >= 0 or as_json:
        render_sync(outcome, as_json=as_json)
