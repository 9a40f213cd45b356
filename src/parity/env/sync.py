"""``parity sync``: make an environment exactly match one group's lock.

uv does the work: ``uv venv`` with the pinned Python (uv's own interpreter
discovery), then ``uv pip sync`` of the group's lockfile, which installs what
is missing, removes what is not locked and verifies every hash.  parity adds
the decisions around it (which Python, whether the venv must be rebuilt,
whether anything needs doing at all) and the stamp that makes ``check`` fast.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from parity.env.derived import derived_digest, derived_lock, write_requirements
from parity.env.installed import (
    InstalledDist,
    VenvInfo,
    installed_distributions,
    interpreter_path,
)
from parity.env.matching import default_group as default_group
from parity.env.matching import lockfile_digest as lockfile_digest
from parity.env.matching import python_request as python_request
from parity.env.matching import python_satisfies as python_satisfies
from parity.env.matching import resolve_group as resolve_group
from parity.env.stamp import (
    SYNCED,
    SyncStamp,
    fingerprint,
    hashes_digest,
    mark_syncing,
    read_stamp,
    scan_records,
    stamp_matches,
    stamped_group,
    watched_paths,
    write_stamp,
)
from parity.errors import EngineError, LockFileError, UsageError
from parity.frozen import dataclass
from parity.lock.load import read_group
from parity.lock.model import LockedGroup
from parity.spec.model import IndexConfig, ProjectSpec

if TYPE_CHECKING:
    from parity.env.venv import Placement
    from parity.lock.index import IndexArgs

# What only a sync that does something needs (the venv machinery, uv, the
# project lock) is imported inside the functions: ``check`` imports this module
# for its small helpers and must start fast.

DEFAULT_VENV = ".venv"


@dataclass(frozen=True)
class SyncOptions:
    """What ``parity sync`` was asked.

    ``extras`` adds the locks of those extras to the group's (all come from
    one resolution, so they agree); ``install_project=False`` leaves the
    project itself out, so a group of tools syncs even when the project
    cannot be built.
    """

    group: str | None = None
    venv: str = DEFAULT_VENV
    offline: bool = False
    recreate: bool = False
    reinstall: bool = False
    extras: tuple[str, ...] = ()
    install_project: bool = True


@dataclass(frozen=True)
class HashCoverage:
    """Which installed pins were checked against a hash from the lock."""

    total: int
    unverified: tuple[str, ...] = ()

    @property
    def all_verified(self) -> bool:
        return self.total > 0 and not self.unverified


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
    hashes: HashCoverage = HashCoverage(total=0)
    notes: tuple[str, ...] = ()
    # Set by the API: the lock installed is stale (its inputs changed since).
    warnings: tuple[str, ...] = ()
    # What was added to or left out of the group's lock (--extra, --no-install-project).
    extras: tuple[str, ...] = ()
    project_installed: bool = True


def sync_project(
    spec: ProjectSpec,
    options: SyncOptions = SyncOptions(),  # noqa: B008 - frozen, so one shared default is safe
    *,
    environ: Mapping[str, str] | None = None,
) -> SyncOutcome:
    """Make the environment match the group's lock, holding the project lock."""
    from parity.generation import recover
    from parity.projectlock import project_lock

    with project_lock(spec.root):
        folders = [(spec.root / g.output).parent for g in spec.groups]
        recover(spec.root, [*folders, spec.root / options.venv])
        return _sync_project(spec, options, environ=environ)


