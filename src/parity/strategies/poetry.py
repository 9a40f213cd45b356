"""The Poetry strategy: pyproject.toml in the form Poetry 2 reads.

``parity init --strategy poetry`` and ``parity export --to poetry`` write
``[project]`` metadata and main dependencies (PEP 621, which Poetry 2 reads),
``[tool.poetry] package-mode = false`` for an application, one
``[tool.poetry.group.<g>.dependencies]`` table per group (PEP 440 ranges said
as Poetry's caret/tilde where that is exact), ``include-groups`` for layered
groups, ``[[tool.poetry.source]]`` for the indexes, and, when asked, the
course's tool settings.  pyproject.toml is edited round trip: comments and
everything parity does not manage stay.  poetry.lock is Poetry's own: with
``--lock`` parity runs Poetry to write it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from parity.errors import SpecError, UsageError
from parity.spec.model import DEFAULT_GROUP, Group, IndexConfig, ProjectSpec
from parity.spec.poetry import poetry_to_pep440
from parity.strategies.base import FileOutput, Rendered, Request
from parity.strategies.convert import (
    Carried,
    carried,
    check_includes_prod,
    check_no_constraints,
    check_no_dynamic_dependencies,
    check_not_conda,
    check_nothing_unconverted,
    default_output,
    extras_of,
    parse_pyproject,
    python_pin,
)
from parity.strategies.roundtrip import dump_toml, load_toml

STRATEGY = "poetry"
NAME = "poetry"
NEEDS_LOCK = False
OPTIONS = ("run_lock", "with_tools")
FOLLOW_UP: tuple[str, ...] = ()
PYPROJECT = "pyproject.toml"

# The tool configuration the course's pyproject.toml shows.
COURSE_TOOLS: dict[str, dict[str, Any]] = {
    "ruff": {
        "line-length": 100,
        "src": ["src"],
        "lint": {"select": ["E", "F", "I", "W", "B", "C4", "UP"], "ignore": ["E501"]},
    },
    "mypy": {
        "warn_return_any": True,
        "disallow_untyped_defs": True,
        "ignore_missing_imports": True,
    },
    "pytest": {"ini_options": {"testpaths": ["tests"], "addopts": "-v"}},
    "coverage": {"run": {"source": ["src"], "omit": ["tests/*"]}},
}


# -- PEP 440 -> Poetry constraints ------------------------------------------------------


def poetry_constraint(specifier: str) -> str:
    """A PEP 440 specifier as Poetry writes it: ``^``/``~`` when exactly equal, else as is."""
    text = specifier.strip()
    if not text:
        return "*"
    try:
        wanted = SpecifierSet(text)
    except InvalidSpecifier:
        return text
    specs = list(wanted)
    if len(specs) == 1 and specs[0].operator == "~=":
        compatible = _compatible_release(specs[0].version)
        if compatible:
            return compatible
    if len(specs) == 2:
        lower = next((s for s in specs if s.operator == ">="), None)
        upper = next((s for s in specs if s.operator == "<"), None)
        if lower is not None and upper is not None:
            for candidate in (f"^{lower.version}", f"~{lower.version}"):
                try:
                    if SpecifierSet(poetry_to_pep440(candidate)) == wanted:
                        return candidate
                except (SpecError, InvalidSpecifier):
                    continue
    return ",".join(str(s) for s in sorted(specs, key=lambda s: (s.operator != ">=", str(s))))


def _compatible_release(version: str) -> str | None:
    """``~=1.4`` is Poetry's ``^1.4`` and ``~=1.4.2`` its ``~1.4.2`` (plain releases only)."""
    if not re.fullmatch(r"\d+(\.\d+){1,2}", version):
        return None
    parts = version.split(".")
    if len(parts) == 3:
        return f"~{version}"
    return f"^{version}" if int(parts[0]) > 0 else None


def _git(url: str) -> dict[str, str]:
    """``git+https://host/repo.git@v1#subdirectory=pkg`` as Poetry's git, rev, subdirectory."""
    rest, _, fragment = url.removeprefix("git+").partition("#")
    out: dict[str, str] = {}
    at = rest.rfind("@")
    if at > rest.rfind("/"):
        rest, out["rev"] = rest[:at], rest[at + 1 :]
    out = {"git": rest, **out}
    match = re.search(r"subdirectory=([^&]+)", fragment)
    if match:
        out["subdirectory"] = match.group(1)
    return out


