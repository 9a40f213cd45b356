"""``parity export`` and ``parity init``: load, render (pure), guard, then write or diff."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from parity.errors import LockFileError, ParityError, SpecError, UsageError
from parity.frozen import dataclass, field
from parity.lock.model import Lock, LockedGroup
from parity.spec.model import ProjectSpec
from parity.strategies.apply import Change, plan_changes, unified_diff, write_changes
from parity.strategies.base import DiskWorkspace, Rendered, Request

EXPORT_SCHEMA = "parity/export@1"
# option key -> its flag, for messages and for the regenerate command in headers.
OPTION_FLAGS = {
    "output": "-o",
    "group": "--group",
    "with_groups": "--with",
    "without_hashes": "--without-hashes",
    "source": "--from",
    "engine": "--engine",
    "run_lock": "--lock",
    "with_tools": "--with-tools",
    "parity_action": "--parity-action",
    "snapshot_matrix": "--snapshot-matrix",
}
INIT_SCHEMA = "parity/init@1"


@dataclass(frozen=True)
class Outcome:
    """What init or export did (or, with --dry-run, would do)."""

    schema: str
    name: str
    changes: tuple[Change, ...]
    notes: tuple[str, ...] = ()
    dry_run: bool = False
    diff: str = ""
    steps: tuple[str, ...] = field(default=())

    @property
    def written(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.status != "unchanged")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema": self.schema,
            "name": self.name,
            "dry_run": self.dry_run,
            "files": [c.to_json() for c in self.changes],
            "notes": list(self.notes),
        }
        if self.steps:
            out["steps"] = list(self.steps)
        if self.dry_run:
            out["diff"] = self.diff
        return out


def current_lock(spec: ProjectSpec) -> Lock | None:
    """The project's lock as its lockfiles hold it now (None before the first lock).

    A lockfile that cannot be read is an error: exporting from half a lock
    would write files that disagree with the rest.
    """
    from parity.errors import LockFileMissing
    from parity.lock.load import read_groups

    if spec.format == "conda":
        return _conda_lock(spec)
    locks, errors = read_groups(spec)
    for exc in errors.values():
        if not isinstance(exc, LockFileMissing) and not _hand_written(spec.root, exc.path):
            raise LockFileError(
                exc.message, path=exc.path, line=exc.line, hint="Run `parity lock` to rewrite it."
            )
    groups: list[LockedGroup] = list(locks.values())
    parity_groups = [g for g in groups if g.meta.generator == "parity" and g.meta.digest]
    if not parity_groups:
        return None
    return Lock(groups=tuple(parity_groups), meta=parity_groups[0].meta)


def _hand_written(root: Path, path: str | None) -> bool:
    """A requirements file a person wrote where the lock goes: not locked yet, not broken."""
    from parity.lock.formats.files import unless_generated

    if path is None or not (root / path).is_file():
        return False
    text = (root / path).read_text(encoding="utf-8", errors="replace")
    return unless_generated(path, text) is not None


def _conda_lock(spec: ProjectSpec) -> Lock | None:
    """A conda project's lock: conda.lock's digest, and its pip sections' lockfiles."""
    from parity.lock.formats.conda_lock import CONDA_LOCK, read_conda_lock
    from parity.lock.load import read_group

    if not (spec.root / CONDA_LOCK).is_file():
        return None
    conda = read_conda_lock(spec.root / CONDA_LOCK)
    if conda.meta is None:
        return None
    groups = tuple(
        read_group(spec, g.name)
        for g in spec.groups
        if g.requirements and (spec.root / g.output).is_file()
    )
    return Lock(groups=groups, meta=conda.meta)


def lock_digest(lock: Lock | None) -> str | None:
    return lock.meta.digest if lock is not None else None


def load_spec(root: Path, *, allow_new: bool = False) -> ProjectSpec | None:
    """The project's spec; None for a directory with no inputs yet when ``allow_new``."""
    from parity.spec.load import load_project

    try:
        return load_project(root)
    except SpecError as exc:
        if allow_new and exc.message.startswith("no project inputs found"):
            return None
        raise


