"""Lock: the pinned result of one resolution of every group of a project.

A Lock is what the requirements files (and pylock.toml) hold, read back into
values.  ``LockMeta`` carries the freshness digests that let ``check`` decide
whether the lock is stale without resolving again.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pin:
    """One pinned distribution in one group's lockfile.

    ``via`` lists why it is there, as pip-tools writes it: ``-r <file>`` for a
    direct requirement, or the canonical names of the packages that need it.
    ``source`` is None for an index package; otherwise a project-relative path
    or a URL without credentials (``git+https://...``).
    """

    name: str
    version: str | None
    marker: str | None = None
    hashes: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    source: str | None = None
    editable: bool = False
    extras: tuple[str, ...] = ()

    @property
    def is_direct(self) -> bool:
        return any(v.startswith("-r ") for v in self.via)


@dataclass(frozen=True)
class InputDigest:
    """The digest of one input of the lock: a spec file, the Python target, options."""

    name: str
    digest: str


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

    def input_map(self) -> dict[str, str]:
        return {i.name: i.digest for i in self.inputs}


@dataclass(frozen=True)
class LockedGroup:
    name: str
    output: str
    pins: tuple[Pin, ...]
    meta: LockMeta
    index_lines: tuple[str, ...] = ()

    def pin(self, name: str) -> Pin | None:
        for p in self.pins:
            if p.name == name:
                return p
        return None


@dataclass(frozen=True)
class Lock:
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