def _sync_project(
    spec: ProjectSpec,
    options: SyncOptions,
    *,
    environ: Mapping[str, str] | None,
) -> SyncOutcome:
    from parity.env.health import prepare_bytecode_dirs
    from parity.env.venv import place

    env = dict(os.environ if environ is None else environ)
    group = resolve_group(spec, options.group)
    output = spec.group(group).output
    lockfile = spec.root / output
    # Markers as parity wrote them while the seal holds; refuse_edited_lock refuses
    # a file whose seal fails (read in full, so an unreadable line raises first).
    locked = read_group(spec, group, sealed=True)
    refuse_edited_lock(lockfile, output)
    refuse_missing_options(spec, locked)
    digest = lockfile_digest(lockfile)
    extras = check_extras(spec, options.extras)
    for extra in extras:
        refuse_edited_lock(spec.root / spec.group(extra).output, spec.group(extra).output)
    extra_locks = [read_group(spec, e, sealed=True) for e in extras]
    for extra_lock in extra_locks:
        refuse_missing_options(spec, extra_lock)
    derived = derived_lock(locked, extra_locks, options.install_project)
    stamped = group
    if derived is not None:
        # What is installed is the group's lock adjusted; the stamp names that, so a
        # later plain sync of the group does not take it for the group's own lock.
        locked = derived
        stamped = stamped_group(group, extras, project=options.install_project)
        digest = derived_digest(derived)
    placement = place(spec.root, options.venv)
    venv_path = placement.path
    venv = placement.venv
    created = False
    rebuild = rebuild_reason(venv, locked, recreate=options.recreate)
    stamp = read_stamp(venv_path) if rebuild is None else None
    if rebuild is not None:
        venv = rebuild_venv(placement, python_request(locked), why=rebuild)
        created = True
    elif (
        venv is not None
        and not options.reinstall
        and stamp_matches(
            stamp, lock_digest=digest, group=stamped, python=venv.python_version, venv=venv_path
        )
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
            hashes=hash_coverage(locked),
            extras=extras,
            project_installed=options.install_project,
        )
    assert venv is not None
    before = installed_distributions(venv.site_packages)
    reinstall = (
        ("*",) if options.reinstall else to_reinstall(locked, before, stamp, venv.site_packages)
    )
    mark_syncing(venv_path, lockfile=output, group=stamped, project=options.install_project)
    if derived is not None:
        # A requirements file of parity's own, inside the environment parity owns.
        lockfile = venv_path / ".parity-sync-requirements.txt"
        lockfile.write_text(write_requirements(derived), encoding="utf-8")
    install_lock(
        spec,
        venv,
        lockfile,
        locked,
        offline=options.offline,
        environ=env,
        reinstall=reinstall,
        install_project=options.install_project,
    )
    after = installed_distributions(venv.site_packages)
    records = scan_records(venv.site_packages)  # read once for both
    prepare_bytecode_dirs(venv.site_packages, records)
    watched = watched_paths(venv_path, venv.site_packages, interpreter_path(venv_path), records)
    write_stamp(
        venv_path,
        SyncStamp(
            lock_digest=digest,
            group=stamped,
            python=venv.python_version,
            lockfile=output,
            state=SYNCED,
            fingerprint=fingerprint(venv_path, watched),
            watched=watched,
            verified={p.name: hashes_digest(p.hashes) for p in locked.pins if p.name in after},
            project=options.install_project,
        ),
    )
    installed = sum(
        1
        for n, d in after.items()
        if n not in before or before[n].version != d.version or n in reinstall or "*" in reinstall
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
        hashes=hash_coverage(locked),
        extras=extras,
        project_installed=options.install_project,
    )


def check_extras(spec: ProjectSpec, extras: Sequence[str]) -> tuple[str, ...]:
    """The extras ``--extra`` names: each an extra of the project (a group read from one)."""
    from parity.names import canonical_name

    known = [g.name for g in spec.groups if g.extra]
    out: list[str] = []
    for raw in extras:
        name = canonical_name(raw)
        if name not in known:
            if spec.has_group(name):
                raise UsageError(
                    f"{raw!r} is a dependency group, not an extra",
                    hint=f"Install it with --group {name}.",
                )
            raise UsageError(
                f"{raw!r} is not an extra of this project",
                hint=f"Its extras are: {', '.join(known) or 'none'}.",
            )
        out.append(name)
    return tuple(dict.fromkeys(out))


def refuse_edited_lock(lockfile: Path, shown: str) -> None:
    """Never install a lockfile changed since parity wrote it (its content digest says so)."""
    from parity.lock.integrity import read_seal

    try:
        found = read_seal(shown, lockfile.read_text(encoding="utf-8"), sealed=True)
    except (OSError, ValueError, LockFileError):
        return  # the reader has already said what is wrong with an unreadable file
    if found.sealed and not found.intact:
        raise LockFileError(
            "this lockfile was changed after parity wrote it (its pins, hashes or options "
            "differ from its content digest); refusing to install it",
            path=shown,
            hint="Review the change (git diff), then run `parity lock` to regenerate it.",
        )


