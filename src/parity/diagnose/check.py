"""``parity check``: is the lock fresh, and does the environment match it?

Read-only, no resolution, no network.  Freshness compares the digests of the
current inputs with those stored in the lock.  The environment comparison
trusts the sync stamp when it matches (one small file read and one stat) and
otherwise compares every installed distribution with the lock.
"""

from __future__ import annotations

from parity.diagnose.findings import Finding
from parity.diagnose.input_changes import InputChanges, describe_changes
from parity.frozen import dataclass, field

# Imported where they are used: ``check --lock-only`` (every CI job's first step) reads the
# lockfiles and compares digests, and needs neither the environment readers nor packaging's
# markers; a full check needs the environment's files, never sync's machinery nor uv.
# tests/cli/test_import_guard.py holds the line.
TYPE_CHECKING = False  # not typing's: these paths must stay cheap
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path

    from parity.env.installed import InstalledDist, VenvInfo
    from parity.env.stamp import SyncStamp
    from parity.lock.model import LockedGroup, Pin
    from parity.spec.model import ProjectSpec

    # The environment and its sync stamp, read once for choosing the group and comparing.
    EnvironmentReader = Callable[[], tuple[VenvInfo | None, SyncStamp | None]]

CHECK_SCHEMA = "parity/check@1"


@dataclass(frozen=True)
class CheckReport:
    group: str
    venv: str
    findings: tuple[Finding, ...]
    lock_fresh: bool
    env_method: str  # "stamp", "full", "deep" or "none"
    checked: tuple[str, ...] = field(default=())
    # The extras the environment was compared with on top of the group (sync --extra).
    extras: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        # Every finding fails the gate but ``info`` ones (context, no problem).
        return all(f.severity == "info" for f in self.findings)

    def to_json(self) -> dict[str, object]:
        return {
            "schema": CHECK_SCHEMA,
            "ok": self.ok,
            "group": self.group,
            "extras": list(self.extras),
            "environment": self.venv,
            "lock_fresh": self.lock_fresh,
            "environment_method": self.env_method,
            "checked": list(self.checked),
            "findings": [f.to_json() for f in self.findings],
        }


def _not_a_lock(root: Path, output: str) -> str | None:
    """Why the file where a lock goes is a person's file (None: a broken lock, or absent)."""
    from parity.lock.formats.files import unless_generated

    try:
        text = (root / output).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return unless_generated(output, text)


def check_project(
    spec: ProjectSpec,
    *,
    group: str | None = None,
    venv: str = ".venv",
    check_env: bool = True,
    deep: bool = False,
) -> CheckReport:
    from parity.diagnose.consistency import consistency_findings
    from parity.env.matching import resolve_group
    from parity.errors import LockFileMissing
    from parity.lock.load import read_groups

    name = resolve_group(spec, group)
    findings: list[Finding] = []
    checked = ["lock"]
    pick_closest = group is None
    # A lockfile whose seal holds is read with its markers as parity wrote them (packaging
    # accepted each when it was written); one whose seal fails is read in full, and
    # integrity_findings reports it.
    locks, errors = read_groups(spec, sealed=True)
    for group_name, exc in errors.items():
        output = spec.group(group_name).output
        foreign = None if isinstance(exc, LockFileMissing) else _not_a_lock(spec.root, output)
        findings.append(
            Finding(
                code="lock-missing" if isinstance(exc, LockFileMissing) else "lock-unreadable",
                severity="high",
                subject=output,
                message=f"{output} {foreign}: it is not this project's lock"
                if foreign
                else f"{output}: {exc.message}",
                fix="Move it away, or name another output file ([tool.parity] outputs), "
                "then run `parity lock`."
                if foreign
                else "Run `parity lock`.",
            )
        )
    findings += integrity_findings(spec, locks)
    findings += freshness_findings(spec, locks)
    lock_fresh = not findings
    checked.append("consistency")
    requirements = [r for g in spec.groups for r in g.requirements]
    findings += consistency_findings(spec.root, [g.output for g in spec.groups], requirements)
    env_method = "none"
    read = _reader(spec.root / venv)
    extras: tuple[str, ...] = ()
    if check_env and pick_closest:
        name, extras = closest_selection(spec, locks, venv, read=read) or (name, ())
    if check_env and name in locks:
        checked.append("environment")
        env_findings, env_method = environment_findings(
            spec,
            name,
            locks[name],
            venv,
            deep=deep,
            read=read,
            extras=[locks[e] for e in extras],
        )
        findings += env_findings
    return CheckReport(
        group=name,
        venv=venv,
        extras=extras,
        findings=tuple(findings),
        lock_fresh=lock_fresh,
        env_method=env_method,
        checked=tuple(checked),
    )


