"""What the ``parity fleet`` commands show: terminal tables, JSON, markdown, HTML.

Status: the aspects that drift (riskiest first) with each machine's value,
then the machines (most at risk first).  With a few machines the aspects are
a matrix (one column per machine); with many, each aspect lists its values
and the machines that have them.  The HTML page adds a heat map of machines
x aspects.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from parity.report.console import print_json

if TYPE_CHECKING:
    from rich.table import Table

    from parity.fleet.history import History
    from parity.fleet.query import QueryResult
    from parity.fleet.service import PruneOutcome
    from parity.fleet.status import Aspect, FleetStatus, Machine

ABSENT = "—"
MATRIX_MACHINES = 6  # up to this many machines, one column each
MARKDOWN_MATRIX_MACHINES = 8
HEATMAP_ASPECTS = 40
HEATMAP_MACHINES = 200
_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "dim"}


# ----------------------------------------------------------------- status


def render_status(
    status: FleetStatus, *, fmt: str = "table", top: int = 20, machines_shown: int = 20
) -> None:
    if fmt == "json":
        print_json(status.to_json())
        return
    if fmt == "markdown":
        sys.stdout.write(status_markdown(status, top=top))
        return
    from parity.report.console import console

    out = console()
    out.print(_text(status_headline(status)))
    out.print(_text(status_summary(status)))
    if status.aspects:
        out.print(aspect_table(status, top=top))
        hidden = len(status.aspects) - min(len(status.aspects), top or len(status.aspects))
        if hidden:
            out.print(
                _text(f"{hidden} lower-risk aspects not shown (--top 0 shows all)."), style="dim"
            )
    out.print(machine_table(status, limit=machines_shown))
    hidden_machines = len(status.machines) - min(
        len(status.machines), machines_shown or len(status.machines)
    )
    if hidden_machines:
        out.print(
            _text(f"{hidden_machines} more machines not shown (--json lists all)."), style="dim"
        )
    reasons = why_lines(status)
    if reasons:
        out.print("[bold]Why, and what to do (riskiest first):[/]")
        for i, (heading, reason, fix) in enumerate(reasons, start=1):
            out.print(f"  {i}. ", _text(heading), style="bold", sep="")
            out.print(_text(f"     {reason}"))
            out.print(_text(f"     → {fix}"))
    for note in status.notes:
        out.print(_text(f"note: {note}"), style="dim")


def status_headline(status: FleetStatus) -> str:
    n = len(status.machines)
    roles = ", ".join(f"{count} {role}" for role, count in status.roles().items())
    return (
        f"Fleet: {n} machine{'s' if n != 1 else ''} ({roles}) in {status.store}, "
        f"compared with {status.reference}."
    )


def status_summary(status: FleetStatus) -> str:
    if not status.aspects:
        return "No drift: every machine matches the reference."
    drifting = sum(1 for r in status.risks if r.score)
    counts = ", ".join(f"{n} {label}" for label, n in status.counts().items() if n)
    n = len(status.aspects)
    return (
        f"{n} aspect{'s drift' if n != 1 else ' drifts'} on {drifting} of {len(status.machines)} "
        f"machines ({counts}); riskiest first."
    )


def aspect_table(status: FleetStatus, *, top: int = 20) -> Table:
    """Aspects x machines (a few machines) or aspects with who differs (many); the
    reasons follow the table, for the riskiest aspects (``why_lines``)."""
    from rich.table import Table
    from rich.text import Text

    matrix = len(status.machines) <= MATRIX_MACHINES
    table = Table(expand=False, title="Drift by aspect", title_justify="left")
    table.add_column("risk", no_wrap=True, min_width=12)
    shown = _top(status.aspects, top)
    subject_width = min(28, max(len(a.subject) for a in shown)) if shown else 6
    table.add_column("aspect", no_wrap=True, min_width=subject_width, overflow="ellipsis")
    table.add_column(_clip(status.reference, 24), no_wrap=True, max_width=24, overflow="ellipsis")
    if matrix:
        for m in status.machines:
            table.add_column(
                m.label,
                no_wrap=True,
                min_width=min(len(m.label), 12),
                max_width=24,
                overflow="ellipsis",
            )
    else:
        table.add_column("differs on", ratio=1, min_width=30)
    for aspect in shown:
        if matrix:
            middle = [Text(v) for v in _matrix_values(status, aspect)]
        else:
            middle = [Text(grouped_values(status, aspect))]
        table.add_row(
            Text(f"{aspect.severity} {aspect.score}", style=_STYLE.get(aspect.severity, "")),
            Text(aspect.subject),
            Text(aspect.reference or ABSENT),
            *middle,
        )
    return table


def why_lines(status: FleetStatus, limit: int = 5) -> list[tuple[str, str, str]]:
    """(heading, reason, fix) of the riskiest aspects that need a fix, each fix once."""
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for aspect in status.aspects:
        worst = aspect.worst
        if aspect.severity == "low" or worst.fix in seen:
            continue
        seen.add(worst.fix)
        n = len(aspect.cells)
        heading = (
            f"{aspect.subject} ({aspect.severity} {aspect.score}, "
            f"{n} machine{'s' if n != 1 else ''})"
        )
        out.append((heading, worst.message, worst.fix))
        if len(out) == limit:
            break
    return out


def machine_table(status: FleetStatus, *, limit: int = 20) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Machines, most at risk first", title_justify="left")
    rows = list(zip(status.machines, status.risks, strict=True))
    shown = rows[:limit] if limit else rows
    columns = machine_columns(status)
    for name in columns:
        table.add_column(name, no_wrap=name != "drift", min_width=12 if name == "drift" else None)
    for machine, risk in shown:
        severity = risk.severity or ""
        values = machine_row(status, machine, risk.counts, columns)
        table.add_row(
            *(Text(v) for v in values[:-1]),
            Text(values[-1], style=_STYLE.get(severity, "")),
        )
    return table


def machine_columns(status: FleetStatus) -> list[str]:
    """The machine table's columns; platform, commit and lock only when they say something."""
    columns = ["machine", "role", "python"]
    if len({m.platform for m in status.machines}) > 1:
        columns.append("platform")
    columns.append("seen (UTC)")
    if any(m.git_commit for m in status.machines):
        columns.append("commit")
    if any(m.lock_digest for m in status.machines):
        columns.append("lock")
    return [*columns, "drift"]