def dependency_value(item: Carried) -> Any:
    """The value of ``name = ...`` in a Poetry dependency table."""
    import tomlkit

    req = item.requirement
    parsed = item.parsed
    if parsed is None:
        raise UsageError(
            f"cannot carry {req.requirement!r} to Poetry: not a PEP 508 requirement",
            path=req.source.path,
            line=req.source.line,
        )
    table: dict[str, Any] = {}
    if req.path is not None:
        table["path"] = req.path
        if req.editable:
            table["develop"] = True
    elif parsed.url and parsed.url.startswith("git+"):
        table.update(_git(parsed.url))
    elif parsed.url:
        table["url"] = parsed.url
    else:
        table["version"] = poetry_constraint(str(parsed.specifier))
    if parsed.extras:
        table["extras"] = sorted(parsed.extras)
    if parsed.marker:
        table["markers"] = str(parsed.marker)
    if list(table) == ["version"]:
        return table["version"]
    inline = tomlkit.inline_table()
    inline.update(table)
    return inline


# -- conversion ---------------------------------------------------------------------------


def convert(request: Request) -> Rendered:
    spec = request.spec
    files: dict[str, FileOutput] = {}
    notes: list[str] = []
    check_nothing_unconverted(request, "poetry")
    python = python_pin(request)
    if python and (spec is None or not spec.python.pinned):
        files[".python-version"] = FileOutput(f"{python}\n", owned=False, create_only=True)
    text = request.workspace.read(PYPROJECT)
    if spec is not None and spec.format == "poetry":
        notes.append("already a Poetry project: its dependency tables are kept as they are")
        if request.option("with_tools") and text is not None:
            doc = load_toml(text, PYPROJECT)
            _add_tools(doc)
            files[PYPROJECT] = FileOutput(_dump(doc), owned=False)
        return Rendered(files, tuple(notes), artifact=NAME)
    if spec is not None:
        check_not_conda(spec, "Poetry")
        check_no_dynamic_dependencies(request.workspace, "Poetry")
        check_no_constraints(spec, "Poetry")
        check_includes_prod(spec, "Poetry")
        _check_index(spec.index)
    doc = load_toml(text or "", PYPROJECT)
    created = "project" not in doc
    _, data = parse_pyproject(request.workspace)
    extras = extras_of(data)
    _project_table(doc, spec, request, python)
    if spec is None:
        _poetry_table(doc, installable=False)
        _group_table(doc, "dev")
    else:
        if spec.format == "requirements-in":
            _set_main_dependencies(doc, spec, request)
        _poetry_table(doc, installable=spec.installable)
        _set_sources(doc, spec.index)
        for group in spec.groups:
            if group.name == DEFAULT_GROUP or group.name in extras:
                continue
            _set_group(doc, spec, group, request)
        if "dependency-groups" in doc:
            moved = [str(name) for name in doc["dependency-groups"]]
            del doc["dependency-groups"]
            notes += _dangling_group_references(doc, moved)
        _drop_uv_indexes(doc)
        if spec.format == "requirements-in":
            inputs = sorted({g.source.path for g in spec.groups if g.source})
            # The .in files stay (they are the user's): say which style parity reads.
            _tool(doc, "parity")["format"] = "poetry"
            notes.append(
                f"{', '.join(inputs)} are no longer read (pyproject.toml holds the "
                "dependencies now): delete them when you are ready"
            )
        renamed = {g.name: g.output for g in spec.groups if g.output != default_output(g.name)}
        if renamed:
            _tool(doc, "parity")["outputs"] = _inline(renamed)
            notes.append("lockfiles keep their names ([tool.parity] outputs)")
    if request.option("with_tools"):
        _add_tools(doc)
    _end_with_blank_lines(doc)
    files[PYPROJECT] = FileOutput(project_first(doc, created), owned=False)
    if request.option("run_lock"):
        notes.append("poetry.lock: written by Poetry after pyproject.toml")
    return Rendered(files, tuple(notes), artifact=NAME)


def render(request: Request) -> Rendered:
    """``parity export --to poetry``: the same pyproject.toml as the strategy writes."""
    return convert(request)


def _dump(doc: Any) -> str:
    return dump_toml(doc).rstrip("\n") + "\n"


def project_first(doc: Any, created: bool) -> str:
    """The document as text, a [project] table parity created moved to the top.

    TOML readers do not care about table order, but people read [project] first.
    The file's opening comment block stays above it.
    """
    from parity.strategies.roundtrip import table_first

    if not created:
        return _dump(doc)
    return table_first(doc, "project").rstrip("\n") + "\n"


