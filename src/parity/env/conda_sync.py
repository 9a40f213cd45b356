"""``parity sync`` for a conda project: make a prefix match conda.lock (and the pip lock).

py-rattler links exactly the locked records for this machine's platform into
the prefix (removing what is not locked; checksums come from the lock).  The
group's pip section is then installed by uv from its hash-pinned lock with
``--no-deps`` (conda already provides the rest), and what pip installed
outside that lock is removed.  A stamp makes the next sync and ``check``
answer without listing the prefix.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Mapping

from parity.conda.names import NameMap
from parity.conda.platform import this_platform
from parity.env.conda_prefix import CondaPrefix, pip_distributions, read_prefix
from parity.env.seed import SEED_PACKAGES
from parity.env.stamp import (
    SyncStamp,
    fingerprint,
    mark_syncing,
    read_stamp,
    stamp_matches,
    write_stamp,
)
from parity.env.sync import refuse_edited_lock, resolve_group
from parity.errors import EngineError, EnvironmentError_, LockFileError
from parity.frozen import dataclass
from parity.lock.formats.conda_lock import (
    CONDA_LOCK,
    CondaLock,
    CondaLockEnvironment,
    absolute_text,
    environment_name,
    parse_conda_lock,
    strip_header,
)
from parity.lock.model import LockedGroup
from parity.spec.model import ProjectSpec

DEFAULT_PREFIX = ".conda"


@dataclass(frozen=True)
class CondaSyncOutcome:
    group: str
    prefix: str
    python: str
    changed: bool
    created: bool
    conda_packages: int
    pip_installed: int
    pip_removed: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CondaGroupLock:
    """What one group's environment is made of: conda.lock's records and the pip lock."""

    group: str
    text: str
    lock: CondaLock
    environment: CondaLockEnvironment
    pip: LockedGroup | None
    digest: str


def read_group_locks(spec: ProjectSpec, group: str) -> CondaGroupLock:
    from parity.lock.load import read_group

    path = spec.root / CONDA_LOCK
    if not path.is_file():
        raise LockFileError("not found", path=CONDA_LOCK, hint="Run `parity lock`.")
    text = path.read_text(encoding="utf-8")
    lock = parse_conda_lock(text, path=CONDA_LOCK)
    environment = lock.for_group(group)
    if environment is None:
        raise LockFileError(
            f"no environment for group {group!r}",
            path=CONDA_LOCK,
            hint="Run `parity lock`.",
        )
    digest = hashlib.sha256(text.encode()).hexdigest()
    pip = None
    spec_group = spec.group(group)
    if spec_group.requirements:
        pip = read_group(spec, group)
        digest += hashlib.sha256((spec.root / spec_group.output).read_bytes()).hexdigest()
    return CondaGroupLock(
        group=group,
        text=text,
        lock=lock,
        environment=environment,
        pip=pip,
        digest="sha256:" + hashlib.sha256(digest.encode()).hexdigest(),
    )


def prefix_watched(prefix: CondaPrefix) -> tuple[str, ...]:
    """What the stamp's fingerprint covers: conda's records and pip's site-packages."""
    watched = ["conda-meta"]
    if prefix.site_packages is not None:
        watched.append(prefix.site_packages.relative_to(prefix.root).as_posix())
    return tuple(watched)


def current_platform_records(locks: CondaGroupLock, platform: str) -> None:
    if platform not in locks.environment.conda:
        solved = ", ".join(sorted(locks.environment.conda)) or "no platform"
        raise LockFileError(
            f"solved for {solved}, not for this machine ({platform})",
            path=CONDA_LOCK,
            hint=f"Add {platform} to the environment file's `platforms:` (or "
            "[tool.parity.conda] platforms) and run `parity lock`.",
        )


