"""parity lock"""

from __future__ import annotations

from pathlib import Path

import click

from parity.cli.common import (
    format_option,
    output_options,
    project_option,
    spec_format,
    verbosity,
)


@click.command("lock")
@click.argument("inputs", nargs=-1, metavar="[INPUT]...", type=click.Path(path_type=Path))
@project_option
@format_option
@click.option(
    "-g",
    "--group",
    "groups",
    multiple=True,
    metavar="NAME",
    help="Lock only this group (repeatable); every other group keeps its pins.",
)
@click.option(
    "-o",
    "--output-file",
    "output_file",
    metavar="FILE",
    help="Write the one group being locked to FILE instead of its usual lockfile.",
)
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
@click.option(
    "-i", "--index-url", metavar="URL", help="The package index to resolve against (as pip's)."
)
@click.option(
    "--extra-index-url",
    "extra_index_urls",
    multiple=True,
    metavar="URL",
    help="Another index to resolve against (repeatable).",
)
@click.option("--offline", is_flag=True, help="Work from the cache only; never touch the network.")
@click.option(
    "--pre",
    "prerelease",
    is_flag=True,
    help="Allow pre-release versions (without it, a pre-release is chosen only when nothing "
    "else fits, and reported).",
)
@click.option("--no-pylock", is_flag=True, help="Do not write pylock.toml.")
@click.option("--dry-run", is_flag=True, help="Resolve and report, but write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@output_options
def command(
    inputs: tuple[Path, ...],
    project: Path,
    groups: tuple[str, ...],
    output_file: str | None,
    upgrade: bool,
    upgrade_packages: tuple[str, ...],
    python_version: str | None,
    python_platform: str | None,
    index_url: str | None,
    extra_index_urls: tuple[str, ...],
    offline: bool,
    prerelease: bool,
    no_pylock: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Resolve every group in one resolution (uv) and write one lockfile per group
    (pip-tools format, with hashes and provenance) plus pylock.toml.

    INPUT files (requirements/dev.in, pyproject.toml) lock only the groups read
    from them, as `pip-compile requirements/dev.in` does; every other group keeps
    its pins, so prod and dev still agree on every shared package."""
    from parity.cli.plain import run_lock

    ctx = click.get_current_context()
    run_lock(
        project=project,
        spec_format=spec_format(ctx),
        inputs=inputs,
        groups=groups,
        output_file=output_file,
        upgrade=upgrade,
        upgrade_packages=upgrade_packages,
        python_version=python_version,
        python_platform=python_platform,
        index_url=index_url,
        extra_index_urls=extra_index_urls,
        offline=offline,
        prerelease=prerelease,
        no_pylock=no_pylock,
        dry_run=dry_run,
        as_json=as_json,
        quiet=verbosity() < 0,
    )
