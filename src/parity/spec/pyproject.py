"""pyproject.toml: PEP 621 dependencies and extras, PEP 735 dependency groups,
the index settings of ``[tool.uv]`` / Poetry sources, and the TOML helpers the
other pyproject readers (``poetry_project``, ``uv_project``) share."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from parity import toml as tomllib
from parity.errors import SpecError
from parity.frozen import dataclass, field, replace
from parity.names import canonical_name
from parity.patterns import lazy_pattern
from parity.spec.local import local_requirement
from parity.spec.model import DEFAULT_GROUP, DirectRequirement, Group, IndexConfig, SourceRef
from parity.spec.requirements_file import plain_range, plain_requirement, requirement
from parity.spec.requirements_in.cycles import find_cycle
from parity.textfile import read_text_file

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from typing import Any

PYPROJECT = "pyproject.toml"


_group_name_pattern = lazy_pattern(r"^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$")


def read_toml(root: Path, name: str) -> dict[str, Any]:
    """Parse a TOML file of the project; syntax errors name the file and the line."""
    return parse_toml(read_text_file(root / name, shown=name), name)


def parse_toml(text: str, name: str) -> dict[str, Any]:
    try:
        return dict(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        line = _error_line(exc, text)
        message = re.sub(r"\s*\((at line \d+, column \d+|at end of document)\)", "", str(exc))
        raise SpecError(
            f"invalid TOML: {message}",
            path=name,
            line=line,
            hint="Fix the TOML syntax at that line.",
        ) from None


def _error_line(exc: tomllib.TOMLDecodeError, text: str) -> int:
    """The line of a TOML syntax error, whichever parser (tomllib, tomli) raised it.

    An error found at the end of the document (an unclosed table or brace) is
    put on the last line that holds anything, where the user has to look.
    """
    last = max(1, len(text.rstrip().splitlines()))
    lineno = getattr(exc, "lineno", None)  # tomli 2.1+ and Python 3.14 carry it
    if not isinstance(lineno, int):
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        lineno = int(match.group(1)) if match else last
    return min(lineno, last)


def table(data: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    """A nested table, or {} when absent; a non-table value is an error."""
    current: Any = data
    for key in keys:
        current = current.get(key, {}) if isinstance(current, Mapping) else {}
    if not isinstance(current, Mapping):
        raise SpecError(f"[{'.'.join(keys)}] must be a table", path=PYPROJECT)
    return dict(current)


def is_poetry(data: Mapping[str, Any]) -> bool:
    poetry = table(data, "tool", "poetry")
    return any(key in poetry for key in ("dependencies", "group", "dev-dependencies"))


def is_pep621(data: Mapping[str, Any]) -> bool:
    project = table(data, "project")
    return (
        "dependencies" in project
        or "optional-dependencies" in project
        or ("dependency-groups" in data)
    )


def has_dynamic_dependencies(data: Mapping[str, Any]) -> bool:
    dynamic = table(data, "project").get("dynamic", [])
    return isinstance(dynamic, list) and "dependencies" in dynamic


def dynamic_dependencies_error(
    root: Path, data: Mapping[str, Any], *, line: int | None, hint: str
) -> SpecError:
    """The error for ``[project] dynamic = ["dependencies"]`` with nowhere to read them from.

    It names the project by its ``[project] name`` (the folder of a checkout
    is often called something else: python-sdk holds ``mcp``), by its folder
    only when it has no name.
    """
    project = data.get("project")
    name = project.get("name") if isinstance(project, Mapping) else None
    who = (
        f"project {name}"
        if isinstance(name, str) and name.strip()
        else f"the project in {root.name}/"
    )
    return SpecError(
        f"{who} declares its dependencies dynamic ([project] dynamic), so parity cannot read "
        "them without building it",
        path=PYPROJECT,
        line=line,
        hint=hint,
    )


def builds_with_setuptools(data: Mapping[str, Any]) -> bool:
    """Whether setuptools builds the project (its backend, or no backend named: the default)."""
    backend = table(data, "build-system").get("build-backend")
    return not isinstance(backend, str) or backend.startswith("setuptools")


def normalize_group(name: Any, *, ref: SourceRef, what: str = "group") -> str:
    """A group or extra name in its normalized form (PEP 685 / PEP 735)."""
    if not isinstance(name, str) or not _group_name_pattern().fullmatch(name):
        raise SpecError(
            f"invalid {what} name {name!r}",
            path=ref.path,
            line=ref.line,
            hint="Use letters, digits, '-', '_' and '.', starting and ending with a letter or digit.",
        )
    return str(canonical_name(name))


def _dotted_key(parts: Iterable[str]) -> str:
    """A pattern for the key ``a.b``: each part bare or quoted, spaces around the dots."""
    return r"\s*\.\s*".join(
        rf"(?:{re.escape(k)}|\"{re.escape(k)}\"|'{re.escape(k)}')" for k in parts
    )


class TomlLines:
    """Line numbers of tables, keys and strings in a TOML text, for error locations.

    A heuristic over the text (tomllib keeps no positions): it finds the usual
    layouts and returns None for the unusual ones, which only costs a line number.
    """

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def table(self, *keys: str) -> int | None:
        pattern = re.compile(rf"^\s*\[\s*{_dotted_key(keys)}\s*\]\s*(#.*)?$")
        return next((n for n, line in enumerate(self.lines, 1) if pattern.match(line)), None)

    def key(self, table: tuple[str, ...], key: str) -> int | None:
        """The line of ``key = ...`` directly in ``[table]`` (or of ``[table.key]``)."""
        return self._key(table, (key,))

    def _key(self, table: tuple[str, ...], key: tuple[str, ...]) -> int | None:
        start = self.table(*table) if table else 0
        if start is None:
            if len(table) > 1:
                # ``[project]`` + ``optional-dependencies.gpu = [...]`` and the like.
                return self._key(table[:-1], (table[-1], *key)) or self._key(
                    table[:-1], (table[-1],)
                )
            return None
        pattern = re.compile(rf"^\s*{_dotted_key(key)}\s*=")
        for number in range(start + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if re.match(r"^\s*\[", line):
                break
            if pattern.match(line):
                return number
        return self.table(*table, *key)

    def string(self, value: str, start: int | None) -> int | None:
        """The first line at or after ``start`` holding ``value`` as a TOML string."""
        needles = (f'"{value}"', f"'{value}'", f'"""{value}', f"'''{value}")
        for number in range((start or 1), len(self.lines) + 1):
            if any(n in self.lines[number - 1] for n in needles):
                return number
        return start


