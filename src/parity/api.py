"""parity's library API: what the ``parity`` command does, as functions.

Every function takes the project first (a directory, or a
:class:`~parity.spec.model.ProjectSpec` already loaded) and keyword-only
options named like the command's flags; each returns a plain value that
prints itself as JSON (``to_json()``) and never prints anything.  Bad input
raises a :class:`~parity.errors.ParityError` subclass carrying the file, the
line and a hint.  Findings (a stale lock, a drifted environment) are results,
not errors: look at ``report.ok`` and ``report.findings``.

The ``parity`` command is a thin layer over these functions: each
subcommand parses its flags, calls one of them and renders the result.
"""

from __future__ import annotations

import os

# Only what the signatures need is imported here: ``import parity`` (and so
# ``parity --help``) must stay cheap, down to ``typing`` itself (a third of
# Python's start-up).  Each function imports its machinery.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from pathlib import Path
    from typing import Any, TypeAlias

    from parity.compare.model import CompareResult
    from parity.diagnose.check import CheckReport
    from parity.diagnose.diff import DiffResult
    from parity.diagnose.verify import VerifyReport
    from parity.diagnose.why import WhyReport
    from parity.env.conda_sync import CondaSyncOutcome
    from parity.env.snapshot_model import Snapshot
    from parity.env.sync import SyncOutcome
    from parity.fleet.history import History
    from parity.fleet.query import QueryResult
    from parity.fleet.service import PruneOutcome, PushOutcome
    from parity.fleet.status import FleetStatus
    from parity.lock.conda_locker import CondaLockOutcome
    from parity.lock.locker import LockOutcome
    from parity.lock.outcome import LockOptions
    from parity.recommend.model import Recommendation
    from parity.spec.detect import NoInputsError
    from parity.spec.model import ProjectSpec
    from parity.strategies.run import Outcome as ExportOutcome

    Project: TypeAlias = ProjectSpec | str | os.PathLike[str]
    """A project: its directory, or the ProjectSpec :func:`load_project` read from it."""


def __getattr__(name: str) -> Any:
    # ``Project`` at run time (for introspection), built on first use.
    if name == "Project":
        from parity.spec.model import ProjectSpec

        value = ProjectSpec | str | os.PathLike[str]
        globals()["Project"] = value
        return value
    raise AttributeError(f"module 'parity.api' has no attribute {name!r}")


__all__ = [
    "Project",
    "cached_compare",
    "check",
    "compare",
    "diff",
    "export",
    "fleet_history",
    "fleet_prune",
    "fleet_push",
    "fleet_query",
    "fleet_status",
    "init",
    "load_lockable_project",
    "load_project",
    "lock",
    "recommend",
    "refresh",
    "snapshot",
    "sync",
    "verify",
    "why",
]


def load_project(
    path: str | os.PathLike[str] = ".",
    *,
    format: str | None = None,
    outputs: Mapping[str, str] | None = None,
) -> ProjectSpec:
    """Read the project in directory ``path``: every group, the Python target, the index.

    The format (pip-tools ``requirements*.in``, PEP 621/735 or Poetry
    ``pyproject.toml``, conda ``environment.yml``) is detected; ``format``
    chooses one when a project has several (with two and no choice, the
    error names the files and this option).  ``outputs`` names other
    lockfiles for groups (group -> file).  Raises
    :class:`~parity.errors.SpecError` for input that cannot be read.
    """
    from pathlib import Path

    from parity.spec.load import load_project as load

    return load(Path(path), format=format, groups_output=outputs)


def load_lockable_project(
    path: str | os.PathLike[str] = ".", *, format: str | None = None
) -> ProjectSpec | None:
    """The project as :func:`load_project` reads it, or None for one parity cannot lock yet.

    None: the project has only files :func:`recommend` reads as evidence (a
    hand-written requirements.txt and its ``-r`` layers, a Pipfile), which
    ``parity init --strategy pip-tools`` converts.  A project with neither
    raises as :func:`load_project` does.
    """
    from pathlib import Path

    from parity.spec.detect import NoInputsError

    try:
        return load_project(path, format=format)
    except NoInputsError:
        from parity.spec.plain import read_plain_project

        if read_plain_project(Path(path)) is None:
            raise
        return None


