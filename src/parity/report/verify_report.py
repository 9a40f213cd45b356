"""What ``parity verify`` tells the user: the checklist, numbered as in the course.

Plain click output, as ``check``: verify is timed against a raw uv rebuild,
and rich's import would be a noticeable share of a small project's run.
"""

from __future__ import annotations

import click

from parity.diagnose.verify import FAIL, PASS, SKIP, VerifyReport
from parity.report.console import print_json

_MARK = {PASS: ("PASS", "green"), FAIL: ("FAIL", "red"), SKIP: ("SKIP", "yellow")}


def render_verify(report: VerifyReport, *, as_json: bool) -> None:
    if as_json:
        print_json(report.to_json())
        return
    for line in verify_lines(report, color=True):
        click.echo(line)


def verify_lines(report: VerifyReport, *, color: bool = False) -> list[str]:
    def style(
        text: str, fg: str | None = None, bold: bool | None = None, dim: bool | None = None
    ) -> str:
        return click.style(text, fg=fg, bold=bold, dim=dim) if color else text

    lines = [
        style("Verification checklist", bold=True) + f" (group {report.group}, {report.lockfile}):"
    ]
    for number, item in enumerate(report.items, start=1):
        word, colour = _MARK.get(item.status, (item.status.upper(), "white"))
        lines.append(f"  {number}. {style(word, fg=colour)}  {item.title}")
        lines += [f"           {style(line, dim=True)}" for line in item.evidence]
        if item.status == FAIL and item.fix:
            lines.append(f"           {style('fix:', bold=True)} {item.fix}")
    counts = {s: sum(1 for i in report.items if i.status == s) for s in (PASS, FAIL, SKIP)}
    skipped = f", {counts[SKIP]} skipped (not failures)" if counts[SKIP] else ""
    if counts[FAIL]:
        lines.append(
            style(f"{counts[FAIL]} item(s) failed", fg="red") + f", {counts[PASS]} passed{skipped}."
        )
    else:
        lines.append(style("No item failed", fg="green") + f": {counts[PASS]} passed{skipped}.")
    return lines
