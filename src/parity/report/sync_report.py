"""What ``parity sync`` tells the user."""

from __future__ import annotations

from dataclasses import asdict

from parity.env.sync import SyncOutcome
from parity.report.console import console, print_json


def render_sync(outcome: SyncOutcome, *, as_json: bool) -> None:
    if as_json:
        print_json({"schema": "parity/sync@1", **asdict(outcome)})
        return
    out = console()
    where = f"{outcome.venv} (Python {outcome.python}, group {outcome.group})"
    if not outcome.changed:
        out.print(f"[green]In sync:[/] {where}, {outcome.packages} packages; nothing to do.")
        return
    verb = "Created and synced" if outcome.created else "Synced"
    out.print(
        f"[green]{verb}[/] {where}: {outcome.installed} installed or changed, "
        f"{outcome.removed} removed, {outcome.packages} packages in all (hashes verified)."
    )
    for note in outcome.notes:
        out.print(f"[yellow]note:[/] {note}")
