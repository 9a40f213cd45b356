"""Just enough YAML reading for ``check``: key lines, scalars and lists, with line numbers.

``check`` runs on every commit, and importing a full YAML library costs more
than the whole check.  The CI sources need only a few keys whose values are
scalars or short lists, so they scan lines: ``key: value`` (plain, quoted,
``[flow, list]``) and block lists (``- item`` lines indented below the key).
Anything more unusual yields nothing, never a wrong fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from parity.frozen import Frozen

_KEY = re.compile(r"^(?P<indent>\s*)(?:-\s+)?(?P<key>[A-Za-z0-9_.-]+)\s*:(?:\s+(?P<rest>.*))?$")
_ITEM = re.compile(r"^(?P<indent>\s*)-\s+(?P<rest>.*)$")


class Scalar(Frozen):
    """A YAML scalar as written, whether it was quoted, and where (1-based line)."""

    _fields = ("text", "quoted", "line")
    text: str
    quoted: bool
    line: int

    def __init__(self, text: str, quoted: bool, line: int) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "quoted", quoted)
        object.__setattr__(self, "line", line)

    @property
    def value(self) -> str:
        """What YAML makes of it: an unquoted ``3.10`` is the number 3.1."""
        if self.quoted:
            return self.text
        if re.fullmatch(r"\d+\.\d+", self.text):
            return repr(float(self.text))
        return self.text


def strip_comment(text: str) -> str:
    quote: str | None = None
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#" and (index == 0 or text[index - 1].isspace()):
            return text[:index].rstrip()
    return text.rstrip()


def scalar(text: str, line: int) -> Scalar | None:
    text = strip_comment(text).strip()
    if not text or text[0] in "[{|>&*!":
        return None
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return Scalar(text[1:-1], True, line)
    return Scalar(text, False, line)


def flow_list(text: str, line: int) -> list[Scalar] | None:
    text = strip_comment(text).strip()
    if not (text.startswith("[") and text.endswith("]")):
        return None
    items = [i.strip() for i in text[1:-1].split(",") if i.strip()]
    out = [scalar(i, line) for i in items]
    return [s for s in out if s is not None]


class KeyLine(Frozen):
    _fields = ("key", "indent", "rest", "line")
    key: str
    indent: int
    rest: str
    line: int

    def __init__(self, key: str, indent: int, rest: str, line: int) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "indent", indent)
        object.__setattr__(self, "rest", rest)
        object.__setattr__(self, "line", line)


def key_lines(text: str) -> list[KeyLine]:
    out: list[KeyLine] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.lstrip().startswith("#"):
            continue
        match = _KEY.match(raw)
        if match:
            out.append(
                KeyLine(
                    match.group("key"),
                    len(match.group("indent")),
                    match.group("rest") or "",
                    number,
                )
            )
    return out


def values(text: str, entry: KeyLine) -> list[Scalar]:
    """The scalar, flow list or block list that ``entry``'s key holds."""
    rest = strip_comment(entry.rest).strip()
    if rest:
        listed = flow_list(rest, entry.line)
        if listed is not None:
            return listed
        single = scalar(rest, entry.line)
        return [single] if single is not None else []
    return list(_block_items(text.splitlines(), entry))


def _block_items(lines: list[str], entry: KeyLine) -> Iterator[Scalar]:
    for number in range(entry.line + 1, len(lines) + 1):
        raw = lines[number - 1]
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        match = _ITEM.match(raw)
        if match is None or len(match.group("indent")) < entry.indent:
            return
        item = scalar(match.group("rest"), number)
        if item is not None:
            yield item
