"""The versions a new lock should keep: what the project has locked before.

As pip-compile and uv do, an existing lock is a *preference*, not a
constraint: a version is kept while it still fits the inputs, and moves only
when it must (or when ``--upgrade`` / ``--upgrade-package`` says so).  After
the first ``parity lock``, parity's own lockfiles are the lock.  Before it,
the project is adopted without churn: whatever lock it already has (uv.lock,
poetry.lock, pylock.toml, pdm.lock, Pipfile.lock, pip-compile's requirements*.txt) provides the
versions to keep.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from parity.errors import ParityError
from parity.frozen import dataclass
from parity.lock.formats import requirements_txt
from parity.lock.formats.detect import POETRY_LOCK, PYLOCK, REQUIREMENTS, UV_LOCK
from parity.lock.model import InputDigest, LockedGroup, Pin
from parity.names import canonical_name
from parity.spec.model import ProjectSpec
from parity.versions import newer, valid_version

# Locks another tool wrote, read when parity has not locked the project yet.
PDM_LOCK = "pdm.lock"
PIPFILE_LOCK = "Pipfile.lock"
FOREIGN_LOCKS = (
    ("uv.lock", UV_LOCK),
    ("poetry.lock", POETRY_LOCK),
    ("pylock.toml", PYLOCK),
    ("pdm.lock", PDM_LOCK),
    ("Pipfile.lock", PIPFILE_LOCK),
)


@dataclass(frozen=True)
class Preference:
    """A version to keep; ``markers``: the forks it was locked for, when the package has several."""

    name: str
    version: str
    markers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Preferences:
    """Versions to keep, and the files they were read from (for the report).

    ``forks`` are the forks of the resolution they come from (a uv.lock's
    ``resolution-markers``), and ``python`` the Python range that lock's
    markers are written for (uv leaves out what its requires-python implies).
    """

    items: tuple[Preference, ...] = ()
    files: tuple[str, ...] = ()
    adopted: bool = False
    forks: tuple[str, ...] = ()
    python: str | None = None
    # The environments the forks were made for (a uv.lock's supported-markers); None:
    # the project's.
    environments: tuple[str, ...] | None = None

    def without(self, names: Iterable[str]) -> Preferences:
        from parity.frozen import replace

        drop = {canonical_name(n) for n in names}
        return replace(self, items=tuple(p for p in self.items if p.name not in drop))


def existing_preferences(spec: ProjectSpec, before: Mapping[str, LockedGroup]) -> Preferences:
    """The versions the project has locked: parity's lock, else any lock it already has."""
    own = [g for g in before.values() if g.meta.generator == "parity"]
    if own:
        if _made_with_other_options(spec, own[0].meta.inputs):
            return Preferences()  # as ``uv lock`` does: a fresh resolution
        locked = [p for g in own for p in g.pins]
        recorded, range_ = _recorded_forks(spec.root, own[0].output)
        items = _from_pins(locked, split_markers(locked))
        return Preferences(items, ("parity lock",), forks=recorded, python=range_)
    files: list[str] = []
    pins: list[Pin] = []
    markers: dict[tuple[str, str], tuple[str, ...]] = {}
    forks: tuple[str, ...] = ()
    python: str | None = None
    environments: tuple[str, ...] | None = None
    for group in before.values():
        files.append(group.output)
        pins += group.pins
    for name, fmt in FOREIGN_LOCKS:
        path = spec.root / name
        if fmt == UV_LOCK and path.is_file():
            adopted = _read_uv_lock(path)
            # uv drops all of a uv.lock made with another resolution mode or fork strategy.
            if adopted is not None and adopted.pins and _same_lock_options(spec, adopted.options):
                files.append(name)
                pins += adopted.pins
                markers.update(adopted.markers)
                forks, python = adopted.forks, adopted.python
                environments = adopted.environments
            continue
        if path.is_file():
            found = _read_foreign(path, fmt)
            if found:
                files.append(name)
                pins += found
    outputs = {g.output for g in spec.groups}
    for path in _compiled_requirements(spec.root):
        relative = path.relative_to(spec.root).as_posix()
        if relative in outputs:
            continue
        found = _read_foreign(path, REQUIREMENTS)
        if found:
            files.append(relative)
            pins += found
    items = _newest_of_each(_from_pins(pins, markers), pins)
    return Preferences(
        items,
        tuple(files),
        adopted=bool(items),
        forks=forks,
        python=python,
        environments=environments,
    )


