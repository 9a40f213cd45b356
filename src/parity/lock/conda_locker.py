"""``parity lock`` for a conda project: environment.yml -> conda.lock (+ the pip section's lock).

1. Each environment file is solved by py-rattler for its platforms (the file's
   ``platforms:``, else ``[tool.parity.conda] platforms``, else this machine's)
   and written to ``conda.lock``, in rattler's lock format, with parity's
   freshness digests on top.  Packages of the previous lock are preferred, as
   pip-compile keeps pins, unless ``--upgrade`` is given.
2. A group's ``pip:`` section is locked by uv (parity's usual locker) into
   ``<environment file stem>.pip.txt``, for the Python conda solved, with every
   Python package conda installs pinned as a constraint at conda's version: pip
   then never replaces a conda package, and the packages conda provides are
   left out of the pip lock.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from parity.conda.names import INSTALLERS, INTERPRETER, How, NameMap
from parity.conda.platform import this_platform
from parity.errors import LockFileError, ResolutionError, SpecError
from parity.frozen import dataclass, replace
from parity.fsutil import atomic_write_many, sha256_text
from parity.lock.formats.conda_lock import (
    CONDA_LOCK,
    CondaLock,
    CondaLockEnvironment,
    CondaRecord,
    environment_name,
    parse_conda_lock,
    portable_text,
    python_version_of,
    render_header,
    strip_header,
)
from parity.lock.model import InputDigest, Lock, LockedGroup, LockMeta
from parity.lock.outcome import LockOptions, LockOutcome, PinChange
from parity.spec.model import (
    CondaEnvironment,
    DirectRequirement,
    Group,
    InputFile,
    ProjectSpec,
    PythonTarget,
    SourceRef,
)

# Bumped when the conda lock's layout or solve options change, so old locks read as stale.
CONDA_LOCK_FORMAT = "1"


@dataclass(frozen=True)
class CondaLockOutcome:
    outcome: LockOutcome
    conda_lock: CondaLock


def conda_lock_meta(spec: ProjectSpec, platforms: Mapping[str, Sequence[str]]) -> LockMeta:
    """Digests of every input of conda.lock: the environment files, settings, platforms."""
    from parity.spec.digest import digest_parts

    inputs = [InputDigest(name=i.path, digest=i.digest, parts=i.parts) for i in spec.inputs]
    solver = "|".join(
        [
            f"format={CONDA_LOCK_FORMAT}",
            *(f"{group}={','.join(p)}" for group, p in sorted(platforms.items())),
            f"channels={','.join(spec.conda_settings.channels)}",
            f"cuda={spec.conda_settings.cuda or ''}",
            f"python={spec.python.pinned or ''}",
        ]
    )
    solver_parts = digest_parts(
        {
            "platforms": {group: list(p) for group, p in platforms.items()},
            "channels": list(spec.conda_settings.channels),
            "cuda": spec.conda_settings.cuda,
            "python": spec.python.pinned,
        }
    )
    inputs.append(InputDigest(name="solver", digest=sha256_text(solver), parts=solver_parts))
    inputs.sort(key=lambda i: i.name)
    overall = sha256_text("\n".join(f"{i.name}={i.digest}" for i in inputs))
    return LockMeta(
        digest=overall,
        inputs=tuple(inputs),
        requires_python=spec.python.requires_python,
        python=spec.python.pinned,
        # Beside a pyproject.toml, plain `parity lock` reads the pyproject: say the option.
        command=f"parity lock --format {spec.format_option}"
        if spec.format_option
        else "parity lock",
    )


def environment_platforms(
    spec: ProjectSpec, env: CondaEnvironment, current: str | None = None
) -> tuple[str, ...]:
    if env.platforms:
        return env.platforms
    if spec.conda_settings.platforms:
        return spec.conda_settings.platforms
    return (current or this_platform(),)


# conda's word for "not the defaults channels" (conda env create drops it): no channel.
NO_DEFAULTS = "nodefaults"


def solve_channels(channels: Sequence[str]) -> tuple[str, ...]:
    """The channels to solve from: as written, without conda's ``nodefaults`` marker.

    ``nodefaults`` tells conda to leave out the machine's default channels;
    parity never adds them, so the marker has nothing to do but would be asked
    for as a channel of that name (which does not exist).
    """
    return tuple(c for c in channels if c != NO_DEFAULTS)


def solve_specs(spec: ProjectSpec, env: CondaEnvironment) -> tuple[str, ...]:
    """The match specs to solve: the file's, plus the pinned Python when it names none."""
    specs = [d.spec for d in env.dependencies]
    if env.python is None and spec.python.pinned:
        specs.append(f"python {spec.python.pinned}.*")
    return tuple(specs)