def machine_row(
    status: FleetStatus, machine: Machine, counts: object, columns: Sequence[str]
) -> list[str]:
    values = {
        "machine": machine.label,
        "role": machine.role,
        "python": machine.python or ABSENT,
        "platform": machine.platform or ABSENT,
        "seen (UTC)": short_time(machine.seen_at),
        "commit": (machine.git_commit or ABSENT)[:7],
        "lock": lock_state(status, machine),
        "drift": drift_text(counts),
    }
    return [values[c] for c in columns]


def drift_text(counts: object) -> str:
    assert isinstance(counts, dict)
    parts = [f"{n} {label}" for label, n in counts.items() if n]
    return ", ".join(parts) if parts else "none"


def lock_state(status: FleetStatus, machine: Machine) -> str:
    if machine.lock_digest is None:
        return ABSENT
    if status.reference_digest is None:
        return machine.lock_digest.removeprefix("sha256:")[:8]
    return "this lock" if machine.lock_digest == status.reference_digest else "another lock"


def short_time(text: str) -> str:
    return text[:16].replace("T", " ")


def top_fixes(status: FleetStatus, limit: int = 5) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for aspect in status.aspects:
        fix = aspect.worst.fix
        if aspect.severity == "low" or fix in seen:
            continue
        seen.add(fix)
        machines = len(aspect.cells)
        out.append((f"{aspect.subject} ({machines} machine{'s' if machines != 1 else ''})", fix))
        if len(out) == limit:
            break
    return out


def _matrix_values(status: FleetStatus, aspect: Aspect) -> list[str]:
    values = [""] * len(status.machines)
    for cell in aspect.cells:
        values[cell.machine] = cell.value or ABSENT
    return [v if v else "=" for v in values]


def grouped_values(status: FleetStatus, aspect: Aspect, *, names: int = 3) -> str:
    """``3.9.18: dev-b, dev-c and 4 more; 3.8.18: prod-api``."""
    groups: dict[str, list[str]] = {}
    for cell in aspect.cells:
        groups.setdefault(cell.value or ABSENT, []).append(status.machines[cell.machine].label)
    parts = []
    for value, labels in groups.items():
        listed = ", ".join(labels[:names])
        if len(labels) > names:
            listed += f" and {len(labels) - names} more"
        parts.append(f"{value}: {listed}")
    return "; ".join(parts)


def _top(aspects: Sequence[Aspect], top: int) -> Sequence[Aspect]:
    return aspects[:top] if top else aspects


