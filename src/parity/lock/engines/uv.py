"""The uv engine: one universal resolution of every group, by uv itself.

parity never resolves.  It writes a throw-away virtual uv project that holds the
project's groups, runs ``uv lock`` once (so every group shares one set of
versions), then asks ``uv export`` for each group's requirements and for a
pylock.toml.  The exports run in parallel: each is a separate uv process
reading the same uv.lock.

The throw-away project has the real one's shape: the main group (``prod``) is
its ``[project] dependencies``, the project's extras (PEP 621's, Poetry's,
setuptools' dynamic ones) are its optional dependencies (an extra naming
another is ``parity-lock-root[other]``, as the project wrote ``name[other]``),
the other groups are PEP 735 groups.  uv's choices depend on that shape, not
only on the requirements: it takes up the project's own dependencies first,
then its extras, then its groups by name, and a package met earlier is decided
earlier.  With every group a PEP 735 group, an extra named ``all`` was taken up
before ``prod``, and a project with torch and vllm got older versions than
``uv lock`` chose on the same inputs.

Three things make the throw-away project stand for the real one:

- the project's own packages (the project itself, its workspace members) are
  path sources listed in a hidden group, so whatever requires them (the
  project's dev tools, another member) gets them from the source tree, never
  from an index, as ``uv lock`` does in the project itself;
- the versions to keep (the previous lock) are written as a uv.lock beside
  it, which uv reads as preferences, exactly as it does in a real project;
- packages pinned to one index get that index as an explicit source.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from parity.errors import EngineError, ResolutionError
from parity.frozen import dataclass, field, replace
from parity.lock.index import UNREACHABLE_HINT, IndexArgs, unreachable_index
from parity.patterns import lazy_pattern
from parity.tempdirs import work_dir
from parity.uv import start_uv

TYPE_CHECKING = False  # not typing's: the everyday lock starts uv sooner without it
if TYPE_CHECKING:
    from typing import Any

ROOT_NAME = "parity-lock-root"
# The hidden group that names the source-tree packages (never exported).
SOURCE_TREE_GROUP = "parity-source-tree"
# Any URL: uv keeps a preference whatever registry its lock names.
_PREFERENCE_REGISTRY = "https://preferences.invalid/simple"


@dataclass(frozen=True)
class KeptVersion:
    """A version to keep, and the forks of the resolution it was locked in (none: all).

    When a package was locked at several versions (one for Python < 3.11,
    another for the rest), each version names its forks: uv then prefers, in
    each part of a new resolution, the version that part had before, rather
    than the newest of the versions to keep everywhere.
    """

    name: str
    version: str
    markers: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupRequest:
    """One group as uv sees it: requirement strings it can read, and included groups."""

    name: str
    requirements: tuple[str, ...]
    includes: tuple[str, ...] = ()
    # An extra of the project, however declared (uv resolves extras before groups).
    extra: bool = False


@dataclass(frozen=True)
class ResolveRequest:
    """What to resolve.

    ``sources`` maps a package to its uv source entries (a path, an index;
    several with markers); ``source_tree`` names the packages of the source
    tree (each has a path source); ``indexes`` are explicit indexes by name;
    ``preferences`` are the versions to keep when they still fit;
    ``preference_forks`` the forks of the resolution they come from (a
    uv.lock's ``resolution-markers``), whose markers are written for
    ``preference_python`` (uv shortens them by the lock's requires-python),
    the project's range when None, and for ``preference_environments`` (a
    uv.lock's ``supported-markers``), the request's environments when None.
    """

    groups: tuple[GroupRequest, ...]
    requires_python: str
    environments: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    overrides: tuple[str, ...] = ()
    sources: Mapping[str, Sequence[Mapping[str, object]]] = field(default_factory=dict)
    source_tree: tuple[str, ...] = ()
    indexes: tuple[tuple[str, str], ...] = ()
    preferences: tuple[KeptVersion, ...] = ()
    preference_forks: tuple[str, ...] = ()
    preference_python: str | None = None
    preference_environments: tuple[str, ...] | None = None
    index: IndexArgs = field(default_factory=IndexArgs)
    upgrade: bool = False
    upgrade_packages: tuple[str, ...] = ()
    offline: bool = False
    prerelease: bool = False
    want_pylock: bool = True
    python: str | None = None
    # [tool.uv] resolver settings of the project, written into the temp project as they are.
    settings: tuple[tuple[str, Any], ...] = ()
    # pip's --no-binary / --only-binary as uv lock options (--no-build, --no-binary-package, ...).
    binary_args: tuple[str, ...] = ()
    # The project's directory: what ``${PROJECT_ROOT}`` in its metadata means (uv reads it
    # as the directory uv runs in, which for parity is a throw-away one).
    project_root: str | None = None
    # The group that is the project's own dependencies (``prod``), when it has one.
    main_group: str | None = None


@dataclass(frozen=True)
class ResolveResult:
    """uv's own output: one requirements export per group, and a pylock.toml."""

    exports: Mapping[str, str]
    pylock: str | None
    # The forks uv split the resolution into (its uv.lock's ``resolution-markers``,
    # written for the request's requires-python): what the next lock starts from.
    forks: tuple[str, ...] = ()
    # ``uv lock``'s warnings (a requirement naming an extra its package lacks), as uv
    # printed them: uv resolves on without what they name, so the lock must say so.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layout:
    """Where each group goes in the throw-away project (see the module's docstring).

    ``main`` is written as ``[project] dependencies``, ``extras`` as optional
    dependencies, every other group as a PEP 735 group; ``with_main`` are the
    groups that contain the main group (it is then not an ``include-group``:
    their export asks for the project's dependencies too).
    """

    main: str | None = None
    extras: tuple[str, ...] = ()
    with_main: frozenset[str] = frozenset()


def layout(request: ResolveRequest) -> Layout:
    """Which groups are the project's dependencies and extras; pure.

    A group is written as an extra only where that means the same as the
    group: it contains the main group (an extra always brings the project's
    dependencies) and names no PEP 735 group (an extra cannot include one),
    nor an extra that does.  The others stay PEP 735 groups.  So a group that
    names an extra holds the main group too, and its ``parity-lock-root[x]``
    brings nothing it would not hold anyway.
    """
    by_name = {g.name: g for g in request.groups}
    main = request.main_group if request.main_group in by_name else None
    if main is None:
        return Layout()

    def closure(name: str) -> set[str]:
        seen: set[str] = set()
        stack = [name]
        while stack:
            current = stack.pop()
            if current not in seen and current in by_name:
                seen.add(current)
                stack += by_name[current].includes
        return seen

    with_main = frozenset(
        g.name for g in request.groups if g.name != main and main in closure(g.name)
    )
    extras = {g.name for g in request.groups if g.extra and main in g.includes}
    while True:
        wrong = {
            name
            for name in extras
            if any(i != main and i not in extras for i in by_name[name].includes)
        }
        if not wrong:
            break
        extras -= wrong
    return Layout(main, tuple(g.name for g in request.groups if g.name in extras), with_main)


def render_pyproject(request: ResolveRequest) -> str:
    """The virtual uv project that stands for the user's project during resolution.

    Written with :mod:`parity.tomlwrite` (linear in the number of requirements).
    """
    from parity import tomlwrite

    shape = layout(request)
    by_name = {g.name: g for g in request.groups}

    def written(group: GroupRequest) -> list[Any]:
        included = [i for i in group.includes if i != shape.main]
        own_extras = [i for i in included if i in shape.extras]
        return [
            *({"include-group": i} for i in included if i not in shape.extras),
            *([f"{ROOT_NAME}[{','.join(own_extras)}]"] if own_extras else []),
            *group.requirements,
        ]

    lines = tomlwrite.table(
        "project",
        {
            "name": ROOT_NAME,
            "version": "0",
            "requires-python": request.requires_python,
            "dependencies": list(by_name[shape.main].requirements) if shape.main else [],
        },
    )
    if shape.extras:
        lines += tomlwrite.table(
            "project.optional-dependencies",
            {name: written(by_name[name]) for name in shape.extras},
        )
    groups: dict[str, Any] = {}
    for group in request.groups:
        if group.name != shape.main and group.name not in shape.extras:
            groups[group.name] = written(group)
    if request.source_tree:
        groups[SOURCE_TREE_GROUP] = list(request.source_tree)
    lines += tomlwrite.table("dependency-groups", groups)
    uv: dict[str, Any] = {"package": False}
    if request.environments:
        uv["environments"] = list(request.environments)
    if request.constraints:
        uv["constraint-dependencies"] = list(request.constraints)
    if request.overrides:
        uv["override-dependencies"] = list(request.overrides)
    for key, setting in request.settings:
        uv[key] = dict(setting) if isinstance(setting, tuple) else setting
    lines += tomlwrite.table("tool.uv", uv)
    for name, url in request.indexes:
        lines += tomlwrite.table("[tool.uv.index]", {"name": name, "url": url, "explicit": True})
    if request.sources:
        sources: dict[str, Any] = {}
        for name, entries in sorted(request.sources.items()):
            specs = [dict(spec) for spec in entries]
            sources[name] = specs[0] if len(specs) == 1 else specs
        lines += tomlwrite.table("tool.uv.sources", sources)
    return "\n".join(lines)


def render_preferences(request: ResolveRequest) -> str | None:
    """A uv.lock holding only the versions to keep: uv reads it as preferences.

    uv keeps a locked version while it still satisfies the inputs and moves it
    only when it must, and ``--upgrade-package`` frees one; that is exactly
    what a previous lock should mean.  A package locked at several versions
    carries each version's forks (``resolution-markers``), and the forks of
    the whole resolution are the lock's own ``resolution-markers``, so uv
    starts from the same split and keeps each version where it was (as it
    does with a uv.lock of its own).  Nothing else of the file is used: the
    root package is absent, so uv always resolves.
    """
    if not request.preferences or request.upgrade:
        return None
    lines = [
        "version = 1",
        "revision = 3",
        f"requires-python = {_toml_string(request.preference_python or request.requires_python)}",
    ]
    if request.preference_forks:
        lines += _toml_array("resolution-markers", request.preference_forks)
        # uv starts afresh (keeping versions, not forks) when the project's environments
        # are not the ones the forks were made for, as in a project of its own.
        environments = request.preference_environments
        if environments is None:
            environments = request.environments
        if environments:
            lines += _toml_array("supported-markers", environments)
    options = lock_options(request.settings)
    if options:
        lines += ["", "[options]", *(f"{key} = {_toml_string(value)}" for key, value in options)]
    for kept in request.preferences:
        lines += [
            "",
            "[[package]]",
            f"name = {_toml_string(kept.name)}",
            f"version = {_toml_string(kept.version)}",
            f"source = {{ registry = {_toml_string(_PREFERENCE_REGISTRY)} }}",
        ]
        if kept.markers:
            lines += _toml_array("resolution-markers", kept.markers)
    return "\n".join(lines) + "\n"


# The [tool.uv] settings whose change makes ``uv lock`` drop every locked version, as
# its uv.lock's [options] records them (uv 0.13.9): key there, and uv's default.
LOCK_OPTIONS = (
    ("resolution", "resolution-mode", "highest"),
    ("fork-strategy", "fork-strategy", "requires-python"),
)


def lock_options(settings: Sequence[tuple[str, Any]]) -> tuple[tuple[str, str], ...]:
    """The ``[options]`` a uv.lock made with ``settings`` holds, as uv writes them; pure.

    uv ignores all of a lock's versions when these differ from the project's
    (a stand-in lock without them reads as made with the defaults), so they are
    written as they are now: the caller keeps no versions from a lock that was
    made with others.  Pre-release and exclude-newer changes keep the versions.
    """
    values = dict(settings)
    return tuple(
        (key, str(values[setting]))
        for setting, key, default in LOCK_OPTIONS
        if values.get(setting, default) != default
    )


def _toml_array(key: str, items: Sequence[str]) -> list[str]:
    return [f"{key} = [", *(f"    {_toml_string(item)}," for item in items), "]"]


def _toml_string(text: str) -> str:
    from parity.tomlwrite import string

    return string(text)


def resolve(
    request: ResolveRequest,
    *,
    on_export: Callable[[str, str], None] | None = None,
    while_locking: Callable[[], None] | None = None,
) -> ResolveResult:
    """Resolve every group in one ``uv lock`` and export each group's pins.

    ``on_export(group, text)`` is called as each group's export arrives, while
    the others (and pylock.toml, the slowest) are still being written.
    ``while_locking()`` is called once ``uv lock`` has started, before parity
    waits for it (work that does not need the resolution, on the other core).
    """
    with work_dir("lock") as tmp:
        work = Path(tmp)
        (work / "pyproject.toml").write_text(render_pyproject(request), encoding="utf-8")
        preferences = render_preferences(request)
        if preferences is not None:
            (work / "uv.lock").write_text(preferences, encoding="utf-8")
        stderr = _run_lock(work, request, while_locking)
        result = _export_all(work, request, on_export)
        return replace(result, forks=resolution_forks(work / "uv.lock"), warnings=_warnings(stderr))


def resolution_forks(path: Path) -> tuple[str, ...]:
    """The top-level ``resolution-markers`` of a uv.lock uv wrote; none if it has none.

    Only the lines before the first package are read (the forks come first),
    one string per line as uv writes them; TOML is parsed only if a line is not
    such a string (tomllib's import alone costs more than this).
    """
    import json

    head: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("[["):
                break
            head.append(line.rstrip("\n"))
    if "resolution-markers = [" not in head:
        return ()
    start = head.index("resolution-markers = [") + 1
    end = head.index("]", start) if "]" in head[start:] else len(head)
    try:
        return tuple(str(json.loads(line.strip().rstrip(","))) for line in head[start:end])
    except ValueError:
        from parity import toml

        try:
            forks = toml.loads("\n".join(head)).get("resolution-markers", [])
        except toml.TOMLDecodeError:
            return ()  # the forks only steer the next lock; uv's own lock stays the truth
        return tuple(m for m in forks if isinstance(m, str)) if isinstance(forks, list) else ()


def _warnings(stderr: str) -> tuple[str, ...]:
    lines = (line.strip() for line in _ANSI.sub("", stderr).splitlines())
    return tuple(
        line.removeprefix("warning:").strip() for line in lines if line.startswith("warning:")
    )


def _environ(request: ResolveRequest) -> dict[str, str] | None:
    """The caller's environment, with ``PROJECT_ROOT`` naming the project (unless set)."""
    if request.project_root is None or "PROJECT_ROOT" in os.environ:
        return None
    return {**os.environ, "PROJECT_ROOT": request.project_root}


def _common_args(request: ResolveRequest) -> list[str]:
    args = ["--no-progress", "--color", "never"]
    if request.offline:
        args.append("--offline")
    if request.python:
        # uv wants an interpreter inside requires-python (it builds sdists
        # with it); parity's discovery also sees past version-manager shims.
        args += ["--python", request.python]
    return args


def _run_lock(
    work: Path, request: ResolveRequest, while_locking: Callable[[], None] | None = None
) -> str:
    """Run ``uv lock`` in the throw-away project; what it printed on stderr (its warnings)."""
    args = ["lock", *_common_args(request), *request.index.as_args()]
    if request.upgrade:
        args.append("--upgrade")
    for name in request.upgrade_packages:
        args += ["--upgrade-package", name]
    if request.prerelease:
        args += ["--prerelease", "allow"]
    args += request.binary_args
    running = start_uv(args, cwd=work, environ=_environ(request))
    _while_uv_locks()
    if while_locking is not None:
        try:
            while_locking()
        except BaseException:
            running.kill()
            raise
    proc = running.wait()
    refused = settings_refused(proc.stderr)
    if refused is not None:
        raise refused
    if proc.returncode != 0:
        raise _lock_error(proc.stderr, offline=request.offline, index=request.index)
    return proc.stderr


_SETTINGS_WARNING = "Failed to parse `pyproject.toml` during settings discovery"


def settings_refused(stderr: str) -> EngineError | None:
    """uv's warning that it could not read the settings parity carried, as an error.

    uv then reads none of the project's ``[tool.uv]`` settings and resolves
    anyway: a lock that silently drops them.  parity checks each setting it
    carries as uv reads it (``spec/uv_settings.py``); this catches whatever a
    newer uv reads differently.
    """
    if _SETTINGS_WARNING not in stderr:
        return None
    lines = _ANSI.sub("", stderr).split(_SETTINGS_WARNING, 1)[1].splitlines()
    shown = next((m.group(1) for m in map(_SHOWN_LINE().match, lines) if m), None)
    carets = next(
        (i for i, line in enumerate(lines) if line.strip(" |^") == "" and "^" in line), None
    )
    reason = lines[carets + 1].strip() if carets is not None and carets + 1 < len(lines) else ""
    where = f" ({shown.strip()})" if shown else ""
    # An EngineError: the locker takes the project's own folder out of its message.
    return EngineError(
        f"uv cannot read a [tool.uv] setting of this project{where}: {reason}".rstrip(": "),
        path="pyproject.toml",
        hint="uv would read none of the file's [tool.uv] settings; fix the value as uv's "
        "settings reference describes it.",
    )


_SHOWN_LINE = lazy_pattern(r"^\s*[0-9]+ \| (.*)$")


def _while_uv_locks() -> None:
    """What the engine itself needs after the resolution, loaded while uv resolves."""
    import shutil  # noqa: F401  (the work folder's removal: parity.tempdirs)


def _export_all(
    work: Path, request: ResolveRequest, on_export: Callable[[str, str], None] | None = None
) -> ResolveResult:
    # An export reads the uv.lock just written and nothing else: --offline says so to
    # uv, and is what lets it start without the die-with-parity guarantee (cheaper to
    # start: see parity.uv.UvProcess), since it cannot then wait on a network.
    base = ["export", "--frozen", "--quiet", *_common_args(request)]
    if "--offline" not in base:
        base.append("--offline")
    commands: dict[str, list[str]] = {}
    shape = layout(request)
    if request.want_pylock:
        # Started first: it takes longest, and the groups are read while it runs.
        selection = (
            [arg for group in request.groups for arg in ("--only-group", group.name)]
            if shape.main is None
            else [
                "--no-default-groups",
                *(arg for name in shape.extras for arg in ("--extra", name)),
                *(
                    arg
                    for group in request.groups
                    if group.name != shape.main and group.name not in shape.extras
                    for arg in ("--group", group.name)
                ),
            ]
        )
        commands["\0pylock"] = [
            *base,
            "--format",
            "pylock.toml",
            *selection,
            "--no-header",
            "-o",
            str(work / "pylock.toml"),
        ]
    for group in request.groups:
        commands[group.name] = [
            *base,
            "--format",
            "requirements-txt",
            "--no-header",
            *export_selection(shape, group.name),
        ]
    environ = _environ(request)
    procs = {
        key: start_uv(cmd, cwd=work, environ=environ, die_with_parity=False)
        for key, cmd in commands.items()
    }
    outputs: dict[str, str] = {}
    try:
        for key in [*(g.name for g in request.groups), *(k for k in procs if k == "\0pylock")]:
            done = procs[key].wait()
            if done.returncode != 0:
                raise EngineError(
                    f"uv export failed: {_first_error_line(done.stderr)}",
                    hint="This is unexpected after a successful resolution; rerun with a fresh cache.",
                )
            outputs[key] = done.stdout
            if on_export is not None and key != "\0pylock":
                on_export(key, done.stdout)
    finally:
        for proc in procs.values():
            proc.kill()
    pylock = None
    if request.want_pylock:
        outputs.pop("\0pylock")
        pylock = (work / "pylock.toml").read_text(encoding="utf-8")
    return ResolveResult(exports=outputs, pylock=pylock)


def export_selection(shape: Layout, group: str) -> list[str]:
    """``uv export``'s options for exactly one group's requirements (and what it includes)."""
    if group == shape.main:
        return ["--no-default-groups"]
    if group in shape.extras:
        return ["--no-default-groups", "--extra", group]
    if group in shape.with_main:
        return ["--no-default-groups", "--group", group]
    return ["--only-group", group]


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _first_error_line(stderr: str) -> str:
    for line in _ANSI.sub("", stderr).splitlines():
        text = line.strip()
        if text:
            return text.removeprefix("error: ")
    return "no output"


def _lock_error(stderr: str, *, offline: bool, index: IndexArgs | None = None) -> Exception:
    text = _ANSI.sub("", stderr).strip()
    text = re.sub(rf"{ROOT_NAME}:(\S+)", r"group \1", text)
    text = text.replace(ROOT_NAME, "your project")
    text = re.sub(r"(?m)^\s*Using \S+ \S+ interpreter at: .*$", "", text)
    text = re.sub(
        r"(?m)^\s*hint: .*(--index-strategy|--prerelease|tool\.uv\.environments).*$", "", text
    )
    text = text.replace("your project requires group", "your project includes group")
    lowered = text.lower()
    if offline and (
        "not found in the cache" in lowered
        or "wasn't found in the cache" in lowered
        or "network was disabled" in lowered
        or "connectivity is disabled" in lowered
        or "offline" in lowered
    ):
        missing = sorted(set(re.findall(r"Because (\S+) was not found in the cache", text)))
        what = f"{', '.join(missing)} not in the uv cache" if missing else _first_error_line(text)
        return EngineError(
            f"cannot resolve offline: {what}",
            hint="Run `parity lock` once online to fill the cache, then --offline works.",
        )
    if "no solution found" in lowered or "unsatisfiable" in lowered:
        if _index_fetch_failed(text):
            return _unreachable_error(text, index)
        explanation = _explain_lines(text)
        return ResolutionError(
            "no set of versions satisfies the requirements:\n" + explanation,
            hint="Relax the conflicting constraints named above, then run `parity lock` again.",
        )
    git = re.search(r"Failed to download and build `([^`]+) @ (git\+[^`]+)`", text)
    if git and "git operation failed" in lowered:
        reason = re.findall(r"fatal: (.*)", text)
        return EngineError(
            f"cannot fetch {git.group(1)} from its git source {git.group(2)}"
            + (f": {reason[-1].strip()}" if reason else ""),
            hint="parity locks git sources as uv does; check that this machine reaches the "
            "repository (and its credentials), or depend on a release from the index.",
        )
    refused = re.search(r"Building source distributions for `([^`]+)` is disabled", text)
    if refused:
        # Only a package that must be built whatever the index holds gets here (a path,
        # URL or git source, the source tree): uv never chooses an sdist it may not build.
        return EngineError(
            f"{refused.group(1)} must be built from source, and --only-binary forbids "
            "building it:\n" + _explain_lines(text),
            hint="--only-binary :all: in a requirements file covers the project's own "
            "packages and path, URL and git requirements too; name the packages that must "
            "come as wheels instead (--only-binary numpy,scipy).",
        )
    built = re.search(r"Failed to build `([^`]+) @ file://[^`]*`", text)
    if built:
        return EngineError(
            f"cannot read the metadata of {built.group(1)} from the source tree: its build "
            "backend failed:\n" + _explain_lines(backend_output(text)),
            hint="uv builds a source-tree package to learn its version and dependencies "
            "when [project] does not state them (dynamic ones, or Poetry's [tool.poetry] "
            "table); make its build work here (its backend and what it downloads), as "
            "`uv lock` needs too.",
        )
    # uv may wrap a long line (its width follows the terminal's), even inside the backticks.
    url = re.search(
        r"Failed to download(?: and build)?\s+`([^`\s]+)\s+@\s+(https?://[^`\s]+)\s*`", text
    )
    if url and ("connect" in lowered or "dns" in lowered or "status code" in lowered):
        causes = [c.strip() for c in re.findall(r"(?m)^\s*cause: (.*)$", text)]
        return EngineError(
            f"cannot download {url.group(1)} from its URL {url.group(2)}"
            + (f": {causes[-1]}" if causes else ""),
            hint="Check that this machine reaches that URL (and its credentials), "
            "or depend on a release from the index.",
        )
    if "failed to fetch" in lowered or "connect" in lowered or "dns" in lowered:
        return _unreachable_error(text, index)
    return EngineError("uv lock failed:\n" + _explain_lines(text))


def _index_fetch_failed(text: str) -> bool:
    """An index uv could not fetch from, even when uv words it as "No solution found"
    (a build requirement such as poetry-core, fetched from the unreachable index first)."""
    lowered = text.lower()
    return _fetch_failed().search(text) is not None and any(
        w in lowered for w in ("connect", "dns", "status code", "tls")
    )


_fetch_failed = lazy_pattern(r"Failed to fetch:?\s+`?(https?://[^`\s]+)`?")


def _unreachable_error(text: str, index: IndexArgs | None) -> EngineError:
    shown, cause = unreachable_index(text, index or IndexArgs())
    return EngineError(
        f"cannot reach the package index {shown}: {cause or _first_error_line(text)}",
        hint=UNREACHABLE_HINT.format(command="parity lock --offline"),
    )


# uv draws its explanation as a tree: "\u00d7 No solution found", "\u2570\u2500\u25b6 Because ...".
_TREE_PREFIXES = ("\u00d7 ", "\u2570\u2500\u25b6 ", "\u2502 ")


_FRAME = re.compile(r'^(\s*)File "[^"]*", line \d+')
_CARETS = re.compile(r"^\s*[\^~]+\s*$")


def backend_output(text: str) -> str:
    """A build backend's stderr as parity shows it: the exception without the traceback
    frames, each of which names a file of uv's throw-away build environment."""
    kept: list[str] = []
    frame_indent: int | None = None
    for line in text.splitlines():
        if line.strip() == "Traceback (most recent call last):":
            continue
        frame = _FRAME.match(line)
        if frame:
            frame_indent = len(frame.group(1))
            continue
        indent = len(line) - len(line.lstrip())
        if frame_indent is not None and indent > frame_indent and line.strip():
            continue  # the source line of a frame, and its carets
        frame_indent = None
        if _CARETS.match(line):
            continue
        kept.append(line)
    return "\n".join(kept)


def _explain_lines(text: str) -> str:
    cleaned = []
    for line in text.splitlines():
        stripped = line.strip()
        for prefix in _TREE_PREFIXES:
            stripped = stripped.removeprefix(prefix).strip()
        if stripped:
            cleaned.append("  " + stripped)
    return "\n".join(cleaned)
