"""What ``parity why`` tells the user."""

from __future__ import annotations

from collections import Counter

from parity.diagnose.why import MAX_LISTED, MAX_PRINTED, WhyReport
from parity.report.console import console, print_json


def render_why(report: WhyReport, *, as_json: bool) -> None:
    if as_json:
        print_json(report.to_json())
        return
    from rich.markup import escape

    out = console()
    for line in why_lines(report):
        out.print(escape(line))


def why_lines(report: WhyReport) -> list[str]:
    """The answer as plain lines (the terminal adds nothing but the wrapping)."""
    lines: list[str] = []
    local = sorted({v.source for v in report.locked if v.source is not None and v.version is None})
    if report.split:
        head = report.name
    elif local and report.version is None:
        where = ", ".join(local)
        head = f"{report.name} ({'the project itself' if where == '.' else where}, from the source tree)"
    elif report.version is not None:
        head = f"{report.name} {report.version}"
    else:
        pinned = ", ".join(f"{v} ({g})" for g, v in report.versions)
        head = f"{report.name} (locked at {pinned})"
    groups = _groups(report.groups)
    if report.is_direct:
        by_source: dict[str, list[str]] = {}
        for group, source in report.direct_in:
            by_source.setdefault(source, []).append(group)
        where = "; ".join(f"{source} ({_groups(gs)})" for source, gs in by_source.items())
        lines.append(f"{head} is a direct requirement: {where}.")
    else:
        lines.append(f"{head} is transitive ({groups}).")
    direct_chains = sum(1 for c in report.chains if len(c.steps) == 1)
    chains = [c for c in report.chains if len(c.steps) > 1]
    count = report.total_chains - direct_chains
    if chains:
        at_least = "" if report.complete else "at least "
        lead = "It is also needed" if report.is_direct else "It is needed"
        lines.append(f"{lead} through {at_least}{count} chain{'s' if count != 1 else ''}:")
        # Chains that differ only in versions (groups locked apart) show them.
        repeated = Counter(c.names() for c in chains)
        for chain in chains[:MAX_PRINTED]:
            text = chain.render(with_versions=repeated[chain.names()] > 1)
            lines.append(f"  {text}  [{', '.join(chain.groups)}]")
        if count > MAX_PRINTED:
            rest = count - MAX_PRINTED
            lines.append(f"  ... and {at_least}{rest} more (--json lists up to {MAX_LISTED})")
    elif not report.is_direct:
        lines.append(
            "No chain from a direct requirement reaches it through the lock's `# via` annotations."
        )
    if report.split:
        lines += split_lines(report)
    else:
        lines += where_lines(report)
    lines += report.notes
    if report.missing_locks:
        lines.append(f"Not read (no lockfile yet): {', '.join(report.missing_locks)}.")
    return lines


def _groups(names: tuple[str, ...] | list[str]) -> str:
    return f"group{'s' if len(names) > 1 else ''} {', '.join(names)}"


def split_lines(report: WhyReport) -> list[str]:
    """The versions a universal lock holds, each with its marker and where it applies."""
    merged: dict[tuple[str | None, str | None, bool | None], list[str]] = {}
    for item in report.locked:
        merged.setdefault((item.version, item.marker, item.applies), []).append(item.group)
    lines = [f"The lock holds {len(merged)} versions of it, by environment:"]
    for (version, marker, applies), groups in merged.items():
        mark = {True: "  <- applies here", False: "", None: "  (marker not evaluated)"}[applies]
        lines.append(f"  {version}  ; {marker or 'everywhere'}  [{', '.join(groups)}]{mark}")
    if report.evaluated_for:
        lines.append(f'("here" is {report.evaluated_for}.)')
    return lines


def where_lines(report: WhyReport) -> list[str]:
    """Where a package the lock holds under a marker is installed, and whether here."""
    if not any(item.marker for item in report.locked):
        return []
    merged: dict[tuple[str | None, bool | None], list[str]] = {}
    for item in report.locked:
        merged.setdefault((item.marker, item.applies), []).append(item.group)
    several = len(merged) > 1
    lines: list[str] = []
    for (marker, applies), groups in merged.items():
        which = f" in {_groups(groups)}" if several else ""
        if marker is None:
            lines.append(f"It is installed everywhere{which}.")
            continue
        here = {True: "here it is", False: "not here", None: "marker not evaluated here"}
        lines.append(f"It is installed only where {marker}{which}: {here[applies]}.")
    if report.evaluated_for:
        lines.append(f'("here" is {report.evaluated_for}.)')
    return lines
