"""``parity init --strategy pip-tools``: requirements*.in layered with ``-r``.

From a PEP 621/735 or Poetry project, every group becomes a ``.in`` file
(``requirements.in`` for the main dependencies, ``requirements-<group>.in``
for each extra and group, ``-r`` for what a group includes), with the index
options, markers and comments the requirements had; the dependency tables
leave pyproject.toml (round trip: everything else in it stays), since parity
reads pyproject.toml first.  The lockfiles keep their names, so ``parity lock``
after the conversion keeps every pin.
"""

from __future__ import annotations

from typing import Any

from packaging.utils import canonicalize_name

from parity.errors import UsageError
from parity.spec.model import DEFAULT_GROUP, Group, IndexConfig, ProjectSpec
from parity.spec.plain import PATTERNS
from parity.strategies.base import FileOutput, Rendered, Request
from parity.strategies.carry import carry, input_for, read_by_build, settle
from parity.strategies.convert import (
    Carried,
    carried,
    check_not_conda,
    default_output,
    extras_of,
    group_comments,
    ordered_groups,
    parse_pyproject,
    python_pin,
)
from parity.strategies.roundtrip import dump_toml, load_toml

STRATEGY = "pip-tools"
FOLLOW_UP = ("makefile",)
PYTHON_VERSION = ".python-version"
# Where hand-written requirements files live (carried into .in files on a new project).
HANDWRITTEN = PATTERNS

NEW_PROD = """\
# requirements.in: the direct dependencies of the project (what you import).
# `parity lock` resolves them with everything they need into requirements.txt.
"""
NEW_DEV = """\
# requirements-dev.in: development tools, on top of the project's dependencies.
-r requirements.in
"""


def _carry_handwritten(request: Request, files: dict[str, FileOutput], notes: list[str]) -> bool:
    """Carry hand-written requirements*.txt files into .in files; False when there are none."""
    from parity.lock.formats.files import unless_generated

    workspace = request.workspace
    sources: list[tuple[str, str]] = []
    skipped: list[tuple[str, str]] = []
    for pattern in HANDWRITTEN:
        for path in workspace.glob(pattern):
            text = workspace.read(path)
            if text is None or not text.strip() or unless_generated(path, text) is None:
                continue  # empty, or a lock a tool wrote: nothing of the user's to carry
            (sources if input_for(path) else skipped).append((path, text))
    if not sources:
        return False
    sources.sort(key=lambda source: source[0] != "requirements.txt")
    sources, left = settle(sources)
    build_files = [(n, t) for n in ("setup.py", "setup.cfg") if (t := workspace.read(n))]
    read = read_by_build(build_files, [path for path, _ in sources])
    if read is not None:
        build_file, line, path = read
        raise UsageError(
            f"{build_file} reads {path} as the package's dependencies: `parity lock` would "
            "replace it with the lock, and the package would then require every pin",
            path=build_file,
            line=line,
            hint=f"Nothing was written. Rename {path} to {input_for(path)} and make "
            f"{build_file} read that file (or move the dependencies to pyproject.toml's "
            "[project] dependencies); `parity lock` then writes the lock beside it.",
        )
    for path, why in left.items():
        notes.append(
            f"{path} not carried: {why}, which `parity lock` replaces with the lock, "
            f"so `pip install -r {path}` installs the lock"
        )
    for item in carry(sources):
        files[item.target] = FileOutput(item.text, owned=False, create_only=True)
        notes.append(
            f"{item.source} carried into {item.target} ({_count(item.requirements)}): "
            f"edit {item.target} from now on; `parity lock` replaces {item.source} with the lock"
        )
        if item.requirements and item.pinned == item.requirements:
            notes.append(
                f"every requirement in {item.target} is pinned with == (pip freeze output?): "
                "keep == only where you need that exact version, so `parity lock --upgrade` "
                "can move the rest"
            )
    for path, _ in skipped:
        notes.append(
            f"{path} not carried: parity reads requirements-<group>.in, <group>-requirements.in "
            "or requirements/<group>.in; rename it to one of those names first"
        )
    return True


