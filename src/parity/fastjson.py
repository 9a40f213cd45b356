"""``json.loads`` for parity's own small files, without importing the json package.

The json package imports ``re`` (with enum, functools and collections),
which costs more than the rest of ``parity snapshot``.  The parsing itself
is json's: its C scanner, with the settings ``json.loads`` uses, so a
document reads the same either way.  Interpreters without the C module
fall back to ``json.loads``.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: ``parity snapshot`` reads its caches through here
if TYPE_CHECKING:
    from typing import Any

_WHITESPACE = " \t\n\r"
_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}


class _Settings:
    """What ``json.JSONDecoder()`` hands its scanner: the defaults of ``json.loads``."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = staticmethod(_CONSTANTS.__getitem__)
    memo: dict[str, str] = {}  # noqa: RUF012 - the C scanner keeps its own


def loads(text: str) -> Any:
    """The value of a JSON document, as ``json.loads(text)``; ValueError when it is not one."""
    try:
        from _json import make_scanner
    except ImportError:  # pragma: no cover - CPython always has it
        import json

        return json.loads(text)
    start = len(text) - len(text.lstrip(_WHITESPACE))
    try:
        value, end = make_scanner(_Settings())(text, start)  # type: ignore[arg-type]
    except StopIteration:
        raise ValueError("not a JSON document") from None
    if text[end:].strip(_WHITESPACE):
        raise ValueError("extra data after the JSON document")
    return value
