"""Pipenv's ``Pipfile`` read: its package categories as requirement lines, with their lines.

parity does not lock a Pipfile: ``parity init --strategy pip-tools`` converts
it once into ``.in`` files (strategies/pipfile.py), and ``parity recommend``
reads it as evidence of what the project depends on (spec/plain.py).  Both
read it here, so both see the same requirements: each package of
``[packages]``, ``[dev-packages]`` and any other category as the requirement
line a requirements file would hold (PEP 508, ``-e`` for editable ones),
with the Pipfile line it came from; ``[[source]]`` entries as
``--index-url`` / ``--extra-index-url`` lines; ``[requires] python_version``
as the Python.

What a requirements file cannot say (an unknown key of a package table) is
refused with the Pipfile's line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from parity.errors import SpecError
from parity.frozen import dataclass

PIPFILE = "Pipfile"
# Tables of a Pipfile that are not package categories.
NOT_CATEGORIES = frozenset({"source", "requires", "scripts", "pipenv", "pipfile"})
# Pipfile keys that are PEP 508 marker variables (`sys_platform = "== 'linux'"`).
MARKER_KEYS = frozenset(
    {
        "os_name",
        "sys_platform",
        "platform_machine",
        "platform_python_implementation",
        "platform_release",
        "platform_system",
        "platform_version",
        "python_version",
        "python_full_version",
        "implementation_name",
        "implementation_version",
    }
)
PACKAGE_KEYS = frozenset(
    {"version", "extras", "markers", "index", "git", "ref", "subdirectory", "editable"}
    | {"path", "file"}
    | MARKER_KEYS
)


@dataclass(frozen=True)
class PipfileEntry:
    """One package of a category, as a requirements-file line, and its Pipfile line."""

    requirement: str
    line: int | None


@dataclass(frozen=True)
class PipfileCategory:
    """A package category (``packages``, ``dev-packages``, ...), where its table starts."""

    name: str
    line: int | None
    entries: tuple[PipfileEntry, ...]


@dataclass(frozen=True)
class Pipfile:
    """What a Pipfile asks for: its categories (``packages`` first, then ``dev-packages``,
    then the others by name), the index lines, the Python and what a user should know."""

    categories: tuple[PipfileCategory, ...]
    index_lines: tuple[str, ...]
    python: str | None
    python_line: int | None
    notes: tuple[str, ...]

    def category(self, name: str) -> PipfileCategory | None:
        return next((c for c in self.categories if c.name == name), None)


def read_pipfile(text: str) -> Pipfile:
    """A Pipfile's text read into its categories (pure: text in, values out)."""
    from parity.spec.pyproject import parse_toml

    data = parse_toml(text, PIPFILE)
    lines = _Lines(text)
    notes: list[str] = []
    index_lines, names = _sources(data.get("source"), lines, notes)
    others = [
        key
        for key, value in data.items()
        if key not in NOT_CATEGORIES and isinstance(value, Mapping)
    ]
    categories: list[PipfileCategory] = []
    for category in (
        "packages",
        "dev-packages",
        *sorted(set(others) - {"packages", "dev-packages"}),
    ):
        if category not in data:
            continue
        table = data[category]
        if not isinstance(table, Mapping):
            raise SpecError(
                f"[{category}] must be a table of packages",
                path=PIPFILE,
                line=lines.table(category),
            )
        entries = tuple(
            PipfileEntry(
                _line(name, value, category, names, lines, notes), lines.key(category, name)
            )
            for name, value in table.items()
        )
        categories.append(PipfileCategory(category, lines.table(category), entries))
    requires = data.get("requires")
    python = _python(requires)
    python_line = None
    if python is not None:
        python_line = lines.key("requires", "python_version") or lines.key(
            "requires", "python_full_version"
        )
    return Pipfile(tuple(categories), tuple(index_lines), python, python_line, tuple(notes))


