"""What ``parity init`` and ``parity export`` tell the user."""

from __future__ import annotations

import click

from parity.report.console import print_json
from parity.strategies.run import Outcome

_VERB = {"create": "created", "update": "updated", "unchanged": "unchanged"}
_DRY = {"create": "would create", "update": "would update", "unchanged": "unchanged"}


def render_outcome(outcome: Outcome, *, as_json: bool) -> None:
    if as_json:
        print_json(outcome.to_json())
        return
    if outcome.dry_run and outcome.diff:
        click.echo(outcome.diff, nl=False)
    words = _DRY if outcome.dry_run else _VERB
    for step in outcome.steps:
        click.echo(step)
    for change in outcome.changes:
        verb = words[change.status]
        colour = "green" if change.status == "create" else None
        if change.status == "unchanged":
            colour = "bright_black"
        click.echo(f"  {click.style(f'{verb:<13}', fg=colour)} {change.path}")
    for note in outcome.notes:
        click.echo(f"{click.style('note:', bold=True)} {note}")
    if outcome.dry_run:
        changed = len(outcome.written)
        click.echo(f"dry run: nothing written ({changed} file(s) would change).")
