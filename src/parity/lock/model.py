"""Lock: the pinned result of one resolution of every group of a project.

A Lock is what the requirements files (and pylock.toml) hold, read back into
values.  ``LockMeta`` carries the freshness digests that let ``check`` decide
whether the lock is stale without resolving again.
"""

from __future__ import annotations

from collections.abc import Iterable

from parity.frozen import dataclass, field
from parity.names import canonical_name
from parity.patterns import lazy_pattern
from parity.spec.model import FormatControl, IndexConfig

_project_via = lazy_pattern(r"(?P<project>\S+) \((?P<path>[^)]+)\)")


@dataclass(frozen=True)
class Origin:
    """Where a pin is asked for by the project itself (or constrained).

    ``path`` is the project-relative file that declares it (``requirements.in``,
    ``pyproject.toml``); ``line`` and ``group`` are known when the lock was just
    made from the spec, and not recorded in a requirements file.  ``project``
    names the project for a pyproject declaration (pip-compile's
    ``# via name (pyproject.toml)``); ``constraint`` marks a ``-c`` file, which
    limits a version without asking for the package.
    """

    path: str
    line: int | None = None
    group: str | None = None
    project: str | None = None
    constraint: bool = False

    @property
    def via_text(self) -> str:
        """How pip-tools' ``# via`` annotation names it."""
        if self.constraint:
            return f"-c {self.path}"
        if self.project is not None:
            return f"{self.project} ({self.path})"
        return f"-r {self.path}"

    @staticmethod
    def from_via(text: str) -> Origin | None:
        """The origin a ``# via`` entry names, or None when it names a package."""
        text = text.strip()
        if text.startswith("-r "):
            return Origin(path=text.removeprefix("-r ").strip())
        if text.startswith("-c "):
            return Origin(path=text.removeprefix("-c ").strip(), constraint=True)
        match = _project_via().fullmatch(text)
        if match:
            return Origin(path=match.group("path"), project=match.group("project"))
        return None


def split_via(entries: Iterable[str]) -> tuple[tuple[Origin, ...], tuple[str, ...]]:
    """``# via`` entries as (origins, names of the packages that require the pin)."""
    origins: list[Origin] = []
    parents: list[str] = []
    for entry in entries:
        origin = Origin.from_via(entry)
        if origin is not None:
            origins.append(origin)
        elif entry.strip():
            parents.append(entry.strip())
    return tuple(origins), tuple(parents)


@dataclass(frozen=True)
class Pin:
    """One pinned distribution in one group's lockfile.

    ``origins`` says where the project asks for it (empty for a package only
    other packages need); ``required_by`` names the packages that need it, as
    the resolver wrote them.  ``source`` is None for an index package;
    otherwise a project-relative path or a URL without credentials
    (``git+https://...``).
    """

    name: str
    version: str | None
    marker: str | None = None
    hashes: tuple[str, ...] = ()
    origins: tuple[Origin, ...] = ()
    required_by: tuple[str, ...] = ()
    source: str | None = None
    editable: bool = False
    extras: tuple[str, ...] = ()

    @property
    def is_direct(self) -> bool:
        """Whether the project itself asks for it (a ``-c`` constraint does not)."""
        return any(not o.constraint for o in self.origins)

    @property
    def direct_origins(self) -> tuple[Origin, ...]:
        return tuple(o for o in self.origins if not o.constraint)

    @property
    def declared_in(self) -> tuple[str, ...]:
        """The files that ask for it directly, once each, in ``# via`` order."""
        ordered = sorted(self.direct_origins, key=lambda o: o.via_text)
        return tuple(dict.fromkeys(o.path for o in ordered))

    @property
    def parents(self) -> tuple[str, ...]:
        """The canonical names of the packages that require it."""
        return tuple(canonical_name(p.split("[", 1)[0]) for p in self.required_by)

    @property
    def via(self) -> tuple[str, ...]:
        """pip-tools' ``# via`` entries: the origins (sorted, once each), then the packages."""
        return (*sorted({o.via_text for o in self.origins}), *self.required_by)

    @property
    def is_project(self) -> bool:
        """The project's own source tree (``-e .``): what --no-install-project leaves out."""
        return self.source == "."

    @property
    def is_source_tree(self) -> bool:
        """A directory of the project (``-e .``, ``./libs/x``): built from the files there,
        never downloaded, so it has no hash to check (pip's hash mode refuses it)."""
        if self.editable:
            return True
        source = self.source
        return source is not None and "://" not in source and not source.endswith(_ARCHIVES)

    @property
    def is_archive(self) -> bool:
        """A wheel or sdist named by URL or path (not a git URL, not a directory): a file
        with a hash to lock."""
        source = self.source
        if source is None or self.editable:
            return False
        return source.split("#", 1)[0].lower().endswith(_ARCHIVES)