def render_export(
    root: Path, name: str, options: Mapping[str, Any], command: str
) -> tuple[Rendered, str | None]:
    """The export module's output and the lock digest its header names."""
    from parity.strategies import artifact_module

    module = artifact_module(name)
    accepted = set(getattr(module, "OPTIONS", ()))
    for key in options:
        if key not in accepted:
            flag = OPTION_FLAGS.get(key, key)
            raise UsageError(
                f"{flag} does not apply to --to {name}",
                hint=f"--to {name} takes: "
                + (", ".join(OPTION_FLAGS.get(k, k) for k in sorted(accepted)) or "no options"),
            )
    spec = load_spec(root)
    lock = current_lock(spec) if spec is not None else None
    needs_lock = getattr(module, "needs_lock", None)
    required = (
        needs_lock(options) if needs_lock is not None else getattr(module, "NEEDS_LOCK", True)
    )
    if required and lock is None:
        raise UsageError(
            f"{name} is written from the lock, and this project has none yet",
            hint="Run `parity lock` first.",
        )
    request = Request(
        spec=spec, lock=lock, workspace=DiskWorkspace(root), options=options, command=command
    )
    rendered: Rendered = module.render(request)
    return rendered, rendered.lock_digest or lock_digest(lock)


def command_line(base: str, options: Mapping[str, Any]) -> str:
    """The command that regenerates an output, with the options that shaped it."""
    parts = [base]
    for key, flag in OPTION_FLAGS.items():
        value = options.get(key)
        if value is None or value is False or value == ():
            continue
        if value is True:
            parts.append(flag)
        elif isinstance(value, (tuple, list)):
            parts += [f"{flag} {v}" for v in value]
        else:
            parts.append(f"{flag} {value}")
    return " ".join(parts)


def export(
    root: Path,
    name: str,
    *,
    options: Mapping[str, Any] | None = None,
    command: str | None = None,
    dry_run: bool = False,
    force: bool = False,
) -> Outcome:
    from parity.strategies import artifact_module

    root = root.resolve()
    command = command or command_line(f"parity export --to {name}", options or {})
    preflight = getattr(artifact_module(name), "preflight", None)
    if preflight is not None:
        preflight(options or {})
    rendered, digest = render_export(root, name, options or {}, command)
    changes = plan_changes(
        rendered, DiskWorkspace(root), lock_digest=digest, command=command, force=force
    )
    steps: tuple[str, ...] = ()
    if not dry_run:
        write_changes(root, changes)
        after = getattr(artifact_module(name), "after_write", None)
        if after is not None:
            steps = tuple(after(root, options or {}))
    return Outcome(
        schema=EXPORT_SCHEMA,
        name=name,
        changes=tuple(changes),
        notes=rendered.notes,
        dry_run=dry_run,
        diff=unified_diff(changes) if dry_run else "",
        steps=steps,
    )


# Where a project states the Pythons it runs on when it pins none (CI jobs, images).
_STATED_PYTHON_SOURCES = (
    "parity.diagnose.consistency.sources.github_actions",
    "parity.diagnose.consistency.sources.gitlab_ci",
    "parity.diagnose.consistency.sources.dockerfile",
    "parity.diagnose.consistency.sources.devcontainer",
    "parity.diagnose.consistency.sources.compose",
    "parity.diagnose.consistency.sources.conda_env",
)


def _default_python(spec: ProjectSpec | None, root: Path) -> str | None:
    """The Python to pin when the project pins none (see :func:`choose_python`)."""
    import sys

    from parity.diagnose.consistency import collect_facts
    from parity.diagnose.consistency.facts import CANDIDATE, PIN, PythonFact

    running = f"{sys.version_info[0]}.{sys.version_info[1]}.{sys.version_info[2]}"
    stated = [
        f.value
        for f in collect_facts(root, _STATED_PYTHON_SOURCES)
        if isinstance(f, PythonFact) and f.kind in (PIN, CANDIDATE)
    ]
    requires = spec.python.requires_python if spec is not None else None
    return choose_python(running, requires, stated)


def choose_python(running: str, requires: str | None, stated: Sequence[str]) -> str | None:
    """The Python minor to pin: the running one when the project's range admits it and
    its CI jobs and images (``stated``) name it or name none; else the newest minor
    they name that the range admits; else the lowest the range admits.

    A project whose CI tests 3.6 to 3.10 (openai/gym) was pinned to the 3.11 parity
    ran on, where its pinned pygame has no wheel to install.
    """
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    from parity.strategies.common import lowest_python

    def minor(version: str) -> tuple[int, int] | None:
        parts = version.split(".")
        if len(parts) < 2 or not (parts[0].isdigit() and parts[1].isdigit()):
            return None
        return int(parts[0]), int(parts[1])

    allowed: SpecifierSet | None = None
    if requires:
        try:
            allowed = SpecifierSet(requires)
        except InvalidSpecifier:
            allowed = None

    def admitted(m: tuple[int, int]) -> bool:
        return allowed is None or any(
            allowed.contains(f"{m[0]}.{m[1]}.{patch}") for patch in (0, 99)
        )

    current = minor(running)
    named = sorted({m for m in map(minor, stated) if m is not None and admitted(m)})
    running_ok = current is not None and (
        allowed is None or allowed.contains(running) or not requires
    )
    if current is not None and running_ok and (not named or current in named):
        return f"{current[0]}.{current[1]}"
    if named:
        return f"{named[-1][0]}.{named[-1][1]}"
    if not requires or allowed is None:
        return f"{current[0]}.{current[1]}" if current is not None else None
    return lowest_python(requires)


