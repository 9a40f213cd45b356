"""parity verify"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from parity.cli.common import format_option, project_option, project_spec


@click.command("verify")
@project_option
@format_option
@click.option("-g", "--group", help="The group to rebuild (default: prod).")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the result as JSON (schema parity/verify@1)."
)
def command(project: Path, group: str | None, as_json: bool) -> None:
    """Run the verification checklist: a fresh environment created and
    activated, the lockfile exact, committed and fresh, a from-scratch rebuild
    equal to the lock, consistent and importable, and CI installing from the
    same lock. Exit 1 if any item fails, 2 on bad input."""
    from parity.api import verify
    from parity.report.verify_report import render_verify

    report = verify(project_spec(project), group=group)
    render_verify(report, as_json=as_json)
    sys.exit(0 if report.ok else 1)
