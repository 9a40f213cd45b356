"""Snapshot: a fingerprint of one Python environment, as plain values.

Snapshots come from a live interpreter (``env/snapshot.py``) or are read back
from JSON (schema ``parity/snapshot@1``).  ``diagnose/diff`` compares them; a
lockfile can be turned into a (partial) snapshot so every kind of input is
compared the same way.  Nothing here holds a credential: index URLs are
redacted when captured.
"""

from __future__ import annotations

from parity.frozen import dataclass, field

SNAPSHOT_SCHEMA = "parity/snapshot@1"


@dataclass(frozen=True)
class Distribution:
    """One installed (or locked) distribution.

    ``source`` is None for an index install; otherwise a redacted URL, a VCS
    reference (``git+https://...@<commit>``) or ``local`` for a local path.
    ``version`` is None when the side does not pin it (an unpinned requirement).
    """

    name: str
    version: str | None
    installer: str | None = None
    source: str | None = None
    editable: bool = False
    requested: bool | None = None


@dataclass(frozen=True)
class PythonInfo:
    implementation: str
    version: str
    build: str | None = None
    compiler: str | None = None
    abi: str | None = None


@dataclass(frozen=True)
class PlatformInfo:
    system: str
    machine: str
    release: str | None = None
    libc: str | None = None
    libc_version: str | None = None


@dataclass(frozen=True)
class NativeLibrary:
    """A native library an environment depends on (BLAS, CUDA runtime, ...).

    ``kind`` is one of blas, lapack, cuda, cudnn, openmp, mkl (free text for
    others); ``provider`` names the distribution that ships or reports it.
    """

    kind: str
    name: str
    version: str | None = None
    provider: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """What an environment is made of.

    ``kind`` is venv, conda, system, or lock (a snapshot made from a lockfile,
    which knows only distributions and perhaps the Python version).
    ``label`` is how reports name this side (a path relative to where parity
    ran, or a file name), never an absolute machine path.
    """

    label: str
    kind: str
    python: PythonInfo | None
    platform: PlatformInfo | None
    distributions: tuple[Distribution, ...]
    native: tuple[NativeLibrary, ...] = ()
    env_vars: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    index: dict[str, list[str]] = field(default_factory=dict, compare=False, hash=False)
    taken_at: str | None = None
    # What could not be read as it should: a broken .egg-link, two installs of one
    # package.  Said once, by name; never a path.
    problems: tuple[str, ...] = field(default=(), compare=False, hash=False)
    # The Python versions a lock was made for, as it records them (a PEP 440 range such
    # as ">=3.11"), beside or instead of one version; None for an environment.
    requires_python: str | None = None

    def distribution(self, name: str) -> Distribution | None:
        for d in self.distributions:
            if d.name == name:
                return d
        return None