def _check_index(index: IndexConfig) -> None:
    if index.find_links:
        raise UsageError(
            f"find-links {index.find_links[0]} cannot be carried to Poetry, which reads "
            "packages from indexes only: the lock would change",
            hint="Serve those files from an index (a folder with a simple/ layout), or keep "
            "the project as it is.",
        )
    if index.no_index:
        raise UsageError(
            "--no-index cannot be carried to Poetry, which always reads an index",
            hint="Remove --no-index, or keep the project as it is.",
        )


def _tool(doc: Any, name: str) -> Any:
    import tomlkit

    if "tool" not in doc:
        doc.add("tool", tomlkit.table(is_super_table=True))
    tool = doc["tool"]
    if name not in tool:
        # Item assignment, not add(): [tool] split by another table ([tool.ruff], then
        # [dependency-groups], then [tool.mypy]) is a proxy that has no add().
        tool[name] = tomlkit.table()
    return tool[name]


def _inline(values: Mapping[str, Any]) -> Any:
    import tomlkit

    table = tomlkit.inline_table()
    table.update(values)
    return table


def _project_table(
    doc: Any, spec: ProjectSpec | None, request: Request, python: str | None
) -> None:
    import tomlkit

    if "project" not in doc:
        doc.add("project", tomlkit.table())
    project = doc["project"]
    dynamic = project.get("dynamic", [])
    if "name" not in project:
        name = (spec.name if spec is not None else None) or _root_name(request)
        project["name"] = canonicalize_name(name)
    if "version" not in project and "version" not in dynamic:
        project["version"] = "0.1.0"
    if "requires-python" not in project:
        requires = spec.python.requires_python if spec is not None else None
        if requires is None and python:
            major, minor = (int(p) for p in python.split(".")[:2])
            requires = f">={major}.{minor},<{major}.{minor + 1}"
        if requires:
            project["requires-python"] = requires


def _root_name(request: Request) -> str:
    spec = request.spec
    if spec is not None:
        return spec.root.name
    name = request.option("project_name")
    return str(name) if name else "project"


def _set_main_dependencies(doc: Any, spec: ProjectSpec, request: Request) -> None:
    from parity.strategies.roundtrip import toml_array

    if not spec.has_group(DEFAULT_GROUP):
        return
    items = carried(spec.group(DEFAULT_GROUP), request.workspace)
    remote = [i for i in items if i.requirement.path is None]
    local = [i for i in items if i.requirement.path is not None]
    entries = [(item.text, item.above, item.inline) for item in remote]
    doc["project"]["dependencies"] = toml_array(entries)
    if local:
        table = _poetry_sub(doc, "dependencies")
        for item in local:
            table[item.requirement.name] = dependency_value(item)


def _poetry_sub(doc: Any, key: str) -> Any:
    import tomlkit

    poetry = _tool(doc, "poetry")
    if key not in poetry:
        poetry[key] = tomlkit.table()
    return poetry[key]


def _poetry_table(doc: Any, *, installable: bool) -> None:
    poetry = _tool(doc, "poetry")
    if not installable and "package-mode" not in poetry:
        poetry["package-mode"] = False


def _group_table(doc: Any, name: str) -> Any:
    import tomlkit

    poetry = _tool(doc, "poetry")
    if "group" not in poetry:
        poetry["group"] = tomlkit.table(is_super_table=True)
    groups = poetry["group"]
    if name not in groups:
        groups[name] = tomlkit.table(is_super_table=True)
    group = groups[name]
    if "dependencies" not in group:
        group["dependencies"] = tomlkit.table()
    return group


def _set_group(doc: Any, spec: ProjectSpec, group: Group, request: Request) -> None:
    import tomlkit

    table = _group_table(doc, group.name)
    includes = [g for g in group.includes if g != DEFAULT_GROUP]
    if includes:
        table["include-groups"] = includes
    deps = table["dependencies"]
    for item in carried(group, request.workspace):
        for line in item.above:
            deps.add(tomlkit.comment(line))
        deps[item.requirement.name] = dependency_value(item)
        if item.inline:
            deps[item.requirement.name].comment(item.inline)


