"""parity diff"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from parity.errors import UsageError


@click.command("diff")
@click.argument("sides", nargs=-1, metavar="SIDE...")
@click.option(
    "--python",
    "pythons",
    multiple=True,
    metavar="PATH",
    help="A live interpreter to compare (repeatable; after the SIDEs).",
)
@click.option(
    "--env",
    "envs",
    multiple=True,
    metavar="DIR",
    help="A live environment directory, venv or conda prefix (repeatable; after --python).",
)
@click.option(
    "--direct",
    multiple=True,
    metavar="NAME",
    help="A package the project imports directly: weighs more (repeatable).",
)
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    help="Read the direct requirements of the project in this directory.",
)
@click.option(
    "-g",
    "--group",
    "groups",
    multiple=True,
    metavar="NAME",
    help="Groups to read from uv.lock / pylock.toml / poetry.lock sides, or the group whose "
    "lockfile stands for a project directory (default: prod, or the lock's default groups). "
    "A group a side does not have is an error.",
)
@click.option(
    "--rules",
    "rule_files",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Extra risk rules, in the format of the shipped table (repeatable).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Same as --format json (schema parity/diff@1)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="markdown suits a pull-request comment.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["low", "medium", "high", "critical"]),
    default="low",
    show_default=True,
    help="Exit 1 only when a difference is at least this severe.",
)
@click.option(
    "--top", type=click.IntRange(min=0), default=0, help="Show only the N riskiest rows (0: all)."
)
def command(
    sides: tuple[str, ...],
    pythons: tuple[str, ...],
    envs: tuple[str, ...],
    direct: tuple[str, ...],
    project: Path | None,
    groups: tuple[str, ...],
    rule_files: tuple[Path, ...],
    as_json: bool,
    fmt: str,
    fail_on: str,
    top: int,
) -> None:
    """Explain how environments or locks differ, most dangerous difference first.

    Each SIDE is a snapshot JSON file, a lockfile (requirements.txt, pylock.toml,
    uv.lock, poetry.lock), a requirements list (requirements.in), an environment
    directory or a project directory (its lock is used). The first side is the reference:
    the one that works.

    Exit 0 when the sides do not differ, 1 when they do, 2 on bad input.
    """
    from packaging.utils import canonicalize_name

    from parity.diagnose.diff import diff_snapshots
    from parity.diagnose.findings import as_severity
    from parity.diagnose.risk import load_rules
    from parity.diagnose.sides import live_side, project_direct_names, read_side, resolve_sides
    from parity.report.diff_report import render_diff

    if len(sides) + len(pythons) + len(envs) < 2:
        raise UsageError(
            "parity diff needs at least two sides",
            hint="For example `parity diff requirements.txt --python python3.9`, or two snapshot files.",
        )
    rules = load_rules(rule_files)
    wanted = frozenset(groups)
    read = [read_side(arg, groups=wanted) for arg in sides]
    read += [live_side(python=p) for p in pythons]
    read += [live_side(env_dir=e) for e in envs]
    for side in read:
        for note in getattr(side, "notes", ()):
            click.echo(f"note: {note}", err=True)
    names: set[str] = {canonicalize_name(n) for n in direct}
    if project is not None:
        from_project, note = project_direct_names(project)
        names |= from_project
        if note:
            click.echo(f"note: {note}", err=True)
    result = diff_snapshots(resolve_sides(read), direct=frozenset(names), rules=rules)
    render_diff(result, fmt="json" if as_json else fmt, top=top)
    sys.exit(1 if result.at_least(as_severity(fail_on)) else 0)
