"""parity sync"""

from __future__ import annotations

from pathlib import Path

import click

from parity.cli.common import load, project_option, venv_option
from parity.spec.model import ProjectSpec


@click.command("sync")
@project_option
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
    from parity.env.sync import SyncOptions, sync_project
    from parity.report.sync_report import render_sync

    spec = load(project, command="sync", conda=True)
    if spec.format == "conda":
        from parity.env.conda_sync import sync_conda_project
        from parity.report.conda_report import render_conda_sync

        render_conda_sync(
            sync_conda_project(spec, group=group, prefix=venv, offline=offline, recreate=recreate),
            as_json=as_json,
        )
        return
    outcome = sync_project(
        spec,
        SyncOptions(
            group=group,
            venv=venv or ".venv",
            offline=offline,
            recreate=recreate,
            reinstall=reinstall,
        ),
    )
    render_sync(outcome, as_json=as_json)
    if not as_json:
        warn_if_stale(spec, outcome.group)


def warn_if_stale(spec: ProjectSpec, group: str) -> None:
    """A sync installs the lock as it is; say so when its inputs moved on."""
    from parity.diagnose.check import freshness_findings
    from parity.errors import LockFileError
    from parity.lock.load import read_group

    try:
        locked = read_group(spec, group)
    except LockFileError:
        return
    for finding in freshness_findings(spec, {group: locked}):
        click.echo(
            click.style("warning:", fg="yellow") + f" {finding.message}; run `parity lock`.",
            err=True,
        )