@dataclass
class PyprojectReader:
    """Reads the dependency tables of one pyproject.toml into Groups."""

    root: Path
    data: Mapping[str, Any]
    text: str
    # Where the file is, relative to the project (a workspace member's is not the root's).
    path: str = PYPROJECT
    base: PurePosixPath = field(default_factory=lambda: PurePosixPath("."))
    # False when UV_NO_CONFIG makes uv ignore [tool.uv]'s settings (its indexes among them).
    uv_config: bool = True
    lines: TomlLines = field(init=False)
    project_name: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.lines = TomlLines(self.text)
        name = table(self.data, "project").get("name") or table(self.data, "tool", "poetry").get(
            "name"
        )
        self.project_name = canonical_name(name) if isinstance(name, str) else None

    def ref(self, line: int | None) -> SourceRef:
        return SourceRef(self.path, line)

    # -- PEP 508 lists ---------------------------------------------------------

    def requirement(self, text: Any, *, where: str, start: int | None) -> DirectRequirement:
        if not isinstance(text, str):
            raise SpecError(
                f"{where} must hold requirement strings, not {text!r}",
                path=self.path,
                line=start,
                hint='Write requirements as strings, e.g. "pandas>=2.0".',
            )
        ref = self.ref(self.lines.string(text, start))
        plain = plain_requirement(text)
        if plain is not None:  # ``name`` / ``name>=1.0``: no URL, nothing for packaging to add
            return DirectRequirement.make(text, ref, name=plain[0])
        from packaging.requirements import InvalidRequirement

        try:
            req = requirement(text)
        except InvalidRequirement as exc:
            raise SpecError(
                f"not a valid requirement in {where}: {text!r} ({exc})",
                path=self.path,
                line=ref.line,
                hint="Write it as in PEP 508, e.g. `pandas>=2.0` or `name @ https://...`.",
            ) from None
        if req.url and (req.url.startswith(("file:", ".")) or "://" not in req.url):
            return local_requirement(self.root, self.base, text, ref, editable=False)
        return DirectRequirement.make(text, ref, name=req.name)

    def requirement_list(
        self, items: Any, *, where: str, table: tuple[str, ...], key: str
    ) -> tuple[list[DirectRequirement], list[str]]:
        """Requirements of a PEP 508 list, and the extras of self-references.

        ``demo[gpu]`` inside project ``demo`` names the project's own extra: it
        becomes an include of group ``gpu``, not a requirement on an index package.
        """
        start = self.lines.key(table, key)
        if not isinstance(items, list):
            raise SpecError(f"{where} must be a list", path=self.path, line=start)
        out: list[DirectRequirement] = []
        own_extras: list[str] = []
        for item in items:
            req = self.requirement(item, where=where, start=start)
            if self.project_name and req.name == self.project_name and req.path is None:
                from packaging.requirements import Requirement

                extras = sorted(Requirement(req.requirement).extras)
                own_extras += [normalize_group(e, ref=req.source, what="extra") for e in extras]
                own_extras.append(DEFAULT_GROUP)
                continue
            out.append(req)
        return out, own_extras

    # -- PEP 621 / 735 ---------------------------------------------------------

    def pep621_groups(self, members: Iterable[tuple[str, str]] = ()) -> list[Group]:
        """Groups from [project] (prod and one per extra) and [dependency-groups].

        A uv workspace whose root is virtual (no [project] dependencies) has no
        prod: each member (``name``, project-relative ``path``) is a group of its
        own that installs that member from the source tree.
        """
        groups: list[Group] = []
        project = table(self.data, "project")
        if "project" in self.data:
            prod, _ = self.requirement_list(
                project.get("dependencies", []),
                where="[project.dependencies]",
                table=("project",),
                key="dependencies",
            )
            line = self.lines.key(("project",), "dependencies") or self.lines.table("project")
            groups.append(
                Group(
                    DEFAULT_GROUP,
                    tuple(prod),
                    "requirements.txt",
                    source=self.ref(line),
                    origin="pyproject.toml [project.dependencies]",
                )
            )
        else:
            groups += self.member_groups(members)
        has_prod = any(g.name == DEFAULT_GROUP for g in groups)
        groups += self.extra_groups(has_prod=has_prod)
        groups += self.dependency_groups(has_prod=has_prod)
        check_group_names(groups)
        check_group_cycles(groups)
        return groups

    def member_groups(self, members: Iterable[tuple[str, str]]) -> list[Group]:
        line = self.lines.key(("tool", "uv", "workspace"), "members")
        groups = []
        for name, path in members:
            requirement = local_requirement(
                self.root, PurePosixPath("."), f"{name} @ ./{path}", self.ref(line), editable=True
            )
            groups.append(
                Group(
                    name,
                    (requirement,),
                    f"requirements-{name}.txt",
                    source=self.ref(line),
                    origin=f"{path}/pyproject.toml (workspace member)",
                )
            )
        return groups

    def extra_groups(self, *, has_prod: bool) -> list[Group]:
        where = ("project", "optional-dependencies")
        extras = table(self.data, *where)
        groups: list[Group] = []
        for raw, items in extras.items():
            line = self.lines.key(where, raw)
            name = normalize_group(raw, ref=self.ref(line), what="extra")
            reqs, own = self.requirement_list(items, where=f"extra {raw!r}", table=where, key=raw)
            groups.append(
                Group(
                    name,
                    tuple(reqs),
                    f"requirements-{name}.txt",
                    includes_for(has_prod, own),
                    source=self.ref(line),
                    origin=f"pyproject.toml [project.optional-dependencies] {raw}",
                    extra=True,
                )
            )
        return groups

    def dependency_groups(self, *, has_prod: bool) -> list[Group]:
        declared = self.data.get("dependency-groups", {})
        if not isinstance(declared, Mapping):
            raise SpecError("[dependency-groups] must be a table", path=self.path)
        where = ("dependency-groups",)
        names: dict[str, str] = {}
        for raw in declared:
            name = normalize_group(raw, ref=self.ref(self.lines.key(where, raw)))
            if name in names:
                raise SpecError(
                    f"dependency groups {names[name]!r} and {raw!r} have the same normalized name",
                    path=self.path,
                    line=self.lines.key(where, raw),
                    hint="PEP 735 compares group names normalized; rename one of them.",
                )
            names[name] = raw
        groups: list[Group] = []
        for raw, items in declared.items():
            name = normalize_group(raw, ref=self.ref(None))
            line = self.lines.key(where, raw)
            if not isinstance(items, list):
                raise SpecError(
                    f"dependency group {raw!r} must be a list", path=self.path, line=line
                )
            strings: list[Any] = []
            included: list[str] = []
            for item in items:
                if isinstance(item, Mapping):
                    if set(item) != {"include-group"}:
                        raise SpecError(
                            f"dependency group {raw!r}: a table entry may only say include-group",
                            path=self.path,
                            line=line,
                            hint='Write {include-group = "other"}.',
                        )
                    target = item["include-group"]
                    target_name = normalize_group(target, ref=self.ref(line))
                    if target_name not in names:
                        raise SpecError(
                            f"group {raw!r} includes unknown group {target!r}",
                            path=self.path,
                            line=line,
                            hint=f"Known groups: {', '.join(declared)}.",
                        )
                    included.append(target_name)
                else:
                    strings.append(item)
            reqs, own = self.requirement_list(strings, where=f"group {raw!r}", table=where, key=raw)
            groups.append(
                Group(
                    name,
                    tuple(reqs),
                    f"requirements-{name}.txt",
                    includes_for(has_prod, [*included, *own]),
                    source=self.ref(line),
                    origin=f"{self.path} [dependency-groups] {raw}",
                )
            )
        groups = self._with_uv_dev_dependencies(groups, has_prod=has_prod)
        return self._with_pdm_dev_dependencies(groups, has_prod=has_prod)

    def _with_pdm_dev_dependencies(self, groups: list[Group], *, has_prod: bool) -> list[Group]:
        """``[tool.pdm.dev-dependencies]``: PDM's development groups, one group each.

        PDM merges a group of the same name in ``[dependency-groups]`` with it;
        so does parity.  ``-e`` entries are local packages of the source tree.
        """
        where = ("tool", "pdm", "dev-dependencies")
        declared = table(self.data, *where)
        for raw, items in declared.items():
            line = self.lines.key(where, raw)
            name = normalize_group(raw, ref=self.ref(line))
            if not isinstance(items, list):
                raise SpecError(
                    f"[tool.pdm.dev-dependencies] {raw} must be a list", path=self.path, line=line
                )
            editables = [i for i in items if isinstance(i, str) and i.startswith("-e ")]
            plain = [i for i in items if i not in editables]
            reqs, own = self.requirement_list(
                plain, where=f"[tool.pdm.dev-dependencies] {raw}", table=where, key=raw
            )
            for item in editables:
                location = item[3:].strip().replace("file:///${PROJECT_ROOT}", ".")
                ref = self.ref(self.lines.string(item, line))
                reqs.append(local_requirement(self.root, self.base, location, ref, editable=True))
            origin = f"{self.path} [tool.pdm.dev-dependencies] {raw}"
            existing = next((i for i, g in enumerate(groups) if g.name == name), None)
            if existing is not None:
                group = groups[existing]
                groups[existing] = replace(
                    group,
                    requirements=(*group.requirements, *reqs),
                    includes=tuple(dict.fromkeys([*group.includes, *includes_for(has_prod, own)])),
                    origin=f"{group.origin} + {origin}",
                )
                continue
            groups.append(
                Group(
                    name,
                    tuple(reqs),
                    f"requirements-{name}.txt",
                    includes_for(has_prod, own),
                    source=self.ref(line),
                    origin=origin,
                )
            )
        return groups

    def _with_uv_dev_dependencies(self, groups: list[Group], *, has_prod: bool) -> list[Group]:
        """``[tool.uv] dev-dependencies``: uv's older spelling of group ``dev`` (merged into it)."""
        uv = table(self.data, "tool", "uv")
        if "dev-dependencies" not in uv:
            return groups
        where = ("tool", "uv")
        reqs, own = self.requirement_list(
            uv["dev-dependencies"],
            where="[tool.uv] dev-dependencies",
            table=where,
            key="dev-dependencies",
        )
        line = self.lines.key(where, "dev-dependencies")
        origin = f"{self.path} [tool.uv] dev-dependencies"
        for index, group in enumerate(groups):
            if group.name == "dev":
                groups[index] = replace(
                    group,
                    requirements=(*group.requirements, *reqs),
                    includes=tuple(dict.fromkeys([*group.includes, *includes_for(has_prod, own)])),
                    origin=f"{group.origin} + {origin}",
                )
                return groups
        groups.append(
            Group(
                "dev",
                tuple(reqs),
                "requirements-dev.txt",
                includes_for(has_prod, own),
                source=self.ref(line),
                origin=origin,
            )
        )
        return groups

    # -- Python ----------------------------------------------------------------

    def requires_python(self) -> tuple[str | None, SourceRef | None]:
        """The project's Python range as PEP 440, and where it is written."""
        project = table(self.data, "project")
        if "requires-python" in project:
            line = self.lines.key(("project",), "requires-python")
            value = project["requires-python"]
            if isinstance(value, str) and plain_range(value) is not None:
                return value, self.ref(line)  # ``>=3.10``: valid, known without packaging
            from packaging.specifiers import InvalidSpecifier, SpecifierSet

            try:
                if not isinstance(value, str):
                    raise InvalidSpecifier(str(value))
                SpecifierSet(value)
            except InvalidSpecifier:
                raise SpecError(
                    f"requires-python {value!r} is not a PEP 440 specifier",
                    path=self.path,
                    line=line,
                    hint='Write a range such as ">=3.10".',
                ) from None
            return value or None, self.ref(line)
        main = table(self.data, "tool", "poetry", "dependencies")
        if "python" in main:
            line = self.lines.key(("tool", "poetry", "dependencies"), "python")
            from parity.spec.poetry import requires_python

            try:
                return requires_python(str(main["python"])), self.ref(line)
            except SpecError as exc:
                raise SpecError(
                    f"python: {exc.message}", path=self.path, line=line, hint=exc.hint
                ) from None
        return None, None