def _carry_pipfile(request: Request, files: dict[str, FileOutput], notes: list[str]) -> bool:
    """Convert Pipenv's Pipfile into .in files; False when the project has none."""
    from parity.strategies.pipfile import PIPFILE, convert_pipfile

    text = request.workspace.read(PIPFILE)
    if text is None:
        return False
    converted = convert_pipfile(text)
    for path, body in converted.files:
        files[path] = FileOutput(body, owned=False, create_only=True)
    if converted.python and (request.spec is None or not request.spec.python.pinned):
        # The Python the Pipfile asks for ([requires]) is the one its packages were chosen for.
        files[PYTHON_VERSION] = FileOutput(f"{converted.python}\n", owned=False, create_only=True)
    made = ", ".join(path for path, _ in converted.files)
    kept = (
        "; the first `parity lock` keeps Pipfile.lock's versions"
        if request.workspace.read("Pipfile.lock") is not None
        else ""
    )
    notes.append(
        f"Pipfile converted into {made}: edit those from now on (the Pipfile is left as it "
        f"is; remove it when the team has moved){kept}"
    )
    notes.extend(converted.notes)
    return True


def _count(requirements: int) -> str:
    return f"{requirements} requirement{'' if requirements == 1 else 's'}"


def input_name(group: str) -> str:
    return "requirements.in" if group == DEFAULT_GROUP else f"requirements-{group}.in"


def convert(request: Request) -> Rendered:
    spec = request.spec
    files: dict[str, FileOutput] = {}
    notes: list[str] = []
    python = python_pin(request)
    if python and (spec is None or not spec.python.pinned):
        files[PYTHON_VERSION] = FileOutput(f"{python}\n", owned=False, create_only=True)
    if spec is None and _carry_handwritten(request, files, notes):
        return Rendered(files, tuple(notes), artifact=STRATEGY)
    if spec is None and _carry_pipfile(request, files, notes):
        return Rendered(files, tuple(notes), artifact=STRATEGY)
    if spec is None:
        files["requirements.in"] = FileOutput(NEW_PROD, owned=False, create_only=True)
        files["requirements-dev.in"] = FileOutput(NEW_DEV, owned=False, create_only=True)
        notes.append(
            "add your dependencies to requirements.in and your tools to "
            "requirements-dev.in, then run `parity lock`"
        )
        return Rendered(files, tuple(notes), artifact=STRATEGY)
    if spec.format == "requirements-in":
        notes.append("already a pip-tools project: its requirements*.in files are kept as they are")
        return Rendered(files, tuple(notes), artifact=STRATEGY)
    check_not_conda(spec, "pip-tools")
    if spec.installable:
        raise UsageError(
            f"{spec.name or 'this project'} is an installable package: its dependencies in "
            "pyproject.toml are its published metadata, and cannot move to requirements*.in",
            path="pyproject.toml",
            hint="Keep them there: `parity lock` already writes pip-tools lockfiles "
            "(requirements*.txt) from pyproject.toml, as `pip-compile pyproject.toml` would.",
        )
    text, data = parse_pyproject(request.workspace)
    extras = extras_of(data)
    for group in ordered_groups(spec):
        path = input_name(group.name)
        body = render_in_file(spec, group, request, extras)
        files[path] = FileOutput(body, owned=False, create_only=True)
        if group.name in extras:
            notes.append(f"extra {group.name!r} becomes {path}: pip-tools has no extras")
        if group.output != default_output(group.name):
            notes.append(
                f"group {group.name!r} keeps its lockfile {group.output} "
                "([tool.parity] outputs in pyproject.toml)"
            )
    if text is not None:
        files["pyproject.toml"] = FileOutput(strip_dependency_tables(text, spec), owned=False)
        notes.append("pyproject.toml no longer holds dependencies: edit the requirements*.in files")
    return Rendered(files, tuple(notes), artifact=STRATEGY)


def index_lines(index: IndexConfig) -> list[str]:
    lines: list[str] = []
    if index.no_index:
        lines.append("--no-index")
    if index.index_url:
        lines.append(f"--index-url {index.index_url}")
    lines += [f"--extra-index-url {url}" for url in index.extra_index_urls]
    lines += [f"--find-links {link}" for link in index.find_links]
    return lines