_ARCHIVES = (".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar")


@dataclass(frozen=True)
class InputDigest:
    """The digest of one input of the lock: a spec file, the Python target, options.

    ``parts``: a short digest of each part of the input (see
    ``spec.InputFile``), written on a ``# parity:parts`` line of its own so
    that earlier parity versions read the header as before; None when the
    lock records none (an input read as a whole, or a lock written before
    parity recorded parts).  Only ``digest`` decides freshness.
    """

    name: str
    digest: str
    parts: tuple[tuple[str, str], ...] | None = field(default=None, compare=False)


_part_token = lazy_pattern(r"[^\s=]+=[0-9a-f]{12}")


def parts_value(item: InputDigest) -> str | None:
    """The value of an input's ``# parity:parts`` header line, or None to write none."""
    if item.parts is None:
        return None
    return " ".join([item.name, *(f"{key}={digest}" for key, digest in item.parts)])


def read_parts_value(value: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The input name and parts of a ``# parity:parts`` value (:func:`parts_value` read back)."""
    tokens = value.split(" ")
    parts: list[tuple[str, str]] = []
    while len(tokens) > 1 and _part_token().fullmatch(tokens[-1]):
        key, _, digest = tokens.pop().partition("=")
        parts.append((key, digest))
    return " ".join(tokens), tuple(sorted(parts))


def input_lines(inputs: Iterable[InputDigest]) -> list[str]:
    """The header lines of a lock's inputs: the digest of each, and its parts when recorded."""
    lines: list[str] = []
    for item in inputs:
        lines.append(f"# parity:input {item.name} {item.digest}")
        parts = parts_value(item)
        if parts is not None:
            lines.append(f"# parity:parts {parts}")
    return lines


def with_parts(inputs: Iterable[InputDigest], values: Iterable[str]) -> tuple[InputDigest, ...]:
    """``inputs`` with the parts the header's ``# parity:parts`` values record for them."""
    from parity.frozen import replace

    recorded = dict(read_parts_value(v) for v in values)
    return tuple(replace(i, parts=recorded[i.name]) if i.name in recorded else i for i in inputs)


@dataclass(frozen=True)
class LockMeta:
    """Provenance and freshness of a lock.

    ``digest`` hashes every input together; ``inputs`` keeps one digest per
    input so a stale lock can name what changed.  ``requires_python`` is the
    range the resolution holds for; ``python`` the interpreter environments are
    built with; ``target`` names the platform of a non-universal lock for
    people, and ``python_version`` / ``python_platform`` are the options it
    was locked with (``--python-version``, ``--python-platform``).
    """

    digest: str
    inputs: tuple[InputDigest, ...]
    requires_python: str | None
    python: str | None
    target: str | None = None
    command: str = "parity lock"
    generator: str = "parity"
    python_version: str | None = None
    python_platform: str | None = None
    # uv variables or configuration files were in effect when it was locked: what they
    # changed is recorded nowhere, so a later lock resolves again rather than trust it.
    uv_settings: bool = False

    def input_map(self) -> dict[str, str]:
        return {i.name: i.digest for i in self.inputs}


@dataclass(frozen=True)
class LockedGroup:
    """The lock of one group: its pins, written to ``output``, with the lock's provenance."""

    name: str
    output: str
    pins: tuple[Pin, ...]
    meta: LockMeta
    # The index options written in the lockfile (redacted, no local paths).
    index: IndexConfig = field(default_factory=IndexConfig)
    # The --no-binary / --only-binary lines written in the lockfile.
    format_control: FormatControl = field(default_factory=FormatControl)

    def pin(self, name: str) -> Pin | None:
        for p in self.pins:
            if p.name == name:
                return p
        return None


@dataclass(frozen=True)
class Lock:
    """The pinned result of one resolution of every group of a project.

    ``pylock`` holds the text of ``pylock.toml`` when one was written;
    ``notes`` what the user should know about how it was made.
    """

    groups: tuple[LockedGroup, ...]
    meta: LockMeta
    pylock: str | None = None
    notes: tuple[str, ...] = field(default=())

    def group(self, name: str) -> LockedGroup:
        for g in self.groups:
            if g.name == name:
                return g
        raise KeyError(name)

    @property
    def group_names(self) -> tuple[str, ...]:
        return tuple(g.name for g in self.groups)
