"""``parity lock``: ProjectSpec -> one uv resolution -> one lockfile per group.

The steps are pure except ``resolve`` (uv) and the final atomic write:
choose the target, read the versions to keep (``preferences``), build the uv
request (``request``), turn uv's exports into Pins with pip-tools provenance
(``exported``), report pre-releases (``prereleases``), render, write.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from parity.errors import EngineError, ParityError, ResolutionError, UsageError, WriteError
from parity.lock.outcome import LockOptions, LockOutcome, PinChange
from parity.names import canonical_name
from parity.patterns import lazy_pattern
from parity.projectlock import project_lock
from parity.spec.model import DirectRequirement, ProjectSpec, SourceRef

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from parity.lock.engines.uv import KeptVersion, ResolveRequest, ResolveResult
    from parity.lock.index import IndexArgs
    from parity.lock.model import LockedGroup, Pin
    from parity.lock.outputs import GroupFile
    from parity.lock.target import LockTarget
    from parity.lock.uptodate import CurrentLock, LockfileReads

_PLAIN_LOCK = LockOptions()

# The resolver, the writers and packaging are imported where a lock is really made:
# a lock whose own digests show it is up to date (``uptodate``) needs none of them.


def lock_project(
    spec: ProjectSpec,
    options: LockOptions = _PLAIN_LOCK,
    *,
    environ: Mapping[str, str] | None = None,
) -> LockOutcome:
    """Resolve and write the lock, holding the project lock (one parity at a time).

    A lock whose own digests show it already answers the inputs, the Python
    target and the resolver options, and whose files are intact, is returned
    as it is, without resolving (see ``uptodate``).
    """
    from parity.generation import recover

    env = os.environ if environ is None else environ
    with project_lock(spec.root):
        if not options.dry_run:
            recover(spec.root, _output_dirs(spec))
            from parity.lock.uptodate import LockfileReads, current_lock

            reads = LockfileReads()  # each lockfile read once for both decisions
            _refuse_foreign_outputs(spec, options, reads)
            current = current_lock(spec, options, environ=env, reads=reads)
            if current is not None:
                return _as_it_is(spec, current, prerelease=options.prerelease)
        return _lock_project(spec, options, environ=environ)


def _as_it_is(spec: ProjectSpec, current: CurrentLock, *, prerelease: bool) -> LockOutcome:
    """The outcome of a lock that was already up to date: nothing resolved, nothing written.

    It says what a resolution that changed nothing would say (the groups, the
    pre-releases and the notes), so the two read alike.
    """
    from parity.lock.model import Lock
    from parity.lock.prereleases import prereleases

    notes: list[str] = list(spec.notes)
    if current.target.note:
        notes.append(current.target.note)
    if current.pylock is None:
        notes += _pylock_left(spec)
    notes += _own_name_from_index(spec, current.groups)
    notes += _one_index_packages(spec, current.groups)
    allowed = _prereleases_allowed(spec)
    return LockOutcome(
        lock=Lock(
            groups=current.groups, meta=current.meta, pylock=current.pylock, notes=tuple(notes)
        ),
        written=current.files,
        notes=tuple(notes),
        read=tuple((g.name, g.origin or g.output) for g in spec.groups),
        prereleases=prereleases(spec, current.groups, asked=prerelease, allowed=allowed),
        resolved=False,
    )


def _pylock_left(spec: ProjectSpec) -> list[str]:
    """The note for a lock without pylock.toml beside a pylock.toml of an earlier one."""
    from parity.lock.outputs import PYLOCK_NAME

    if not (spec.root / PYLOCK_NAME).is_file():
        return []
    return [
        f"{PYLOCK_NAME} is left from an earlier lock and no longer matches this one; "
        "remove it, or lock without --no-pylock"
    ]


def _prereleases_allowed(spec: ProjectSpec) -> list[str]:
    """The packages the project lets move to a pre-release (Poetry's ``allow-prereleases``)."""
    return sorted({r.name for g in spec.groups for r in g.requirements if r.allow_prerelease})


def _output_dirs(spec: ProjectSpec) -> list[Path]:
    return [(spec.root / g.output).parent for g in spec.groups]


def _refuse_foreign_outputs(spec: ProjectSpec, options: LockOptions, reads: LockfileReads) -> None:
    """Fail before resolving when a lockfile would overwrite a file a person wrote."""
    from parity.lock.outputs import PYLOCK_NAME

    names: list[tuple[str, str | None]] = [(g.output, g.name) for g in spec.groups]
    names += [(PYLOCK_NAME, None)] if options.pylock else []
    for name, group in names:
        data = reads.raw(str(spec.root / name))
        if data is None:
            continue  # absent, a link (refused by the writer with its own message), unreadable
        # As read_text reads it: undecodable bytes replaced, line ends made "\n".
        text = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
        reason = _unless_replaceable(spec.root)(name, text)
        if reason is not None:
            raise WriteError(
                f"{name} exists and {reason}; parity will not overwrite it",
                path=name,
                hint=_foreign_output_hint(group),
            )


def _foreign_output_hint(group: str | None) -> str:
    """How to lock beside a person's file: move it, or send that very group elsewhere."""
    if group is None:
        return "Move it away, or lock without it (`parity lock --no-pylock`)."
    return (
        "Move it away, or name another output file for group "
        f'{group} ([tool.parity] outputs = {{ {group} = "requirements/{group}.txt" }}).'
    )


def _unless_replaceable(root: Path) -> Callable[[str, str], str | None]:
    """Why an existing output may not become a lock (None: a locker's file, or one carried)."""
    from parity.lock.formats.files import carried_into_input, unless_generated
    from parity.lock.integrity import read_seal

    def reason(name: str, text: str) -> str | None:
        try:
            # Markers taken as written: only a seal that holds makes the file parity's.
            seal = read_seal(name, text, sealed=True)
        except ParityError:
            seal = None  # not even a lockfile: said below
        if seal is not None and seal.sealed and seal.intact:
            return None  # parity's own, as it wrote it (no need to parse a large pylock.toml)
        why = unless_generated(name, text)
        if why is not None and carried_into_input(root, name, text):
            return None  # its text is kept in the .in file that `parity init` wrote
        return why

    return reason


def _lock_project(
    spec: ProjectSpec,
    options: LockOptions,
    *,
    environ: Mapping[str, str] | None,
) -> LockOutcome:
    from parity.generation import write_generation
    from parity.lock.engines.uv import KeptVersion, resolve
    from parity.lock.freshness import lock_meta
    from parity.lock.index import (
        choose_index,
        cli_index,
        lockfile_index_of,
        project_index_strategy,
    )
    from parity.lock.model import Lock
    from parity.lock.outputs import PYLOCK_NAME, group_file, lock_files
    from parity.lock.preferences import existing_preferences
    from parity.lock.request import RequestOptions, build_request
    from parity.lock.target import choose_target
    from parity.spec.select import check_groups

    env = dict(os.environ if environ is None else environ)
    _check_upgrade_names(options)
    selected = check_groups(spec, options.groups)
    target = choose_target(
        spec.python,
        python_version=options.python_version,
        python_platform=options.python_platform,
    )
    meta = lock_meta(spec, target, prerelease=options.prerelease)
    from parity.uvconf import uv_settings_in_effect

    if uv_settings_in_effect(env):
        from parity.frozen import replace as replaced

        # Recorded in the lockfiles, so that a lock without pylock.toml (which records
        # it otherwise) is not answered later as if resolved without them.
        meta = replaced(meta, uv_settings=True)
    # Only versions to keep and what changed are read from the lock being replaced (its
    # markers as written), except for ``lock --group``, whose other groups hold.
    before = previous_groups(spec, markers_as_written=not selected)
    preferences = existing_preferences(spec, before).without(options.upgrade_packages)
    pinned = held_pins(spec, before, selected) if selected else ()
    index = cli_index(spec, options)
    request_options = RequestOptions(
        upgrade=options.upgrade,
        upgrade_packages=options.upgrade_packages,
        offline=options.offline,
        prerelease=options.prerelease,
        pylock=options.pylock,
    )
    chosen_index = choose_index(index, env, root=spec.root, strategy=project_index_strategy(spec))
    request = build_request(
        spec,
        target,
        request_options,
        index=chosen_index,
        preferences=[KeptVersion(p.name, p.version, p.markers) for p in preferences.items],
        preference_forks=preferences.forks,
        preference_python=preferences.python,
        preference_environments=preferences.environments,
        pinned=pinned,
        environ=env,
    )
    notes: list[str] = list(spec.notes)
    if target.note:
        notes.append(target.note)
        notes += _compiled_for_another_python(spec, target)
    allowed = _prereleases_allowed(spec)
    second_pass = bool(allowed) and not request.prerelease
    lockfile_index = lockfile_index_of(index, spec)
    done: dict[str, LockedGroup] = {}
    prepared: list[GroupFile] = []

    def read_export(name: str, export: str) -> LockedGroup:
        from parity.lock.exported import locked_group

        return locked_group(
            spec, name, export, meta, index=lockfile_index, environments=target.environments
        )

    def on_export(name: str, export: str) -> None:
        # Read, and its lockfile made, while uv still writes the other exports (pylock.toml
        # is the slowest): after uv, only pylock.toml and the seal are left to do.
        done[name] = read_export(name, export)
        prepared.append(group_file(done[name]))

    def run(request: ResolveRequest) -> ResolveResult:
        return resolve(
            request,
            on_export=None if second_pass else on_export,
            while_locking=_load_post_processing,
        )

    try:
        try:
            result = run(request)
        except ResolutionError:
            if not request.preferences:
                raise
            # uv can fail while it keeps earlier versions (a preference splits its
            # resolution where no split can be solved) and succeed without them:
            # Unstructured-IO/unstructured with its uv.lock.  Such a failure says nothing
            # about the inputs; resolve them afresh and say that versions may move.
            from parity.frozen import replace

            done.clear()
            prepared.clear()
            request = replace(request, preferences=())
            preferences = replace(preferences, items=(), adopted=False)
            result = run(request)
            notes.append(_preferences_dropped_note(preferences.files))
    except ResolutionError as exc:
        raise _without_root(_explained(exc, spec, target, selected), spec.root) from None
    except EngineError as exc:
        raise _without_root(_located(exc, spec), spec.root) from None
    if second_pass:
        kept = () if options.upgrade else request.preferences
        result = _with_allowed_prereleases(request, result, allowed, kept)
        done.clear()
        prepared.clear()
    groups = tuple(
        done[name] if name in done else read_export(name, result.exports[name])
        for name in spec.group_names
    )
    pylock_text = None
    if options.pylock and result.pylock is not None:
        from parity.lock.formats import pylock

        pylock_text, pylock_note = pylock.write(
            result.pylock,
            groups=groups,
            root=spec.root,
            meta=meta,
            index_digest=_index_digest(chosen_index, spec.root, env),
            forks=result.forks,
        )
        if pylock_note:
            notes.append(pylock_note)
    files = lock_files(Lock(groups=groups, meta=meta, pylock=pylock_text), prepared)
    if pylock_text is None:
        notes += _pylock_left(spec)
    notes += _own_name_from_index(spec, groups)
    notes += _source_trees_beside_hashes(groups)
    notes += _one_index_packages(spec, groups)
    if result.warnings:
        from parity.lock.missing_extras import missing_extra_notes

        notes += missing_extra_notes(spec, result.warnings)
    from parity.lock.prereleases import prereleases

    found_prereleases = prereleases(spec, groups, asked=options.prerelease, allowed=allowed)
    lock = Lock(groups=groups, meta=meta, pylock=files.get(PYLOCK_NAME), notes=tuple(notes))
    changed_files: tuple[str, ...] = ()
    if not options.dry_run:
        changed_files = write_generation(
            spec.root, files, may_replace=_unless_replaceable(spec.root)
        )
    return LockOutcome(
        lock=lock,
        written=tuple(files),
        changes=diff_pins(before, groups),
        notes=tuple(notes),
        read=tuple((g.name, g.origin or g.output) for g in spec.groups),
        prereleases=found_prereleases,
        adopted_from=preferences.files if preferences.adopted else (),
        changed_files=changed_files,
    )


def _index_digest(chosen: IndexArgs, root: Path, environ: Mapping[str, str]) -> str | None:
    """What pylock.toml records of the indexes; nothing when uv's own settings chose them.

    uv's variables and uv.toml can change a resolution in ways parity cannot
    see, so a lock made under them is never taken as current (``uptodate``).
    """
    from parity.lock.index import index_digest
    from parity.uvconf import uv_settings_in_effect

    if uv_settings_in_effect(environ):
        return None
    return index_digest(chosen, root)


def _load_post_processing() -> None:
    """Import what reads uv's output while ``uv lock`` runs (on another core, here).

    Only imports and compiled patterns: nothing here depends on the resolution.
    The TOML parser too (each line parity adds to pylock.toml is proven valid
    TOML): loaded at its first use, it cost 6 ms after uv, when nothing else runs.
    """
    import parity.generation
    import parity.lock.integrity  # noqa: F401
    from parity import toml
    from parity.lock import exported, prereleases  # noqa: F401
    from parity.lock.formats import pylock, requirements_txt  # noqa: F401

    requirements_txt.warm_up()
    toml.load_parser()


_pip_compile_python = lazy_pattern(
    rb"^#.*autogenerated by pip-compile with Python (\d+\.\d+)", re.M
)


def _compiled_for_another_python(spec: ProjectSpec, target: LockTarget) -> list[str]:
    """A note when a project that pins no Python has pip-compile outputs made on another one.

    pip-compile writes the Python it ran on into its header; locked for the
    interpreter parity runs on instead, pins that need the newer Python move
    back (readthedocs.org: compiled with 3.14, sphinx 9.1 became 8.2 on 3.11).
    """
    found: dict[str, list[str]] = {}
    for group in spec.groups:
        try:
            with open(spec.root / group.output, "rb") as handle:
                head = handle.read(1024)
        except OSError:
            continue
        match = _pip_compile_python().search(head)
        if match:
            found.setdefault(match.group(1).decode(), []).append(group.output)
    others = {v: files for v, files in found.items() if v != target.python}
    if not others:
        return []
    # Files made on several Pythons (edx-lint: five on 3.12, pip.txt on 3.11): name the
    # one most of them were made with, newest first on a tie.
    version, files = max(others.items(), key=lambda item: (len(item[1]), _version_key(item[0])))
    named = files[0] if len(files) == 1 else f"{files[0]} and {len(files) - 1} more"
    return [
        f"pip-compile made {named} with Python {version} (their header says so), not "
        f"{target.python}: pins that need Python {version} move back. To lock for it, pin it "
        f"(`echo {version} > .python-version`) and lock again"
    ]


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


def _source_trees_beside_hashes(groups: Sequence[LockedGroup]) -> list[str]:
    """A note when a lockfile installs a directory (``-e .``) beside hashed pins.

    pip turns hash-checking on for the whole file as soon as one line has a hash,
    then refuses the directory (it has no file to hash): the ``pip install -r``
    of a Makefile or CI stops, as it would on pip-compile's file.
    """
    found = [
        g for g in groups if any(p.hashes for p in g.pins) and any(p.is_source_tree for p in g.pins)
    ]
    if not found:
        return []
    g = found[-1]
    files = ", ".join(x.output for x in found)
    # Name the trees as the files write them: ``./libs/x`` is not ``-e .``.
    trees = sorted({_as_requirement(p) for x in found for p in x.pins if p.is_source_tree})
    plural = len(trees) > 1
    return [
        f"{files} install{'s' if len(found) == 1 else ''} "
        f"{'source trees' if plural else 'a source tree'} ({', '.join(trees)}) beside hashed "
        f"pins, which `pip install -r` refuses (pip cannot hash a directory): install with "
        f"`parity sync --group {g.name}` or `uv pip sync {g.output}`, or with pip in two "
        "steps (the other lines with --require-hashes, then "
        f"`pip install --no-deps {' '.join(trees)}`)"
    ]


def _one_index_packages(spec: ProjectSpec, groups: Sequence[LockedGroup]) -> list[str]:
    """A note for each index that only some packages may come from (a Poetry explicit
    source, a uv ``[tool.uv.sources]`` index).

    The requirements lockfiles can only list it as ``--extra-index-url``, which pip
    searches for every package; the hashes are then what stop pip taking another
    package's file from it (pylock.toml and uv keep each package to its index).
    """
    general = {spec.index.index_url, *spec.index.extra_index_urls}
    by_index: dict[str, dict[str, str]] = {}
    for group in spec.groups:
        for req in group.requirements:
            if req.index is not None and req.index not in general:
                by_index.setdefault(req.index, {}).setdefault(req.name, req.source.path)
    if not by_index or not groups:
        return []
    from parity.lock.outputs import PYLOCK_NAME
    from parity.redact import redact_url
    from parity.spec.index_scope import one_index_note

    files = ", ".join(g.output for g in groups)
    hashed = all(p.hashes for g in groups for p in g.pins if not p.is_source_tree)
    guard = (
        "the hashes in the lock are what keep pip from installing another package's file from it"
        if hashed
        else "nothing in them keeps pip from taking another package from it"
    )
    notes = []
    for index, named in by_index.items():
        notes.append(
            one_index_note(
                sorted(named),
                " and ".join(sorted(set(named.values()))),
                f"index {redact_url(index)}",
                f"{files} list{'s' if len(groups) == 1 else ''} it as an --extra-index-url, "
                f"which pip searches for every package: {guard} ({PYLOCK_NAME} and uv keep "
                "it to the packages that name it)",
            )
        )
    return notes


def _as_requirement(pin: Pin) -> str:
    """A source-tree pin as a requirements line names it (``-e .``, ``./libs/x``)."""
    source = pin.source or "."
    return f"-e {source}" if pin.editable else source


def _own_name_from_index(spec: ProjectSpec, groups: Sequence[LockedGroup]) -> list[str]:
    """A note when the lock pins, from the index, the package the source tree is.

    Read as requirements files, the project's pyproject.toml is not a package
    parity installs; a test tool that depends on it (pytest-aiohttp in aiohttp)
    then brings the released version over the checkout, as pip-compile does.
    """
    if spec.installable or not spec.name:
        return []
    own = canonical_name(spec.name)
    where = [
        g.name
        for g in groups
        if any(p.name == own and p.source is None and p.version for p in g.pins)
    ]
    if not where:
        return []
    return [
        f"{own}, the name of this project, is locked from the index in "
        f"{', '.join(where)} (a dependency needs it, and the requirements files do not install "
        "the source tree): install the checkout over it (`-e .` in the .in file), or it is "
        "the released version that runs"
    ]


def held_pins(
    spec: ProjectSpec, before: Mapping[str, LockedGroup], selected: Sequence[str]
) -> tuple[str, ...]:
    """Constraints that hold every group not selected at the versions it has locked."""
    held: list[str] = []
    chosen = set(selected)
    for name in spec.group_names:
        if name in chosen:
            continue
        group = before.get(name)
        if group is None:
            raise UsageError(
                f"group {name!r} has no lockfile yet, so it cannot be held while locking "
                f"{', '.join(selected)}",
                hint="Run `parity lock` once without --group to lock every group.",
            )
        for pin in group.pins:
            if pin.version is None or pin.source is not None:
                continue
            text = f"{pin.name}=={pin.version}"
            held.append(f"{text} ; {pin.marker}" if pin.marker else text)
    return tuple(dict.fromkeys(held))


def _preferences_dropped_note(files: Sequence[str]) -> str:
    """Why the lock may hold other versions than the one it replaces."""
    own = tuple(files) == ("parity lock",)
    where = "the lockfiles it replaces" if own or not files else " and ".join(files)
    return (
        f"uv found no solution while keeping the versions of {where}, and one without "
        "them: versions may have moved more than the inputs asked; review the changes "
        "before committing"
    )


def _with_allowed_prereleases(
    request: ResolveRequest,
    first: ResolveResult,
    allowed: Sequence[str],
    kept: Sequence[KeptVersion],
) -> ResolveResult:
    """Resolve again letting the opted-in packages move to pre-releases.

    uv knows no per-package pre-release switch, so the first resolution (no
    pre-releases) becomes the preference for everything, and only the
    opted-in packages are freed, with pre-releases allowed.  An opted-in
    package the project has locked before (``kept``: its version) is not
    freed: it keeps that version while it fits, as every other package does
    (Poetry's ``allow-prereleases`` lets a package move to a pre-release, it
    does not upgrade it on every lock).
    """
    from parity.frozen import replace
    from parity.lock.engines.uv import KeptVersion, resolve
    from parity.lock.formats.requirements_txt import parse_entries
    from parity.lock.preferences import split_markers

    pins = [
        e.pin
        for text in first.exports.values()
        for e in parse_entries(text)
        if e.pin.version is not None and e.pin.source is None and e.pin.name not in allowed
    ]
    # A package split by markers keeps each version where it was (see split_markers).
    markers = split_markers(pins)
    versions = sorted({(p.name, p.version) for p in pins if p.version is not None})
    held = [KeptVersion(n, v, markers.get((n, v), ())) for n, v in versions]
    held += [k for k in kept if k.name in allowed]
    freed = [name for name in allowed if name not in {k.name for k in kept}]
    second = replace(
        request,
        preferences=tuple(sorted(held, key=lambda k: (k.name, k.version))),
        # The first resolution's versions, whose markers are written for the project's range.
        preference_forks=(),
        preference_python=None,
        preference_environments=None,
        upgrade=False,
        upgrade_packages=tuple(dict.fromkeys([*request.upgrade_packages, *freed])),
        prerelease=True,
    )
    try:
        return resolve(second)
    except ResolutionError:
        return first


_url_package = lazy_pattern(r"^cannot (?:download|fetch) (\S+) from its")


def _located(exc: EngineError, spec: ProjectSpec) -> EngineError:
    """An engine error about one requirement's URL, at the line that asks for it."""
    match = _url_package().match(exc.message)
    if exc.path is not None or match is None:
        return exc
    name = canonical_name(match.group(1).split("[")[0])
    for group in spec.groups:
        for req in group.requirements:
            if canonical_name(req.name) == name:
                return EngineError(
                    exc.message, path=req.source.path, line=req.source.line, hint=exc.hint
                )
    return exc


# Paths every machine has, named in a build's errors (a missing header): kept.
_SYSTEM_PATHS = ("/usr/", "/lib/", "/lib64/", "/bin/", "/sbin/", "/etc/", "/dev/", "/proc/")


def _without_root(exc: ParityError, root: Path) -> ParityError:
    """The error with the project's own location written as ``.``, and any other path
    on this machine (uv's cache, a build's files) as ``~/...`` or ``<local>``."""
    where = str(root)
    message = exc.message.replace(f"file://{where}", ".").replace(where, ".")
    message = hide_machine_paths(message)
    if message == exc.message:
        return exc
    return type(exc)(message, path=exc.path, line=exc.line, hint=exc.hint)


def hide_machine_paths(text: str, *, home: str | None = None) -> str:
    """``text`` with each absolute path under the home folder written ``~/...`` and any
    other ``<local>``, but the system's own (``/usr/include/...``: what a failed build
    lacks); a URL's path is left as it is."""
    import os
    import re

    from parity.redact import hide_path

    home = home if home is not None else os.path.expanduser("~")

    def hide(match: re.Match[str]) -> str:
        path = match.group(0)
        return path if path.startswith(_SYSTEM_PATHS) else hide_path(path, home=home)

    return re.sub(r"(?<![\w.:/~-])/[^\s\"'`,;()]+", hide, text)


def _explained(
    exc: ResolutionError, spec: ProjectSpec, target: LockTarget, selected: Sequence[str]
) -> ResolutionError:
    """A resolution error with what parity knows about its likely cause."""
    from parity.redact import redact_text

    hint = exc.hint
    message = exc.message
    if selected:
        others = [g for g in spec.group_names if g not in selected]
        message += (
            f"\n  (locking only {', '.join(selected)}: the pins of {', '.join(others)} were held "
            "as they are)"
        )
        hint = "Run `parity lock` without --group to let every group move together."
    elif target.note and target.python:
        message += (
            f"\n  (the project pins no Python, so it was locked for Python {target.python}, "
            "the interpreter parity runs on)"
        )
        hint = (
            "Pin the Python the project runs on in a .python-version file (or requires-python), "
            "then run `parity lock` again."
        )
    elif "the requested python version" in exc.message.lower():
        where = spec.python.source or SourceRef(".python-version")
        hint = (
            f"A requirement needs another Python than the lock's ({where}): change the Python "
            "the project targets, or ask for a release of that requirement that supports it."
        )
    path, line = exc.path, exc.line
    declared = _declared(spec, exc.message)
    if declared:
        lines = [
            f"    {redact_text(req.requirement)}  {req.source} (group {group})"
            for req, group in declared
        ]
        if len(lines) > _DECLARED_SHOWN:
            more = len(lines) - _DECLARED_SHOWN
            lines = [*lines[:_DECLARED_SHOWN], f"    ... and {more} more"]
        message += "\n  where the project asks for them:\n" + "\n".join(lines)
    missing = {canonical_name(n) for n in _not_found().findall(exc.message)}
    unknown = [req for req, _ in declared if canonical_name(req.name) in missing]
    if unknown:
        path, line = unknown[0].source.path, unknown[0].source.line
        hint = (
            f"The index has no package named {unknown[0].name!r}: check its spelling at "
            f"{unknown[0].source}, then run `parity lock` again."
        )
    from parity.lock.forbidden import forbidden_file

    forbidden = forbidden_file(spec, exc.message)
    if forbidden is not None:
        # Not a conflict between constraints: a setting rules out the only files there are.
        hint = forbidden.hint
        if forbidden.source is not None:
            path, line = forbidden.source.path, forbidden.source.line
    return ResolutionError(message, path=path, line=line, hint=hint)


_DECLARED_SHOWN = 12


# Package names in uv's explanation: what is required, and what the index lacks.
_depends_on = lazy_pattern(r"depends on ([A-Za-z0-9][A-Za-z0-9._-]*)")


_not_found = lazy_pattern(
    r"Because ([A-Za-z0-9][A-Za-z0-9._-]*) was not found in the package registry"
)


def _declared(spec: ProjectSpec, explanation: str) -> list[tuple[DirectRequirement, str]]:
    """The project's own requirements the explanation names, each with its group."""
    named = {canonical_name(n) for n in _depends_on().findall(explanation)}
    named |= {canonical_name(n) for n in _not_found().findall(explanation)}
    out: list[tuple[DirectRequirement, str]] = []
    seen: set[tuple[str, str]] = set()
    for group in spec.groups:
        for req in group.requirements:
            key = (req.requirement, str(req.source))
            if canonical_name(req.name) in named and key not in seen:
                seen.add(key)
                out.append((req, group.name))
    return out


def _check_upgrade_names(options: LockOptions) -> None:
    if not options.upgrade_packages:
        return
    from packaging.requirements import InvalidRequirement, Requirement

    for name in options.upgrade_packages:
        try:
            Requirement(name)
        except InvalidRequirement:
            raise UsageError(
                f"--upgrade-package takes a package name, not {name!r}",
                hint="Example: --upgrade-package numpy",
            ) from None


def previous_groups(
    spec: ProjectSpec, *, markers_as_written: bool = False
) -> dict[str, LockedGroup]:
    """The groups of the lock being replaced; an unreadable one only loses its preferences.

    ``markers_as_written``: each pin's marker is not parsed (see
    ``requirements_txt.parse``), for a reader of versions only.
    """
    from parity.lock.load import read_groups

    return read_groups(spec, sealed=markers_as_written)[0]


def diff_pins(
    before: Mapping[str, LockedGroup], after: Sequence[LockedGroup]
) -> tuple[PinChange, ...]:
    changes: list[PinChange] = []
    for group in after:
        old = before.get(group.name)
        if old is None:
            continue
        old_versions = {p.name: p.version for p in old.pins}
        new_versions = {p.name: p.version for p in group.pins}
        for name in sorted(set(old_versions) | set(new_versions)):
            a, b = old_versions.get(name), new_versions.get(name)
            if a != b:
                changes.append(PinChange(group.name, name, a, b))
    return tuple(changes)


__all__ = ["LockOptions", "LockOutcome", "lock_project"]
