"""parity why"""

from __future__ import annotations

from pathlib import Path

import click

from parity.cli.common import load, project_option


@click.command("why")
@click.argument("name")
@project_option
@click.option(
    "-g", "--group", "groups", multiple=True, help="Only these groups (repeatable; default: all)."
)
@click.option(
    "--venv",
    default=".venv",
    show_default=True,
    help="Environment whose metadata gives the constraints.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the result as JSON (schema parity/why@1)."
)
def command(name: str, project: Path, groups: tuple[str, ...], venv: str, as_json: bool) -> None:
    """Show why NAME is in the lock: direct, or through which chains of
    dependencies, with the version constraint at each step."""
    from parity.diagnose.why import explain
    from parity.env.sync import resolve_group
    from parity.lock.formats.requirements_txt import read_group_lock
    from parity.report.why_report import render_why

    spec = load(project)
    wanted = [resolve_group(spec, g) for g in groups] or list(spec.group_names)
    locks = {
        g: read_group_lock(spec.root / spec.group(g).output, display=spec.group(g).output)
        for g in spec.group_names
    }
    render_why(explain(spec, locks, name, groups=wanted, venv=venv), as_json=as_json)