def integrity_findings(spec: ProjectSpec, locks: Mapping[str, LockedGroup]) -> list[Finding]:
    """Lockfiles edited by hand, unsealed, from two runs, or half-written (a journal left)."""
    from parity.errors import LockFileError
    from parity.generation import interrupted
    from parity.lock.integrity import Seal, read_seal, seal_problems
    from parity.lock.outputs import PYLOCK_NAME

    fix = "Review the change (git diff), then run `parity lock` to regenerate the lock."
    findings: list[Finding] = []
    if interrupted(spec.root):
        findings.append(
            Finding(
                code="lock-interrupted",
                severity="high",
                subject="lock",
                message="writing the lockfiles was interrupted; some may be from the previous lock",
                fix="Run `parity lock` (or `parity sync`) to finish the write.",
            )
        )
    seals: dict[str, Seal] = {}
    candidates = [locked.output for locked in locks.values() if locked.meta.generator == "parity"]
    if (spec.root / PYLOCK_NAME).is_file():
        candidates.append(PYLOCK_NAME)
    for output in candidates:
        try:
            text = (spec.root / output).read_text(encoding="utf-8")
            found = read_seal(output, text, sealed=True)
            if not (found.sealed and found.intact):
                found = read_seal(output, text)  # read in full: a line no reader takes raises
        except (OSError, ValueError, LockFileError):
            continue  # unreadable files are reported by the readers
        if output == PYLOCK_NAME and not found.sealed and 'created-by = "parity"' not in text:
            continue  # another tool's pylock.toml is not part of parity's lock
        seals[output] = found
    for problem in seal_problems(seals):
        findings.append(
            Finding(
                code=problem.code,
                severity="critical" if problem.code == "lock-edited" else "high",
                subject=problem.path,
                message=problem.message,
                fix=fix,
            )
        )
    return findings


def _older_lock(output: str, why: str, data: dict[str, object]) -> Finding:
    """A lock current with its inputs that an older parity wrote without something it needs."""
    return Finding(
        code="lock-stale",
        severity="high",
        subject=output,
        message=f"{output} is stale: {why}",
        fix="Run `parity lock` and commit the result.",
        data=data,
    )


def _foreign_fix(spec: ProjectSpec, output: str) -> str:
    """What to do with a lockfile parity did not write: `parity lock` replaces only a locker's."""
    if _not_a_lock(spec.root, output) is None:
        return "Run `parity lock` to regenerate it with freshness digests."
    return (
        f"{output} was written by hand and `parity lock` will not replace it: move it away, "
        "or name another output file ([tool.parity] outputs), then run `parity lock`."
    )


