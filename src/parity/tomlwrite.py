"""Write TOML for machines, in linear time.

tomlkit keeps a document editable and formatted, which costs a re-index of
the whole array on every append: building a 20,000-requirement group took
over a minute.  Files that only a program reads (the throw-away uv project
of a resolution) are written here instead, one string per value, and each
is proven valid by the tests with ``tomllib`` round trips.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

TYPE_CHECKING = False  # not typing's: written before every uv lock starts
if TYPE_CHECKING:
    from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")  # whole names only: "$" would let "a\n" through
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


# What a basic string must escape: a quote, a backslash, a control character.
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')


def string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    if _NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'  # nearly every string (a name, a version, a URL)
    out = []
    for char in text:
        escaped = _ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else string(name)


def value(item: Any) -> str:
    """One value: strings, booleans, integers, floats, lists and inline tables."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, str):
        return string(item)
    if isinstance(item, int | float):
        return repr(item)
    if isinstance(item, Mapping):
        return "{ " + ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items()) + " }"
    if isinstance(item, Iterable):
        return array(item)
    raise TypeError(f"no TOML form for {item!r}")


def array(items: Iterable[Any]) -> str:
    """An array, one element a line (long arrays stay readable and linear to write)."""
    rendered = [value(i) for i in items]
    if not rendered:
        return "[]"
    return "[\n" + "".join(f"    {r},\n" for r in rendered) + "]"


def table(name: str, entries: Mapping[str, Any]) -> list[str]:
    """``[name]`` and its ``key = value`` lines (no sub-tables)."""
    return [f"[{name}]", *(f"{key(k)} = {value(v)}" for k, v in entries.items()), ""]
