"""What ``parity lock`` tells the user.

Plain output (report/style.py), as ``check``'s: importing rich or click would cost more than
everything a lock does besides the resolution.
"""

from __future__ import annotations

from collections.abc import Sequence

from parity.lock.outcome import LockOutcome, PinChange
from parity.report.console import print_json
from parity.report.style import echo, style

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from parity.lock.conda_locker import CondaLockOutcome


UNCHANGED = "Nothing changed: the lockfiles already held this lock."
# What a repeated `parity lock` adds when it answers from the record of the last one.
UP_TO_DATE = (
    "Up to date: the inputs, the Python target, the resolver options and the lockfiles are "
    "as the last `parity lock` left them, so nothing was resolved "
    "(`parity lock --upgrade` resolves again).\n"
)
# What a lock answered from its own digests says.
CURRENT = (
    "Up to date: the lockfiles' digests match the inputs, the Python target and the resolver "
    "options, and the lockfiles are intact, so nothing was resolved "
    "(`parity lock --upgrade` resolves again)."
)


def plural(count: int, word: str) -> str:
    """``1 package``, ``2 packages``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _count(group: object) -> str:
    """``3 packages``, or ``3 packages (4 pins)`` when markers lock one at two versions."""
    pins = getattr(group, "pins", ())
    names = len({p.name for p in pins})
    text = plural(names, "package")
    return text if names == len(pins) else f"{text} ({len(pins)} pins)"


def grouped_changes(
    changes: Sequence[PinChange],
) -> list[tuple[str, str | None, str | None, tuple[str, ...]]]:
    """Each change once, with every group it happened in (in the groups' order)."""
    merged: dict[tuple[str, str | None, str | None], list[str]] = {}
    for change in changes:
        merged.setdefault((change.name, change.before, change.after), []).append(change.group)
    return [(n, b, a, tuple(g)) for (n, b, a), g in sorted(merged.items(), key=lambda i: i[0][0])]


def render_lock(
    outcome: LockOutcome | CondaLockOutcome,
    *,
    as_json: bool,
    dry_run: bool = False,
    quiet: bool = False,
) -> None:
    """What ``parity lock`` prints: what it read, the groups, what changed; or JSON."""
    if not isinstance(outcome, LockOutcome):
        from parity.report.conda_report import render_conda_lock

        if not quiet or as_json:
            render_conda_lock(outcome, as_json=as_json, dry_run=dry_run)
        return
    lock = outcome.lock
    notes = list(outcome.notes)
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
                "read": {group: origin for group, origin in outcome.read},
                "written": [] if dry_run else list(outcome.written),
                "changed_files": [] if dry_run else list(outcome.changed_files),
                "resolved": outcome.resolved,
                "changes": [
                    {"group": c.group, "name": c.name, "before": c.before, "after": c.after}
                    for c in outcome.changes
                ],
                "prereleases": [
                    {"name": p.name, "version": p.version, "reason": p.reason}
                    for p in outcome.prereleases
                ],
                "adopted_from": list(outcome.adopted_from),
                "notes": notes,
            }
        )
        return
    if quiet:
        return
    bold = _bold
    width = max([len(g.name) for g in lock.groups] + [len("(all)")])
    if outcome.read:
        echo(f"{bold('Read')}:")
        for group, origin in outcome.read:
            echo(f"  {group:<{width}}  {origin}")
    target = lock.meta.target or f"Python {lock.meta.requires_python}, every platform"
    echo(f"{bold('Locked')} {plural(len(lock.groups), 'group')} for {target}:")
    counts = {g.name: _count(g) for g in lock.groups}
    count_width = max(len(c) for c in counts.values())
    for g in lock.groups:
        count = counts[g.name]
        echo(f"  {g.name:<{width}}  {count:>{count_width}}  -> {g.output}")
    if lock.pylock is not None:
        echo(f"  {'(all)':<{width}}  {'':>{count_width}}  -> pylock.toml")
    if outcome.adopted_from:
        echo(
            "Kept the versions of "
            + ", ".join(outcome.adopted_from)
            + " where they still fit (the project's first parity lock)."
        )
    changes = grouped_changes(outcome.changes)
    if changes:
        echo(f"{bold('Changes')}:")
        for name, before, after, groups in changes:
            where = f"  ({', '.join(groups)})"
            if before is None:
                echo(f"  {style('+', fg='green')} {name} {after}{where}")
            elif after is None:
                echo(f"  {style('-', fg='red')} {name} {before}{where}")
            else:
                echo(f"  {style('~', fg='yellow')} {name} {before} -> {after}{where}")
    note = style("note:", fg="yellow")
    for prerelease in outcome.prereleases:
        echo(f"{note} {prerelease.describe()}")
    for text in notes:
        echo(f"{note} {text}")
    if dry_run:
        echo("(dry run: nothing written)")
    elif not outcome.resolved:
        echo(CURRENT)
    elif not outcome.changed_files:
        echo(UNCHANGED)


def _bold(text: str) -> str:
    return style(text, bold=True)
