"""parity sync"""

from __future__ import annotations

from pathlib import Path

import click

from parity.cli.common import (
    format_option,
    output_options,
    project_option,
    spec_format,
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
    from parity.cli.plain import run_sync

    run_sync(
        project=project,
        spec_format=spec_format(click.get_current_context()),
        group=group,
        venv=venv,
        offline=offline,
        recreate=recreate,
        reinstall=reinstall,
        extras=extras,
        no_install_project=no_install_project,
        as_json=as_json,
        quiet=verbosity() < 0,
    )