def split_markers(pins: Iterable[Pin]) -> dict[tuple[str, str], tuple[str, ...]]:
    """Each version's markers, for the packages a universal lock holds at several versions.

    parity's lockfiles do not name uv's forks, but each version of a split
    package carries the markers it is installed under, which fall within the
    forks it was chosen in: enough for uv to keep, in each part of the next
    resolution, the version that part had.  A version written once without a
    marker is kept everywhere.
    """
    by_name: dict[str, dict[str, set[str] | None]] = {}
    for pin in pins:
        if pin.version is None or pin.source is not None:
            continue
        versions = by_name.setdefault(pin.name, {})
        known = versions.setdefault(pin.version, set())
        if known is None:
            continue
        if pin.marker:
            known.add(pin.marker)
        else:
            versions[pin.version] = None
    return {
        (name, version): tuple(sorted(found))
        for name, versions in by_name.items()
        if len(versions) > 1
        for version, found in versions.items()
        if found
    }


def _made_with_other_options(spec: ProjectSpec, inputs: Iterable[InputDigest]) -> bool:
    """Whether parity's lock was made with another resolution mode or fork strategy.

    ``uv lock`` then drops every locked version (a lowest-direct lock's
    versions are no preference for a highest one).  The lock's ``[tool.uv]``
    input records a short digest of each setting it was made with; a lock
    without that input was made with uv's defaults.  A lock that recorded no
    parts cannot tell, and keeps its versions.
    """
    from parity.lock.engines.uv import LOCK_OPTIONS
    from parity.spec.digest import part_key, short_digest
    from parity.spec.styles import UV_SETTINGS_INPUT

    recorded = {i.name: i.parts for i in inputs}.get(UV_SETTINGS_INPUT, ())
    if recorded is None:
        return False
    parts = dict(recorded)
    now = dict(spec.resolver_settings)
    for setting, _, default in LOCK_OPTIONS:
        value = now.get(setting, default)
        before = parts.get(part_key(setting))
        if before != short_digest(value) and not (before is None and value == default):
            return True
    return False


def _same_lock_options(spec: ProjectSpec, recorded: Iterable[tuple[str, str]]) -> bool:
    """Whether a uv.lock's ``[options]`` are those ``uv lock`` would write for ``spec`` now."""
    from parity.lock.engines.uv import LOCK_OPTIONS, lock_options

    defaults = {key: default for _, key, default in LOCK_OPTIONS}
    made = {(k, v) for k, v in recorded if k in defaults and v != defaults[k]}
    return made == set(lock_options(spec.resolver_settings))