def lock(
    project: Project,
    *,
    upgrade: bool = False,
    upgrade_packages: Sequence[str] = (),
    python_version: str | None = None,
    python_platform: str | None = None,
    offline: bool = False,
    prerelease: bool = False,
    pylock: bool = True,
    dry_run: bool = False,
    groups: Sequence[str] = (),
    inputs: Sequence[str | os.PathLike[str]] = (),
    output_file: str | None = None,
    index_url: str | None = None,
    extra_index_urls: Sequence[str] = (),
) -> LockOutcome | CondaLockOutcome:
    """Resolve every group in one resolution and write the lockfiles (``parity lock``).

    Existing pins are kept unless ``upgrade`` (every package) or
    ``upgrade_packages`` frees them; the first lock of a project keeps the
    versions of the lock it already has (uv.lock, poetry.lock, pylock.toml,
    pip-compile's files).  ``python_version`` / ``python_platform`` lock for
    one named target; ``dry_run`` writes nothing.  ``groups`` (or the groups
    read from ``inputs``, such as ``requirements/dev.in``) are the only ones
    whose pins may move; ``output_file`` writes the one such group elsewhere.
    ``index_url`` / ``extra_index_urls`` are used and written into the
    lockfiles.  ``prerelease`` allows pre-releases; without it one is chosen
    only when nothing else fits, and ``outcome.prereleases`` says why.  A
    conda project gets a :class:`~parity.lock.conda_locker.CondaLockOutcome`.
    """
    from parity.frozen import replace
    from parity.lock.locker import LockOptions, lock_project
    from parity.spec.select import check_groups, groups_of_inputs

    spec = _spec(project)
    selected = check_groups(spec, [*groups, *groups_of_inputs(spec, inputs)])
    notes: list[str] = []
    if output_file is not None:
        spec, note = _with_output(spec, selected, output_file)
        if note:
            notes.append(note)
    options = LockOptions(
        upgrade=upgrade,
        upgrade_packages=tuple(upgrade_packages),
        python_version=python_version,
        python_platform=python_platform,
        offline=offline,
        prerelease=prerelease,
        pylock=pylock,
        dry_run=dry_run,
        groups=selected,
        index_url=index_url,
        extra_index_urls=tuple(extra_index_urls),
    )
    if spec.format == "conda":
        from parity.lock.conda_locker import lock_conda_project

        if not _asks_conda_solve(options):
            from parity.diagnose.conda_check import current_conda_lock

            current = current_conda_lock(spec)
            if current is not None:
                return current
        return lock_conda_project(spec, options)
    outcome = lock_project(spec, options)
    return replace(outcome, notes=(*outcome.notes, *notes)) if notes else outcome


def _asks_conda_solve(options: LockOptions) -> bool:
    """Whether ``parity lock`` of a conda project must solve even when its lock is current."""
    from parity.uvconf import uv_settings_in_effect

    return bool(
        options.upgrade
        or options.upgrade_packages
        or options.dry_run
        or options.groups
        or options.prerelease
        or options.index_url
        or options.extra_index_urls
        or options.python_version
        or options.python_platform
        or uv_settings_in_effect(os.environ)
    )


def sync(
    project: Project,
    *,
    group: str | None = None,
    venv: str | None = None,
    offline: bool = False,
    recreate: bool = False,
    reinstall: bool = False,
    extras: Sequence[str] = (),
    install_project: bool = True,
) -> SyncOutcome | CondaSyncOutcome:
    """Make the environment match one group's lock exactly (``parity sync``).

    ``venv`` is relative to the project (default ``.venv``; ``.conda`` for a
    conda project).  ``extras`` adds those extras' locks; ``install_project``
    False leaves the project itself out (a group of tools then syncs even when
    the project cannot be built).  The outcome's ``warnings`` say when the
    lock installed is stale (its inputs changed since it was written).
    """
    from parity.env.sync import SyncOptions, sync_project
    from parity.frozen import replace

    spec = _spec(project)
    if spec.format == "conda":
        from parity.env.conda_sync import sync_conda_project

        return sync_conda_project(
            spec, group=group, prefix=venv, offline=offline, recreate=recreate
        )
    outcome = sync_project(
        spec,
        SyncOptions(
            group=group,
            venv=venv or ".venv",
            offline=offline,
            recreate=recreate,
            reinstall=reinstall,
            extras=tuple(extras),
            install_project=install_project,
        ),
    )
    return replace(outcome, warnings=tuple(_stale_messages(spec, outcome.group)))