def init(
    root: Path,
    strategy: str,
    *,
    options: Mapping[str, Any] | None = None,
    dry_run: bool = False,
    force: bool = False,
    lock: bool = True,
    lock_options: Any = None,
) -> Outcome:
    """Convert the project to ``strategy``, lock it, then write the strategy's exports.

    Inputs are written first; if reading them back or locking fails, every
    file is put back as it was, so a failed init changes nothing.
    """
    from parity.strategies import strategy_module
    from parity.strategies.apply import WouldOverwriteError

    root = root.resolve()
    module = strategy_module(strategy)
    command = f"parity init --strategy {strategy}"
    spec = load_spec(root, allow_new=True) if root.exists() else None
    lock_now = current_lock(spec) if spec is not None else None
    workspace = DiskWorkspace(root)
    request = Request(
        spec=spec,
        lock=lock_now,
        workspace=workspace,
        options={
            "python": _default_python(spec, root),
            "project_name": root.name,
            **(options or {}),
        },
        command=command,
    )
    rendered: Rendered = module.convert(request)
    changes = plan_changes(
        rendered, workspace, lock_digest=lock_digest(lock_now), command=command, force=force
    )
    follow_up: tuple[str, ...] = tuple(getattr(module, "FOLLOW_UP", ()))
    if dry_run:
        planned = []
        if lock:
            planned.append("then: parity lock")
        planned += [f"then: parity export --to {name}" for name in follow_up]
        previewed: list[Change] = []
        preview_notes: list[str] = []
        if lock_now is not None and all(c.status == "unchanged" for c in changes):
            # The inputs stay as they are, so the exports can be shown from today's lock
            # (a strategy whose files are all exports would otherwise show nothing).
            for name in follow_up:
                try:
                    shown = export(root, name, dry_run=True, force=force)
                except (WouldOverwriteError, UsageError) as exc:
                    preview_notes.append(f"{name} would not be written: {exc.message}")
                    continue
                previewed += list(shown.changes)
                preview_notes += list(shown.notes)
        return Outcome(
            schema=INIT_SCHEMA,
            name=strategy,
            changes=tuple(changes) + tuple(previewed),
            notes=tuple(rendered.notes) + tuple(preview_notes),
            dry_run=True,
            diff=unified_diff([*changes, *previewed]),
            steps=tuple(planned),
        )
    write_changes(root, changes)
    steps: list[str] = []
    notes = list(rendered.notes)
    try:
        new_spec = load_spec(root)
        assert new_spec is not None
        if lock:
            from parity.lock.locker import LockOptions, lock_project

            chosen = lock_options or LockOptions()
            if lock_now is not None and not (root / "pylock.toml").exists():
                # The project locks without pylock.toml: keep it that way.
                from parity.frozen import replace

                chosen = replace(chosen, pylock=False)
            outcome = lock_project(new_spec, chosen)
            steps.append("parity lock: wrote " + ", ".join(outcome.written))
            notes += list(outcome.notes)
    except ParityError as exc:
        restore(root, changes)
        exc.hint = _removed_again(exc, changes)
        raise
    exported: list[Change] = []
    # Files parity generated before (CI, exports) now name an older lock: bring them along.
    refreshed = refresh(root)
    exported += [c for c in refreshed.changes if c.status != "unchanged"]
    notes += [n for n in refreshed.notes if n not in notes]
    for name in follow_up:
        try:
            result = export(root, name, dry_run=False, force=False)
        except WouldOverwriteError as exc:
            notes.append(
                f"{exc.path} was not replaced ({exc.message.removeprefix('refusing to overwrite it: it ')}); "
                f"`parity export --to {name} -o <other path>` writes parity's version elsewhere"
            )
            continue
        except UsageError as exc:
            notes.append(f"{name} not written: {exc.message}")
            continue
        exported += result.changes
        # refresh() above may have run this export already: say each note once.
        notes += [n for n in result.notes if n not in notes]
    return Outcome(
        schema=INIT_SCHEMA,
        name=strategy,
        changes=tuple(changes) + tuple(exported),
        notes=tuple(notes),
        steps=tuple(steps),
    )


