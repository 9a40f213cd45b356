"""parity export"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from parity.cli.common import project_option


@click.command("export")
@project_option
@click.option(
    "--to",
    "to",
    metavar="ARTIFACT",
    help="What to write: requirements, pylock, poetry, github-actions, gitlab-ci, makefile, "
    "pre-commit, conda, conda-pinned, devcontainer, dockerfile.",
)
@click.option("-o", "--output", metavar="PATH", help="Where to write it (relative to the project).")
@click.option(
    "-g",
    "--group",
    metavar="NAME",
    help="The group CI, the Makefile or the export uses (default: dev, else the widest).",
)
@click.option(
    "--with",
    "with_groups",
    multiple=True,
    metavar="GROUP",
    help="requirements: add this group to the main one (repeatable), as `poetry export --with`.",
)
@click.option("--without-hashes", is_flag=True, help="requirements: leave out --hash lines.")
@click.option(
    "--from",
    "source",
    type=click.Choice(["parity", "poetry.lock"]),
    help="requirements: read this lock (default: poetry.lock in a Poetry project that has one, else parity's).",
)
@click.option(
    "--engine",
    type=click.Choice(["parity", "pip-tools"]),
    help="makefile: call parity (default) or pip-compile/pip-sync.",
)
@click.option(
    "--lock", "run_lock", is_flag=True, help="poetry: also write poetry.lock by running Poetry."
)
@click.option(
    "--with-tools",
    is_flag=True,
    help="poetry: add the course's ruff, mypy, pytest and coverage settings when absent.",
)
@click.option(
    "--parity-action",
    metavar="OWNER/REPO@SHA",
    help="github-actions: run the gate with parity's action pinned to this commit.",
)
@click.option(
    "--refresh",
    is_flag=True,
    help="Instead of --to: write again every file parity generated and nobody changed, "
    "with the command its header records (after a new lock).",
)
@click.option(
    "--snapshot-matrix",
    is_flag=True,
    help="github-actions: add a job that snapshots every runner (OS x Python) and pushes "
    "it to the fleet store (secret PARITY_STORE) or keeps it as an artifact.",
)
@click.option(
    "--dry-run", is_flag=True, help="Print a unified diff of what would change; write nothing."
)
@click.option(
    "--force", is_flag=True, help="Replace generated files even when they were changed by hand."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the result as JSON (schema parity/export@1)."
)
def command(
    project: Path,
    to: str | None,
    output: str | None,
    group: str | None,
    with_groups: tuple[str, ...],
    without_hashes: bool,
    source: str | None,
    engine: str | None,
    run_lock: bool,
    with_tools: bool,
    parity_action: str | None,
    refresh: bool,
    snapshot_matrix: bool,
    dry_run: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Write one artifact from the project's spec and lock. Files parity generated carry a
    header naming the lock they came from; a generated file changed by hand, or a file
    that is not parity's, is never overwritten without --force."""
    from parity.api import export
    from parity.errors import UsageError
    from parity.report.strategy_report import render_outcome

    if refresh:
        if to is not None:
            raise UsageError("--refresh regenerates every generated file: leave out --to")
        from parity.api import refresh as run_refresh

        render_outcome(run_refresh(project, dry_run=dry_run), as_json=as_json)
        sys.exit(0)
    if to is None:
        raise UsageError(
            "say what to write with --to ARTIFACT (or --refresh)",
            hint="parity export --to github-actions, for example.",
        )
    outcome = export(
        project,
        to,
        dry_run=dry_run,
        force=force,
        output=output,
        group=group,
        with_groups=with_groups,
        without_hashes=without_hashes,
        source=source,
        engine=engine,
        run_lock=run_lock,
        with_tools=with_tools,
        parity_action=parity_action,
        snapshot_matrix=snapshot_matrix,
    )
    render_outcome(outcome, as_json=as_json)
    sys.exit(0)
