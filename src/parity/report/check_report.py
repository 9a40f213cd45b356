"""What ``parity check`` tells the user."""

from __future__ import annotations

from parity.diagnose.check import CheckReport
from parity.diagnose.findings import Severity
from parity.report.console import console, print_json

_STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def render_check(report: CheckReport, *, as_json: bool) -> None:
    if as_json:
        print_json(report.to_json())
        return
    out = console()
    if report.ok:
        env = ""
        if "environment" in report.checked:
            env = f"; {report.venv} matches the '{report.group}' lock"
        out.print(f"[green]OK:[/] lock is fresh{env}.")
        return
    out.print(f"[red]check failed[/] ({len(report.findings)} finding(s)):")
    fixes: list[str] = []
    for f in report.findings:
        style = _STYLE[f.severity]
        risk = f.data.get("risk")
        tag = f" [dim]({risk} risk)[/]" if risk else ""
        out.print(f"  [{style}]{f.code:<16}[/] {f.message}{tag}")
        if f.fix and f.fix not in fixes:
            fixes.append(f.fix)
    for fix in fixes:
        out.print(f"  [bold]fix:[/] {fix}")