def _sources(sources: Any, lines: _Lines, notes: list[str]) -> tuple[list[str], dict[str, str]]:
    """``--index-url`` / ``--extra-index-url`` lines, and each source's URL by name."""
    if sources is None:
        return [], {}
    if not isinstance(sources, list) or not all(isinstance(s, Mapping) for s in sources):
        raise SpecError(
            "[[source]] must be an array of tables with a url",
            path=PIPFILE,
            line=lines.table("source"),
        )
    out: list[str] = []
    names: dict[str, str] = {}
    for position, source in enumerate(sources):
        url = source.get("url")
        if not isinstance(url, str) or not url:
            raise SpecError(
                "a [[source]] has no url",
                path=PIPFILE,
                line=lines.table("source"),
                hint="Give each [[source]] a url, or remove it.",
            )
        names[str(source.get("name", url))] = url
        if position == 0:
            # Pipenv installs from the first source only, whatever pip's configuration says.
            out.append(f"--index-url {url}")
        else:
            out.append(f"--extra-index-url {url}")
        if source.get("verify_ssl") is False:
            notes.append(
                f"Pipfile's source {source.get('name', url)!r} has verify_ssl = false: "
                "not carried (parity checks TLS); trust its certificate on this machine instead"
            )
    return out, names


def _line(
    name: str,
    value: Any,
    category: str,
    sources: Mapping[str, str],
    lines: _Lines,
    notes: list[str],
) -> str:
    where = lines.key(category, name)
    if isinstance(value, str):
        return _requirement(name if value.strip() == "*" else f"{name}{value.strip()}", where)
    if not isinstance(value, Mapping):
        raise SpecError(
            f"{name}: a package is a version string or a table, not {type(value).__name__}",
            path=PIPFILE,
            line=where,
        )
    unknown = sorted(set(value) - PACKAGE_KEYS)
    if unknown:
        raise SpecError(
            f"{name}: {', '.join(unknown)} cannot be carried into a requirements file",
            path=PIPFILE,
            line=where,
            hint="Remove the key (or write the requirement in requirements.in by hand after "
            "the conversion); nothing was written.",
        )
    extras = value.get("extras") or []
    named = f"{name}[{','.join(extras)}]" if extras else name
    markers = [str(value["markers"])] if value.get("markers") else []
    markers += [f"{key} {value[key]}" for key in sorted(MARKER_KEYS & set(value))]
    marker = (
        f" ; {' and '.join(f'({m})' if ' or ' in m else m for m in markers)}" if markers else ""
    )
    if "index" in value and str(value["index"]) in sources:
        from parity.spec.index_scope import one_index_note

        notes.append(
            one_index_note(
                [name], PIPFILE, f"source {value['index']!r}", "every index is searched for it"
            )
        )
    if "git" in value:
        url = f"git+{value['git']}" if not str(value["git"]).startswith("git+") else value["git"]
        url += f"@{value['ref']}" if value.get("ref") else ""
        url += f"#subdirectory={value['subdirectory']}" if value.get("subdirectory") else ""
        if value.get("editable"):
            return f"-e {url}#egg={name}"
        return _requirement(f"{named} @ {url}{marker}", where)
    if "path" in value:
        path = str(value["path"])
        path = path if path.startswith((".", "/")) else f"./{path}"
        if value.get("editable"):
            return f"-e {path}"
        return f"{named} @ {path}{marker}"
    if "file" in value:
        return _requirement(f"{named} @ {value['file']}{marker}", where)
    version = str(value.get("version", "*")).strip()
    return _requirement(f"{named}{'' if version == '*' else version}{marker}", where)


def _requirement(line: str, where: int | None) -> str:
    try:
        Requirement(line)
    except InvalidRequirement as exc:
        raise SpecError(
            f"not a valid requirement once converted: {line!r} ({exc})",
            path=PIPFILE,
            line=where,
            hint="Fix the version or markers in the Pipfile (PEP 440 / PEP 508).",
        ) from None
    return line


def _python(requires: Any) -> str | None:
    if not isinstance(requires, Mapping):
        return None
    version = requires.get("python_version") or requires.get("python_full_version")
    if isinstance(version, str) and re.fullmatch(r"\d+\.\d+(\.\d+)?", version.strip()):
        return ".".join(version.strip().split(".")[:2])
    return None


class _Lines:
    """Line numbers of tables and keys in the Pipfile's text, for messages."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()

    def table(self, name: str) -> int | None:
        pattern = re.compile(rf"^\s*\[\[?\s*\"?{re.escape(name)}\"?\s*\]\]?")
        return next((n for n, line in enumerate(self._lines, start=1) if pattern.match(line)), None)

    def key(self, table: str, key: str) -> int | None:
        start = self.table(table)
        if start is None:
            return None
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number, line in enumerate(self._lines[start:], start=start + 1):
            if line.lstrip().startswith("["):
                return None
            if pattern.match(line):
                return number
        return None
