"""A Poetry project's groups, read the way Poetry 1 and Poetry 2 read them.

Poetry 2 reads ``[project]`` first.  When ``[project]`` declares dependencies
(or optional dependencies), they are the main group and its extras; entries
of ``[tool.poetry.dependencies]`` naming the same packages only refine them
(a narrower version, a marker, a source, ``develop``, ``allow-prereleases``),
and entries naming other packages are ignored by Poetry (parity says so).
PEP 735 ``[dependency-groups]`` merge with ``[tool.poetry.group.<g>]`` the same
way.  Without ``[project]`` dependencies, ``[tool.poetry]`` alone holds them
(Poetry 1).  poetry-core's factory is the reference for all of this.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from parity.errors import SpecError
from parity.frozen import dataclass, field
from parity.spec.local import local_requirement
from parity.spec.model import DEFAULT_GROUP, DirectRequirement, Group
from parity.spec.poetry import PoetryDependency, dependency_requirements
from parity.spec.pyproject import (
    PYPROJECT,
    PyprojectReader,
    check_group_cycles,
    check_group_names,
    includes_for,
    normalize_group,
    table,
)

PYPI_SOURCE = "pypi"


@dataclass
class PoetryRead:
    groups: list[Group]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Entry:
    """One translated entry of a Poetry dependency table, with where it was written."""

    name: str
    dependency: PoetryDependency
    requirement: DirectRequirement


def poetry_sources(data: Mapping[str, Any]) -> dict[str, str | None]:
    """``[[tool.poetry.source]]`` by name -> URL (None for Poetry's name for the default index)."""
    sources = data.get("tool", {}).get("poetry", {}).get("source", [])
    out: dict[str, str | None] = {PYPI_SOURCE: None}
    if isinstance(sources, list):
        for source in sources:
            if isinstance(source, Mapping) and isinstance(source.get("name"), str):
                url = source.get("url")
                out[source["name"].lower()] = url if isinstance(url, str) else None
    return out


def read_poetry_groups(reader: PyprojectReader) -> PoetryRead:
    """Groups of a Poetry project: main (prod), extras, then dependency groups."""
    data = reader.data
    poetry = table(data, "tool", "poetry")
    project = table(data, "project")
    sources = poetry_sources(data)
    notes: list[str] = []
    main_table = ("tool", "poetry", "dependencies")
    poetry_main = _entries(reader, main_table, table(data, *main_table), sources)
    pep621 = "dependencies" in project or "optional-dependencies" in project
    groups: list[Group] = []
    if pep621:
        dynamic = project.get("dynamic", [])
        mixed = isinstance(dynamic, list) and (
            "dependencies" in dynamic or "optional-dependencies" in dynamic
        )
        prod_plain, _ = reader.requirement_list(
            project.get("dependencies", []),
            where="[project.dependencies]",
            table=("project",),
            key="dependencies",
        )
        by_name = _by_name(poetry_main)
        prod = _enrich_all(reader, prod_plain, by_name)
        used = {r.name for r in prod_plain}
        extra_groups = reader.extra_groups(has_prod=True)
        for extra in extra_groups:
            used |= {r.name for r in extra.requirements}
        extra_groups = [
            Group(
                g.name,
                tuple(_enrich_all(reader, list(g.requirements), by_name)),
                g.output,
                g.includes,
                source=g.source,
                origin=g.origin,
                extra=True,
            )
            for g in extra_groups
        ]
        unused = [e for e in poetry_main if e.name not in used]
        if mixed:
            prod += [e.requirement for e in unused if not e.dependency.optional]
        elif unused:
            names = ", ".join(sorted({e.name for e in unused}))
            notes.append(
                f"pyproject.toml: [tool.poetry.dependencies] {names} not read: [project] "
                "declares the dependencies, and Poetry 2 then reads [tool.poetry.dependencies] "
                "only to refine the packages [project] names"
            )
        if "extras" in poetry:
            notes.append(
                "pyproject.toml: [tool.poetry.extras] not read: Poetry 2 takes extras from "
                "[project.optional-dependencies] when [project] declares dependencies"
            )
        line = reader.lines.key(("project",), "dependencies") or reader.lines.table("project")
        groups.append(
            Group(
                DEFAULT_GROUP,
                tuple(prod),
                "requirements.txt",
                source=reader.ref(line),
                origin="pyproject.toml [project.dependencies]",
            )
        )
        groups += extra_groups
    elif "dependencies" in poetry:
        line = reader.lines.table(*main_table)
        extras, in_extras = _poetry_extras(reader, poetry_main, notes, has_prod=True)
        groups.append(
            Group(
                DEFAULT_GROUP,
                tuple(
                    e.requirement
                    for e in poetry_main
                    if not e.dependency.optional and e.name not in in_extras
                ),
                "requirements.txt",
                source=reader.ref(line),
                origin="pyproject.toml [tool.poetry.dependencies]",
            )
        )
        groups += extras
    has_prod = bool(groups)
    groups += _dependency_groups(reader, poetry, sources, has_prod=has_prod)
    check_group_names(groups)
    check_group_cycles(groups)
    return PoetryRead(groups, notes)


def _by_name(entries: Iterable[_Entry]) -> dict[str, list[_Entry]]:
    out: dict[str, list[_Entry]] = {}
    for entry in entries:
        out.setdefault(entry.name, []).append(entry)
    return out


def _entries(
    reader: PyprojectReader,
    where: tuple[str, ...],
    deps: Mapping[str, Any],
    sources: Mapping[str, str | None],
) -> list[_Entry]:
    """Every entry of one Poetry dependency table, translated (``python`` skipped)."""
    out: list[_Entry] = []
    for name, value in deps.items():
        if name.lower() == "python":
            continue
        ref = reader.ref(reader.lines.key(where, name))
        try:
            translated = dependency_requirements(name, value)
        except SpecError as exc:
            raise SpecError(
                exc.message
                if exc.message.startswith("dependency")
                else f"dependency {name!r}: {exc.message}",
                path=ref.path,
                line=ref.line,
                hint=exc.hint,
            ) from None
        for dep in translated:
            index = _source_url(name, dep, sources, ref.line)
            if dep.path is not None:
                req = local_requirement(
                    reader.root, PurePosixPath("."), dep.text, ref, editable=dep.editable
                )
            else:
                _check(dep.text, name, ref.line)
                req = DirectRequirement.make(
                    dep.text, ref, name=name, index=index, allow_prerelease=dep.allow_prerelease
                )
            out.append(_Entry(canonicalize_name(name), dep, req))
    return out


def _source_url(
    name: str, dep: PoetryDependency, sources: Mapping[str, str | None], line: int | None
) -> str | None:
    if dep.source is None:
        return None
    key = dep.source.lower()
    if key not in sources:
        known = ", ".join(sorted(sources))
        raise SpecError(
            f"dependency {name!r} names source {dep.source!r}, which no [[tool.poetry.source]] "
            "declares",
            path=PYPROJECT,
            line=line,
            hint=f"Declared sources: {known}.",
        )
    return sources[key]


def _check(text: str, name: str, line: int | None) -> None:
    try:
        Requirement(text)
    except InvalidRequirement as exc:
        raise SpecError(
            f"dependency {name!r} translates to {text!r}, which is not a valid requirement ({exc})",
            path=PYPROJECT,
            line=line,
            hint="Check its version, markers and extras.",
        ) from None


def _enrich_all(
    reader: PyprojectReader,
    plain: list[DirectRequirement],
    poetry: Mapping[str, list[_Entry]],
) -> list[DirectRequirement]:
    out: list[DirectRequirement] = []
    for requirement in plain:
        entries = poetry.get(requirement.name)
        if not entries:
            out.append(requirement)
            continue
        out += [_enrich(reader, requirement, entry) for entry in entries]
    return out


def _enrich(reader: PyprojectReader, plain: DirectRequirement, entry: _Entry) -> DirectRequirement:
    """A [project] requirement refined by the [tool.poetry] entry of the same package.

    As poetry-core does: versions intersect, markers combine, and the Poetry
    entry brings its source (a path, a git URL, an index) unless [project]
    already names a URL, which then keeps it (and takes ``develop``).
    """
    ours = Requirement(plain.requirement) if plain.path is None else None
    theirs = entry.dependency
    extras = sorted(ours.extras) if ours else sorted(Requirement(_safe(plain)).extras)
    extra_text = f"[{','.join(extras)}]" if extras else ""
    markers = [str(ours.marker) if ours and ours.marker else None, _marker_of(theirs.text)]
    marker_text = " and ".join(f"({m})" for m in markers if m)
    suffix = f" ; {marker_text}" if marker_text else ""
    ref = entry.requirement.source
    if plain.path is not None or (ours is not None and ours.url):
        if plain.path is not None:
            return DirectRequirement.make(
                plain.requirement,
                plain.source,
                name=plain.name,
                editable=theirs.editable,
                path=plain.path,
            )
        return plain
    if theirs.path is not None:
        return local_requirement(
            reader.root,
            PurePosixPath("."),
            f"{plain.name}{extra_text} @ {theirs.path}{suffix}",
            ref,
            editable=theirs.editable,
        )
    their_req = Requirement(theirs.text)
    if their_req.url:
        text = f"{plain.name}{extra_text} @ {their_req.url}{suffix}"
        return DirectRequirement.make(text, ref, name=plain.name)
    specifiers = [str(s) for s in (ours.specifier if ours else [])] + [
        str(s) for s in their_req.specifier
    ]
    text = f"{ours.name if ours else plain.name}{extra_text}{','.join(specifiers)}{suffix}"
    _check(text, plain.name, ref.line)
    return DirectRequirement.make(
        text,
        plain.source,
        name=plain.name,
        index=entry.requirement.index,
        allow_prerelease=theirs.allow_prerelease,
    )


def _safe(requirement: DirectRequirement) -> str:
    return requirement.requirement.split("@", 1)[0].strip() or requirement.name


def _marker_of(text: str) -> str | None:
    try:
        marker = Requirement(text).marker
    except InvalidRequirement:
        return None
    return str(marker) if marker else None


def _poetry_extras(
    reader: PyprojectReader, main: list[_Entry], notes: list[str], *, has_prod: bool
) -> tuple[list[Group], set[str]]:
    """[tool.poetry.extras] as poetry-core reads them, and the main dependencies they name.

    Poetry installs a main dependency that an extra names only with that extra,
    even one not marked optional (its lock marks it ``extra == "..."``;
    python-poetry/poetry#3718): so does parity, and it says so.  A name that is
    not a main dependency at all is left out of the extra, as Poetry does
    (`poetry check` reports it).
    """
    declared: dict[str, list[_Entry]] = {}
    for entry in main:
        declared.setdefault(entry.name, []).append(entry)
    extras_table = ("tool", "poetry", "extras")
    groups: list[Group] = []
    named: set[str] = set()
    required: dict[str, list[str]] = {}
    for raw, names in table(reader.data, *extras_table).items():
        line = reader.lines.key(extras_table, raw)
        name = normalize_group(raw, ref=reader.ref(line), what="extra")
        if not isinstance(names, list):
            raise SpecError(f"extra {raw!r} must list package names", path=PYPROJECT, line=line)
        chosen: list[DirectRequirement] = []
        for package in names:
            key = str(canonicalize_name(str(package).split("[")[0].strip()))
            found = declared.get(key)
            if found is None:
                notes.append(
                    f"pyproject.toml:{line}: extra {raw!r} names {package!r}, which is not in "
                    "[tool.poetry.dependencies]: left out of the extra, as Poetry does "
                    "(`poetry check` reports it)"
                )
                continue
            named.add(key)
            if not any(e.dependency.optional for e in found):
                required.setdefault(key, []).append(str(raw))
            chosen += [e.requirement for e in found if e.requirement not in chosen]
        groups.append(
            Group(
                name,
                tuple(chosen),
                f"requirements-{name}.txt",
                includes_for(has_prod, []),
                source=reader.ref(line),
                origin=f"pyproject.toml [tool.poetry.extras] {raw}",
                extra=True,
            )
        )
    if required:
        listed = ", ".join(f"{n} ({', '.join(e)})" for n, e in sorted(required.items()))
        notes.append(
            "pyproject.toml: [tool.poetry.extras] name dependencies not marked optional: "
            f"{listed}; Poetry installs them only with those extras, and so does parity "
            "(mark them optional = true to say so, or take them out of the extras to "
            "install them always)"
        )
    return groups, named


def _dependency_groups(
    reader: PyprojectReader,
    poetry: Mapping[str, Any],
    sources: Mapping[str, str | None],
    *,
    has_prod: bool,
) -> list[Group]:
    """PEP 735 groups refined by [tool.poetry.group.<g>], then Poetry-only groups."""
    pep735 = {g.name: g for g in reader.dependency_groups(has_prod=has_prod)}
    tables: dict[str, tuple[list[DirectRequirement], list[str], int | None, str]] = {}
    if "dev-dependencies" in poetry:
        legacy = ("tool", "poetry", "dev-dependencies")
        entries = _entries(reader, legacy, table(reader.data, *legacy), sources)
        tables["dev"] = (
            [e.requirement for e in entries],
            [],
            reader.lines.table(*legacy),
            "pyproject.toml [tool.poetry.dev-dependencies]",
        )
    declared = table(reader.data, "tool", "poetry", "group")
    known = {normalize_group(g, ref=reader.ref(None)) for g in declared} | set(pep735)
    for raw, body in declared.items():
        header = reader.lines.table("tool", "poetry", "group", raw) or reader.lines.table(
            "tool", "poetry", "group", raw, "dependencies"
        )
        name = normalize_group(raw, ref=reader.ref(header))
        if not isinstance(body, Mapping):
            raise SpecError(
                f"[tool.poetry.group.{raw}] must be a table", path=PYPROJECT, line=header
            )
        where = ("tool", "poetry", "group", raw, "dependencies")
        entries = _entries(reader, where, table(reader.data, *where), sources)
        included: list[str] = []
        targets = body.get("include-groups", [])
        if not isinstance(targets, list):
            raise SpecError(
                f"[tool.poetry.group.{raw}] include-groups must be a list of group names",
                path=PYPROJECT,
                line=header,
            )
        for target in targets:
            target_name = normalize_group(target, ref=reader.ref(header))
            if target_name not in known:
                raise SpecError(
                    f"group {raw!r} includes unknown group {target!r}",
                    path=PYPROJECT,
                    line=header,
                    hint=f"Known groups: {', '.join(sorted(known))}.",
                )
            included.append(target_name)
        if name in pep735:
            group = pep735[name]
            refined = _enrich_all(reader, list(group.requirements), _by_name(entries))
            pep735[name] = Group(
                name,
                tuple(refined),
                group.output,
                tuple(dict.fromkeys([*group.includes, *included])),
                source=group.source,
                origin=group.origin,
            )
            continue
        before, before_included, before_line, origin = tables.get(
            name, ([], [], header, f"pyproject.toml [tool.poetry.group.{raw}]")
        )
        # Poetry merges the legacy dev-dependencies into group "dev".
        tables[name] = (
            [*before, *(e.requirement for e in entries)],
            [*before_included, *included],
            before_line,
            origin,
        )
    groups = list(pep735.values())
    groups += [
        Group(
            name,
            tuple(reqs),
            f"requirements-{name}.txt",
            includes_for(has_prod, included),
            source=reader.ref(line),
            origin=origin,
        )
        for name, (reqs, included, line, origin) in tables.items()
    ]
    return groups
