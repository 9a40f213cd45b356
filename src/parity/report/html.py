"""Self-contained HTML reports: one file, no network, no script, inline CSS and SVG.

Building blocks shared by every HTML report (fleet status now; recommend,
compare and diff reports reuse them): a page, a table, severity badges and a
heat map drawn as inline SVG.  Every text that comes from data goes through
:func:`escape`; nothing is loaded from anywhere (no fonts, CDN or images), so
the page opens offline, in a CI artifact viewer, or attached to a ticket.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path

from parity.frozen import dataclass

SEVERITIES = ("critical", "high", "medium", "low")
# Marks a page parity wrote: only such a file is overwritten without --force.
GENERATOR = "parity"
# Colour-blind-safe ramp (dark red -> orange -> yellow -> grey-blue), readable with black text.
COLOURS = {
    "critical": "#b2182b",
    "high": "#ef8a62",
    "medium": "#fddb80",
    "low": "#d1e5f0",
    "none": "#f4f4f4",
}
TEXT_ON = {"critical": "#ffffff", "high": "#1a1a1a", "medium": "#1a1a1a", "low": "#1a1a1a"}

BASE_CSS = """
:root { color-scheme: light; --ink: #1a1a1a; --muted: #5f6368; --line: #dadce0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #fff; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
p.sub, .muted { color: var(--muted); margin: 0; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 4px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 150px; }
.card .n { font-size: 22px; font-weight: 600; }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.scroll { overflow: auto; max-width: 100%; border: 1px solid var(--line); border-radius: 8px; }
table.data { border-collapse: collapse; width: 100%; }
table.data th, table.data td { text-align: left; vertical-align: top; padding: 6px 10px;
  border-bottom: 1px solid var(--line); }
table.data th { background: #f8f9fa; font-weight: 600; position: sticky; top: 0; }
table.data td.why { min-width: 280px; max-width: 560px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px;
  font-weight: 600; white-space: nowrap; }
.legend { display: flex; gap: 14px; align-items: center; margin: 8px 0; color: var(--muted);
  font-size: 12px; flex-wrap: wrap; }
.legend i { display: inline-block; width: 14px; height: 14px; border-radius: 3px;
  vertical-align: -2px; margin-right: 4px; }
.note { color: var(--muted); font-size: 13px; margin: 6px 0; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
"""


def escape(text: object) -> str:
    return html.escape(str(text), quote=True)


def page(title: str, body: str, *, css: str = "") -> str:
    """A complete HTML document: ``body`` is trusted HTML built with this module."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        # No network: forbid every fetch, so a report can never phone home.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{escape(title)}</title>\n<style>{BASE_CSS}{css}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def badge(severity: str, text: str | None = None) -> str:
    colour = COLOURS.get(severity, COLOURS["none"])
    ink = TEXT_ON.get(severity, "#1a1a1a")
    return (
        f'<span class="badge sev-{escape(severity)}" style="background:{colour};color:{ink}">'
        f"{escape(text or severity)}</span>"
    )


def cards(items: Sequence[tuple[str, str]]) -> str:
    """Summary figures: (number, what it counts)."""
    inner = "".join(
        f'<div class="card"><div class="n">{escape(n)}</div><div class="k">{escape(k)}</div></div>'
        for n, k in items
    )
    return f'<div class="cards">{inner}</div>'


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, css_class: str = "data") -> str:
    """A table; cells are trusted HTML (escape data before passing it)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<div class="scroll"><table class="{escape(css_class)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def legend(labels: Sequence[str] = SEVERITIES) -> str:
    items = "".join(
        f'<span><i style="background:{COLOURS[s]}"></i>{escape(s)}</span>' for s in labels
    )
    return f'<div class="legend">{items}<span><i style="background:{COLOURS["none"]}"></i>as expected</span></div>'


@dataclass(frozen=True)
class HeatCell:
    severity: str
    score: int
    text: str
    title: str


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Mapping[tuple[int, int], HeatCell],
    *,
    cell_width: int = 76,
    cell_height: int = 24,
    label_width: int = 180,
    header_height: int = 120,
    title: str = "heat map",
) -> str:
    """An inline SVG heat map: ``rows`` x ``columns``; missing cells are "as expected".

    Column labels are written at 45 degrees; each cell has a tooltip (SVG
    ``<title>``) and shows its value when it fits.
    """
    # Room on the right for the last column labels, which lean that way.
    width = label_width + cell_width * len(columns) + header_height
    height = header_height + cell_height * len(rows) + 4
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="system-ui, sans-serif" font-size="11">'
    ]
    for c, name in enumerate(columns):
        x = label_width + c * cell_width + cell_width // 2
        y = header_height - 6
        out.append(
            f'<text class="col" x="{x}" y="{y}" transform="rotate(-40 {x} {y})">'
            f"{escape(_clip(name, 22))}<title>{escape(name)}</title></text>"
        )
    for r, name in enumerate(rows):
        y = header_height + r * cell_height
        out.append(
            f'<text class="row" x="{label_width - 8}" y="{y + cell_height * 0.68:.1f}" '
            f'text-anchor="end">{escape(_clip(name, 26))}<title>{escape(name)}</title></text>'
        )
        for c in range(len(columns)):
            x = label_width + c * cell_width
            cell = cells.get((r, c))
            fill = COLOURS[cell.severity] if cell else COLOURS["none"]
            out.append(
                f'<g><rect x="{x + 1}" y="{y + 1}" width="{cell_width - 2}" '
                f'height="{cell_height - 2}" rx="3" fill="{fill}"'
                + (f' class="cell sev-{escape(cell.severity)}"' if cell else ' class="cell ok"')
                + ">"
                + (f"<title>{escape(cell.title)}</title>" if cell else "")
                + "</rect>"
            )
            if cell and cell.text:
                ink = TEXT_ON.get(cell.severity, "#1a1a1a")
                out.append(
                    f'<text x="{x + cell_width / 2:.1f}" y="{y + cell_height * 0.68:.1f}" '
                    f'text-anchor="middle" fill="{ink}" pointer-events="none">'
                    f"{escape(_clip(cell.text, max(3, cell_width // 7)))}</text>"
                )
            out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- scores and measured bars (recommend, compare, report) ------------------------------

# 0 (worst) to 5 (best): red -> amber -> green, each readable with its text colour.
SCORE_COLOURS = ("#b2182b", "#ef8a62", "#fddb80", "#e6f0c2", "#a6d96a", "#1a9641")
SCORE_TEXT = ("#ffffff", "#1a1a1a", "#1a1a1a", "#1a1a1a", "#1a1a1a", "#ffffff")

SCORE_CSS = """
.chip { display: inline-block; min-width: 26px; text-align: center; padding: 1px 6px;
  border-radius: 6px; font-weight: 700; font-size: 13px; }
table.matrix td, table.matrix th { min-width: 150px; }
table.matrix td.crit { min-width: 130px; font-weight: 600; white-space: nowrap; }
table.matrix td .why { display: block; margin-top: 3px; font-size: 12.5px; }
table.matrix td .ev { display: block; color: var(--muted); font-size: 11.5px; margin-top: 2px;
  word-break: break-word; }
table.matrix tr.total td { background: #f8f9fa; font-weight: 700; }
table.matrix th.best { background: #e8f5e9; }
.bars svg { max-width: 100%; height: auto; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; }
.yes, .no { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px;
  font-weight: 700; }
.yes { background: #1a9641; color: #fff; }
.no { background: #b2182b; color: #fff; }
.panel { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.panel h3 { font-size: 14px; margin: 0 0 6px; }
pre.cmd { background: #f1f3f4; padding: 8px 12px; border-radius: 6px; display: inline-block; }
ul.facts { margin: 6px 0; padding-left: 20px; }
ul.facts li { margin: 2px 0; }
"""


def score_chip(value: int, *, maximum: int = 5, title: str | None = None) -> str:
    """A score from 0 to ``maximum`` on the red-to-green ramp."""
    index = max(0, min(5, round(value * 5 / maximum))) if maximum else 0
    tip = f' title="{escape(title)}"' if title else ""
    return (
        f'<span class="chip score-{index}"{tip} style="background:{SCORE_COLOURS[index]};'
        f'color:{SCORE_TEXT[index]}">{escape(value)}</span>'
    )


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a value (None: not measured) and the text shown beside it."""

    label: str
    value: float | None
    text: str
    title: str = ""
    best: bool = False


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    width: int = 560,
    label_width: int = 190,
    bar_height: int = 22,
    gap: int = 8,
) -> str:
    """A horizontal bar chart as inline SVG; a bar without a value is drawn as a dashed outline."""
    values = [b.value for b in bars if b.value is not None]
    top = max(values) if values else 0.0
    text_width = 110
    room = width - label_width - text_width
    height = len(bars) * (bar_height + gap) + gap
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="system-ui, sans-serif" font-size="12">'
    ]
    for i, bar in enumerate(bars):
        y = gap + i * (bar_height + gap)
        mid = y + bar_height * 0.68
        out.append(
            f'<text class="label" x="{label_width - 8}" y="{mid:.1f}" text-anchor="end">'
            f"{escape(_clip(bar.label, 28))}<title>{escape(bar.label)}</title></text>"
        )
        if bar.value is None or top <= 0:
            out.append(
                f'<rect class="bar none" x="{label_width}" y="{y}" width="{room}" '
                f'height="{bar_height}" rx="3" fill="none" stroke="#bdc1c6" '
                f'stroke-dasharray="4 3"><title>{escape(bar.title or bar.text)}</title></rect>'
            )
            length = 0.0
        else:
            length = max(2.0, room * bar.value / top)
            fill = "#1a9641" if bar.best else "#4a7fb5"
            out.append(
                f'<rect class="bar" x="{label_width}" y="{y}" width="{length:.1f}" '
                f'height="{bar_height}" rx="3" fill="{fill}">'
                f"<title>{escape(bar.title or bar.text)}</title></rect>"
            )
        if bar.value is None or top <= 0:
            x, ink, limit = label_width + 8.0, "#5f6368", 60
        else:
            x, ink, limit = min(label_width + length + 6, width - text_width + 6), "#1a1a1a", 24
        out.append(
            f'<text class="value" x="{x:.1f}" y="{mid:.1f}" fill="{ink}">'
            f"{escape(_clip(bar.text, limit))}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def is_parity_page(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError:
        return False
    return f'<meta name="generator" content="{GENERATOR}">'.encode() in head


def check_page_target(path: Path, *, force: bool = False) -> None:
    """Refuse, before any work, a page path that cannot or must not be written."""
    from parity.errors import WriteError

    if path.is_dir():
        raise WriteError("is a folder", path=str(path), hint="Name an .html file to write.")
    if path.exists() and not force and not is_parity_page(path):
        raise WriteError(
            "exists and is not a page parity wrote: not overwritten",
            path=str(path),
            hint="Name another file, or remove this one first.",
        )
    parent = path.parent if str(path.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise WriteError(f"{parent} is not a folder", path=str(path), hint="Name another place.")


def write_page(path: Path, text: str, *, force: bool = False) -> None:
    """Write a page atomically; a folder, an unwritable place or a file parity did not
    write (without ``force``) is a clear error, and nothing is written."""
    from parity.errors import WriteError
    from parity.fsutil import atomic_write_text

    check_page_target(path, force=force)
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise WriteError(
            f"cannot write the page: {exc.strerror or exc}",
            path=str(path),
            hint="Check that its folder exists and is writable.",
        ) from None