def sync_conda_project(
    spec: ProjectSpec,
    *,
    group: str | None = None,
    prefix: str | None = None,
    offline: bool = False,
    recreate: bool = False,
    environ: Mapping[str, str] | None = None,
) -> CondaSyncOutcome:
    from parity.lock.engines import rattler as engine

    env = dict(os.environ if environ is None else environ)
    name = resolve_group(spec, group)
    prefix_name = prefix or DEFAULT_PREFIX
    locks = read_group_locks(spec, name)
    # A local channel installs whatever file the lock names, with no checksum asked.
    refuse_edited_lock(spec.root / CONDA_LOCK, CONDA_LOCK)
    if locks.pip is not None:
        refuse_edited_lock(spec.root / locks.pip.output, locks.pip.output)
    platform = this_platform()
    current_platform_records(locks, platform)
    path = spec.root / prefix_name
    existing = read_prefix(path)
    created = existing is None
    if path.exists() and existing is None and any(path.iterdir()):
        raise EnvironmentError_(
            f"{prefix_name} exists and is not a conda prefix; parity will not replace it",
            hint="Move it away, or sync into another directory with --venv.",
        )
    if existing is not None and recreate:
        if read_stamp(path) is None:
            raise EnvironmentError_(
                f"{prefix_name} was not made by parity; --recreate will not delete it",
                hint="Delete it yourself if you are sure, then run `parity sync`.",
            )
        shutil.rmtree(path)
        existing, created = None, True
    if (
        existing is not None
        and existing.python_version
        and stamp_matches(
            read_stamp(path),
            lock_digest=locks.digest,
            group=name,
            python=existing.python_version,
            venv=path,
        )
    ):
        return CondaSyncOutcome(
            group=name,
            prefix=prefix_name,
            python=existing.python_version,
            changed=False,
            created=False,
            conda_packages=len(existing.packages),
            pip_installed=0,
            pip_removed=0,
        )
    before = {n: p.version for n, p in existing.packages.items()} if existing else {}
    records = engine.lock_records(
        absolute_text(strip_header(locks.text), spec.root),
        locks.lock.groups.get(name, environment_name(name)),
        platform,
    )
    if records is None:
        raise LockFileError(f"no environment for group {name!r}", path=CONDA_LOCK)
    fresh = not path.exists()
    if not fresh:
        mark_syncing(path, lockfile=CONDA_LOCK, group=name)
    channels = [c for e in spec.conda if e.group == name for c in e.channels]
    try:
        engine.install(records, path, engine.cache_dir(env), channels)
    except EngineError:
        if fresh:
            # Made by this call and left half-built (a channel out of reach): no
            # prefix is better than one that no later sync or --recreate trusts.
            shutil.rmtree(path, ignore_errors=True)
        raise
    after = read_prefix(path)
    if after is None or after.python_version is None:
        raise EngineError(
            f"{prefix_name} has no Python after the install",
            hint="Add python to the environment file's dependencies and run `parity lock`.",
        )
    installed, removed = _sync_pip(spec, locks, after, offline=offline, environ=env)
    after = read_prefix(path) or after
    watched = prefix_watched(after)
    write_stamp(
        path,
        SyncStamp(
            lock_digest=locks.digest,
            group=name,
            python=after.python_version or "",
            lockfile=CONDA_LOCK,
            fingerprint=fingerprint(path, watched),
            watched=watched,
        ),
    )
    changed_conda = before != {n: p.version for n, p in after.packages.items()}
    return CondaSyncOutcome(
        group=name,
        prefix=prefix_name,
        python=after.python_version or "",
        changed=created or changed_conda or bool(installed or removed),
        created=created,
        conda_packages=len(after.packages),
        pip_installed=installed,
        pip_removed=removed,
    )


def _sync_pip(
    spec: ProjectSpec,
    locks: CondaGroupLock,
    prefix: CondaPrefix,
    *,
    offline: bool,
    environ: Mapping[str, str],
) -> tuple[int, int]:
    """Install the pip lock (no deps, hashes checked); remove what pip put there besides it."""
    from parity.lock.index import choose_index, project_index_strategy
    from parity.uv import run_uv

    wanted = {p.name: p.version for p in locks.pip.pins} if locks.pip else {}
    have = pip_distributions(prefix)
    installed = sum(1 for n, v in wanted.items() if have.get(n) != v)
    if installed:
        assert locks.pip is not None
        args = [
            "pip",
            "install",
            "--no-deps",
            "-r",
            str(spec.root / locks.pip.output),
            "--python",
            str(prefix.interpreter),
            "--quiet",
        ]
        if all(p.hashes for p in locks.pip.pins if p.source is None) and not any(
            p.source is not None for p in locks.pip.pins
        ):
            args.append("--require-hashes")
        if offline:
            args.append("--offline")
        strategy = project_index_strategy(spec)
        index = choose_index(spec.index, environ, root=spec.root, strategy=strategy)
        args += index.as_args()
        proc = run_uv(args, cwd=spec.root)
        if proc.returncode != 0:
            # Worded as every sync's install failure: an unreachable index named as
            # configured (credentials masked), a hash mismatch, an empty offline cache.
            from parity.env.sync import install_error

            raise install_error(proc.stderr, locks.pip.output, offline=offline, index=index)
    extra = sorted(n for n in have if n not in wanted and n not in SEED_PACKAGES)
    if extra:
        proc = run_uv(
            ["pip", "uninstall", "--python", str(prefix.interpreter), "--quiet", *extra],
            cwd=spec.root,
        )
        if proc.returncode != 0:
            raise EngineError("uv could not remove packages pip installed:\n  " + proc.stderr)
    return installed, len(extra)


def provided_by_conda(spec: ProjectSpec, locks: CondaGroupLock, platform: str) -> set[str]:
    from parity.lock.conda_locker import python_packages

    records = locks.environment.conda.get(platform, ())
    return set(python_packages(records, NameMap(dict(spec.conda_settings.names))))
