"""What ``parity verify`` tells the user."""

from __future__ import annotations

from parity.diagnose.verify import FAIL, PASS, VerifyReport
from parity.report.console import console, print_json

_MARK = {PASS: "[green]PASS[/]", FAIL: "[red]FAIL[/]"}


def render_verify(report: VerifyReport, *, as_json: bool) -> None:
    if as_json:
        print_json(report.to_json())
        return
    from rich.markup import escape

    out = console()
    out.print(f"[bold]Verification checklist[/] (group {report.group}):")
    for item in report.items:
        out.print(f"  {_MARK.get(item.status, '[yellow]SKIP[/]')}  {item.title}")
        for line in item.evidence:
            out.print(f"          [dim]{escape(line)}[/]")
        if item.status == FAIL and item.fix:
            out.print(f"          fix: {escape(item.fix)}")
    failed = sum(1 for i in report.items if i.status == FAIL)
    if failed:
        out.print(f"[red]{failed} item(s) failed.[/]")
    else:
        out.print(
            "[green]Every item passed.[/]"
            if all(i.status == PASS for i in report.items)
            else "[green]No item failed.[/]"
        )