def includes_for(has_prod: bool, names: Iterable[str]) -> tuple[str, ...]:
    wanted = [DEFAULT_GROUP] if has_prod else []
    wanted += [n for n in names if n != DEFAULT_GROUP or has_prod]
    return tuple(dict.fromkeys(wanted))


def check_group_names(groups: Iterable[Group]) -> None:
    seen: dict[str, Group] = {}
    for group in groups:
        if group.name in seen:
            first = seen[group.name]
            where = (
                f": {first.origin} and {group.origin}"
                if first.origin and group.origin and first.origin != group.origin
                else ""
            )
            hint = (
                "Each extra, dependency group and requirements file becomes a group of "
                "its own lockfile; rename one of them."
            )
            if group.name == DEFAULT_GROUP:
                # The main dependencies are always parity's 'prod': only the other can move.
                hint = (
                    f"parity locks the project's main dependencies as group {DEFAULT_GROUP!r}; "
                    f"rename the other (e.g. {DEFAULT_GROUP!r} -> 'production', and the "
                    "commands that name it, such as `uv sync --group`)."
                )
            raise SpecError(
                f"two tables define group {group.name!r}{where}",
                path=group.source.path if group.source else PYPROJECT,
                line=group.source.line if group.source else None,
                hint=hint,
            )
        seen[group.name] = group


