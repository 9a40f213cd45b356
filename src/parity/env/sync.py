"""``parity sync``: make an environment exactly match one group's lock.

uv does the work: ``uv venv`` with the pinned Python (uv's own interpreter
discovery), then ``uv pip sync`` of the group's lockfile, which installs what
is missing, removes what is not locked and verifies every hash.  parity adds
the decisions around it (which Python, whether the venv must be rebuilt,
whether anything needs doing at all) and the stamp that makes ``check`` fast.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from parity.env.installed import VenvInfo, installed_distributions, interpreter_path, read_venv
from parity.env.stamp import SyncStamp, read_stamp, site_packages_mtime, stamp_matches, write_stamp
from parity.errors import EngineError, UsageError
from parity.interpreters import find_interpreter, matches
from parity.lock.formats.requirements_txt import read_group_lock
from parity.lock.index import choose_index
from parity.lock.model import LockedGroup
from parity.spec.model import DEFAULT_GROUP, ProjectSpec
from parity.uv import run_uv

DEFAULT_VENV = ".venv"


@dataclass(frozen=True)
class SyncOptions:
    group: str | None = None
    venv: str = DEFAULT_VENV
    offline: bool = False
    recreate: bool = False


@dataclass(frozen=True)
class SyncOutcome:
    group: str
    venv: str
    python: str
    changed: bool
    created: bool
    installed: int
    removed: int
    packages: int
    notes: tuple[str, ...] = ()


def default_group(spec: ProjectSpec) -> str:
    return DEFAULT_GROUP if spec.has_group(DEFAULT_GROUP) else spec.group_names[0]


def resolve_group(spec: ProjectSpec, group: str | None) -> str:
    name = group or default_group(spec)
    if not spec.has_group(name):
        known = ", ".join(spec.group_names)
        raise UsageError(f"unknown group {name!r}", hint=f"This project's groups are: {known}.")
    return name


def lockfile_digest(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def python_request(locked: LockedGroup) -> str | None:
    """What to ask uv for: the pinned version, else the locked range."""
    return locked.meta.python or locked.meta.requires_python


def python_satisfies(installed: str, locked: LockedGroup) -> bool:
    """Whether an interpreter version is the one the lock was made for."""
    wanted = locked.meta.python or locked.meta.requires_python
    return matches(installed, wanted) if wanted else True


def sync_project(
    spec: ProjectSpec,
    options: SyncOptions = SyncOptions(),
    *,
    environ: Mapping[str, str] | None = None,
) -> SyncOutcome:
    env = dict(os.environ if environ is None else environ)
    group = resolve_group(spec, options.group)
    output = spec.group(group).output
    lockfile = spec.root / output
    locked = read_group_lock(lockfile, display=output)
    digest = lockfile_digest(lockfile)
    venv_path = spec.root / options.venv
    venv = read_venv(venv_path)
    created = False
    if venv is None or options.recreate or not python_satisfies(venv.python_version, locked):
        venv = create_venv(
            venv_path, python_request(locked), replace=venv is not None or venv_path.exists()
        )
        created = True
    elif stamp_matches(
        read_stamp(venv_path),
        lock_digest=digest,
        group=group,
        python=venv.python_version,
        current_mtime_ns=site_packages_mtime(venv.site_packages),
    ):
        return SyncOutcome(
            group=group,
            venv=options.venv,
            python=venv.python_version,
            changed=False,
            created=False,
            installed=0,
            removed=0,
            packages=len(installed_distributions(venv.site_packages)),
        )
    before = installed_distributions(venv.site_packages)
    install_lock(spec, venv, lockfile, locked, offline=options.offline, environ=env)
    after = installed_distributions(venv.site_packages)
    write_stamp(
        venv_path,
        SyncStamp(
            lock_digest=digest,
            group=group,
            python=venv.python_version,
            site_packages_mtime_ns=site_packages_mtime(venv.site_packages),
            lockfile=output,
        ),
    )
    installed = sum(
        1 for n, d in after.items() if n not in before or before[n].version != d.version
    )
    removed = sum(1 for n in before if n not in after)
    return SyncOutcome(
        group=group,
        venv=options.venv,
        python=venv.python_version,
        changed=bool(installed or removed or created),
        created=created,
        installed=installed,
        removed=removed,
        packages=len(after),
    )


def create_venv(path: Path, python: str | None, *, replace: bool) -> VenvInfo:
    """A fresh venv at ``path`` on the requested Python (never downloaded)."""
    interpreter = find_interpreter(python)
    if replace and path.exists():
        shutil.rmtree(path)
    proc = run_uv(["venv", str(path), "--quiet", "--no-project", "--python", str(interpreter.path)])
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        raise EngineError(
            f"could not create {path.name}: {lines[-1] if lines else 'uv venv failed'}",
            hint="Check that the directory is writable and the interpreter runs.",
        )
    venv = read_venv(path)
    if venv is None:
        raise EngineError(f"uv created no virtual environment at {path.name}")
    return venv


def install_lock(
    spec: ProjectSpec,
    venv: VenvInfo,
    lockfile: Path,
    locked: LockedGroup,
    *,
    offline: bool,
    environ: Mapping[str, str],
) -> None:
    """``uv pip sync`` the lockfile (hash-checked), then the project itself if it is a package."""
    args = ["pip", "sync", str(lockfile), "--python", str(interpreter_path(venv.root)), "--quiet"]
    if all(p.hashes for p in locked.pins if p.source is None) and not any(
        p.source is not None for p in locked.pins
    ):
        args.append("--require-hashes")
    if offline:
        args.append("--offline")
    args += choose_index(spec.index, environ, root=spec.root).as_args()
    proc = run_uv(args, cwd=spec.root)
    if proc.returncode != 0:
        raise EngineError(
            "uv could not install the lock:\n  " + "\n  ".join(proc.stderr.strip().splitlines()),
            path=locked.output,
            hint="If a hash does not match, the lockfile was edited or the index changed a file; "
            "run `parity lock` and try again.",
        )
    if spec.installable:
        proc = run_uv(
            [
                "pip",
                "install",
                "--no-deps",
                "-e",
                ".",
                "--python",
                str(interpreter_path(venv.root)),
                "--quiet",
            ],
            cwd=spec.root,
        )
        if proc.returncode != 0:
            raise EngineError("could not install the project itself:\n  " + proc.stderr.strip())