def freshness_findings(spec: ProjectSpec, locks: Mapping[str, LockedGroup]) -> list[Finding]:
    """One finding per lockfile whose inputs changed, naming the inputs."""
    from parity.lock.freshness import freshness

    findings: list[Finding] = []
    for name, locked in locks.items():
        if locked.meta.generator != "parity":
            findings.append(
                Finding(
                    code="lock-foreign",
                    severity="high",
                    subject=locked.output,
                    message=f"{locked.output} was not written by `parity lock`, so its freshness is unknown"
                    + (
                        " (it was exported from another lock)"
                        if locked.meta.generator == "parity export"
                        else ""
                    ),
                    fix=_foreign_fix(spec, locked.output),
                )
            )
            continue
        state = freshness(spec, locked.meta)
        if state.changed:
            findings.append(
                stale_finding(
                    locked.output,
                    name,
                    describe_changes(
                        state.changed,
                        locked.meta,
                        state.current_meta,
                        direct_changes(spec, locked),
                    ),
                    state.changed,
                )
            )
            continue
        unhashed = _unhashed_archives(locked)
        if unhashed:
            findings.append(
                _older_lock(
                    locked.output,
                    f"it pins {', '.join(unhashed)} to an archive without its hash (an older "
                    "parity did not write it), so the archive's content is not locked and "
                    "`pip install -r` refuses the file",
                    {"group": name, "changed_inputs": [], "unhashed_archives": unhashed},
                )
            )
            continue
        rehashed = _rehashed_archives(locked, spec.root)
        if rehashed:
            findings.append(
                Finding(
                    code="lock-stale",
                    severity="high",
                    subject=locked.output,
                    message=f"{locked.output} is stale: the archive of {', '.join(rehashed)} "
                    "changed since the lock (rebuilt in place?), so its file no longer has the "
                    "locked hash and `parity sync` stops on a hash mismatch",
                    fix="Run `parity lock` (it hashes the archive again) and commit the result.",
                    data={"group": name, "changed_inputs": [], "rehashed_archives": rehashed},
                )
            )
            continue
        missing = _missing_options(spec, locked)
        if missing:
            findings.append(
                _older_lock(
                    locked.output,
                    f"it lacks {', '.join(missing)}, which the project asks for (an older "
                    "parity did not write [tool.uv] no-binary / no-build into the lockfiles), "
                    "so `parity sync` refuses it",
                    {"group": name, "changed_inputs": [], "missing_options": missing},
                )
            )
    return findings


def _unhashed_archives(locked: LockedGroup) -> list[str]:
    from parity.lock.formats.requirements_txt import unhashed_archives

    return list(unhashed_archives(locked))


def _rehashed_archives(locked: LockedGroup, root: Path) -> list[str]:
    from parity.lock.local_archives import rehashed_archives

    return list(rehashed_archives(locked, root))


def _missing_options(spec: ProjectSpec, locked: LockedGroup) -> list[str]:
    """The --no-binary / --only-binary lines the project asks for and the lockfile lacks."""
    from parity.lock.binary import lock_format_control, missing_options

    expected = lock_format_control(spec.format_control, spec.resolver_settings)
    if expected.is_default:
        return []
    return list(missing_options(expected, locked.format_control))


def direct_changes(spec: ProjectSpec, locked: LockedGroup) -> dict[str, str]:
    """Per input file, the direct requirements added or removed since the lock.

    The lock's ``# via -r <file>`` annotations say which names each file had.
    """
    locked_names: dict[str, set[str]] = {}
    for pin in locked.pins:
        for source in pin.declared_in:
            locked_names.setdefault(source, set()).add(pin.name)
    current_names: dict[str, set[str]] = {}
    if spec.has_group(locked.name):
        for req in spec.requirements_of(locked.name):
            current_names.setdefault(req.source.path, set()).add(req.name)
    notes: dict[str, str] = {}
    for source in set(locked_names) | set(current_names):
        added = sorted(current_names.get(source, set()) - locked_names.get(source, set()))
        removed = sorted(locked_names.get(source, set()) - current_names.get(source, set()))
        words = [f"+{n}" for n in added] + [f"-{n}" for n in removed]
        if words:
            notes[source] = " ".join(words)
    return notes


def stale_finding(
    output: str, group: str, changes: InputChanges, changed: Sequence[str]
) -> Finding:
    """``lock-stale`` for one lockfile: the inputs that changed and, where known, which parts."""
    data: dict[str, object] = {"group": group, "changed_inputs": list(changed)}
    if changes.parts:
        data["changed_parts"] = changes.parts
    return Finding(
        code="lock-stale",
        severity="high",
        subject=output,
        message=f"{output} is stale: {changes.message}",
        fix="Run `parity lock` and commit the result.",
        data=data,
    )