def check_group_cycles(groups: Iterable[Group]) -> None:
    by_name = {g.name: g for g in groups}
    missing = [(g, i) for g in by_name.values() for i in g.includes if i not in by_name]
    if missing:
        group, target = missing[0]
        raise SpecError(
            f"group {group.name!r} includes {target!r}, which is not a group of this project",
            path=group.source.path if group.source else PYPROJECT,
            line=group.source.line if group.source else None,
            hint=f"Known groups: {', '.join(by_name)}.",
        )
    cycle = find_cycle({name: g.includes for name, g in by_name.items()})
    if cycle:
        start = by_name[cycle[0]]
        raise SpecError(
            f"include-group cycle: {' -> '.join(cycle)}",
            path=start.source.path if start.source else PYPROJECT,
            line=start.source.line if start.source else None,
            hint="Remove one of the include-group entries.",
        )


def index_config(data: Mapping[str, Any], *, uv_config: bool = True) -> IndexConfig:
    """Index settings a pyproject declares: [tool.uv] and Poetry sources, as written.

    Explicit indexes (uv ``explicit = true``, Poetry ``priority = "explicit"``)
    serve only the packages pinned to them, so they are not general indexes.
    ``uv_config=False`` (``UV_NO_CONFIG``): uv ignores ``[tool.uv]``'s, so they
    are not read.
    """
    uv = table(data, "tool", "uv") if uv_config else {}
    index_url = uv.get("index-url")
    if index_url is not None and not isinstance(index_url, str):
        raise SpecError("[tool.uv] index-url must be a string", path=PYPROJECT)
    extras = _strings(uv.get("extra-index-url", []), "[tool.uv] extra-index-url")
    find_links = _strings(uv.get("find-links", []), "[tool.uv] find-links")
    indexes = uv.get("index", [])
    if not isinstance(indexes, list):
        raise SpecError("[[tool.uv.index]] must be an array of tables", path=PYPROJECT)
    for index in indexes:
        url = index.get("url") if isinstance(index, Mapping) else None
        if not isinstance(url, str):
            raise SpecError("every [[tool.uv.index]] needs a url", path=PYPROJECT)
        if index.get("default"):
            index_url = url
        elif not index.get("explicit"):
            extras.append(url)
    sources = table(data, "tool", "poetry").get("source", [])
    if not isinstance(sources, list):
        raise SpecError("[[tool.poetry.source]] must be an array of tables", path=PYPROJECT)
    primary: list[str] = []
    later: list[str] = []
    pypi_kept = False
    for source in sources:
        if not isinstance(source, Mapping):
            continue
        url = source.get("url")
        priority = poetry_source_priority(source)
        if not isinstance(url, str):
            # A source without url is Poetry's way of naming PyPI: declared (primary or
            # supplemental), it stays one of the indexes beside the project's own.
            pypi_kept = pypi_kept or priority != "explicit"
            continue
        if priority == "explicit":
            continue
        (primary if priority in ("primary", "default") else later).append(url)
    if primary and index_url is None and not pypi_kept:
        index_url = primary.pop(0)  # Poetry then leaves PyPI out: this index replaces it
    extras += primary + later
    return IndexConfig(
        index_url=index_url,
        extra_index_urls=tuple(dict.fromkeys(extras)),
        find_links=tuple(find_links),
        no_index=bool(uv.get("no-index", False)),
    )


