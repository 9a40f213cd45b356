"""What ``parity check`` tells the user.

Plain click output, not rich: check runs on every commit and CI job, and
rich's import alone would cost a tenth of its time budget.
"""

from __future__ import annotations

import click

from parity.diagnose.check import CheckReport
from parity.report.console import print_json

_COLOUR = {"critical": "red", "high": "red", "medium": "yellow", "low": "yellow", "info": "blue"}


def render_check(report: CheckReport, *, as_json: bool) -> None:
    if as_json:
        print_json(report.to_json())
        return
    if report.ok:
        env = ""
        if "environment" in report.checked:
            env = f"; {report.venv} matches the '{report.group}' lock"
        click.echo(click.style("OK:", fg="green") + f" lock is fresh{env}.")
        return
    click.echo(click.style("check failed", fg="red") + f" ({len(report.findings)} finding(s)):")
    fixes: list[str] = []
    for f in report.findings:
        risk = f.data.get("risk")
        tag = click.style(f" ({risk} risk)", dim=True) if risk else ""
        click.echo(f"  {click.style(f'{f.code:<16}', fg=_COLOUR[f.severity])} {f.message}{tag}")
        if f.fix and f.fix not in fixes:
            fixes.append(f.fix)
    for fix in fixes:
        click.echo(f"  {click.style('fix:', bold=True)} {fix}")
