"""parity lock"""

from __future__ import annotations

from pathlib import Path

import click

from parity.cli.common import project_option


@click.command("lock")
@project_option
@click.option(
    "-U", "--upgrade", is_flag=True, help="Upgrade every package to its newest allowed version."
)
@click.option(
    "-P",
    "--upgrade-package",
    "upgrade_packages",
    multiple=True,
    metavar="NAME",
    help="Upgrade one package (repeatable); other pins are kept.",
)
@click.option("--python-version", metavar="X.Y", help="Lock for this Python version only.")
@click.option(
    "--python-platform",
    metavar="PLATFORM",
    help="Lock for this platform only (linux, macos, windows, x86_64-unknown-linux-gnu, ...).",
)
@click.option("--offline", is_flag=True, help="Work from the cache only; never touch the network.")
@click.option("--pre", "prerelease", is_flag=True, help="Allow pre-release versions.")
@click.option("--no-pylock", is_flag=True, help="Do not write pylock.toml.")
@click.option("--dry-run", is_flag=True, help="Resolve and report, but write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def command(
    project: Path,
    upgrade: bool,
    upgrade_packages: tuple[str, ...],
    python_version: str | None,
    python_platform: str | None,
    offline: bool,
    prerelease: bool,
    no_pylock: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Resolve every group in one resolution (uv) and write one lockfile per group
    (pip-tools format, with hashes and provenance) plus pylock.toml."""
    from parity.api import lock
    from parity.report.lock_report import render_lock

    outcome = lock(
        project,
        upgrade=upgrade,
        upgrade_packages=upgrade_packages,
        python_version=python_version,
        python_platform=python_platform,
        offline=offline,
        prerelease=prerelease,
        pylock=not no_pylock,
        dry_run=dry_run,
    )
    render_lock(outcome, as_json=as_json, dry_run=dry_run)