def _reader(path: Path) -> EnvironmentReader:
    """Reads the venv at ``path`` and its stamp on the first call; later calls answer the same."""
    found: list[tuple[VenvInfo | None, SyncStamp | None]] = []

    def read() -> tuple[VenvInfo | None, SyncStamp | None]:
        if not found:
            from parity.env.installed import read_venv
            from parity.env.stamp import read_stamp

            venv = read_venv(path)
            found.append((venv, None if venv is None else read_stamp(path)))
        return found[0]

    return read


def stamped_selection(
    spec: ProjectSpec, locks: Mapping[str, LockedGroup], stamp: SyncStamp
) -> tuple[str, tuple[str, ...]] | None:
    """The group and extras a stamp says sync installed, when the lock still holds them all.

    A stamp names them as ``stamped_group`` wrote them (``dev+gpu``); a name that
    does not read back to exactly the stamp's is no answer.
    """
    from parity.env.stamp import NO_PROJECT, stamped_group

    base = stamp.group.removesuffix(NO_PROJECT)
    group, *extras = base.split("+")
    if group not in locks:
        return None
    for extra in extras:
        if extra not in locks or not spec.has_group(extra) or not spec.group(extra).extra:
            return None
    if stamped_group(group, extras, project=stamp.project) != stamp.group:
        return None
    return group, tuple(extras)


def closest_selection(
    spec: ProjectSpec,
    locks: Mapping[str, LockedGroup],
    venv_name: str,
    *,
    read: EnvironmentReader | None = None,
) -> tuple[str, tuple[str, ...]] | None:
    """The group and extras an environment was synced to (its stamp), else the group it
    matches best, with no extras.

    Used when no --group is given: a developer's .venv usually holds dev, a
    production image prod, and check should compare each with its own lock,
    and one synced with --extra with that lock and the extra's together.
    """
    from parity.env.installed import installed_distributions

    venv, stamp = (read or _reader(spec.root / venv_name))()
    if venv is None:
        return None
    if stamp is not None:
        selection = stamped_selection(spec, locks, stamp)
        if selection is not None:
            return selection
    installed = installed_distributions(venv.site_packages)
    ignore = _ignored(spec)
    best: tuple[int, int, str] | None = None
    for order, (group_name, locked) in enumerate(locks.items()):
        expected = expected_pins(locked.pins, venv.python_version, venv.implementation)
        drift = compare_with_lock(
            expected,
            installed,
            ignore=ignore,
            venv_name=venv_name,
            group=group_name,
            project=project_name(spec),
        )
        candidate = (len(drift), order, group_name)
        if best is None or candidate < best:
            best = candidate
    return (best[2], ()) if best else None


def sync_command(group: str, extras: Sequence[str] = ()) -> str:
    """The sync that puts the environment back as it was meant to be."""
    return " ".join(["parity sync --group", group, *(f"--extra {e}" for e in extras)])


