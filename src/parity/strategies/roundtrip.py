"""Round-trip editing of the user's TOML and YAML: comments, order and quoting kept.

Modules that merge into a user's file parse it here (tomlkit, ruamel.yaml in
round-trip mode), change only the keys they manage, and dump it back.  Parse
errors become a UsageError naming the file and line, so bad input is refused
before anything is written.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from parity.errors import SpecError

# -- TOML ------------------------------------------------------------------------


def load_toml(text: str, path: str) -> Any:
    """A tomlkit document (a dict that remembers comments and layout)."""
    import tomlkit
    from tomlkit.exceptions import ParseError

    try:
        return tomlkit.parse(text)
    except ParseError as exc:
        raise SpecError(
            f"not valid TOML: {exc}",
            path=path,
            line=getattr(exc, "line", None),
            hint="Fix the TOML syntax at that line; parity edits the file only when it parses.",
        ) from None


def dump_toml(doc: Any) -> str:
    """The document's text; removing tables can leave runs of blank lines, kept to one."""
    import tomlkit

    text: str = tomlkit.dumps(doc)
    return re.sub(r"\n{3,}", "\n\n", text)


def table_first(doc: Any, key: str) -> str:
    """The document's text with table ``key`` right after the opening comment block."""
    import tomlkit

    table = doc[key]
    del doc[key]
    rest = dump_toml(doc)
    alone = tomlkit.document()
    alone.add(key, table)
    head_lines: list[str] = []
    lines = rest.splitlines(keepends=True)
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        head_lines.append(lines.pop(0))
    # Blank lines alone are no comment block: a new file starts with the table.
    head = "".join(head_lines) if any(line.strip() for line in head_lines) else ""
    body = "".join(lines)
    table_text = dump_toml(alone).strip("\n") + "\n"
    if head and not head.endswith("\n\n"):
        head += "\n"
    return head + table_text + ("\n" + body if body.strip() else "")


def toml_table(parent: Any, key: str, *, super_table: bool = False) -> Any:
    """``parent[key]`` as a table, created (at the end) when absent.

    ``super_table`` makes a table that holds only sub-tables
    (``[tool.poetry.group.dev.dependencies]`` without a bare ``[tool.poetry.group]``).
    """
    import tomlkit

    if key not in parent:
        table = tomlkit.table(is_super_table=super_table)
        parent[key] = table
    found = parent[key]
    if not isinstance(found, Mapping):
        raise SpecError(f"[{key}] must be a table to merge into it")
    return found


def toml_array(items: Sequence[tuple[str, Sequence[str], str | None]]) -> Any:
    """A multi-line TOML array of strings, each with the comment lines above it and
    its optional trailing comment."""
    import tomlkit

    array = tomlkit.array()
    array.multiline(True)
    for value, above, comment in items:
        for line in above:
            array.add_line(comment=line or " ")
        if comment:
            array.add_line(value, comment=comment)
        else:
            array.add_line(value)
    if items:
        array.add_line(indent="")
    return array


# -- YAML ------------------------------------------------------------------------


# ruamel's (mapping, sequence, offset): keys indented 2, "- " indented 2 under its key.
DEFAULT_LAYOUT = (2, 4, 2)
_BLOCK_KEY = re.compile(r"^(?P<indent> *)(?:- +)?[^\s#-][^#]*?:\s*(?:#.*)?$")
_ITEM = re.compile(r"^(?P<dash> *)- +(?P<content>\S)")
_KEY = re.compile(r"^(?P<indent> *)[^\s#-][^#]*?:(?:\s|$)")


def yaml(layout: tuple[int, int, int] = DEFAULT_LAYOUT) -> Any:
    """A ruamel.yaml round-trip instance; ``layout`` is (mapping, sequence, offset)."""
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never fold a long run: line
    mapping, sequence, offset = layout
    y.indent(mapping=mapping, sequence=sequence, offset=offset)
    return y


