"""conda's ``environment.yml`` (and ``environment-<group>.yml``) as a ProjectSpec.

Each file is one group: ``environment.yml`` (or ``.yaml``) is ``prod``,
``environment-dev.yml`` is ``dev``.  A file gives the channels, the conda
packages (conda match specs, kept as written), the Python it asks for, and its
``pip:`` section, read like a requirements file (``-r`` lines included, each
requirement keeping its own file and line).  The pip section becomes the
group's requirements; the conda side is a :class:`CondaEnvironment`.

YAML is read with ruamel.yaml so every error names its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from parity.conda.matchspec import MatchSpecError, is_channel, parse_match_spec, version_to_pep440
from parity.errors import SpecError
from parity.frozen import dataclass, field
from parity.fsutil import broken_link
from parity.spec.digest import digest_data, format_control_data
from parity.spec.model import (
    DEFAULT_GROUP,
    CondaDependency,
    CondaEnvironment,
    DirectRequirement,
    FormatControl,
    Group,
    IndexConfig,
    InputFile,
    PythonTarget,
    SourceRef,
)
from parity.spec.requirements_in.constraints import read_constraints
from parity.spec.requirements_in.format_control import merge_file_controls, prefer_binary_note
from parity.spec.requirements_in.model import ParsedFile
from parity.spec.requirements_in.parse import parse_file, parse_requirements_text
from parity.spec.requirements_in.project import merge_index

ENVIRONMENT_FILE = re.compile(r"^environment(?:-(?P<group>[A-Za-z0-9_.-]+))?\.ya?ml$")
# The lock of a group's pip section: environment.yml -> environment.pip.txt.
PIP_LOCK_SUFFIX = ".pip.txt"
_KEYS = ("name", "channels", "dependencies", "pip", "variables", "prefix", "platforms")
_SHAPE_HINT = (
    "An environment file is a mapping with name, channels (a list of names or URLs) and "
    "dependencies (a list of match specs such as numpy=1.26, and at most one `pip:` list)."
)
_PLATFORM = re.compile(r"(noarch|(linux|osx|win|emscripten|wasi|zos)-[a-z0-9]+)")


@dataclass(frozen=True)
class EnvironmentFile:
    group: str
    path: str


@dataclass
class ParsedEnvironment:
    """What one environment file says."""

    environment: CondaEnvironment
    requirements: list[DirectRequirement] = field(default_factory=list)
    constraints: list[DirectRequirement] = field(default_factory=list)
    files: list[ParsedFile] = field(default_factory=list)
    pip_index: IndexConfig = field(default_factory=IndexConfig)
    pip_section: ParsedFile | None = None
    included: list[str] = field(default_factory=list)

    @property
    def prerelease(self) -> bool:
        """Whether the pip section or a file it includes says ``--pre``."""
        own = self.pip_section is not None and self.pip_section.prerelease
        return own or any(f.prerelease for f in self.files)

    @property
    def pip_files(self) -> list[ParsedFile]:
        """The pip section and every file it includes."""
        return [*([self.pip_section] if self.pip_section is not None else []), *self.files]

    @property
    def format_control(self) -> FormatControl:
        """``--no-binary`` / ``--only-binary`` of the pip section and the files it includes."""
        return merge_file_controls(self.pip_files)


@dataclass(frozen=True)
class CondaProject:
    groups: tuple[Group, ...]
    environments: tuple[CondaEnvironment, ...]
    index: IndexConfig
    inputs: tuple[InputFile, ...]
    # `--pre` in a pip section (or a file it includes): pip's resolver takes pre-releases.
    prerelease: bool = False
    format_control: FormatControl = field(default_factory=FormatControl)
    # What ``lock`` should say (a ``--prefer-binary`` it cannot honour).
    notes: tuple[str, ...] = ()


def discover_environment_files(root: Path) -> list[EnvironmentFile]:
    """``environment.yml`` (prod) first, then ``environment-<group>.yml`` by name."""
    found: list[EnvironmentFile] = []
    for path in sorted(root.iterdir()) if root.is_dir() else ():
        match = ENVIRONMENT_FILE.match(path.name)
        if match is None:
            continue
        problem = broken_link(path)
        if problem is not None:
            raise SpecError(problem, path=path.name, hint="Fix or remove the link.")
        if not path.is_file():
            continue
        raw = match.group("group")
        group = DEFAULT_GROUP if raw is None else re.sub(r"[-_.]+", "-", raw).lower()
        found.append(EnvironmentFile(group, path.name))
    seen: dict[str, str] = {}
    for item in found:
        if item.group in seen:
            raise SpecError(
                f"two files define group {item.group!r}: {seen[item.group]} and {item.path}",
                path=item.path,
                hint="Keep one of environment.yml and environment.yaml.",
            )
        seen[item.group] = item.path
    found.sort(key=lambda item: item.group != DEFAULT_GROUP)
    return found


def pip_lock_name(environment_file: str) -> str:
    """Where a group's pip section is locked: ``environment-dev.yml`` -> ``environment-dev.pip.txt``."""
    return PurePosixPath(environment_file).stem + PIP_LOCK_SUFFIX


