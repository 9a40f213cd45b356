"""``parity compare --html``: the measurements as bars, one chart per figure.

One self-contained page (no script, no network).  Each chart has one bar
per strategy (the best in green); a strategy that was not measured keeps
its row as a dashed outline with the reason, so nothing looks measured that
was not.  :func:`compare_sections` is the body, reused by ``parity report``.
"""

from __future__ import annotations

from pathlib import Path

from parity.compare.model import METRICS, CompareResult, TargetResult
from parity.report import html as h
from parity.report.compare_report import check_text, headline, short_tools, value_text


def _bars(result: CompareResult, key: str, unit: str) -> list[h.Bar]:
    values = [t.median(key) for t in result.targets if t.measured]
    present = [v for v in values if v is not None]
    best = min(present) if present and unit != "count" and len(present) > 1 else None
    bars = []
    for target in result.targets:
        value = target.median(key) if target.measured else None
        if value is None:
            bars.append(h.Bar(target.target, None, "not measured", title=target.reason or ""))
            continue
        samples = ", ".join(value_text(unit, v) for v in target.samples.get(key, ()))
        bars.append(
            h.Bar(
                target.target,
                value,
                value_text(unit, value),
                title=f"{target.target}: median {value_text(unit, value)} of {samples}",
                best=best is not None and value == best,
            )
        )
    return bars


def compare_sections(
    result: CompareResult, *, heading: str = "Measured on this project"
) -> list[str]:
    measured = [t for t in result.targets if t.measured]
    body: list[str] = []
    if not measured:
        body.append(
            '<p class="note">No strategy could be measured here; the reasons are below.</p>'
        )
    else:
        body.append(f'<section id="bars"><h2>{h.escape(heading)}</h2>')
        body.append(
            f'<p class="note">Medians of {result.runs} run{"s" if result.runs != 1 else ""}, '
            "strategies interleaved; whole processes timed. Shorter is better; the best is "
            "green. Hover a bar for every sample.</p>"
        )
        body.append('<div class="grid2">')
        for metric in METRICS:
            if all(t.median(metric.key) is None for t in measured):
                continue
            body.append(
                f'<div class="panel bars" data-metric="{h.escape(metric.key)}">'
                f"<h3>{h.escape(metric.label)}</h3>"
                + h.bar_chart(
                    metric.label,
                    _bars(result, metric.key, metric.unit),
                    width=600,
                    label_width=160,
                )
                + "</div>"
            )
        body.append("</div></section>")
        body.append('<section id="checks"><h2>Reproducibility and CI</h2>')
        rows = []
        for target in measured:
            for label, check in (
                ("two independent builds identical", target.reproducible),
                ("CI cache key stable", target.cache_key),
            ):
                if check is None:
                    continue
                ok = check_text(target, "reproducible" if check is target.reproducible else "key")
                css = "yes" if check.ok else "no"
                rows.append(
                    [
                        f"<code>{h.escape(target.target)}</code>",
                        h.escape(label),
                        f'<span class="{css}">{h.escape(ok)}</span>',
                        h.escape(check.detail),
                    ]
                )
        body.append(h.table(["strategy", "check", "", "what was compared"], rows))
        body.append("</section>")
        body.append('<section id="commands"><h2>What ran</h2>')
        rows = []
        for target in measured:
            # Steps that run the same commands share a row.
            steps: dict[tuple[str, ...], list[str]] = {}
            for step, commands in target.commands.items():
                label = next((m.label for m in METRICS if m.key == step), step)
                steps.setdefault(tuple(commands), []).append(label)
            for commands, labels in steps.items():
                rows.append(
                    [
                        f"<code>{h.escape(target.target)}</code>",
                        "<br>".join(h.escape(label) for label in labels),
                        "<br>".join(f"<code>{h.escape(c)}</code>" for c in commands),
                    ]
                )
        body.append(h.table(["strategy", "steps", "commands"], rows))
        body.append(
            '<p class="note">Tools: '
            + "; ".join(f"{h.escape(t.target)}: {h.escape(short_tools(t.tools))}" for t in measured)
            + "</p></section>"
        )
    skipped = [t for t in result.targets if not t.measured]
    if skipped:
        body.append('<section id="skipped"><h2>Not measured</h2><ul class="facts">')
        body += [
            f"<li><strong>{h.escape(t.target)}</strong>: {h.escape(t.reason or '')}</li>"
            for t in skipped
        ]
        body.append("</ul></section>")
    return body


def compare_cards(result: CompareResult) -> str:
    measured = [t for t in result.targets if t.measured]
    items = [(f"{len(measured)}/{len(result.targets)}", "strategies measured")]
    for key, what in (("lock_warm", "fastest warm lock"), ("env_bytes", "smallest environment")):
        best = _best(measured, key)
        if best is not None:
            unit = "s" if key != "env_bytes" else "bytes"
            items.append((value_text(unit, best[1]), f"{what}: {best[0]}"))
    return h.cards(items)


def _best(targets: list[TargetResult], key: str) -> tuple[str, float] | None:
    found = [(t.target, t.median(key)) for t in targets if t.median(key) is not None]
    if not found:
        return None
    name, value = min(found, key=lambda item: item[1] or 0.0)
    return name, float(value or 0.0)


def compare_html(result: CompareResult) -> str:
    from parity.version import __version__

    body = [
        "<header>",
        f"<h1>parity compare: {h.escape(result.project)}</h1>",
        f'<p class="sub">{h.escape(headline(result).split(": ", 1)[1])}</p>',
        "</header>",
        compare_cards(result),
        *compare_sections(result),
        f"<footer>parity {h.escape(__version__)} · schema parity/compare@1</footer>",
    ]
    return h.page(f"parity compare: {result.project}", "\n".join(body), css=h.SCORE_CSS)


def write_compare_html(result: CompareResult, path: Path) -> None:
    h.write_page(path, compare_html(result))