def check(
    project: Project,
    *,
    group: str | None = None,
    venv: str | None = None,
    environment: bool = True,
    deep: bool = False,
) -> CheckReport:
    """Is the lock fresh, and does the environment match it? (``parity check``)

    Read-only, offline, no resolution.  ``environment=False`` checks the lock
    only; ``deep`` also verifies every installed file against its RECORD
    hash.  ``report.ok`` is the CI gate; ``report.findings`` say what is wrong.
    """
    from parity.diagnose.check import check_project

    spec = _spec(project)
    if spec.format == "conda":
        from parity.diagnose.conda_check import check_conda_project

        return check_conda_project(spec, group=group, prefix=venv, check_env=environment)
    return check_project(spec, group=group, venv=venv or ".venv", check_env=environment, deep=deep)


def snapshot(
    *,
    python: str | os.PathLike[str] | None = None,
    env: str | os.PathLike[str] | None = None,
    label: str | None = None,
) -> Snapshot:
    """Fingerprint an environment (``parity snapshot``): the running interpreter by default.

    ``python`` is an interpreter path or a command on PATH (``python3.9``);
    ``env`` a venv or conda prefix.  The result holds no credential and no
    path outside the working directory; ``to_json()`` is schema
    ``parity/snapshot@1``.
    """
    from parity.env.snapshot import capture_snapshot
    from parity.errors import UsageError

    if python is not None and env is not None:
        raise UsageError("give python or env, not both")
    return capture_snapshot(
        python=None if python is None else os.fspath(python),
        env_dir=None if env is None else os.fspath(env),
        label=label,
    )


def snapshot_document(
    *,
    python: str | os.PathLike[str] | None = None,
    env: str | os.PathLike[str] | None = None,
    label: str | None = None,
) -> dict[str, Any]:
    """:func:`snapshot` as its JSON document (schema ``parity/snapshot@1``), plain values only.

    What ``parity snapshot`` writes: the same fields, decided the same way,
    without building the model's classes (their import costs a third of a
    snapshot).  ``snapshot_to_json(snapshot(...))`` equals it but for ``taken_at``.
    """
    from parity.env.snapshot.capture import capture_document
    from parity.errors import UsageError

    if python is not None and env is not None:
        raise UsageError("give python or env, not both")
    return capture_document(
        python=None if python is None else os.fspath(python),
        env_dir=None if env is None else os.fspath(env),
        label=label,
    )