def read_conda_project(root: Path, outputs: dict[str, str] | None = None) -> CondaProject:
    """Read every environment file of ``root``."""
    groups: list[Group] = []
    environments: list[CondaEnvironment] = []
    inputs: dict[str, InputFile] = {}
    files: list[ParsedFile] = []
    prerelease = False
    notes: list[str] = []
    for item in discover_environment_files(root):
        text = _read(root, item.path)
        parsed = parse_environment(text, path=item.path, group=item.group, root=root)
        environments.append(parsed.environment)
        files += parsed.files
        if parsed.pip_section is not None:
            files.append(parsed.pip_section)
        prerelease = prerelease or parsed.prerelease
        notes += [
            prefer_binary_note(f.prefer_binary_ref)
            for f in parsed.pip_files
            if f.prefer_binary_ref is not None
        ]
        groups.append(
            Group(
                name=item.group,
                requirements=tuple(parsed.requirements),
                output=(outputs or {}).get(item.group, pip_lock_name(item.path)),
                constraints=tuple(parsed.constraints),
                source=SourceRef(item.path),
            )
        )
        inputs[item.path] = digest_environment(parsed)
        for included in parsed.files:
            data: dict[str, Any] = {
                "requirements": sorted(r.requirement for r in included.requirements)
            }
            if not included.format_control.is_default:
                data["format_control"] = format_control_data(included.format_control)
            inputs.setdefault(included.path, digest_data(included.path, data))
    return CondaProject(
        groups=tuple(groups),
        environments=tuple(environments),
        index=merge_index(files),
        inputs=tuple(inputs.values()),
        prerelease=prerelease,
        format_control=merge_file_controls(files),
        notes=tuple(dict.fromkeys(notes)),
    )


def digest_environment(parsed: ParsedEnvironment) -> InputFile:
    """What decides the lock: channels, platforms, conda specs, pip requirements and includes."""
    env = parsed.environment
    return digest_data(
        env.file,
        {
            "channels": list(env.channels),
            "platforms": sorted(env.platforms),
            "conda": sorted(d.spec for d in env.dependencies),
            "python": env.python.spec if env.python else None,
            "pip": sorted(r.requirement for r in parsed.requirements),
            "includes": sorted(parsed.included),
            "constraints": sorted(r.requirement for r in parsed.constraints),
            # Only when set, so the digests of files without it stay as they were.
            **({"prerelease": True} if parsed.prerelease else {}),
            **(
                {"format_control": format_control_data(parsed.format_control)}
                if not parsed.format_control.is_default
                else {}
            ),
        },
    )


def _read(root: Path, name: str) -> str:
    from parity.textfile import read_text_file

    return read_text_file(root / name, shown=name)


# -- one file ----------------------------------------------------------------------


