"""What ``parity sync`` tells the user (plain click output: a no-op sync must be instant)."""

from __future__ import annotations

from dataclasses import asdict

import click

from parity.env.sync import SyncOutcome
from parity.report.console import print_json


def render_sync(outcome: SyncOutcome, *, as_json: bool) -> None:
    if as_json:
        print_json({"schema": "parity/sync@1", **asdict(outcome)})
        return
    where = f"{outcome.venv} (Python {outcome.python}, group {outcome.group})"
    if not outcome.changed:
        click.echo(
            click.style("In sync:", fg="green")
            + f" {where}, {outcome.packages} packages; nothing to do."
        )
        return
    verb = "Created and synced" if outcome.created else "Synced"
    click.echo(
        click.style(verb, fg="green") + f" {where}: {outcome.installed} installed or changed, "
        f"{outcome.removed} removed, {outcome.packages} packages in all (hashes verified)."
    )
    for note in outcome.notes:
        click.echo(click.style("note:", fg="yellow") + f" {note}")