def lock_conda_project(
    spec: ProjectSpec,
    options: LockOptions | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> CondaLockOutcome:
    options = options or LockOptions()
    from parity.lock.engines import rattler as engine

    env = dict(os.environ if environ is None else environ)
    root = spec.root
    cache = engine.cache_dir(env)
    current = this_platform()
    previous_text = _previous_text(root)
    # Records are kept whole (checksum, URL, size): never those of a lock edited by hand.
    edited = previous_text is not None and _edited(root)
    keep = previous_text is not None and not options.upgrade and not edited
    platforms = {e.group: environment_platforms(spec, e, current) for e in spec.conda}
    environments: list[engine.LockEnvironment] = []
    for conda_env in spec.conda:
        written = conda_env.channels or spec.conda_settings.channels
        channels = solve_channels(written)
        if not channels:
            only = f" ({NO_DEFAULTS} only says which channels not to use)" if written else ""
            raise SpecError(
                f"no channels{only}: parity will not guess where packages come from",
                path=conda_env.file,
                hint="Add `channels: [conda-forge]` (or name them in [tool.parity.conda] channels).",
            )
        _refuse_defaults(root, conda_env, channels)
        _refuse_missing_local_channels(root, conda_env, channels)
        name = environment_name(conda_env.group)
        locations = tuple(engine.channel_location(c, root) for c in channels)
        locked = None
        if keep and previous_text is not None:
            locked = {
                p: engine.lock_records(previous_text, name, p) or []
                for p in platforms[conda_env.group]
            }
            locked = {
                p: [r for r in records if r.name.normalized not in _freed(options)]
                for p, records in locked.items()
            }
        records = engine.solve(
            engine.SolveRequest(
                channels=locations,
                specs=solve_specs(spec, conda_env),
                platforms=platforms[conda_env.group],
                cache=cache,
                cuda=spec.conda_settings.cuda,
                locked=locked,
            )
        )
        environments.append(engine.LockEnvironment(name, locations, records))
    meta = conda_lock_meta(spec, platforms)
    groups = {e.group: environment_name(e.group) for e in spec.conda}
    body = portable_text(engine.render_lock(environments), root)
    from parity.redact import redact_file_text

    # Redacted before the seal, by the one redaction policy, so that the seal holds: a
    # channel URL with a token was written without it and then read as edited by hand.
    text = redact_file_text(render_header(meta, groups) + body)
    conda_lock = parse_conda_lock(text, path=CONDA_LOCK)
    files: dict[str, str] = {CONDA_LOCK: text}
    notes: list[str] = []
    if edited:
        notes.append(
            f"{CONDA_LOCK} was changed by hand since parity wrote it: solved again from the "
            "channels, keeping none of its packages"
        )
    before = _previous_lock(previous_text)
    changes = _conda_changes(before, conda_lock, current)

    pip_groups = [g for g in spec.groups if g.requirements]
    pip_locked: tuple[LockedGroup, ...] = ()
    if pip_groups:
        pip_spec, provided = pip_section_spec(spec, conda_lock, current)
        from parity.lock.locker import lock_project

        try:
            outcome = lock_project(
                pip_spec, replace(options, dry_run=True, pylock=False), environ=env
            )
        except ResolutionError as exc:
            raise _held_by_conda(exc, provided) from None
        pip_locked = tuple(drop_provided(g, provided.get(g.name, {})) for g in outcome.lock.groups)
        from parity.lock.outputs import group_file

        for group in pip_locked:
            made = group_file(group)
            files[made.path] = made.text
        notes += outcome.notes
        changes += outcome.changes
        notes += unmapped_python_packages(spec, conda_lock, current)
        for group_name, names in sorted(provided.items()):
            if names:
                notes.append(
                    f"{group_name}: conda provides {', '.join(sorted(names))}; "
                    "the pip lock leaves them out"
                )
    # Sealed together, as every parity lock: `check` then sees a hand edit of
    # conda.lock or a pip lock, and files of two runs side by side.
    from parity.lock.integrity import seal

    files = seal(files)
    if not options.dry_run:
        atomic_write_many({root / path: body for path, body in files.items()})
    lock = Lock(groups=pip_locked, meta=meta, notes=tuple(notes))
    return CondaLockOutcome(
        outcome=LockOutcome(
            lock=lock,
            written=tuple(files),
            changes=tuple(changes),
            notes=tuple(notes),
        ),
        conda_lock=conda_lock,
    )


def _held_by_conda(
    exc: ResolutionError, provided: Mapping[str, Mapping[str, str]]
) -> ResolutionError:
    """The resolver's error, saying which of the versions it names conda.lock holds.

    The pip section is resolved with conda's Python packages pinned at conda's
    versions, so the index must have those very versions; uv's explanation names
    the pin (``numpy==1.26.4``) but not that it comes from conda.
    """
    held = {
        f"{name}=={version}"
        for versions in provided.values()
        for name, version in versions.items()
        if re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", exc.message, re.I)
    }
    if not held:
        return exc
    hint = (
        f"conda installs {', '.join(sorted(held))}, and the pip section is "
        "resolved with conda's packages held at conda's versions: the index must have "
        f"{'that version' if len(held) == 1 else 'those versions'} too, or install what "
        "needs it from conda."
    )
    return ResolutionError(
        exc.message, path=exc.path, line=exc.line, hint=f"{hint} {exc.hint or ''}".strip()
    )


def _freed(options: LockOptions) -> set[str]:
    return {n.lower() for n in options.upgrade_packages}


def _previous_text(root: Path) -> str | None:
    path = root / CONDA_LOCK
    if not path.is_file():
        return None
    from parity.lock.formats.conda_lock import absolute_text

    text = path.read_text(encoding="utf-8")
    try:
        parse_conda_lock(text, path=CONDA_LOCK)
    except LockFileError:
        return None
    return absolute_text(strip_header(text), root)


def _edited(root: Path) -> bool:
    """Whether conda.lock was changed since parity sealed it (an unsealed lock is taken as is)."""
    from parity.lock.integrity import read_seal

    try:
        found = read_seal(CONDA_LOCK, (root / CONDA_LOCK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return found.sealed and not found.intact


def _previous_lock(text: str | None) -> CondaLock | None:
    if text is None:
        return None
    try:
        return parse_conda_lock(text)
    except LockFileError:
        return None


def _conda_changes(before: CondaLock | None, after: CondaLock, platform: str) -> list[PinChange]:
    changes: list[PinChange] = []
    for name, env in sorted(after.environments.items()):
        old_env = before.environment(name) if before else None
        old = {r.name: r.version for r in (old_env.conda.get(platform, ()) if old_env else ())}
        new = {r.name: r.version for r in env.conda.get(platform, ())}
        for package in sorted(set(old) | set(new)):
            if old.get(package) != new.get(package):
                changes.append(
                    PinChange(f"conda:{name}", package, old.get(package), new.get(package))
                )
    return changes


# -- the pip section ------------------------------------------------------------------


def python_packages(records: Sequence[CondaRecord], names: NameMap) -> dict[str, tuple[str, str]]:
    """The Python distributions conda installs: PyPI name -> (version, conda name).

    A record is a Python package when it depends on ``python`` (noarch or
    built per Python) and its name maps to PyPI.  Versions PEP 440 cannot read
    are left out: no constraint can be written for them.
    """
    out: dict[str, tuple[str, str]] = {}
    for record in records:
        if record.name in (INTERPRETER, *INSTALLERS):
            continue
        if not _needs_python(record):
            continue
        match = names.to_pypi(record.name)
        if match.name is None:
            continue
        try:
            Version(record.version)
        except InvalidVersion:
            continue
        out[canonicalize_name(match.name)] = (record.version, record.name)
    return out


def unmapped_python_packages(spec: ProjectSpec, lock: CondaLock, platform: str) -> list[str]:
    """Conda Python packages with no known PyPI name: pip could install them a second time."""
    names = NameMap(dict(spec.conda_settings.names))
    notes: list[str] = []
    for group in spec.groups:
        if not group.requirements:
            continue
        for record in _records_for(lock.for_group(group.name), platform):
            if record.name in (INTERPRETER, *INSTALLERS) or not _needs_python(record):
                continue
            if names.to_pypi(record.name).how is How.UNMAPPED:
                notes.append(
                    f"{group.name}: conda package {record.name} is a Python package with no "
                    "known PyPI name; if the pip section needs it, name it in "
                    "[tool.parity.conda] names so pip does not install it again"
                )
    return notes


def _needs_python(record: CondaRecord) -> bool:
    return any(d.split()[0] in ("python", "python_abi") for d in record.depends if d.split())


def pip_section_spec(
    spec: ProjectSpec, lock: CondaLock, platform: str
) -> tuple[ProjectSpec, dict[str, dict[str, str]]]:
    """The spec uv locks for the pip sections, and what conda provides per group.

    Each group is constrained to the versions conda installs; the Python is
    the one conda solved (for this platform, else the environment's first).
    """
    names = NameMap(dict(spec.conda_settings.names))
    groups: list[Group] = []
    provided: dict[str, dict[str, str]] = {}
    pinned: str | None = None
    digests: list[InputFile] = list(spec.inputs)
    for group in spec.groups:
        if not group.requirements:
            continue
        env = lock.for_group(group.name)
        records = _records_for(env, platform)
        pinned = pinned or python_version_of(records)
        packages = python_packages(records, names)
        provided[group.name] = {n: v for n, (v, _) in packages.items()}
        constraints = tuple(
            DirectRequirement.make(f"{name}=={version}", SourceRef(CONDA_LOCK), name=name)
            for name, (version, _) in sorted(packages.items())
        )
        groups.append(replace(group, includes=(), constraints=(*group.constraints, *constraints)))
        digests.append(
            InputFile(
                path=f"{CONDA_LOCK}:{group.name}",
                digest=sha256_text(
                    "\n".join(f"{n}=={v}" for n, v in sorted(provided[group.name].items()))
                ),
            )
        )
    python = spec.python
    if pinned:
        python = PythonTarget(
            requires_python=None, pinned=".".join(pinned.split(".")[:3]), source=spec.python.source
        )
    derived = replace(
        spec,
        format="conda-pip",
        groups=tuple(groups),
        python=python,
        inputs=tuple(sorted(digests, key=lambda i: i.path)),
        installable=False,
    )
    return derived, provided


def _records_for(env: CondaLockEnvironment | None, platform: str) -> tuple[CondaRecord, ...]:
    if env is None:
        return ()
    if platform in env.conda:
        return env.conda[platform]
    return env.conda[sorted(env.conda)[0]] if env.conda else ()


def drop_provided(group: LockedGroup, provided: Mapping[str, str]) -> LockedGroup:
    """The pip lock without the packages conda installs."""
    return replace(group, pins=tuple(p for p in group.pins if p.name not in provided))


def _refuse_missing_local_channels(
    root: Path, conda_env: CondaEnvironment, channels: Sequence[str]
) -> None:
    """A local channel that is not a directory, said with its line (not as the solver's URL).

    The solver names it by its absolute file URL, a path of this machine.
    """
    for channel in channels:
        if not channel.startswith(("./", "../", "/", "~/")):
            continue
        path = Path(channel).expanduser()
        if (path if path.is_absolute() else root / path).is_dir():
            continue
        path_shown = conda_env.file if conda_env.channels else "pyproject.toml"
        raise SpecError(
            f"channel {channel}: no such directory",
            path=path_shown,
            line=_line_naming(root / path_shown, channel),
            hint="A local channel is a directory holding noarch/ (and platform folders) "
            "with their repodata.json; fix the path, relative to the project.",
        )


def _line_naming(path: Path, word: str) -> int | None:
    """The first line of ``path`` that names ``word`` outside a comment."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for number, raw in enumerate(text.splitlines(), start=1):
        if word in raw.split("#", 1)[0]:
            return number
    return None


def _refuse_defaults(root: Path, conda_env: CondaEnvironment, channels: Sequence[str]) -> None:
    """Refuse conda's ``defaults``: it names each machine's configured default channels.

    conda expands it from its own configuration (``default_channels``); a
    solver given the bare name looks for a channel called "defaults" on the
    default channel host instead, which is not what ``conda env create``
    installs from.  Stopping is the only answer that cannot lock the wrong
    packages.
    """
    if "defaults" not in channels:
        return
    path = conda_env.file if conda_env.channels else "pyproject.toml"
    line = None
    try:
        text = (root / path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    import re

    named = re.compile(r"""(?:^|[\s\[,'"-])defaults(?:$|[\s\],'"])""")
    for number, raw in enumerate(text.splitlines(), start=1):
        if named.search(raw.split("#", 1)[0]):
            line = number
            break
    raise SpecError(
        "channel 'defaults' stands for the default channels of each machine's conda "
        "configuration, which parity cannot know: a lock from it would not be what "
        "`conda env create` installs",
        path=path,
        line=line,
        hint="Write the channels it means on your machines in its place (`conda config "
        "--show default_channels` lists them), or use conda-forge.",
    )
