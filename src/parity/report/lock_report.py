"""What ``parity lock`` tells the user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parity.lock.locker import LockOutcome
from parity.report.console import console, print_json

if TYPE_CHECKING:
    from parity.lock.conda_locker import CondaLockOutcome


def render_lock(
    outcome: LockOutcome | CondaLockOutcome, *, as_json: bool, dry_run: bool = False
) -> None:
    """What ``parity lock`` prints: a summary and the pins that changed, or JSON."""
    if not isinstance(outcome, LockOutcome):
        from parity.report.conda_report import render_conda_lock

        render_conda_lock(outcome, as_json=as_json, dry_run=dry_run)
        return
    lock = outcome.lock
    if as_json:
        print_json(
            {
                "schema": "parity/lock@1",
                "digest": lock.meta.digest,
                "requires_python": lock.meta.requires_python,
                "python": lock.meta.python,
                "target": lock.meta.target,
                "groups": {
                    g.name: {"output": g.output, "packages": len(g.pins)} for g in lock.groups
                },
                "written": [] if dry_run else list(outcome.written),
                "changes": [
                    {"group": c.group, "name": c.name, "before": c.before, "after": c.after}
                    for c in outcome.changes
                ],
                "notes": list(outcome.notes),
            }
        )
        return
    out = console()
    target = lock.meta.target or f"Python {lock.meta.requires_python}, every platform"
    out.print(f"[bold]Locked[/] {len(lock.groups)} group(s) for {target}:")
    for g in lock.groups:
        out.print(f"  {g.name:<10} {len(g.pins):>4} packages  -> {g.output}")
    if lock.pylock is not None:
        out.print(f"  {'(all)':<10} {'':>4}           -> pylock.toml")
    if outcome.changes:
        seen: set[tuple[str, str | None, str | None]] = set()
        out.print("[bold]Changes:[/]")
        for c in outcome.changes:
            key = (c.name, c.before, c.after)
            if key in seen:
                continue
            seen.add(key)
            if c.before is None:
                out.print(f"  [green]+[/] {c.name} {c.after}")
            elif c.after is None:
                out.print(f"  [red]-[/] {c.name} {c.before}")
            else:
                out.print(f"  [yellow]~[/] {c.name} {c.before} -> {c.after}")
    for note in outcome.notes:
        out.print(f"[yellow]note:[/] {note}")
    if dry_run:
        out.print("(dry run: nothing written)")