def _removed_again(exc: ParityError, changes: Sequence[Change]) -> str | None:
    """The error's hint, saying so when the file it names was this init's and is gone again.

    A failed init puts every file back: an error at ``requirements.in:4``
    then names a file the user cannot open, so say where its lines came from.
    """
    created = {c.path: c.after for c in changes if c.status == "create"}
    if exc.path not in created:
        return exc.hint
    first = created[exc.path].split("\n", 1)[0]
    origin = (
        first.split("carried from ", 1)[1].split(" by ", 1)[0] if "carried from " in first else None
    )
    told = (
        f"{exc.path} was written by this init from {origin} and removed again with every "
        f"other change: fix it in {origin}, then run init again."
        if origin
        else f"{exc.path} was written by this init and removed again with every other change."
    )
    return f"{exc.hint} {told}" if exc.hint else told


def restore(root: Path, changes: tuple[Change, ...] | list[Change]) -> None:
    """Put every file back as it was before ``changes`` were written."""
    from parity.fsutil import atomic_write_many

    back = {
        root / c.path: c.before for c in changes if c.status == "update" and c.before is not None
    }
    if back:
        atomic_write_many(back)
    for change in changes:
        if change.status == "create":
            (root / change.path).unlink(missing_ok=True)


# -- regenerating what parity generated ----------------------------------------------------

_BOOLEAN_FLAGS = {
    "--without-hashes": "without_hashes",
    "--lock": "run_lock",
    "--with-tools": "with_tools",
}


# The strategies whose `parity init` writes a file that `parity export --to <artifact>` writes too.
_INIT_EXPORTS = {"conda": "conda"}


def parse_command(command: str) -> tuple[str, dict[str, Any]] | None:
    """``parity export --to X [options]`` (as a header records it) -> (X, options).

    ``parity init --strategy conda`` reads as the export it wrote (environment.yml).
    """
    import shlex

    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if words[:2] == ["parity", "init"] and len(words) == 4 and words[2] in ("--strategy", "-s"):
        # A file `parity init` wrote as an export of its own (conda's environment.yml).
        artifact = _INIT_EXPORTS.get(words[3])
        return (artifact, {}) if artifact else None
    if words[:2] != ["parity", "export"]:
        return None
    flags = {flag: key for key, flag in OPTION_FLAGS.items()}
    name: str | None = None
    options: dict[str, Any] = {}
    rest = words[2:]
    while rest:
        word = rest.pop(0)
        if word == "--to" and rest:
            name = rest.pop(0)
        elif word in _BOOLEAN_FLAGS:
            options[_BOOLEAN_FLAGS[word]] = True
        elif word in flags and rest:
            key = flags[word]
            value = rest.pop(0)
            if key == "with_groups":
                options[key] = (*options.get(key, ()), value)
            else:
                options[key] = value
        else:
            return None
    return (name, options) if name else None


def refresh(root: Path, *, dry_run: bool = False, skip: tuple[str, ...] = ()) -> Outcome:
    """Run again every export whose generated file is untouched: after a new lock, one step.

    A generated file changed by hand is left alone (and named in a note).
    """
    from parity.diagnose.consistency.generated import generated_facts_files

    root = root.resolve()
    changes: list[Change] = []
    notes: list[str] = []
    seen: set[tuple[str, str]] = set()
    diffs: list[str] = []
    for item in generated_facts_files(root):
        command = item.header.command
        if item.path in skip or command is None or (command, item.header.artifact) in seen:
            continue
        seen.add((command, item.header.artifact))
        if not item.unchanged:
            notes.append(f"{item.path} was changed by hand: not regenerated (`{command}` --force)")
            continue
        parsed = parse_command(command)
        if parsed is None:
            notes.append(f"{item.path}: cannot read the command in its header: {command}")
            continue
        name, options = parsed
        result = export(root, name, options=options, command=command, dry_run=dry_run)
        changes += result.changes
        notes += [n for n in result.notes if n not in notes]
        diffs.append(result.diff)
    return Outcome(
        schema=EXPORT_SCHEMA,
        name="refresh",
        changes=tuple(changes),
        notes=tuple(notes),
        dry_run=dry_run,
        diff="".join(diffs),
    )