def diff(
    *sides: str | os.PathLike[str] | Snapshot,
    python: Iterable[str] = (),
    env: Iterable[str] = (),
    direct: Iterable[str] = (),
    project: str | os.PathLike[str] | None = None,
    groups: Iterable[str] = (),
    rules: Iterable[str | os.PathLike[str]] = (),
) -> DiffResult:
    """How two or more sides differ, most dangerous difference first (``parity diff``).

    A side is a :class:`~parity.env.snapshot_model.Snapshot`, or the path of a
    snapshot file, a lockfile (requirements.txt, pylock.toml, poetry.lock), a
    requirements list, an environment or a project directory; ``python`` and
    ``env`` add live interpreters and environments after them.  The first side
    is the reference (the one that works).  ``direct`` (or the requirements of
    ``project``) names the packages the project imports itself; ``groups``
    picks groups of pylock.toml / poetry.lock sides; ``rules`` adds rule files.
    ``input_notes`` of the result say how sides were read (a lock evaluated
    for another Python, a project whose requirements could not be read).
    """
    from pathlib import Path

    from packaging.utils import canonicalize_name

    from parity.diagnose.diff import diff_snapshots
    from parity.diagnose.risk import load_rules
    from parity.diagnose.sides import live_side, project_direct_names, read_side, resolve_sides
    from parity.env.snapshot_model import Snapshot
    from parity.errors import UsageError
    from parity.frozen import replace

    pythons, envs = list(python), list(env)
    if len(sides) + len(pythons) + len(envs) < 2:
        raise UsageError(
            "parity diff needs at least two sides",
            hint="For example `parity diff requirements.txt --python python3.9`, or two snapshot files.",
        )
    loaded = load_rules([Path(r) for r in rules])
    wanted = frozenset(groups)
    read: list[object] = [
        s if isinstance(s, Snapshot) else read_side(os.fspath(s), groups=wanted) for s in sides
    ]
    read += [live_side(python=p) for p in pythons]
    read += [live_side(env_dir=e) for e in envs]
    notes = [note for side in read for note in getattr(side, "notes", ())]
    names: set[str] = {canonicalize_name(n) for n in direct}
    if project is not None:
        from_project, note = project_direct_names(Path(project))
        names |= from_project
        if note:
            notes.append(note)
    result = diff_snapshots(
        resolve_sides(read),  # type: ignore[arg-type]
        direct=frozenset(names),
        rules=loaded,
    )
    return replace(result, input_notes=tuple(notes))


def why(
    project: Project, name: str, *, groups: Sequence[str] = (), venv: str = ".venv"
) -> WhyReport:
    """Why ``name`` is in the lock: a direct requirement, or through which chains (``parity why``).

    ``groups`` limits the answer to those groups; the environment ``venv``
    supplies each step's version constraint from installed metadata.
    """
    from parity.diagnose.why import why_project

    return why_project(_spec(project, command="why"), name, groups=groups, venv=venv)


def verify(project: Project, *, group: str | None = None) -> VerifyReport:
    """Run the course's checklist on one group (``parity verify``).

    Rebuilds the environment from scratch in a temporary directory, compares
    it with the lock, imports the direct dependencies and reads the CI files;
    ``report.ok`` is True when no item failed.
    """
    from parity.diagnose.verify import verify_project

    return verify_project(_spec(project, command="verify"), group=group)


def export(
    project: str | os.PathLike[str],
    artifact: str,
    *,
    dry_run: bool = False,
    force: bool = False,
    **options: Any,
) -> ExportOutcome:
    """Write one artifact (CI workflow, Makefile, requirements, ...) from spec and lock.

    ``options`` are the artifact's own (``output``, ``group``, ``engine``,
    ...; see ``parity export --help``).  ``dry_run`` returns the unified diff
    and writes nothing; a file changed by hand is replaced only with ``force``.
    """
    from pathlib import Path

    from parity.strategies.run import export as run_export

    given = {k: v for k, v in options.items() if v not in (None, False, ())}
    return run_export(Path(project), artifact, options=given, dry_run=dry_run, force=force)


def refresh(project: str | os.PathLike[str], *, dry_run: bool = False) -> ExportOutcome:
    """Write again every file parity generated and nobody changed (``export --refresh``).

    Each is regenerated with the command its header records; a generated file
    changed by hand is left alone and named in a note.
    """
    from pathlib import Path

    from parity.strategies.run import refresh as run_refresh

    return run_refresh(Path(project), dry_run=dry_run)


def init(
    project: str | os.PathLike[str],
    strategy: str,
    *,
    lock: bool = True,
    offline: bool = False,
    with_tools: bool = False,
    dry_run: bool = False,
    force: bool = False,
) -> ExportOutcome:
    """Set a project up for a strategy (``parity init``): write or convert its inputs.

    A project in another format is converted, keeping every group, marker,
    index and comment that can be carried; then it is locked (unless
    ``lock=False``) and the strategy's Makefile written.  A failed init
    changes nothing.
    """
    from pathlib import Path

    from parity.lock.locker import LockOptions
    from parity.strategies.run import init as run_init

    root = Path(project)
    if not dry_run:
        root.mkdir(parents=True, exist_ok=True)
    options: dict[str, object] = {"with_tools": True} if with_tools else {}
    from parity.diagnose.consistency import stated_python

    stated = stated_python(root) if root.is_dir() else None
    if stated is not None:
        options["python"] = stated
    return run_init(
        root,
        strategy,
        options=options,
        dry_run=dry_run,
        force=force,
        lock=lock,
        lock_options=LockOptions(offline=offline),
    )