def load_yaml(text: str, path: str) -> Any:
    """Round-trip YAML (line numbers kept); a syntax error names its line."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        last = len(text.rstrip().splitlines()) or 1
        if mark is not None and mark.line + 1 > last and exc.context_mark is not None:
            # An error at the end of the text: point at what was left open.
            mark = exc.context_mark
        line = min(mark.line + 1, last) if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise SpecError(
            f"not valid YAML: {problem}",
            path=path,
            line=line,
            hint="Fix the YAML syntax (indentation, quotes, a ':' after each key).",
        ) from None
    except YAMLError as exc:
        raise SpecError(f"not valid YAML: {exc}", path=path, hint=_SHAPE_HINT) from None


def _line_of_key(node: Any, key: str) -> int | None:
    try:
        return int(node.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return None


def _line_of_value(node: Any, key: str) -> int | None:
    try:
        return int(node.lc.value(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return None


def _line_of_item(node: Any, index: int) -> int | None:
    try:
        return int(node.lc.item(index)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return None


def parse_environment(
    text: str,
    *,
    path: str,
    group: str = DEFAULT_GROUP,
    root: Path | None = None,
    follow_includes: bool = True,
) -> ParsedEnvironment:
    """Read one environment file's text (``path`` is project-relative, for messages).

    ``-r`` lines of the pip section are read from ``root`` unless
    ``follow_includes`` is false (they stay in ``pip_section`` as includes).
    """
    data = load_yaml(text, path)
    if data is None:
        raise SpecError("the file is empty", path=path, hint=_SHAPE_HINT)
    if not isinstance(data, dict):
        raise SpecError(
            f"expected a mapping at the top, found {_kind(data)}",
            path=path,
            line=1,
            hint=_SHAPE_HINT,
        )
    for key in data:
        if key not in _KEYS:
            raise SpecError(
                f"unknown key {key!r}",
                path=path,
                line=_line_of_key(data, key),
                hint=f"An environment file has {', '.join(_KEYS[:3])} "
                "(and variables, prefix, platforms).",
            )
    if "pip" in data:
        raise SpecError(
            "`pip:` must be an item of `dependencies`, not a top-level key",
            path=path,
            line=_line_of_key(data, "pip"),
            hint="Write it as `- pip:` inside the dependencies list.",
        )
    name = data.get("name")
    if name is not None and not isinstance(name, str):
        raise SpecError(
            f"name must be a string, not {_kind(name)}",
            path=path,
            line=_line_of_value(data, "name"),
        )
    channels = _channels(data, path)
    platforms = _platforms(data, path)
    deps_node = data.get("dependencies")
    if deps_node is None:
        raise SpecError(
            "no `dependencies:` list",
            path=path,
            line=_line_of_key(data, "dependencies"),
            hint=_SHAPE_HINT,
        )
    if not isinstance(deps_node, list):
        raise SpecError(
            f"dependencies must be a list, not {_kind(deps_node)}",
            path=path,
            line=_line_of_value(data, "dependencies"),
            hint=_SHAPE_HINT,
        )
    dependencies: list[CondaDependency] = []
    python: CondaDependency | None = None
    pip_entries: list[tuple[int | None, str]] | None = None
    seen: dict[str, int | None] = {}
    for index, item in enumerate(deps_node):
        line = _line_of_item(deps_node, index)
        if isinstance(item, dict):
            pip_entries = _pip_section(item, path, line, pip_entries is not None)
            continue
        if not isinstance(item, str):
            raise SpecError(
                f"a dependency must be a match spec string such as numpy=1.26, not {_kind(item)}",
                path=path,
                line=line,
                hint=_SHAPE_HINT,
            )
        dependency = _dependency(item, SourceRef(path, line))
        if dependency.name in seen:
            raise SpecError(
                f"{dependency.name} is listed twice (also on line {seen[dependency.name]})",
                path=path,
                line=line,
                hint="Keep one match spec per package.",
            )
        seen[dependency.name] = line
        if dependency.name == "python":
            python = dependency
        dependencies.append(dependency)
    environment = CondaEnvironment(
        group=group,
        file=path,
        channels=channels,
        dependencies=tuple(dependencies),
        name=name,
        platforms=platforms,
        python=python,
    )
    parsed = ParsedEnvironment(environment=environment)
    if pip_entries:
        _read_pip(parsed, pip_entries, path, root or Path("."), follow=follow_includes)
    return parsed


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the string {value!r}"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


def _channels(data: Any, path: str) -> tuple[str, ...]:
    node = data.get("channels")
    if node is None:
        return ()
    if not isinstance(node, list):
        raise SpecError(
            f"channels must be a list, not {_kind(node)}",
            path=path,
            line=_line_of_value(data, "channels"),
            hint="Write channels as a list, e.g. `channels: [conda-forge]`.",
        )
    out: list[str] = []
    for index, item in enumerate(node):
        line = _line_of_item(node, index)
        if not isinstance(item, str) or not is_channel(item.strip()):
            raise SpecError(
                f"{_kind(item) if not isinstance(item, str) else repr(item)} is not a channel",
                path=path,
                line=line,
                hint="A channel is a name (conda-forge, pytorch, conda-forge/label/rc), "
                "a URL (https://..., file://...) or a local directory.",
            )
        out.append(item.strip())
    return tuple(out)


def _platforms(data: Any, path: str) -> tuple[str, ...]:
    node = data.get("platforms")
    if node is None:
        return ()
    if not isinstance(node, list):
        raise SpecError(
            f"platforms must be a list, not {_kind(node)}",
            path=path,
            line=_line_of_value(data, "platforms"),
            hint="Write platforms as a list of conda subdirs, e.g. [linux-64, osx-arm64].",
        )
    out: list[str] = []
    for index, item in enumerate(node):
        if not isinstance(item, str) or not _PLATFORM.fullmatch(item.strip()):
            raise SpecError(
                f"{item!r} is not a conda platform",
                path=path,
                line=_line_of_item(node, index),
                hint="Use conda subdir names: linux-64, linux-aarch64, osx-64, osx-arm64, win-64.",
            )
        out.append(item.strip())
    return tuple(out)


def _dependency(text: str, ref: SourceRef) -> CondaDependency:
    try:
        spec = parse_match_spec(text)
    except MatchSpecError as exc:
        raise SpecError(
            f"not a conda match spec: {exc}",
            path=ref.path,
            line=ref.line,
            hint="Write a package as name, name=1.2, 'name>=1.2,<2', channel::name "
            "or name=1.2=build.",
        ) from None
    return CondaDependency(
        spec=spec.text,
        name=spec.name,
        source=ref,
        channel=spec.channel,
        version=spec.version,
        build=spec.build,
    )


def _pip_section(
    item: dict[str, Any], path: str, line: int | None, seen_before: bool
) -> list[tuple[int | None, str]]:
    if list(item) != ["pip"]:
        key = next((k for k in item if k != "pip"), next(iter(item), "?"))
        raise SpecError(
            f"unknown item {key!r} in dependencies",
            path=path,
            line=_line_of_key(item, str(key)) or line,
            hint="The only mapping allowed in dependencies is `- pip:` with a list under it.",
        )
    if seen_before:
        raise SpecError(
            "a second `pip:` section",
            path=path,
            line=line,
            hint="Merge the pip sections into one.",
        )
    node = item["pip"]
    if node is None:
        return []
    if not isinstance(node, list):
        raise SpecError(
            f"pip: must hold a list of requirements, not {_kind(node)}",
            path=path,
            line=_line_of_value(item, "pip") or line,
            hint="Write one requirement per `- ` line under pip:.",
        )
    entries: list[tuple[int | None, str]] = []
    for index, entry in enumerate(node):
        entry_line = _line_of_item(node, index)
        if not isinstance(entry, str):
            raise SpecError(
                f"a pip requirement must be a string, not {_kind(entry)}",
                path=path,
                line=entry_line,
                hint="Quote it if YAML reads it as something else.",
            )
        entries.append((entry_line, " ".join(entry.split())))
    return entries


def _read_pip(
    parsed: ParsedEnvironment,
    entries: Sequence[tuple[int | None, str]],
    path: str,
    root: Path,
    *,
    follow: bool = True,
) -> None:
    """The pip section, read as a requirements file whose lines are the YAML's lines."""
    lines: list[str] = []
    for line, entry in entries:
        number = line or (len(lines) + 1)
        while len(lines) < number - 1:
            lines.append("")
        lines.append(entry)
    own = parse_requirements_text(root, path, "\n".join(lines) + "\n")
    parsed.pip_section = own
    if not follow:
        parsed.requirements = own.requirements
        parsed.pip_index = own.index
        return
    files: dict[str, ParsedFile] = {path: own}
    _inline(root, own, files, parsed, stack=(path,))
    parsed.files = [f for p, f in files.items() if p != path]
    parsed.pip_section = own
    parsed.pip_index = merge_index(files.values())


