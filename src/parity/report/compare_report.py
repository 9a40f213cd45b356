"""What ``parity compare`` prints: one column per measured strategy, one row per figure.

Figures are medians of the runs; the best of each row is in bold.
Strategies that could not be measured are listed under the table with the
reason.  ``--json`` prints ``parity/compare@1``.
"""

from __future__ import annotations

from parity.compare.model import METRICS, CompareResult, TargetResult
from parity.report.console import console, print_json

# Terminal labels: the table must fit 80 columns with four strategies.
SHORT = {
    "lock_cold": "lock, cold cache",
    "lock_warm": "lock, warm cache",
    "relock": "re-lock, no change",
    "env_cold": "env, cold cache",
    "env_warm": "env, warm cache",
    "resync": "re-sync, no-op",
    "env_bytes": "env on disk",
    "lock_bytes": "lockfile size",
    "pins": "pinned packages",
}
HEADER = {"pip-tools/pip-compile": "pip-compile"}


def short_tools(text: str) -> str:
    """``parity 0.1.0 (uv 0.9.2 (abc 2025-01-01))`` -> ``parity 0.1.0, uv 0.9.2``."""
    import re

    found = re.findall(r"([A-Za-z][\w.-]*) v?(\d+(?:\.\d+)+)", text)
    return ", ".join(f"{name} {version}" for name, version in found[:2]) or text


def seconds_text(value: float) -> str:
    if value < 10:
        return f"{value:.2f} s"
    if value < 100:
        return f"{value:.1f} s"
    return f"{value:.0f} s"


def bytes_text(value: float) -> str:
    size = float(value)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


def value_text(unit: str, value: float) -> str:
    if unit == "s":
        return seconds_text(value)
    if unit == "bytes":
        return bytes_text(value)
    return f"{value:.0f}"


def check_text(target: TargetResult, which: str) -> str:
    check = target.reproducible if which == "reproducible" else target.cache_key
    if check is None or check.ok is None:
        return "—"
    return "yes" if check.ok else "no"


def headline(result: CompareResult) -> str:
    runs = f"{result.runs} run{'s' if result.runs != 1 else ''}"
    median = ", medians" if result.runs > 1 else ""
    return (
        f"parity compare: {result.project} (group {result.group}, {runs}{median}; "
        f"{result.machine}; measured {result.measured_at})"
    )


def render_compare(result: CompareResult, *, as_json: bool = False) -> None:
    if as_json:
        print_json(result.to_json())
        return
    from rich.table import Table
    from rich.text import Text

    out = console()
    out.print(Text(headline(result), style="bold"))
    measured = [t for t in result.targets if t.measured]
    if measured:
        table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
        table.add_column("")
        for target in measured:
            table.add_column(HEADER.get(target.target, target.target), justify="right")
        for metric in METRICS:
            values = [t.median(metric.key) for t in measured]
            if all(v is None for v in values):
                continue
            present = [v for v in values if v is not None]
            best = min(present) if present and metric.unit != "count" else None
            cells = []
            for value in values:
                if value is None:
                    cells.append(Text("—"))
                    continue
                style = "bold" if best is not None and value == best and len(present) > 1 else ""
                cells.append(Text(value_text(metric.unit, value), style=style))
            table.add_row(SHORT.get(metric.key, metric.label), *cells)
        table.add_row(
            "two builds identical", *(Text(check_text(t, "reproducible")) for t in measured)
        )
        table.add_row("CI cache key stable", *(Text(check_text(t, "cache_key")) for t in measured))
        out.print(table)
        tools = "; ".join(
            f"{HEADER.get(t.target, t.target)}: {short_tools(t.tools)}" for t in measured
        )
        out.print(Text(f"tools: {tools}", style="dim"))
        problems = [
            (t.target, check.detail)
            for t in measured
            for check in (t.reproducible, t.cache_key)
            if check is not None and check.ok is False
        ]
        for name, detail in problems:
            out.print(Text(f"{name}: {detail}", style="yellow"))
    skipped = [t for t in result.targets if not t.measured]
    if skipped:
        out.print("Not measured:")
        for target in skipped:
            out.print(Text(f"  {target.target}: {target.reason}"))
    for note in result.notes:
        out.print(Text(f"note: {note}", style="dim"))
    if result.cache_file:
        verb = "Answered from" if result.cached else "Kept in"
        out.print(
            Text(
                f"{verb} {result.cache_file} (per input digest); --fresh measures again.",
                style="dim",
            )
        )