def _set_sources(doc: Any, index: IndexConfig) -> None:
    import tomlkit

    wanted: list[dict[str, str]] = []
    if index.index_url:
        wanted.append({"name": "primary", "url": index.index_url, "priority": "primary"})
    for number, url in enumerate(index.extra_index_urls, start=1):
        name = "extra" if number == 1 else f"extra-{number}"
        wanted.append({"name": name, "url": url, "priority": "supplemental"})
    if not wanted:
        return
    poetry = _tool(doc, "poetry")
    existing = poetry.get("source")
    known = {str(s.get("url")) for s in existing} if existing is not None else set()
    tables: list[Any] = []
    for source in wanted:
        if source["url"] in known:
            continue
        table = tomlkit.table()
        table.update(source)
        tables.append(table)
    if existing is not None:
        existing.extend(tables)
    elif tables:
        # Item assignment, not add(): [tool.poetry] split by another table is a proxy
        # without add().  Filled first: tomlkit then puts a blank line above it.
        sources = tomlkit.aot()
        sources.extend(tables)
        poetry["source"] = sources


def _dangling_group_references(doc: Any, moved: Sequence[str]) -> list[str]:
    """What named the PEP 735 groups that are Poetry groups now: fixed, or said.

    ``[tool.uv] default-groups`` names groups uv looks for in [dependency-groups]:
    left as it was, every uv command on the project fails, so it goes (uv does
    not read Poetry's groups).  tox's ``dependency_groups`` cannot be rewritten
    to anything tox reads: the note says so.
    """
    notes: list[str] = []
    tool = doc.get("tool")
    uv = tool.get("uv") if tool is not None else None
    if uv is not None and "default-groups" in uv:
        del uv["default-groups"]
        notes.append(
            "[tool.uv] default-groups removed: the groups it named are Poetry groups now, "
            "which uv does not read"
        )
    tox = tool.get("tox") if tool is not None else None
    if tox is not None and "dependency_groups" in dump_toml(tox):
        notes.append(
            f"[tool.tox] installs dependency groups ({', '.join(moved)} were in "
            "[dependency-groups]): tox no longer finds them; install them with "
            "`poetry install --with <group>` in tox's commands, or keep the project in PEP 735"
        )
    return notes


def _drop_uv_indexes(doc: Any) -> None:
    tool = doc.get("tool")
    uv = tool.get("uv") if tool is not None else None
    if uv is None:
        return
    for key in ("index-url", "extra-index-url", "index"):
        if key in uv:
            del uv[key]
    if not uv:
        del tool["uv"]


def _end_with_blank_lines(doc: Any) -> None:
    """End each table the conversion writes to with a blank line.

    tomlkit separates a table from the one it adds after it, but not from a
    table of the file that follows it (a group added to a [tool.poetry] that
    [tool.ruff] follows, or split by another table), which then reads as if
    glued to it.  A blank line at the end of the last table is dropped on dump.
    """
    tool = doc.get("tool", {})
    poetry = tool.get("poetry", {})
    tables = [poetry.get("dependencies"), tool.get("parity")]
    sources = poetry.get("source")
    tables += [sources[-1]] if sources else []
    tables += [group.get("dependencies") for group in poetry.get("group", {}).values()]
    tables += [tool.get(name) for name in COURSE_TOOLS]
    for table in tables:
        if table is not None and not _ends_blank(table):
            table.add(_blank_line())


def _ends_blank(table: Any) -> bool:
    from tomlkit.items import Whitespace

    body = table.value.body
    return bool(body) and isinstance(body[-1][1], Whitespace)


def _blank_line() -> Any:
    import tomlkit

    return tomlkit.nl()


def _add_tools(doc: Any) -> None:
    for name, settings in COURSE_TOOLS.items():
        if name in doc.get("tool", {}):
            continue
        _tool(doc, name).update(settings)


# -- poetry.lock by Poetry ----------------------------------------------------------------


def preflight(options: Mapping[str, Any]) -> None:
    """Before anything is written: ``--lock`` needs Poetry, so say now when it is missing."""
    if not options.get("run_lock"):
        return
    from parity.lock.engines.poetry import find_poetry, missing_poetry

    if find_poetry() is None:
        raise missing_poetry()


def after_write(root: Path, options: Mapping[str, Any]) -> Sequence[str]:
    """With ``--lock``, run Poetry to write poetry.lock; the lines to show the user."""
    if not options.get("run_lock"):
        return ()
    from parity.lock.engines.poetry import poetry_lock
    from parity.strategies.run import current_lock, load_spec

    spec = load_spec(root)
    lock = current_lock(spec) if spec is not None else None
    prefer = [
        (p.name, p.version)
        for g in (lock.groups if lock is not None else ())
        for p in g.pins
        if p.version is not None and p.source is None
    ]
    return (poetry_lock(root, prefer),)