def guess_layout(text: str) -> tuple[int, int, int]:
    """The indentation a YAML file is written with, as ruamel's (mapping, sequence, offset).

    ruamel re-indents a whole file to one layout on dump; a user's file edited
    round trip must come back in its own (pre-commit's sample config indents
    items as ``-   id:``), or one added key rewrites every line.  Read from the
    first block key whose next line is a nested key (mapping) or an item
    (sequence and offset); what the file does not show keeps the default.
    """
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    mapping: int | None = None
    sequence: tuple[int, int] | None = None
    for above, below in itertools.pairwise(lines):
        key = _BLOCK_KEY.match(above)
        if key is None:
            continue
        # The column of the key itself ("-   key:" puts it after the dash).
        column = len(above) - len(above.lstrip(" -"))
        item = _ITEM.match(below)
        if item is not None and sequence is None:
            offset = len(item.group("dash")) - column
            width = item.start("content") - column
            if offset >= 0 and width >= offset + 2:
                sequence = (width, offset)
            continue
        nested = _KEY.match(below)
        if nested is not None and mapping is None and not below.lstrip().startswith("-"):
            step = len(nested.group("indent")) - column
            if step > 0:
                mapping = step
        if mapping is not None and sequence is not None:
            break
    default_mapping, default_sequence, default_offset = DEFAULT_LAYOUT
    width, offset = sequence or (default_sequence, default_offset)
    return (mapping or default_mapping, width, offset)


def load_yaml(text: str, path: str) -> Any:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SpecError(
            f"not valid YAML: {exc.problem or exc.context}",
            path=path,
            line=mark.line + 1 if mark is not None else None,
            hint="Fix the YAML at that line; parity edits the file only when it parses.",
        ) from None
    except YAMLError as exc:
        raise SpecError(f"not valid YAML: {exc}", path=path) from None


def dump_yaml(data: Any, like: str | None = None) -> str:
    """``data`` as YAML, indented as the text ``like`` (the file it was read from) is."""
    stream = io.StringIO()
    yaml(guess_layout(like) if like else DEFAULT_LAYOUT).dump(data, stream)
    return stream.getvalue()


def to_yaml_tree(value: Any) -> Any:
    """Plain dicts and lists as ruamel's commented types (so comments can attach)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, Mapping) and not isinstance(value, CommentedMap):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = to_yaml_tree(item)
        return out
    if isinstance(value, list) and not isinstance(value, CommentedSeq):
        return CommentedSeq([to_yaml_tree(v) for v in value])
    return value


def literal(text: str) -> Any:
    """A YAML block scalar (``|``) for multi-line shell scripts."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    return LiteralScalarString(text if text.endswith("\n") else text + "\n")


def quoted(text: str) -> Any:
    """A double-quoted YAML string (for values YAML would read as numbers: 3.10)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(text)


def merge_mapping(target: Any, source: Mapping[str, Any]) -> None:
    """Set ``source``'s keys into ``target`` in place: new keys at the end, kept keys where they are."""
    for key, value in source.items():
        target[key] = value


# -- comments of requirement lines ----------------------------------------------------

_COMMENT_LINE = re.compile(r"^\s*#\s?(?P<text>.*?)\s*$")


def comments_above(text: str, line: int | None) -> list[str]:
    """The comment lines directly above ``line`` (1-based), without blank lines between."""
    if not line:
        return []
    lines = text.splitlines()
    out: list[str] = []
    index = line - 2
    while index >= 0:
        match = _COMMENT_LINE.match(lines[index])
        if not match or not lines[index].strip():
            break
        out.insert(0, match.group("text"))
        index -= 1
    return out


def inline_comment(text: str, line: int | None) -> str | None:
    """The ``# ...`` comment at the end of ``line`` (outside any quoted string)."""
    if not line:
        return None
    lines = text.splitlines()
    if line > len(lines):
        return None
    raw = lines[line - 1]
    quote: str | None = None
    for index, char in enumerate(raw):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "#" and (index == 0 or raw[index - 1].isspace()):
            if not raw[:index].strip():
                return None  # a comment line, not a trailing comment
            return raw[index + 1 :].strip() or None
    return None