def recommend(
    project: Project,
    *,
    weights: Sequence[str] = (),
    strategies: Sequence[str] = (),
    format: str | None = None,
) -> Recommendation:
    """Rank pip-tools, Poetry, Conda and Docker for the project (``parity recommend``).

    The course's decision matrix (simplicity, reproducibility, non-Python
    dependencies, native lockfile, speed, CI, disk, learning curve) scored on
    evidence read from the project's files, each score with its reason and
    ``file:line``.  ``weights`` are ``NAME=NUMBER`` overrides of the weights
    (the project's own are in ``[tool.parity.recommend.weights]``);
    ``strategies`` limits the candidates.  Measurements ``parity compare``
    cached for the same inputs score speed and disk use.  Reads files only.

    A project with no input parity locks from (a hand-written
    requirements.txt, its layers, a Pipfile) is scored on what those files
    say, and the recommendation starts with converting them.  ``format``
    chooses the input style when the project has several.
    """
    from parity.recommend.ranking import recommend_project
    from parity.spec.model import ProjectSpec

    if isinstance(project, ProjectSpec):
        return recommend_project(project, weights=weights, strategies=strategies)
    from parity.spec.detect import NoInputsError

    try:
        spec = load_project(project, format=format)
    except NoInputsError as exc:
        from pathlib import Path

        from parity.spec.plain import read_plain_project

        plain = read_plain_project(Path(project))
        if plain is None and exc.message.startswith("no project inputs found"):
            raise _nothing_to_recommend_on(Path(project)) from None
        if plain is None:
            raise  # dependencies parity cannot read (dynamic ones): that error says which
        return recommend_project(plain.spec, weights=weights, strategies=strategies, plain=plain)
    return recommend_project(spec, weights=weights, strategies=strategies)


def _nothing_to_recommend_on(root: Path) -> NoInputsError:
    """A project that names its dependencies nowhere parity (or pip, or Pipenv) reads."""
    from parity.spec.detect import NoInputsError, subfolder_hint

    start = (
        "Start the list with `parity init --strategy pip-tools` (it writes requirements.in "
        "for you to fill), or write a requirements.txt, then run `parity recommend` again."
    )
    # A DVC or notebook repository keeps them one folder down (src/requirements.txt).
    below = subfolder_hint(root).strip()
    return NoInputsError(
        f"no dependencies found in {root.resolve().name}/: no requirements file, "
        "pyproject.toml dependencies, Pipfile or environment.yml",
        path=root.resolve().name,
        hint="recommend judges a project by the dependencies it declares. "
        + (f"{below} Otherwise: {start[0].lower()}{start[1:]}" if below else start),
    )


def compare(
    project: Project,
    *,
    strategies: Sequence[str] = (),
    runs: int = 3,
    fresh: bool = False,
    progress: Callable[[str], None] | None = None,
) -> CompareResult:
    """Measure each strategy on the project (``parity compare``).

    On scratch copies of the project, for every strategy whose tools are
    here: cold and warm lock time, the environment from the lock into an
    empty folder (cold and warm cache), a no-op re-sync, the environment's
    size, the lockfile's size and pins, whether two independent builds are
    identical and whether the CI cache key survives a no-op re-lock.  Whole
    processes, ``runs`` rounds interleaved, medians.  A strategy that cannot
    run here is reported with the reason.  Results are cached per input
    digest in ``.parity/compare/``; ``fresh`` measures again.  ``progress``
    receives one line per step.
    """
    from parity.compare.run import compare_project

    return compare_project(
        _spec(project), strategies=strategies, runs=runs, fresh=fresh, progress=progress
    )


def cached_compare(project: Project) -> CompareResult | None:
    """The newest ``parity compare`` result kept for the project's current inputs."""
    from parity.compare.cache import latest_for
    from parity.compare.measure import inputs_digest

    spec = _spec(project)
    return latest_for(spec.root, inputs_digest(spec))