def refuse_missing_options(spec: ProjectSpec, locked: LockedGroup) -> None:
    """Never install wheels (or build sdists) the project forbids and the lockfile allows.

    ``uv pip sync`` knows only the lockfile's ``--no-binary`` / ``--only-binary``
    lines; a lock made before the project set ``[tool.uv] no-binary`` (or by a
    parity that did not write it) lacks them, and would install what ``uv sync``
    refuses to.
    """
    from parity.lock.binary import lock_format_control, missing_options

    expected = lock_format_control(spec.format_control, spec.resolver_settings)
    if expected.is_default:
        return
    missing = missing_options(expected, locked.format_control)
    if missing:
        raise LockFileError(
            f"the project asks for {', '.join(missing)} ([tool.uv] no-binary / no-build, or "
            "its requirements inputs), and this lockfile does not say so: installing it "
            "would take files the project forbids; refusing to install it",
            path=locked.output,
            hint="Run `parity lock` to write the lock again, then `parity sync`.",
        )


def to_reinstall(
    locked: LockedGroup,
    installed: Mapping[str, InstalledDist],
    stamp: SyncStamp | None,
    site_packages: Path,
) -> tuple[str, ...]:
    """Packages uv would keep as they are but whose files must be verified again.

    uv leaves a package alone when the right version is installed, so a hash
    changed in the lock would never be checked against the files.  What the
    stamp recorded as verified against the same hashes is kept; anything else
    at the locked version (including every package of an environment parity
    never synced) is reinstalled, which verifies it.  So are damaged ones.
    """
    from parity.env.health import damaged_distributions

    verified = stamp.verified if stamp is not None and stamp.state == SYNCED else {}
    damaged = {d.name for d in damaged_distributions(site_packages)} if stamp is not None else set()
    names: list[str] = []
    for pin in locked.pins:
        have = installed.get(pin.name)
        if have is None or pin.version is None or have.version != pin.version:
            continue
        if pin.name in damaged or verified.get(pin.name) != hashes_digest(pin.hashes):
            names.append(pin.name)
    return tuple(dict.fromkeys(names))


_NETWORK = (
    "request failed",
    "error sending request",
    "dns error",
    "connection refused",
    "failed to connect",
    "failed to fetch",
    "operation timed out",
    "network is unreachable",
)


def install_error(
    stderr: str, output: str, *, offline: bool, index: IndexArgs | None = None
) -> EngineError:
    """uv's failure to install, named for what it is, with the fix that fits it.

    ``index``: the indexes parity handed uv, to name the one it could not reach.
    """
    from parity.redact import redact_text

    lines = [redact_text(line.rstrip()) for line in stderr.strip().splitlines() if line.strip()]
    details = "\n  ".join(lines)
    lowered = stderr.lower()
    if "hash mismatch" in lowered:
        return EngineError(
            "a downloaded file does not match the hash in the lock:\n  " + details,
            path=output,
            hint="The lockfile was edited, the index changed a file, or a local archive was "
            "rebuilt in place: review the lock (git diff), then run `parity lock` (it hashes "
            "a changed local archive again) and try again.",
        )
    if offline and ("offline" in lowered or "not found in the cache" in lowered):
        return EngineError(
            "cannot install offline: the uv cache lacks some locked files:\n  " + details,
            path=output,
            hint="Run `parity sync` once online to fill the cache.",
        )
    if any(word in lowered for word in _NETWORK):
        from parity.lock.index import UNREACHABLE_HINT, IndexArgs, unreachable_index

        where, _ = unreachable_index(stderr, index or IndexArgs())
        return EngineError(
            f"cannot reach the package index {where}:\n  " + details,
            path=output,
            hint=UNREACHABLE_HINT.format(command="parity sync --offline"),
        )
    built = _BUILD_FAILED.search(stderr)
    if built:
        name, version = built.group(1), built.group(2)
        errors = [
            redact_text(e.strip())
            for e in dict.fromkeys(_COMPILER_ERROR.findall(stderr))
            if not e.strip().startswith("error: Command")
        ][:3]
        return EngineError(
            f"{name} {version} has no wheel for this interpreter, and building it from source "
            "failed" + (":\n  " + "\n  ".join(errors) if errors else ":\n  " + details),
            path=output,
            hint=f"Sync on a Python the lock has wheels for (pin it in .python-version, then "
            f"`parity lock`), or move {name} to a release that has them: "
            f"`parity lock --upgrade-package {name}`.",
        )
    return EngineError("uv could not install the lock:\n  " + details, path=output)


# uv's "Failed to build `name==version`", and the compiler's own error lines under it.
_BUILD_FAILED = re.compile(r"Failed to build `([A-Za-z0-9._-]+)==([^`\s]+)`")
_COMPILER_ERROR = re.compile(r"(?m)^\s*(\S*:\d+:\d+: (?:fatal )?error: .*|error: .*)$")