def _recorded_forks(root: Path, group_file: str) -> tuple[tuple[str, ...], str | None]:
    """The forks of parity's last resolution, which its pylock.toml records.

    None without a pylock.toml of the same lock run as the requirements files
    (``--no-pylock`` leaves an older one behind): another run's forks would
    steer uv towards another resolution's split.
    """
    from parity.lock.formats.pylock import recorded_forks
    from parity.lock.outputs import PYLOCK_NAME

    try:
        text = (root / PYLOCK_NAME).read_text(encoding="utf-8")
        header = (root / group_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return (), None
    ours = _line_value(header, "# parity:generation ")
    if ours is None or _line_value(text, "generation = ") != f'"{ours}"':
        return (), None
    return recorded_forks(text)


def _line_value(text: str, prefix: str) -> str | None:
    """The rest of the first line starting with ``prefix`` (the seal's own lines)."""
    at = text.find("\n" + prefix)
    if at < 0:
        return None
    end = text.find("\n", at + 1)
    return text[at + 1 + len(prefix) : end if end >= 0 else None].strip()


@dataclass(frozen=True)
class _AdoptedUvLock:
    pins: tuple[Pin, ...]
    markers: Mapping[tuple[str, str], tuple[str, ...]]
    forks: tuple[str, ...]
    python: str | None
    environments: tuple[str, ...]
    options: tuple[tuple[str, str], ...]


def _read_uv_lock(path: Path) -> _AdoptedUvLock | None:
    """A uv.lock's versions with its forks, as uv reads them from its own lock; None if unreadable."""
    from parity.lock.formats import uv_lock

    try:
        lock = uv_lock.read(path)
    except (ParityError, OSError, UnicodeDecodeError):
        return None
    markers = {
        (p.name, p.version): p.resolution_markers
        for p in lock.packages
        if p.version is not None and p.resolution_markers
    }
    return _AdoptedUvLock(
        lock.all_pins(),
        markers,
        lock.resolution_markers,
        lock.requires_python,
        lock.supported_markers,
        lock.options,
    )


def _read_foreign(path: Path, fmt: str) -> list[Pin]:
    """The pins of a lock another tool wrote; one that cannot be read gives none."""
    try:
        # The poetry.lock reader is imported only for a project that has one.
        if fmt == POETRY_LOCK:
            from parity.lock.formats import poetry_lock

            return [p.pin for p in poetry_lock.read(path).packages]
        if fmt == PYLOCK:
            from parity.lock.formats import pylock

            return list(pylock.read(path).pins)
        if fmt == PDM_LOCK:
            return _pdm_pins(path)
        if fmt == PIPFILE_LOCK:
            return _pipfile_lock_pins(path)
        return list(requirements_txt.read(path).pins)
    except (ParityError, OSError, UnicodeDecodeError):
        return []


def _pdm_pins(path: Path) -> list[Pin]:
    """The ``[[package]]`` name and version of PDM's lock (its only use here: preferences)."""
    from parity import toml

    try:
        data = toml.loads(path.read_text(encoding="utf-8"))
    except toml.TOMLDecodeError:
        return []
    packages = data.get("package")
    out: list[Pin] = []
    for package in packages if isinstance(packages, list) else []:
        name, version = package.get("name"), package.get("version")
        if isinstance(name, str) and isinstance(version, str) and "path" not in package:
            out.append(Pin(canonical_name(name), version))
    return out


def _pipfile_lock_pins(path: Path) -> list[Pin]:
    """Pipenv's lock: each category's ``name: {"version": "==X"}`` (VCS and path entries have none)."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return []
    out: list[Pin] = []
    for key, packages in data.items() if isinstance(data, dict) else ():
        if key == "_meta" or not isinstance(packages, dict):
            continue
        for name, entry in packages.items():
            version = entry.get("version") if isinstance(entry, dict) else None
            if isinstance(version, str) and version.startswith("=="):
                out.append(Pin(canonical_name(name), version[2:]))
    return out


def _compiled_requirements(root: Path) -> list[Path]:
    from parity.spec.requirements_in.discover import is_compiled

    found = sorted(root.glob("requirements*.txt")) + sorted(root.glob("*-requirements.txt"))
    folder = root / "requirements"
    if folder.is_dir():
        found += sorted(folder.rglob("*.txt"))[:200]
    out = []
    for path in found:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if is_compiled(text):
            out.append(path)
    return out


def _newest_of_each(items: tuple[Preference, ...], pins: Iterable[Pin]) -> tuple[Preference, ...]:
    """One version per package when files compiled apart disagree, the newest.

    Groups compiled one by one (pip-compile's requirements/*.in) may pin a
    package at two versions; one resolution can keep only one, and keeping the
    newest moves the fewest files backwards.  Versions split by markers (a
    universal lock's) are all kept.
    """
    marked = {p.name for p in pins if p.marker}
    best: dict[str, Preference] = {}
    kept: list[Preference] = []
    for item in items:
        if item.name in marked:
            kept.append(item)
        elif item.name not in best or newer(item.version, best[item.name].version):
            best[item.name] = item
    return tuple(sorted([*kept, *best.values()], key=lambda p: (p.name, p.version)))


def _from_pins(
    pins: Iterable[Pin], markers: Mapping[tuple[str, str], tuple[str, ...]]
) -> tuple[Preference, ...]:
    seen: dict[tuple[str, str], Preference] = {}
    for pin in pins:
        if pin.version is None or pin.source is not None:
            continue
        if not valid_version(pin.version):
            continue
        key = (pin.name, pin.version)
        seen.setdefault(key, Preference(pin.name, pin.version, markers.get(key, ())))
    return tuple(seen[k] for k in sorted(seen))