# ----------------------------------------------------------------- the fleet
#
# ``store`` is a store URL: an SQLite file path, or ``postgresql://...`` (with
# ``parity[postgres]``); without it ``$PARITY_STORE``, else ``.parity/fleet.db``
# under the current directory, as ``parity fleet --store`` reads it.


def fleet_push(
    snapshots: Snapshot | str | os.PathLike[str] | Iterable[Snapshot | str | os.PathLike[str]],
    *,
    store: str | None = None,
    label: str | None = None,
    role: str | None = None,
    host: str | None = None,
    commit: str | None = None,
    lock_digest: str | None = None,
) -> PushOutcome:
    """Record snapshots in the fleet store, all in one transaction (``parity fleet push``).

    ``snapshots`` are :class:`~parity.env.snapshot_model.Snapshot` values
    taken on this machine (:func:`snapshot`), recorded as ``parity snapshot
    --push`` records them (host name, role, git commit of the current
    directory), or snapshot files made elsewhere (CI artifacts), recorded as
    ``parity fleet push`` records them (no host guessed; the commit from CI's
    variables).  Give values or files in one call, not both.  ``label`` names
    the machine (one snapshot only; default: a file's own label, or this
    host's name); ``role`` is ``dev``, ``ci`` or ``prod`` (default: ``ci``
    under CI, else ``dev``); ``host``, ``commit`` and ``lock_digest`` replace
    what is found.  Snapshots are redacted before they are stored; the
    outcome names the store without its password.
    """
    from pathlib import Path

    from parity.env.snapshot_model import Snapshot
    from parity.errors import UsageError
    from parity.fleet.origin import machine_origin
    from parity.fleet.service import push, push_files
    from parity.frozen import replace

    given = [snapshots] if isinstance(snapshots, (Snapshot, str, os.PathLike)) else list(snapshots)
    values = [s for s in given if isinstance(s, Snapshot)]
    files = [Path(s) for s in given if not isinstance(s, Snapshot)]
    cwd = Path.cwd()
    if values and files:
        raise UsageError(
            "give snapshot values or snapshot files to one push, not both",
            hint="Push each kind in a call of its own.",
        )
    if not values:
        return push_files(
            files,
            store=store,
            environ=os.environ,
            cwd=cwd,
            label=label,
            role=role,
            host=host,
            commit=commit,
            lock_digest=lock_digest,
        )
    if label is not None and len(values) > 1:
        raise UsageError(
            "label names one machine: push one snapshot with it",
            hint="Without a label each snapshot is recorded under this host's name and its own "
            "label.",
        )
    items = []
    for value in values:
        origin = machine_origin(
            value,
            label=label,
            role=role,
            environ=os.environ,
            cwd=cwd,
            default_env=len(values) == 1,
        )
        found = {"host": host, "git_commit": commit, "lock_digest": lock_digest}
        origin = replace(origin, **{k: v for k, v in found.items() if v is not None})
        items.append((value, origin))
    return push(items, store=store, environ=os.environ, cwd=cwd)


def fleet_status(
    *,
    store: str | None = None,
    roles: Iterable[str] = (),
    against: str | os.PathLike[str] | None = None,
    groups: Iterable[str] = (),
    direct: Iterable[str] = (),
    rules: Sequence[str | os.PathLike[str]] = (),
) -> FleetStatus:
    """The drift matrix of the latest snapshot of every machine (``parity fleet status``).

    Each machine is compared, with ``parity diff``'s comparers and risk
    rules, to ``against`` (a lockfile, read for each machine's Python and
    platform, or a snapshot file; ``groups`` chooses a lockfile's groups),
    else to the fleet's majority.  ``roles`` keeps those roles only;
    ``direct`` names the project's direct requirements (ranked higher);
    ``rules`` are extra risk-rule files.  Raises
    :class:`~parity.errors.UsageError` when the store holds no snapshot.
    """
    from pathlib import Path

    from packaging.utils import canonicalize_name

    from parity.fleet.service import fleet_status as status

    return status(
        store=store,
        environ=os.environ,
        cwd=Path.cwd(),
        roles=_roles(roles),
        against=os.fspath(against) if against is not None else None,
        groups=frozenset(groups),
        direct=frozenset(canonicalize_name(n) for n in direct),
        rule_files=[Path(r) for r in rules],
    )