def status_markdown(status: FleetStatus, *, top: int = 20) -> str:
    lines = ["## parity fleet status", "", status_headline(status), ""]
    if not status.aspects:
        lines.append("No drift: every machine matches the reference.")
    else:
        lines += [f"**{status_summary(status)}**", ""]
        matrix = len(status.machines) <= MARKDOWN_MATRIX_MACHINES
        header = ["Risk", "Aspect", f"`{_cell(status.reference)}`"]
        header += [f"`{_cell(m.label)}`" for m in status.machines] if matrix else ["Differs on"]
        header.append("Why")
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join(["---"] * len(header)) + "|")
        shown = _top(status.aspects, top)
        for aspect in shown:
            middle = (
                [_cell(v) for v in _matrix_values(status, aspect)]
                if matrix
                else [_cell(grouped_values(status, aspect))]
            )
            lines.append(
                "| "
                + " | ".join(
                    [
                        f"**{aspect.severity}** {aspect.score}",
                        f"`{_cell(aspect.subject)}`",
                        _cell(aspect.reference or ABSENT),
                        *middle,
                        _cell(aspect.worst.message),
                    ]
                )
                + " |"
            )
        if len(shown) < len(status.aspects):
            lines += ["", f"_{len(status.aspects) - len(shown)} lower-risk aspects not shown._"]
    lines += ["", "### Machines, most at risk first", ""]
    columns = machine_columns(status)
    lines.append("| " + " | ".join(c[:1].upper() + c[1:] for c in columns) + " |")
    lines.append("|" + "|".join(["---"] * len(columns)) + "|")
    for machine, risk in zip(status.machines, status.risks, strict=True):
        values = machine_row(status, machine, risk.counts, columns)
        values[0] = f"`{values[0]}`"
        lines.append("| " + " | ".join(_cell(v) for v in values) + " |")
    fixes = top_fixes(status)
    if fixes:
        lines += ["", "### Fix first", ""]
        lines += [f"{i}. **{_cell(s)}**: {_cell(f)}" for i, (s, f) in enumerate(fixes, start=1)]
    if status.notes:
        lines.append("")
        lines += [f"> {_cell(n)}" for n in status.notes]
    lines += ["", "<sub>parity fleet status, schema parity/fleet-status@1</sub>"]
    return "\n".join(lines) + "\n"


def status_html(status: FleetStatus, *, generated: str) -> str:
    """The self-contained page: summary, heat map (machines x aspects), tables."""
    from parity.report import html as h
    from parity.version import __version__

    machines = status.machines[:HEATMAP_MACHINES]
    aspects = status.aspects[:HEATMAP_ASPECTS]
    cells: dict[tuple[int, int], h.HeatCell] = {}
    for c, aspect in enumerate(aspects):
        for cell in aspect.cells:
            if cell.machine < len(machines):
                cells[(cell.machine, c)] = h.HeatCell(
                    severity=cell.severity,
                    score=cell.score,
                    text=cell.value or ABSENT,
                    title=f"{status.machines[cell.machine].label} · {aspect.subject}: "
                    f"{cell.value or 'absent'} (expected {cell.expected or 'absent'})\n"
                    f"{cell.severity} {cell.score}: {cell.message}",
                )
    counts = status.counts()
    drifting = sum(1 for r in status.risks if r.score)
    body = [
        "<header>",
        "<h1>parity fleet status</h1>",
        f'<p class="sub">{h.escape(status_headline(status))} Generated {h.escape(generated)}.</p>',
        "</header>",
        h.cards(
            [
                (str(len(status.machines)), "machines"),
                (str(drifting), "drifting"),
                *((str(counts[s]), f"{s} aspects") for s in h.SEVERITIES),
            ]
        ),
        f'<p class="note">{h.escape(status_summary(status))}</p>',
    ]
    if aspects:
        body += [
            '<section id="heatmap">',
            "<h2>Heat map: machines &times; aspects</h2>",
            h.legend(),
            '<div class="scroll heat">',
            h.heatmap(
                [m.label for m in machines],
                [a.subject for a in aspects],
                cells,
                title="drift heat map, machines by aspects",
            ),
            "</div>",
        ]
        if len(status.aspects) > len(aspects) or len(status.machines) > len(machines):
            body.append(
                f'<p class="note">The map shows the {len(aspects)} riskiest aspects and the '
                f"{len(machines)} machines most at risk; the tables below list every aspect.</p>"
            )
        body.append("</section>")
        rows = [
            [
                h.badge(a.severity, f"{a.severity} {a.score}"),
                f"<code>{h.escape(a.subject)}</code>",
                h.escape(a.reference or ABSENT),
                h.escape(grouped_values(status, a, names=6)),
                f"{h.escape(a.worst.message)}<br><b>→ {h.escape(a.worst.fix)}</b>",
            ]
            for a in status.aspects
        ]
        body += [
            '<section id="aspects">',
            "<h2>Drift by aspect, riskiest first</h2>",
            h.table(["risk", "aspect", status.reference, "differs on", "why / what to do"], rows),
            "</section>",
        ]
    machine_rows = [
        [
            h.escape(m.label),
            h.escape(m.role),
            h.escape(m.python or ABSENT),
            h.escape(m.platform or ABSENT),
            h.escape(short_time(m.seen_at)),
            f"<code>{h.escape((m.git_commit or ABSENT)[:7])}</code>",
            h.escape(lock_state(status, m)),
            h.badge(r.severity, drift_text(r.counts)) if r.severity else "none",
        ]
        for m, r in zip(status.machines, status.risks, strict=True)
    ]
    body += [
        '<section id="machines">',
        "<h2>Machines, most at risk first</h2>",
        h.table(
            ["machine", "role", "python", "platform", "seen (UTC)", "commit", "lock", "drift"],
            machine_rows,
        ),
        "</section>",
    ]
    body += [f'<p class="note">note: {h.escape(n)}</p>' for n in status.notes]
    body.append(
        f"<footer>parity {h.escape(__version__)} · fleet status, schema parity/fleet-status@1 · "
        "self-contained: no network, no script</footer>"
    )
    return h.page("parity fleet status", "\n".join(body), css=_FLEET_CSS)