def environment_findings(
    spec: ProjectSpec,
    group: str,
    locked: LockedGroup,
    venv_name: str,
    *,
    deep: bool = False,
    read: EnvironmentReader | None = None,
    extras: Sequence[LockedGroup] = (),
) -> tuple[list[Finding], str]:
    """Findings for the environment against the group's lock, plus ``extras``' locks
    (what ``sync --extra`` installed), without the project when sync left it out."""
    from parity.env.derived import derived_digest, derived_lock
    from parity.env.installed import installed_distributions
    from parity.env.matching import lockfile_digest, python_satisfies
    from parity.env.stamp import SYNCED, SYNCING, stamp_matches, stamped_group

    venv_path = spec.root / venv_name
    venv, stamp = (read or _reader(venv_path))()
    sync = sync_command(group, [e.name for e in extras])
    if venv is None:
        return [
            Finding(
                code="env-missing",
                severity="high",
                subject=venv_name,
                message=f"no environment at {venv_name}",
                fix=f"Run `{sync}`.",
            )
        ], "none"
    findings: list[Finding] = []
    if not python_satisfies(venv.python_version, locked):
        wanted = locked.meta.python or locked.meta.requires_python
        findings.append(
            Finding(
                code="python-mismatch",
                severity="critical",
                subject="python",
                message=f"{venv_name} runs Python {venv.python_version}, the lock wants {wanted}",
                fix=f"Run `{sync}` to rebuild it on Python {wanted}.",
                data={"installed": venv.python_version, "wanted": wanted},
            )
        )
    fix = f"Run `{sync}`."
    # Synced with --no-install-project, the project is left out on purpose, and its
    # own `-e .` line with it, as sync leaves them out.
    left_out = stamp is not None and not stamp.project
    # What sync installed when it was not the group's lock as it is; the stamp holds its digest.
    derived = derived_lock(locked, extras, not left_out)
    if (
        not deep
        and not findings
        and stamp_matches(
            stamp,
            lock_digest=lockfile_digest(spec.root / locked.output)
            if derived is None
            else derived_digest(derived),
            group=stamped_group(group, [e.name for e in extras], project=not left_out)
            if derived is not None
            else group,
            python=venv.python_version,
            venv=venv_path,
        )
    ):
        return findings, "stamp"
    # The stamp does not answer: the environment's files do (read, never run).
    from parity.env.health import damaged_distributions, interpreter_problem

    if stamp is not None and stamp.state == SYNCING:
        findings.append(
            Finding(
                code="env-sync-incomplete",
                severity="high",
                subject=venv_name,
                message=f"the last sync into {venv_name} did not finish, so it may hold anything",
                fix=fix,
            )
        )
    broken = interpreter_problem(venv.interpreter, f"{venv_name}/bin/python")
    if broken is not None:
        findings.append(
            Finding(
                code="env-broken",
                severity="critical",
                subject=venv_name,
                message=f"{venv_name} cannot run: {broken}",
                fix=fix,
            )
        )
    for damage in damaged_distributions(venv.site_packages, deep=deep):
        findings.append(
            Finding(
                code="package-broken",
                severity="high",
                subject=damage.name,
                message=f"{damage.name} {damage.version} in {venv_name} is damaged: "
                f"{damage.detail}",
                fix=f"Run `{sync} --reinstall`." if damage.problem == "modified-files" else fix,
                data={"problem": damage.problem, "files": list(damage.files[:20])},
            )
        )
    installed = installed_distributions(venv.site_packages)
    ignore = _ignored(spec)
    expected = expected_pins((derived or locked).pins, venv.python_version, venv.implementation)
    project = project_name(spec)
    drift = compare_with_lock(
        expected,
        installed,
        ignore=ignore,
        venv_name=venv_name,
        group=group,
        project=project,
        project_expected=spec.installable and not left_out,
        extras=[e.name for e in extras],
    )
    own = {project} if project else set()
    empty = empty_environment(
        drift, expected, installed, ignore | own, venv_name=venv_name, fix=fix
    )
    if empty is not None:
        return [*findings, empty], "full"
    findings += rank_by_risk(drift, expected, installed, venv.python_version)
    if stamp is not None and stamp.state == SYNCED:
        findings += unverified_findings(expected, installed, stamp.verified, venv_name, fix)
    return findings, "deep" if deep else "full"


def _ignored(spec: ProjectSpec) -> set[str]:
    """Installed but never in a lock: installers' own tools."""
    from parity.env.seed import SEED_PACKAGES

    return set(SEED_PACKAGES)


def project_name(spec: ProjectSpec) -> str | None:
    """The project's own distribution name: no lock pins it, sync installs it editable."""
    from parity.names import canonical_name

    return canonical_name(spec.name) if spec.name else None


_MISSING_CODES = frozenset({"package-missing", "project-missing"})


