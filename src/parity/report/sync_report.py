"""What ``parity sync`` tells the user (plain output, as ``lock``'s: a no-op sync must be instant)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parity.env.sync import SyncOutcome
from parity.frozen import asdict
from parity.report.console import print_json
from parity.report.style import echo, style

if TYPE_CHECKING:
    from parity.env.conda_sync import CondaSyncOutcome


def hash_note(outcome: SyncOutcome) -> str:
    """Claim hash verification only when every locked package had a hash to check."""
    if outcome.hashes.all_verified:
        return " (hashes verified)"
    if outcome.hashes.total and len(outcome.hashes.unverified) < outcome.hashes.total:
        return " (hashes verified for some packages only)"
    return " (no hashes in the lock: nothing verified)" if outcome.hashes.total else ""


def render_sync(outcome: SyncOutcome | CondaSyncOutcome, *, as_json: bool) -> None:
    """What ``parity sync`` prints: what changed in the environment, or JSON."""
    if not isinstance(outcome, SyncOutcome):
        from parity.report.conda_report import render_conda_sync

        render_conda_sync(outcome, as_json=as_json)
        return
    if as_json:
        print_json({"schema": "parity/sync@1", **asdict(outcome)})
        return
    what = f"group {outcome.group}"
    if outcome.extras:
        what += f", extra{'s' if len(outcome.extras) > 1 else ''} {', '.join(outcome.extras)}"
    if not outcome.project_installed:
        what += ", without the project"
    where = f"{outcome.venv} (Python {outcome.python}, {what})"
    if not outcome.changed:
        echo(
            style("In sync:", fg="green") + f" {where}, {outcome.packages} packages; nothing to do."
        )
        render_warnings(outcome)
        return
    verb = "Created and synced" if outcome.created else "Synced"
    echo(
        style(verb, fg="green") + f" {where}: {outcome.installed} installed or changed, "
        f"{outcome.removed} removed, {outcome.packages} packages in all{hash_note(outcome)}."
    )
    unverified = outcome.hashes.unverified
    if unverified and outcome.hashes.total:
        names = ", ".join(unverified[:5]) + (", ..." if len(unverified) > 5 else "")
        echo(
            style("warning:", fg="yellow")
            + f" {len(unverified)} of {outcome.hashes.total} locked packages have no hash in "
            f"the lock, so their files were NOT verified: {names}",
            err=True,
        )
    for note in outcome.notes:
        echo(style("note:", fg="yellow") + f" {note}")
    render_warnings(outcome)


def render_warnings(outcome: SyncOutcome) -> None:
    for warning in outcome.warnings:
        echo(style("warning:", fg="yellow") + f" {warning}", err=True)