def render_in_file(spec: ProjectSpec, group: Group, request: Request, extras: set[str]) -> str:
    kind = "extra" if group.name in extras else "group"
    what = "the main dependencies" if group.name == DEFAULT_GROUP else f"the {group.name} {kind}"
    lines = [
        f"# {input_name(group.name)}: {what}, converted by `parity init --strategy pip-tools`."
    ]
    lines += [f"# {c}" if c else "#" for c in group_comments(spec, group, request.workspace)]
    if group.name == DEFAULT_GROUP or not spec.has_group(DEFAULT_GROUP):
        lines += index_lines(spec.index)
    lines += [f"-r {input_name(name)}" for name in group.includes]
    for item in carried(group, request.workspace):
        lines += [f"# {c}" if c else "#" for c in item.above]
        entry = requirement_line(item)
        lines.append(f"{entry}  # {item.inline}" if item.inline else entry)
    return "\n".join(lines) + "\n"


def requirement_line(item: Carried) -> str:
    """The requirement as a requirements-file line (``-e ./lib`` for editable paths)."""
    req = item.requirement
    if req.path is None:
        return req.requirement
    parsed = item.parsed
    path = req.path if req.path.startswith(".") else f"./{req.path}"
    extras = f"[{','.join(sorted(parsed.extras))}]" if parsed and parsed.extras else ""
    marker = f" ; {parsed.marker}" if parsed and parsed.marker else ""
    return f"{'-e ' if req.editable else ''}{path}{extras}{marker}"


# -- pyproject.toml without its dependency tables -----------------------------------------

_UV_INDEX_KEYS = ("index-url", "extra-index-url", "find-links", "index", "no-index")


def strip_dependency_tables(text: str, spec: ProjectSpec) -> str:
    """pyproject.toml without what moved to requirements*.in; everything else kept.

    A Poetry ``python`` range becomes ``[project] requires-python``, so the
    lock keeps resolving for the same Pythons; renamed lockfiles are kept with
    ``[tool.parity] outputs``.
    """
    import tomlkit

    doc = load_toml(text, "pyproject.toml")
    project = doc.get("project")
    if project is not None:
        for key in ("dependencies", "optional-dependencies"):
            if key in project:
                del project[key]
    if "dependency-groups" in doc:
        del doc["dependency-groups"]
    tool = doc.get("tool")
    if tool is not None:
        poetry = tool.get("poetry")
        if poetry is not None:
            for key in ("dependencies", "group", "dev-dependencies", "extras", "source"):
                if key in poetry:
                    del poetry[key]
            if list(poetry) == ["package-mode"]:
                del poetry["package-mode"]  # only meaningful to Poetry, which no longer reads it
            if not poetry:
                del tool["poetry"]
        uv = tool.get("uv")
        if uv is not None:
            for key in _UV_INDEX_KEYS:
                if key in uv:
                    del uv[key]
            if not uv:
                del tool["uv"]
    created = False
    # A virtual uv workspace root has no [project]: its range is its members' (they keep
    # it), and a [project] table here would make the root a package of its own.
    workspace = tool is not None and "workspace" in (tool.get("uv") or {})
    if (
        spec.python.requires_python
        and (project is None or "requires-python" not in project)
        and not (project is None and workspace)
    ):
        if project is None:
            created = True
            project = tomlkit.table()
            project["name"] = canonicalize_name(spec.name or spec.root.name)
            project["version"] = "0.1.0"
            doc.add("project", project)
        project["requires-python"] = spec.python.requires_python
    parity_config = tool.get("parity") if tool is not None else None
    if parity_config is not None and "format" in parity_config:
        parity_config["format"] = "requirements-in"
    renamed = {g.name: g.output for g in spec.groups if g.output != default_output(g.name)}
    if renamed:
        parity = _tool_table(doc, "parity")
        parity["outputs"] = tomlkit.inline_table()
        parity["outputs"].update(renamed)
    if tool is not None and not tool:
        del doc["tool"]
    if created:
        from parity.strategies.roundtrip import table_first

        return table_first(doc, "project").rstrip("\n") + "\n"
    return dump_toml(doc).rstrip("\n") + "\n"


def _tool_table(doc: Any, name: str) -> Any:
    import tomlkit

    if "tool" not in doc:
        doc.add("tool", tomlkit.table(is_super_table=True))
    tool = doc["tool"]
    if name not in tool:
        # Item assignment, not add(): a split [tool] is a proxy that has no add().
        tool[name] = tomlkit.table()
    return tool[name]