def hash_coverage(locked: LockedGroup) -> HashCoverage:
    """How many of the group's pins the install verifies against a hash in the lock.

    A source tree (``-e .``, ``./libs/x``) is built from the files in front of the
    user, not downloaded: no tool hashes it, so it is neither counted nor warned about.
    """
    files = [p for p in locked.pins if not p.is_source_tree]
    unhashed = tuple(sorted(p.name for p in files if not p.hashes))
    return HashCoverage(total=len(files), unverified=unhashed)


def rebuild_reason(venv: VenvInfo | None, locked: LockedGroup, *, recreate: bool) -> str | None:
    """Why the environment must be (re)built, or None when it can be synced in place."""
    from parity.env.health import interpreter_problem

    if venv is None:
        return "there is no environment"
    if recreate:
        return "--recreate"
    broken = interpreter_problem(venv.interpreter, "its interpreter")
    if broken is not None:
        return broken
    if not python_satisfies(venv.python_version, locked):
        wanted = locked.meta.python or locked.meta.requires_python
        return f"it runs Python {venv.python_version}, the lock wants {wanted}"
    return None


def rebuild_venv(placement: Placement, python: str | None, *, why: str) -> VenvInfo:
    """A fresh venv in place of whatever is at ``placement``, if parity may remove it.

    The interpreter is found first: uv's discovery may have picked the very
    venv about to be removed.
    """
    from parity.env.venv import create, refuse_replace, remove_owned
    from parity.interpreters import find_interpreter

    needs_removal = placement.exists and not placement.empty
    if needs_removal and not placement.owned:
        raise refuse_replace(placement, why)
    interpreter = find_interpreter(python, outside=placement.path)
    if needs_removal:
        remove_owned(placement)
    return create(placement, interpreter.path)


def create_venv(path: Path, python: str | None, *, replace: bool = False) -> VenvInfo:
    """A fresh venv at ``path`` (absent or empty; one parity created when ``replace``)."""
    from parity.env.venv import place

    placement = place(path.parent, path.name)
    if replace and placement.exists:
        return rebuild_venv(placement, python, why="it must be replaced")
    return rebuild_venv(placement, python, why="it exists")


def install_index(spec: ProjectSpec, locked: LockedGroup) -> IndexConfig:
    """The indexes to install a lock from: the project's own, else those the lock was
    made with (``lock -i URL`` writes them into the lockfile), else none (uv's or pip's
    configuration then applies)."""
    if spec.index.is_default and not locked.index.is_default:
        return locked.index
    return spec.index


def install_lock(
    spec: ProjectSpec,
    venv: VenvInfo,
    lockfile: Path,
    locked: LockedGroup,
    *,
    offline: bool,
    environ: Mapping[str, str],
    reinstall: Sequence[str] = (),
    install_project: bool = True,
) -> None:
    """``uv pip sync`` the lockfile (hash-checked), then the project itself if it is a package.

    ``reinstall`` names packages to install again even at the right version
    (``*``: all), so that their files are verified against the lock's hashes.
    """
    from parity.uv import run_uv

    args = ["pip", "sync", str(lockfile), "--python", str(interpreter_path(venv.root)), "--quiet"]
    if all(p.hashes for p in locked.pins if p.source is None) and not any(
        p.source is not None for p in locked.pins
    ):
        args.append("--require-hashes")
    if offline:
        args.append("--offline")
    if "*" in reinstall:
        # uv hard-links installed files to its cache, so a file edited in the
        # environment is edited in the cache too: fetch afresh and verify.
        args += ["--reinstall", "--no-cache"]
    else:
        for name in reinstall:
            args += ["--reinstall-package", name]
    # pip's configuration: only to install
    from parity.lock.index import choose_index, project_index_strategy

    strategy = project_index_strategy(spec)
    index = choose_index(install_index(spec, locked), environ, root=spec.root, strategy=strategy)
    args += index.as_args()
    proc = run_uv(args, cwd=spec.root)
    if proc.returncode != 0:
        raise install_error(proc.stderr, locked.output, offline=offline, index=index)
    if spec.installable and install_project:
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
            raise EngineError(
                "could not install the project itself:\n  " + proc.stderr.strip(),
                hint="To install the group's packages without the project, run "
                "`parity sync --no-install-project`.",
            )
