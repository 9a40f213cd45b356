"""BLAS and LAPACK of a Meson build configuration, read as text without ``ast``.

numpy (>= 1.26) and scipy (>= 1.9) are built with Meson, which writes their
``__config__.py`` from a template: a ``CONFIG`` dict whose ``"Build
Dependencies"`` entry holds one dict per dependency (``"blas"``,
``"lapack"``, ...) with its ``"name"`` and ``"version"``.  Importing ``ast``
costs a quarter of a whole ``parity snapshot``; this module reads that one
dict display with a scanner of its own instead.

The reading is the one ``native._ast_build_config`` makes, on the same
terms: every dict display whose key ``"blas"`` or ``"lapack"`` holds a dict
is considered in the order ``ast.walk`` visits them, the first with a usable
name wins.  It answers only when it can be sure of giving the same answer:

- ``"Build Dependencies"`` is written once, as a key at the start of a line,
  outside any triple-quoted string, and its value is a dict display of the
  plain shape the templates write: string keys, values that are string
  literals, dict displays or simple expressions (``bool("...")``, a name),
  no comments, no implicit concatenation, no f-strings, no escapes (but in
  raw strings, as Windows paths are written);
- every ``"blas"``, ``'blas'``, ``"lapack"`` and ``'lapack'`` of the whole
  file is a string of that dict display: no other dict of the file can name
  a BLAS or a LAPACK;
- a BLAS or a LAPACK is found there (else the file may be of the older,
  distutils kind, which ``ast`` reads).

Otherwise it says so (None), and the caller parses the file with ``ast``.
The file itself is numpy's or scipy's own module, which they import: it is
valid Python, so the part not scanned here holds no surprise ``ast`` would
see (a syntax error) that this reading does not.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads
if TYPE_CHECKING:
    from typing import TypeAlias

    # A value of the dict display: a string (its value), a nested dict, or
    # _OTHER (not a string constant).
    Value: TypeAlias = "str | Display | object"
    Display: TypeAlias = "list[tuple[str, Value]]"

_HEAD = '"Build Dependencies"'
_KINDS = ("blas", "lapack")
# How those names can be written as plain string literals, counted over the whole file.
_SPELLINGS = ('"blas"', "'blas'", '"lapack"', "'lapack'")
_SPACE = " \t\r\n"
_QUOTES = "\"'"
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
# Characters an expression that is not a literal may hold here (besides strings and brackets).
_PLAIN = _NAME_CHARS | frozenset(" \t\r\n.,+-*/%<>=!&|^~@")
_OTHER = object()  # a value that is not a string constant (a call, a name, a number, bytes)


class _Unsure(Exception):
    """The text is not of the shape this scanner reads: ``ast`` must."""


def meson_dependencies(text: str) -> list[tuple[str, str, str | None]] | None:
    """(kind, name, version) of the BLAS and LAPACK named in ``text``; None when unsure.

    Names are lower-cased; a version of "unknown" or "none" is None, as in
    the ``ast`` reading.
    """
    at = text.find(_HEAD)
    if at < 0 or text.find(_HEAD, at + 1) >= 0 or "\0" in text:
        return None  # (Python refuses a source holding a NUL)
    line_start = text.rfind("\n", 0, at) + 1
    if text[line_start:at].strip(" \t"):
        return None  # not a key at the start of a line (a comment, a string, ...)
    before = text[:at]
    if before.count('"""') % 2 or before.count("'''") % 2:
        return None  # inside a docstring
    scanner = _Scanner(text)
    try:
        i = scanner.space(at + len(_HEAD))
        if text[i : i + 1] != ":":
            return None
        i = scanner.space(i + 1)
        if text[i : i + 1] != "{":
            return None
        display, _end = scanner.display(i)
    except _Unsure:
        return None
    if any(text.count(s) != scanner.spellings.get(s, 0) for s in _SPELLINGS):
        return None  # a BLAS or LAPACK named somewhere else too
    return _found(display) or None


def _found(root: Display) -> list[tuple[str, str, str | None]]:
    """The ``ast`` reading's choice, over the dicts of ``root`` in ``ast.walk`` order."""
    found: dict[str, tuple[str, str, str | None]] = {}
    queue = [root]
    for display in queue:  # breadth first, as ast.walk
        for key, value in display:
            if isinstance(value, list):
                queue.append(value)
            if key not in _KINDS or not isinstance(value, list):
                continue
            fields: dict[str, object] = {}
            for field, field_value in value:
                fields[field] = None if isinstance(field_value, list) else field_value
            name, version = fields.get("name"), fields.get("version")
            if not isinstance(name, str) or not name or name.lower() in ("none", "unknown"):
                continue
            if key in found:
                continue
            if not isinstance(version, str) or version.lower() in ("unknown", "none"):
                version = None
            found[key] = (key, name.lower(), version or None)
    return list(found.values())


