"""Coloured terminal lines as click writes them, without importing click.

``click.style`` wraps text in ANSI codes; ``click.echo`` writes a line and
drops the codes when the stream is not a terminal.  ``check`` and ``lock``
print through these two functions so that their plain runs (cli/plain.py)
need no click: importing it costs more than a check of a fresh lock.
A test compares both renderings.
"""

from __future__ import annotations

import sys

from parity.patterns import lazy_pattern

_COLOURS = {
    "black": 30,
    "red": 31,
    "green": 32,
    "yellow": 33,
    "blue": 34,
    "magenta": 35,
    "cyan": 36,
    "white": 37,
}


_ansi = lazy_pattern(r"\033\[[;?0-9]*[a-zA-Z]")


_RESET = "\033[0m"


def style(text: str, *, fg: str | None = None, bold: bool = False, dim: bool = False) -> str:
    """``click.style(text, fg=..., bold=..., dim=...)``."""
    codes = []
    if fg is not None:
        codes.append(f"\033[{_COLOURS[fg]}m")
    if bold:
        codes.append("\033[1m")
    if dim:
        codes.append("\033[2m")
    return "".join(codes) + text + _RESET


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo(message, err=...)``: the codes are dropped off a terminal."""
    stream = sys.stderr if err else sys.stdout
    if not _isatty(stream):
        message = _ansi().sub("", message)
    stream.write(message + ("\n" if nl else ""))
    stream.flush()


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except ValueError:  # a closed stream
        return False
