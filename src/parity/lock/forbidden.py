"""When uv cannot lock a package because the project forbids building it (or its wheels).

uv then reports "no solution" with a hint in its own command-line terms
(``--no-build-package NAME``), which the project never wrote: it wrote
``--only-binary NAME`` in a requirements file, or ``no-build-package`` in
``[tool.uv]``.  This module finds that setting in the project, so the error
can point at it and say what to change instead of "relax the constraints".
"""

from __future__ import annotations

import re

from parity.frozen import dataclass
from parity.names import canonical_name
from parity.patterns import lazy_pattern
from parity.spec.model import ProjectSpec, SourceRef

# uv's hints: what it needed, for which package, and how widely the project forbids it.
_NEEDS = lazy_pattern(
    r"(?:Wheels are required for `(?P<wheel>[^`]+)` because building from source is disabled"
    r"|A source distribution is required for `(?P<sdist>[^`]+)` because using pre-built "
    r"wheels is disabled) for (?P<scope>all packages|`[^`]+`)"
)


@dataclass(frozen=True)
class Forbidden:
    """A package uv could not lock, and the project's setting that forbids what it needed."""

    package: str
    needs_build: bool  # True: only an sdist fits, and building is forbidden
    setting: str  # as the project wrote it: `--only-binary srconly`, [tool.uv] no-build
    source: SourceRef | None

    @property
    def hint(self) -> str:
        where = f" ({self.source})" if self.source else ""
        if self.needs_build:
            return (
                f"{self.package} has only a source distribution at the versions the "
                f"requirements allow, and {self.setting}{where} forbids building it: take "
                f"{self.package} out of that setting (name the packages that must come as "
                f"wheels instead), or require a version of {self.package} that has wheels."
            )
        return (
            f"{self.package} has only wheels at the versions the requirements allow, and "
            f"{self.setting}{where} forbids using them: take {self.package} out of that "
            f"setting, or require a version of {self.package} that has a source distribution."
        )


def forbidden_file(spec: ProjectSpec, explanation: str) -> Forbidden | None:
    """The setting that made uv find no usable file for a package, from uv's explanation."""
    match = _NEEDS().search(explanation)
    if match is None:
        return None
    needs_build = match.group("wheel") is not None
    package = canonical_name(match.group("wheel") or match.group("sdist"))
    every = match.group("scope") == "all packages"
    found: tuple[str, SourceRef | None] | None = _in_requirements_files(
        spec, package, needs_build=needs_build, every=every
    )
    if found is None:
        found = _in_tool_uv(spec, needs_build=needs_build, every=every)
    if found is None:
        option = "--only-binary" if needs_build else "--no-binary"
        return Forbidden(package, needs_build, f"`{option} {':all:' if every else package}`", None)
    setting, source = found
    return Forbidden(package, needs_build, setting, source)


def _in_requirements_files(
    spec: ProjectSpec, package: str, *, needs_build: bool, every: bool
) -> tuple[str, SourceRef] | None:
    """The ``--only-binary`` / ``--no-binary`` line of a requirements input that says it."""
    option = "--only-binary" if needs_build else "--no-binary"
    line_pattern = re.compile(rf"^\s*{option}(?:\s+|=)(\S+)")
    paths = [p for g in spec.groups for p in g.files] + [i.path for i in spec.inputs]
    for path in dict.fromkeys(paths):
        if path.endswith(".toml"):
            continue
        try:
            text = (spec.root / path).read_text(encoding="utf-8")
        except (OSError, ValueError):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            found = line_pattern.match(line)
            if found is None:
                continue
            names = {canonical_name(n) if n != ":all:" else n for n in found.group(1).split(",")}
            if (":all:" in names) if every else (package in names):
                return f"`{line.strip()}`", SourceRef(path, number)
    return None


def _in_tool_uv(
    spec: ProjectSpec, *, needs_build: bool, every: bool
) -> tuple[str, SourceRef | None] | None:
    """The ``[tool.uv]`` key that says it (``no-build``, ``no-binary-package``, ...)."""
    base = "no-build" if needs_build else "no-binary"
    key = base if every else f"{base}-package"
    if key not in dict(spec.resolver_settings):
        return None
    from parity.spec.pyproject import PYPROJECT, TomlLines

    try:
        text = (spec.root / PYPROJECT).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return f"[tool.uv] {key}", None
    line = TomlLines(text).key(("tool", "uv"), key)
    return f"[tool.uv] {key}", SourceRef(PYPROJECT, line)