def fleet_query(
    question: str, *, store: str | None = None, roles: Iterable[str] = ()
) -> QueryResult:
    """Which machines have what ``question`` asks for, and since when (``parity fleet query``).

    ``question`` is a requirement (``numpy<2``, ``torch==2.3.*``), a Python
    (``python<3.10``) or a native library (``native:openblas``; a name no machine
    has as a package but some have as a native library is read as one).  Raises
    :class:`~parity.errors.UsageError` for a question that cannot be read.
    """
    from pathlib import Path

    from parity.fleet.service import fleet_query as query

    return query(question, store=store, environ=os.environ, cwd=Path.cwd(), roles=_roles(roles))


def fleet_history(label: str, *, store: str | None = None, limit: int = 0) -> History:
    """What changed on one machine, newest first (``parity fleet history``).

    ``limit`` keeps the newest environments only (0: all).  Raises
    :class:`~parity.errors.UsageError`, naming close labels, when the store
    has no machine of that label.
    """
    from pathlib import Path

    from parity.fleet.service import fleet_history as history

    return history(label, store=store, environ=os.environ, cwd=Path.cwd(), limit=limit)


def fleet_prune(
    older_than: str,
    *,
    store: str | None = None,
    keep_latest: bool = False,
    dry_run: bool = False,
) -> PruneOutcome:
    """Remove records older than ``older_than`` (``90d``, ``12w``, ``36h``) (``parity fleet prune``).

    ``keep_latest`` keeps each machine's latest record however old;
    ``dry_run`` counts what would go and removes nothing.
    """
    from pathlib import Path

    from parity.fleet.service import fleet_prune as prune

    return prune(
        older_than,
        store=store,
        environ=os.environ,
        cwd=Path.cwd(),
        keep_latest=keep_latest,
        dry_run=dry_run,
    )


# ----------------------------------------------------------------- helpers


def _roles(roles: Iterable[str]) -> frozenset[str]:
    from parity.fleet.origin import check_role

    return frozenset(check_role(r) for r in ([roles] if isinstance(roles, str) else roles))


def _spec(project: Project, *, command: str | None = None) -> ProjectSpec:
    """The ProjectSpec of ``project``; commands without conda support refuse conda projects."""
    from parity.spec.model import ProjectSpec

    spec = project if isinstance(project, ProjectSpec) else load_project(project)
    if command is not None and spec.format == "conda":
        from parity.errors import UsageError

        raise UsageError(
            f"parity {command} does not handle conda projects (environment.yml) yet",
            hint="parity lock, sync and check handle conda projects.",
        )
    return spec


def _with_output(
    spec: ProjectSpec, selected: Sequence[str], output_file: str
) -> tuple[ProjectSpec, str | None]:
    """The spec with the one selected group locked into ``output_file``, and a note."""
    from parity.errors import UsageError

    if len(selected) != 1:
        raise UsageError(
            "-o/--output-file names the lockfile of one group",
            hint="Name one input file or one --group with it, e.g. "
            "`parity lock requirements/dev.in -o requirements/dev.txt`.",
        )
    (group,) = selected
    usual = spec.group(group).output
    if usual == output_file:
        return spec, None
    moved = load_project(spec.root, outputs={group: output_file})
    note = (
        f"group {group!r} was locked into {output_file}; sync and check look for it in "
        f'{usual} unless [tool.parity] outputs says {{ {group} = "{output_file}" }}'
    )
    return moved, note


def _stale_messages(spec: ProjectSpec, group: str) -> list[str]:
    """A sync installs the lock as it is; say so when its inputs moved on."""
    from parity.diagnose.check import freshness_findings
    from parity.errors import LockFileError
    from parity.lock.load import read_group

    try:
        locked = read_group(spec, group, sealed=True)  # as the sync read it
    except LockFileError:
        return []
    return [f"{f.message}; run `parity lock`." for f in freshness_findings(spec, {group: locked})]
