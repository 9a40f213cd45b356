"""What ``parity sync`` tells the user (plain click output: a no-op sync must be instant)."""

from __future__ import annotations

from dataclasses import asdict

import click

from parity.env.sync import SyncOutcome
from parity.report.console import print_json


def hash_note(outcome: SyncOutcome) -> str:
    """Claim hash verification only when every locked package had a hash to check."""
    if outcome.hashes.all_verified:
        return " (hashes verified)"
    if outcome.hashes.total and len(outcome.hashes.unverified) < outcome.hashes.total:
        return " (hashes verified for some packages only)"
    return " (no hashes in the lock: nothing verified)" if outcome.hashes.total else ""


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
        f"{outcome.removed} removed, {outcome.packages} packages in all{hash_note(outcome)}."
    )
    unverified = outcome.hashes.unverified
    if unverified and outcome.hashes.total:
        names = ", ".join(unverified[:5]) + (", ..." if len(unverified) > 5 else "")
        click.echo(
            click.style("warning:", fg="yellow")
            + f" {len(unverified)} of {outcome.hashes.total} locked packages have no hash in "
            f"the lock, so their files were NOT verified: {names}",
            err=True,
        )
    for note in outcome.notes:
        click.echo(click.style("note:", fg="yellow") + f" {note}")
