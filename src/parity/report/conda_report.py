"""What ``parity lock`` and ``parity sync`` tell the user about a conda project."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parity.report.console import console, print_json

if TYPE_CHECKING:
    from parity.env.conda_sync import CondaSyncOutcome
    from parity.lock.conda_locker import CondaLockOutcome


def render_conda_lock(result: CondaLockOutcome, *, as_json: bool, dry_run: bool = False) -> None:
    outcome = result.outcome
    lock = result.conda_lock
    if as_json:
        print_json(
            {
                "schema": "parity/lock@1",
                "digest": outcome.lock.meta.digest,
                "requires_python": outcome.lock.meta.requires_python,
                "python": outcome.lock.meta.python,
                "conda": {
                    name: {
                        "channels": list(env.channels),
                        "platforms": {p: len(r) for p, r in sorted(env.conda.items())},
                    }
                    for name, env in sorted(lock.environments.items())
                },
                "groups": {
                    g.name: {"output": g.output, "packages": len(g.pins)}
                    for g in outcome.lock.groups
                },
                "written": [] if dry_run else list(outcome.written),
                "resolved": outcome.resolved,
                "changes": [
                    {"group": c.group, "name": c.name, "before": c.before, "after": c.after}
                    for c in outcome.changes
                ],
                "notes": list(outcome.notes),
            }
        )
        return
    out = console()
    out.print(f"[bold]Locked[/] {len(lock.environments)} conda environment(s) -> conda.lock:")
    for name, env in sorted(lock.environments.items()):
        sizes = ", ".join(f"{p} {len(r)} packages" for p, r in sorted(env.conda.items()))
        out.print(f"  {name:<10} {sizes}")
    for g in outcome.lock.groups:
        out.print(f"  {g.name + ' (pip)':<10} {len(g.pins):>4} packages  -> {g.output}")
    if outcome.changes:
        out.print("[bold]Changes:[/]")
        for c in outcome.changes:
            where = c.group.removeprefix("conda:")
            if c.before is None:
                out.print(f"  [green]+[/] {c.name} {c.after}  ({where})")
            elif c.after is None:
                out.print(f"  [red]-[/] {c.name} {c.before}  ({where})")
            else:
                out.print(f"  [yellow]~[/] {c.name} {c.before} -> {c.after}  ({where})")
    for note in outcome.notes:
        out.print(f"[yellow]note:[/] {note}")
    if dry_run:
        out.print("(dry run: nothing written)")
    elif not outcome.resolved:
        from parity.report.lock_report import CURRENT

        out.print(CURRENT, highlight=False)


def render_conda_sync(outcome: CondaSyncOutcome, *, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "schema": "parity/sync@1",
                "group": outcome.group,
                "environment": outcome.prefix,
                "kind": "conda",
                "python": outcome.python,
                "changed": outcome.changed,
                "created": outcome.created,
                "conda_packages": outcome.conda_packages,
                "pip_installed": outcome.pip_installed,
                "pip_removed": outcome.pip_removed,
                "notes": list(outcome.notes),
            }
        )
        return
    import click

    if not outcome.changed:
        click.echo(
            f"{outcome.prefix} already matches conda.lock (group {outcome.group}, "
            f"{outcome.conda_packages} conda packages): nothing to do."
        )
        return
    verb = "Created" if outcome.created else "Synced"
    click.echo(
        f"{verb} {outcome.prefix} (conda, Python {outcome.python}, group {outcome.group}): "
        f"{outcome.conda_packages} conda packages from conda.lock"
        + (
            f", pip: {outcome.pip_installed} installed, {outcome.pip_removed} removed"
            if outcome.pip_installed or outcome.pip_removed
            else ""
        )
        + "."
    )
    for note in outcome.notes:
        click.echo(f"note: {note}", err=True)