_FLEET_CSS = """
.heat { padding: 8px; }
.heat svg text.col, .heat svg text.row { fill: #1a1a1a; }
"""


# ----------------------------------------------------------------- query, history, prune


def render_query(result: QueryResult, *, as_json: bool) -> None:
    if as_json:
        print_json(result.to_json())
        return
    from rich.table import Table
    from rich.text import Text

    from parity.report.console import console

    out = console()
    what = result.question.what
    n = len(result.hits)
    out.print(
        _text(
            f"{what}: {n} of {result.machines} machine{'s' if result.machines != 1 else ''} "
            f"{'have' if n != 1 else 'has'} it now ({result.store})."
        )
    )
    if result.hits:
        table = Table()
        for name in ("machine", "role", "has", "since (UTC)", "last seen", "snapshots"):
            table.add_column(name, no_wrap=name != "has", overflow="fold")
        for hit in result.hits:
            table.add_row(
                Text(hit.label),
                Text(hit.role),
                Text(hit.value),
                Text(short_time(hit.since)),
                Text(short_time(hit.last_seen)),
                Text(str(hit.snapshots)),
            )
        out.print(table)
    if result.former:
        out.print(_text(f"No longer ({len(result.former)}):"))
        for f in result.former:
            out.print(_text(f"  {f.label} ({f.role}): had {f.value} until {short_time(f.until)}"))
    for note in result.notes:
        out.print(_text(f"note: {note}"), style="dim")


def render_history(history: History, *, as_json: bool) -> None:
    if as_json:
        print_json(history.to_json())
        return
    from parity.report.console import console

    out = console()
    periods = history.periods
    first = periods[-1].first.seen_at if periods else ""
    last = periods[0].last.seen_at if periods else ""
    out.print(
        _text(
            f"{history.label}: {history.records} snapshot{'s' if history.records != 1 else ''} "
            f"from {short_time(first)} to {short_time(last)} (UTC), {len(periods)} distinct "
            f"environment{'s' if len(periods) != 1 else ''}; newest first."
        )
    )
    for period in periods:
        span = short_time(period.first.seen_at)
        if period.snapshots > 1:
            span += f" .. {short_time(period.last.seen_at)} ({period.snapshots} snapshots)"
        commit = f", commit {period.last.git_commit[:7]}" if period.last.git_commit else ""
        out.print(
            _text(
                f"\n{span}: Python {period.python or '?'}, {period.packages} distributions{commit}"
            ),
            style="bold",
        )
        if period.initial:
            out.print(_text("  first snapshot"), style="dim")
            continue
        for d in period.changes:
            before, after = d.values
            out.print(
                "  ",
                _text(f"{d.severity:<8} {d.score:>3}"),
                "  ",
                _text(f"{d.subject}: {before or ABSENT} -> {after or ABSENT}"),
                style=_STYLE.get(d.severity, ""),
                sep="",
            )


def render_prune(outcome: PruneOutcome, *, as_json: bool) -> None:
    if as_json:
        print_json(outcome.to_json())
        return
    c = outcome.counts
    verb = "Would remove" if outcome.dry_run else "Removed"
    sys.stdout.write(
        f"{verb} {c.records} snapshot{'s' if c.records != 1 else ''} seen before "
        f"{short_time(outcome.before)} UTC from {outcome.store}, and {c.dist_sets} distribution "
        f"set{'s' if c.dist_sets != 1 else ''}, {c.dists} distributions and {c.contexts} "
        f"context{'s' if c.contexts != 1 else ''} no snapshot uses any more; "
        f"{c.remaining} snapshot{'s' if c.remaining != 1 else ''} "
        f"{'would remain' if outcome.dry_run else 'remain'}.\n"
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(value: str) -> object:
    from rich.text import Text

    return Text(value)
