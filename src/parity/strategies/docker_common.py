"""What the Docker artifacts share: the base image, the lockfile installed, the services.

Pure decisions over the spec, the lock and the project's texts; the images
are pinned in ``parity/data/pins.toml`` (``[images]``).
"""

from __future__ import annotations

import functools
import re
from importlib.resources import files
from typing import Any

from parity.errors import UsageError
from parity.frozen import dataclass
from parity.lock.model import Lock, LockedGroup
from parity.spec.model import ProjectSpec


@dataclass(frozen=True)
class Images:
    python: str
    python_build: str
    postgres: str
    redis: str
    patches: dict[str, str]


@functools.cache
def images() -> Images:
    from parity import toml

    data: dict[str, Any] = toml.loads(
        (files("parity") / "data" / "pins.toml").read_text(encoding="utf-8")
    )
    table = data["images"]
    return Images(
        python=str(table["python"]),
        python_build=str(table["python-build"]),
        postgres=str(table["postgres"]),
        redis=str(table["redis"]),
        patches={str(k): str(v) for k, v in table["python-patch"].items()},
    )


def python_version(spec: ProjectSpec, lock: Lock | None) -> str:
    """The full Python version of the images: .python-version's, its minor's pinned patch."""
    wanted = (
        spec.python.pinned
        or (lock.meta.python if lock is not None else None)
        or only_minor(spec.python.requires_python)
    )
    if not wanted:
        raise UsageError(
            "the project pins no Python, so parity cannot choose the images' Python version",
            hint="Pin one in .python-version (e.g. 3.11) and run `parity lock`.",
        )
    if re.fullmatch(r"\d+\.\d+\.\d+", wanted):
        return wanted
    minor = ".".join(wanted.split(".")[:2])
    patch = images().patches.get(minor)
    if patch is None:
        known = ", ".join(sorted(images().patches))
        raise UsageError(
            f"no pinned python image for Python {minor}",
            hint=f"Pin a full version in .python-version (e.g. {minor}.0), or one of: {known}.",
        )
    requires = spec.python.requires_python
    if requires and not _admits(requires, patch):
        raise UsageError(
            f"the pinned python image for {minor} is {patch}, outside requires-python {requires}",
            hint=f"Pin a full version in .python-version (e.g. {minor}.0) that the range admits.",
        )
    return patch


def _admits(requires_python: str, version: str) -> bool:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return SpecifierSet(requires_python).contains(version, prereleases=True)
    except InvalidSpecifier:
        return True


def only_minor(requires_python: str | None) -> str | None:
    """The one Python minor a range admits (``==3.12.*``, ``>=3.12,<3.13``), else None."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    if not requires_python:
        return None
    try:
        specifier = SpecifierSet(requires_python)
    except InvalidSpecifier:
        return None
    minors = {
        f"3.{minor}"
        for minor in range(40)
        for patch in range(40)
        if specifier.contains(f"3.{minor}.{patch}", prereleases=False)
    }
    return minors.pop() if len(minors) == 1 else None


def python_image(version: str, *, build: bool = False) -> str:
    return (images().python_build if build else images().python).format(version=version)


def project_slug(spec: ProjectSpec) -> str:
    raw = spec.name or spec.root.name or "project"
    slug = re.sub(r"[^a-z0-9_-]+", "-", raw.lower()).strip("-")
    return slug or "project"


def require_pip_lock(spec: ProjectSpec, lock: Lock | None, what: str) -> None:
    if spec.format == "conda":
        raise UsageError(
            f"{what} installs a pip lock; this is a conda project (environment.yml)",
            hint="parity writes Docker files for projects locked by `parity lock` into "
            "requirements files; export the conda environment with `--to conda-pinned`.",
        )
    if lock is None:
        raise UsageError(
            f"{what} is written from the lock, and there is none yet", hint="Run `parity lock`."
        )


def locked_group(spec: ProjectSpec, lock: Lock, group: str) -> LockedGroup:
    for locked in lock.groups:
        if locked.name == group:
            return locked
    raise UsageError(
        f"the '{group}' group has no lockfile ({spec.group(group).output})",
        hint="Run `parity lock`.",
    )


# A lockfile line that installs a package of the source tree (``-e ./backend``, ``./libs/x``).
LOCAL_LINE = r"^(-e )?\.(/|$)"


def local_sources(locked: LockedGroup) -> list[str]:
    """The source-tree packages a lockfile installs (``./backend``), project-relative."""
    found = [p.source for p in locked.pins if p.source is not None and p.source.startswith(".")]
    return sorted(dict.fromkeys(found))


def hash_checked(locked: LockedGroup) -> bool:
    """Whether pip can install the lockfile's index pins with --require-hashes.

    Packages of the source tree have no hash (and pip refuses them in
    hash-checking mode): the files install them apart, from the source.
    """
    local = set(local_sources(locked))
    pins = [p for p in locked.pins if p.source not in local]
    return all(p.hashes and p.source is None for p in pins)


def pip_install(pip: str, lockfile: str, locked: LockedGroup, require: str) -> list[str]:
    """Shell lines that install ``lockfile`` with pip, its source-tree packages left out.

    The packages of the source tree are installed by the caller, from the
    source (a ``COPY`` of it, or the mounted workspace).
    """
    if not local_sources(locked):
        return [f"{pip} install --no-deps{require} -r {lockfile}"]
    filtered = lockfile.rsplit(".", 1)[0] + ".index.txt"
    if not filtered.startswith("/tmp/"):
        filtered = "/tmp/" + filtered.rsplit("/", 1)[-1]
    return [
        f"grep -Ev '{LOCAL_LINE}' {lockfile} > {filtered}",
        f"{pip} install --no-deps{require} -r {filtered}",
    ]