class _Scanner:
    """A dict display of a Python file, read one character class at a time."""

    __slots__ = ("spellings", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.spellings: dict[str, int] = {}  # each of _SPELLINGS, as often as scanned

    def space(self, i: int) -> int:
        text = self.text
        while i < len(text) and text[i] in _SPACE:
            i += 1
        return i

    def display(self, i: int) -> tuple[Display, int]:
        """The dict display opening at ``i``, and where it ends."""
        text = self.text
        pairs: Display = []
        i = self.space(i + 1)
        while True:
            if text[i : i + 1] == "}":
                return pairs, i + 1
            prefix, value, i = self.string(i)
            if prefix or not isinstance(value, str):
                raise _Unsure  # a key this scanner does not evaluate (or no string at all)
            key = value
            i = self.space(i)
            if text[i : i + 1] != ":":
                raise _Unsure
            i = self.space(i + 1)
            item: Value
            if text[i : i + 1] == "{":
                item, i = self.display(i)
            elif text[i : i + 1] in _QUOTES or self._string_prefix(i) is not None:
                prefix, item, i = self.string(i)
                if "b" in prefix:
                    item = _OTHER  # bytes: a constant, but not a string
            else:
                i = self.expression(i)
                item = _OTHER
            pairs.append((key, item))
            i = self.space(i)
            if text[i : i + 1] == ",":
                i = self.space(i + 1)
            elif text[i : i + 1] != "}":
                raise _Unsure  # implicit concatenation, a comment, an operator, ...

    def _string_prefix(self, i: int) -> str | None:
        """The string prefix starting at ``i`` (``r``, ``b``, ...), or None."""
        text = self.text
        j = i
        while j < len(text) and text[j] in _NAME_CHARS:
            j += 1
        if j == i or j == len(text) or text[j] not in _QUOTES:
            return None
        return text[i:j].lower()

    def string(self, i: int) -> tuple[str, object, int]:
        """(prefix, value, end) of the string literal at ``i`` (a raw one when it has backslashes)."""
        text = self.text
        prefix = self._string_prefix(i) or ""
        if prefix not in ("", "r", "u", "b", "br", "rb"):
            raise _Unsure  # an f-string (its fields are expressions), or not a string
        i += len(prefix)
        quote = text[i : i + 1]
        if quote not in _QUOTES or text[i : i + 3] == quote * 3:
            raise _Unsure
        start = i + 1
        j = start
        escaped = False
        while True:
            end = text.find(quote, j)
            if end < 0:
                raise _Unsure
            backslash = text.find("\\", j, end)
            if backslash < 0:
                break
            escaped = True
            j = backslash + 2  # what follows a backslash never ends the literal
        if text.find("\n", start, end) >= 0 or text.find("\r", start, end) >= 0:
            raise _Unsure  # a line break: the literal is not closed on its line
        source = text[i : end + 1]
        if source in _SPELLINGS:
            self.spellings[source] = self.spellings.get(source, 0) + 1
        value = text[start:end]
        if escaped and "r" not in prefix:
            raise _Unsure  # an escape this scanner does not evaluate (or one that is an error)
        if "b" in prefix and not value.isascii():
            raise _Unsure  # an error: bytes hold ASCII only
        return prefix, value, end + 1

    def expression(self, i: int) -> int:
        """Where the value at ``i`` (not a literal, not a dict) ends: a ``,`` or ``}`` outside brackets.

        Only names, numbers, operators, calls, subscripts and the strings in
        them: a value that starts with a bracket (a parenthesised string is
        a string), holds a brace (a dict, a set, a comprehension), a colon
        (a lambda, a slice), a comment or a backslash is not read here.
        """
        text = self.text
        if text[i : i + 1] in "([":
            raise _Unsure
        depth = 0
        start = i
        while i < len(text):
            char = text[i]
            if char in _NAME_CHARS:
                j = i + 1
                while j < len(text) and text[j] in _NAME_CHARS:
                    j += 1
                if j == len(text) or text[j] not in _QUOTES:
                    i = j  # a name or a number
                    continue
            if char in _QUOTES or char in _NAME_CHARS:
                _prefix, _value, i = self.string(i)
                continue
            if char in "([":
                depth += 1
            elif char in ")]":
                depth -= 1
                if depth < 0:
                    raise _Unsure
            elif char in ",}":
                if depth == 0:
                    if i == start:
                        raise _Unsure
                    return i
            elif char not in _PLAIN:
                raise _Unsure  # a brace, a colon, a comment, a backslash, ...
            i += 1
        raise _Unsure