def _inline(
    root: Path,
    current: ParsedFile,
    files: dict[str, ParsedFile],
    parsed: ParsedEnvironment,
    *,
    stack: tuple[str, ...],
) -> None:
    for entry in current.entries:
        if isinstance(entry, DirectRequirement):
            parsed.requirements.append(entry)
            continue
        target = entry.target
        if target in stack:
            raise SpecError(
                f"-r cycle: {' -> '.join([*stack, target])}",
                path=entry.ref.path,
                line=entry.ref.line,
                hint="Remove one of these -r lines; a file cannot include itself.",
            )
        if not (root / target).is_file():
            raise SpecError(
                f"-r {target}: file not found",
                path=entry.ref.path,
                line=entry.ref.line,
                hint="Fix the path; it is relative to the environment file.",
            )
        if target not in files:
            files[target] = parse_file(root, target)
        parsed.included.append(target)
        _inline(root, files[target], files, parsed, stack=(*stack, target))
    for constraint in current.constraint_files:
        parsed.constraints += read_constraints(root, constraint.target, constraint.ref).constraints


def environment_python(environments: Iterable[CondaEnvironment]) -> CondaDependency | None:
    """The Python the first environment (prod first) asks for."""
    return next((e.python for e in environments if e.python is not None), None)


def conda_python_target(
    environments: Sequence[CondaEnvironment], current: PythonTarget
) -> PythonTarget:
    """The Python an environment file asks for: a pin (``python=3.11``) or a range."""
    python = environment_python(environments)
    if python is None:
        return current
    ref = python.source
    version = (python.version or "").strip()
    pinned = re.fullmatch(r"(?:==)?(\d+\.\d+(?:\.\d+)?)(?:\.\*|\*)?", version)
    if pinned:
        return PythonTarget(
            requires_python=current.requires_python, pinned=pinned.group(1), source=ref
        )
    translated = version_to_pep440(version) if version else None
    if translated is not None and translated.specifier:
        return PythonTarget(
            requires_python=current.requires_python or translated.specifier, source=ref
        )
    return current