def empty_environment(
    drift: Sequence[Finding],
    expected: Sequence[Pin],
    installed: Mapping[str, InstalledDist],
    ignore: set[str],
    *,
    venv_name: str,
    fix: str,
) -> Finding | None:
    """One finding for an environment that holds none of the lock, not one per package."""
    own = [name for name in installed if name not in ignore]
    if own or len(drift) < 2 or any(f.code not in _MISSING_CODES for f in drift):
        return None
    return Finding(
        code="env-empty",
        severity="critical",
        subject=venv_name,
        message=f"{venv_name} holds none of the {len(expected)} locked packages "
        "(nothing is installed yet)",
        fix=fix,
        data={"missing": [f.subject for f in drift]},
    )


def unverified_findings(
    expected: Sequence[Pin],
    installed: Mapping[str, InstalledDist],
    verified: Mapping[str, str],
    venv_name: str,
    fix: str,
) -> list[Finding]:
    """Packages at the locked version whose files were verified against other hashes.

    A hash changed in the lock (by hand, or by a relock after the index
    replaced a file) leaves the version alone; only a sync checks the files.
    """
    from parity.env.stamp import hashes_digest

    out: list[Finding] = []
    for pin in expected:
        have = installed.get(pin.name)
        if have is None or pin.version is None or have.version != pin.version:
            continue
        recorded = verified.get(pin.name)
        if recorded is not None and recorded != hashes_digest(pin.hashes):
            out.append(
                Finding(
                    code="package-unverified",
                    severity="critical",
                    subject=pin.name,
                    message=f"{pin.name} {pin.version} in {venv_name} was verified against "
                    "other hashes than the lock lists",
                    fix=fix,
                )
            )
    return out


_DRIFT_CODES = frozenset({"package-missing", "package-extra", "package-version"})


def rank_by_risk(
    findings: Sequence[Finding],
    expected: Sequence[Pin],
    installed: Mapping[str, InstalledDist],
    python_version: str,
) -> list[Finding]:
    """Score drift with the diff engine's rules; most dangerous first.

    The lock is the reference side and the environment the other, exactly as
    ``parity diff <lockfile> --env .venv`` would compare them.
    """
    if not findings:
        return []
    from parity.diagnose.diff import compare_snapshots
    from parity.diagnose.risk import default_rules
    from parity.env.snapshot_model import Distribution, PythonInfo, Snapshot
    from parity.frozen import replace

    python = PythonInfo(implementation="CPython", version=python_version)
    lock_side = Snapshot(
        label="lock",
        kind="lock",
        python=python,
        platform=None,
        distributions=tuple(
            Distribution(name=p.name, version=p.version, requested=p.is_direct) for p in expected
        ),
    )
    env_side = Snapshot(
        label="environment",
        kind="venv",
        python=python,
        platform=None,
        distributions=tuple(
            Distribution(name=d.name, version=d.version) for d in installed.values()
        ),
    )
    risks = {d.subject: d for d in compare_snapshots(lock_side, env_side)}
    scored: list[tuple[int, Finding]] = []
    for finding in findings:
        if finding.code not in _DRIFT_CODES:
            # Not a package against its pin: its own severity stands, and ranks it.
            scored.append((default_rules().rule_score(finding.severity), finding))
            continue
        risk = risks.get(finding.subject or "")
        if risk is None:
            scored.append((0, finding))
            continue
        data = {**finding.data, "risk": risk.severity, "score": risk.score, "reason": risk.message}
        scored.append((risk.score, replace(finding, severity=risk.severity, data=data)))
    scored.sort(key=lambda item: -item[0])
    return [f for _, f in scored]


def expected_pins(pins: Sequence[Pin], python_version: str, implementation: str) -> list[Pin]:
    """The pins whose markers hold for this environment (this machine, that Python)."""
    if not any(pin.marker for pin in pins):
        return list(pins)  # a lock without markers: every pin holds, packaging not needed
    from packaging.markers import InvalidMarker, Marker, default_environment

    env: dict[str, str] = {k: str(v) for k, v in default_environment().items()}
    parts = python_version.split(".")
    env["python_full_version"] = python_version
    env["python_version"] = ".".join(parts[:2])
    env["implementation_version"] = python_version
    env["platform_python_implementation"] = implementation
    env["implementation_name"] = implementation.lower()
    out = []
    for pin in pins:
        if pin.marker:
            try:
                if not Marker(pin.marker).evaluate(env):
                    continue
            except InvalidMarker:
                pass
        out.append(pin)
    return out


