"""What ``parity why`` tells the user."""

from __future__ import annotations

from parity.diagnose.why import WhyReport
from parity.report.console import console, print_json


def render_why(report: WhyReport, *, as_json: bool) -> None:
    if as_json:
        print_json(report.to_json())
        return
    from rich.markup import escape

    out = console()
    head = f"[bold]{report.name} {report.version or ''}[/]".rstrip()
    if report.is_direct:
        by_source: dict[str, list[str]] = {}
        for group, source in report.direct_in:
            by_source.setdefault(source, []).append(group)
        where = ", ".join(
            f"{source} (group{'s' if len(gs) > 1 else ''} {', '.join(gs)})"
            for source, gs in by_source.items()
        )
        out.print(f"{head} is a [green]direct[/] requirement: {where}.")
    else:
        out.print(f"{head} is [yellow]transitive[/] (in group {', '.join(report.groups)}).")
    chains = [c for c in report.chains if len(c.steps) > 1]
    if chains:
        count = report.total_chains - sum(1 for c in report.chains if len(c.steps) == 1)
        lead = "It is also needed" if report.is_direct else "It is needed"
        out.print(f"{lead} through {count} chain(s):")
        for chain in chains:
            groups = escape(f"[{', '.join(chain.groups)}]")
            out.print(f"  {escape(chain.render())}  [dim]{groups}[/]")
        if report.total_chains > len(report.chains):
            out.print(f"  ... and {report.total_chains - len(report.chains)} more (see --json)")
    if not report.constraints_known:
        out.print(
            "[dim]Constraints between packages come from the synced environment: run `parity sync` to see them.[/]"
        )