def poetry_source_priority(source: Mapping[str, Any]) -> str:
    """A source's priority as Poetry 1.5 and later read it: primary unless it says otherwise
    (Poetry 1's ``default = true`` and ``secondary = true`` as the priorities they became)."""
    priority = source.get("priority")
    if isinstance(priority, str) and priority:
        return "supplemental" if priority == "secondary" else priority
    if source.get("default"):
        return "default"
    return "supplemental" if source.get("secondary") else "primary"


def supplemental_sources_note(data: Mapping[str, Any]) -> list[str]:
    """What uv does differently with Poetry's supplemental (or legacy secondary) sources.

    Poetry asks them only for a package no primary index has; uv has no index below
    its default one, so it asks them first, and a package on both comes from them.
    """
    sources = table(data, "tool", "poetry").get("source", [])
    names = [
        str(s.get("name", s["url"]))
        for s in (sources if isinstance(sources, list) else [])
        if isinstance(s, Mapping)
        and isinstance(s.get("url"), str)
        and poetry_source_priority(s) == "supplemental"
    ]
    if not names:
        return []
    listed = ", ".join(names)
    return [
        f"[[tool.poetry.source]] {listed}: Poetry asks a supplemental source only for packages "
        "its primary index lacks; uv asks it before the default index, so a package that "
        f'both hold is locked from {listed}. Make it explicit (priority = "explicit", '
        'and `source = "..."` on the packages it serves) to lock the same as Poetry'
    ]


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(f"{where} must be a list of strings", path=PYPROJECT)
    return list(value)
