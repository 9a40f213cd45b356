"""Writing environment files: plain YAML text, one layout, byte-stable."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Plain scalars YAML would misread: a leading indicator, ": ", " #", or a bare number.
_NEEDS_QUOTES = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`]|: | #|:$|^[\d.]+$")


def item(text: str) -> str:
    """``text`` as a YAML list item's scalar, quoted only when it must be."""
    if text.startswith("-e ") or text.startswith("-r ") or text.startswith("--"):
        return text if not re.search(r": | #", text) else _quote(text)
    return _quote(text) if _NEEDS_QUOTES.search(text) else text


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def environment_text(
    *,
    name: str | None,
    channels: Sequence[str],
    conda: Sequence[str],
    pip: Sequence[str],
    comments: Sequence[str] = (),
) -> str:
    lines = [f"# {c}" if c else "#" for c in comments]
    if name:
        lines.append(f"name: {item(name)}")
    lines.append("channels:")
    lines += [f"  - {item(c)}" for c in channels]
    lines.append("dependencies:")
    lines += [f"  - {item(c)}" for c in conda]
    if pip:
        if "pip" not in [c.split("=")[0].split("<")[0].split(">")[0] for c in conda]:
            lines.append("  - pip")
        lines.append("  - pip:")
        lines += [f"      - {item(p)}" for p in pip]
    return "\n".join(lines) + "\n"