def compare_with_lock(
    expected: Sequence[Pin],
    installed: Mapping[str, InstalledDist],
    *,
    ignore: set[str],
    venv_name: str,
    group: str,
    project: str | None = None,
    project_expected: bool = False,
    extras: Sequence[str] = (),
) -> list[Finding]:
    """Missing, extra and wrong-version distributions, most actionable first.

    ``project`` is the project's own distribution: installed editable it is
    the source tree itself and not compared; installed any other way (from an
    index, a wheel, a copy of the tree) the code that runs is not this
    checkout, which is reported.  ``project_expected``: sync installs it (a
    package, not left out with --no-install-project), so its absence is
    reported too, as is that of a ``-e .`` the lock holds.  ``extras``: the
    environment was synced with them too, so the fix names them.
    """
    findings: list[Finding] = []
    sync = sync_command(group, extras)
    fix = f"Run `{sync}`."
    wanted = {p.name: p for p in expected}
    for name, pin in sorted(wanted.items()):
        have = installed.get(name)
        if have is None and pin.is_project:
            findings.append(_project_missing(name, venv_name, sync))
        elif have is None:
            findings.append(
                Finding(
                    code="package-missing",
                    severity="medium",
                    subject=name,
                    message=f"{name} {pin.version or ''} is locked but not installed in {venv_name}".replace(
                        "  ", " "
                    ),
                    fix=fix,
                    data={"locked": pin.version},
                )
            )
        elif pin.editable and not have.editable:
            # No version to compare (a source tree is locked without one): how it is
            # installed is what says whether this checkout's code is the one that runs.
            findings.append(_not_editable(have, venv_name, fix, project=name == project))
        elif pin.version is not None and not _same_version(have.version, pin.version):
            findings.append(
                Finding(
                    code="package-version",
                    severity="medium",
                    subject=name,
                    message=f"{name} is {have.version} in {venv_name}, the lock pins {pin.version}",
                    fix=fix,
                    data={"installed": have.version, "locked": pin.version},
                )
            )
    if project_expected and project and project not in installed and project not in wanted:
        findings.append(_project_missing(project, venv_name, sync))
    for name, have in sorted(installed.items()):
        if name == project and name not in wanted:
            if not have.editable:
                findings.append(_not_editable(have, venv_name, fix, project=True))
            continue
        if name not in wanted and name not in ignore:
            findings.append(
                Finding(
                    code="package-extra",
                    severity="medium",
                    subject=name,
                    message=f"{name} {have.version} is installed in {venv_name} but not in the lock",
                    fix=fix,
                    data={"installed": have.version},
                )
            )
    return findings


def _project_missing(name: str, venv_name: str, sync: str) -> Finding:
    return Finding(
        code="project-missing",
        severity="high",
        subject=name,
        message=f"the project itself ({name}) is not installed in {venv_name}: "
        "`parity sync` installs it editable from this checkout, so its code cannot be imported",
        fix=f"Run `{sync}` (or `{sync} --no-install-project` to leave it out on purpose).",
    )


def _not_editable(have: InstalledDist, venv_name: str, fix: str, *, project: bool) -> Finding:
    what = (
        f"the project itself ({have.name} {have.version})"
        if project
        else (f"{have.name} {have.version}, locked editable from the source tree,")
    )
    return Finding(
        code="project-not-editable" if project else "package-not-editable",
        severity="high",
        subject=have.name,
        message=f"{what} is installed in {venv_name} from an index or an archive, not "
        "editable from its source tree: the code that runs is not this checkout",
        fix=fix,
        data={"installed": have.version},
    )


def _same_version(a: str, b: str) -> bool:
    if a == b:
        return True  # equal as text, equal as versions: nearly every pin, without packaging
    from packaging.version import InvalidVersion, Version

    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b
