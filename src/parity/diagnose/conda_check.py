"""``parity check`` for a conda project: conda.lock fresh, the prefix equal to it.

Read-only and offline, and py-rattler is not needed: the lock is YAML read by
parity, the prefix is its ``conda-meta`` records and site-packages.  The pip
section's lock is checked for freshness against the conda packages it was
locked with, and the packages pip installed against it.
"""

from __future__ import annotations

from parity.conda.platform import this_platform
from parity.diagnose.check import CheckReport, freshness_findings, stale_finding
from parity.diagnose.consistency import consistency_findings
from parity.diagnose.findings import Finding
from parity.diagnose.input_changes import describe_changes
from parity.env.conda_prefix import CondaPrefix, pip_distributions, read_prefix
from parity.env.conda_sync import (
    DEFAULT_PREFIX,
    CondaGroupLock,
    read_group_locks,
)
from parity.env.matching import resolve_group
from parity.env.seed import SEED_PACKAGES
from parity.env.stamp import read_stamp, stamp_matches
from parity.errors import LockFileError, ParityError
from parity.lock.conda_locker import (
    CondaLockOutcome,
    conda_lock_meta,
    environment_platforms,
    pip_section_spec,
)
from parity.lock.formats.conda_lock import CONDA_LOCK, CondaRecord, python_version_of
from parity.lock.model import LockedGroup
from parity.spec.model import ProjectSpec


def check_conda_project(
    spec: ProjectSpec,
    *,
    group: str | None = None,
    prefix: str | None = None,
    check_env: bool = True,
) -> CheckReport:
    name = resolve_group(spec, group)
    prefix_name = prefix or DEFAULT_PREFIX
    platform = this_platform()
    try:
        locks = read_group_locks(spec, name)
    except LockFileError as exc:
        finding = Finding(
            code="lock-missing" if "not found" in exc.message else "lock-unreadable",
            severity="high",
            subject=exc.path or CONDA_LOCK,
            message=f"{exc.path or CONDA_LOCK}: {exc.message}",
            fix="Run `parity lock`.",
        )
        return CheckReport(name, prefix_name, (finding,), False, "none", ("lock",))
    findings = seal_findings(spec)
    findings += lock_findings(spec, locks, platform)
    lock_fresh = not findings
    checked = ["lock", "consistency"]
    outputs = [g.output for g in spec.groups if g.requirements]
    findings += consistency_findings(spec.root, [CONDA_LOCK, *outputs])
    method = "none"
    if check_env:
        checked.append("environment")
        env_findings, method = prefix_findings(spec, locks, prefix_name, platform)
        findings += env_findings
    return CheckReport(name, prefix_name, tuple(findings), lock_fresh, method, tuple(checked))


def current_conda_lock(spec: ProjectSpec) -> CondaLockOutcome | None:
    """conda.lock and the pip locks when they already answer the inputs; else None.

    What ``check --lock-only`` asks: every file sealed, intact and of one run,
    and no input changed since (environment files, settings, platforms, the
    conda packages the pip locks were made against).  Then a relock would only
    ask the channels again for the same answer.
    """
    from parity.lock.model import Lock
    from parity.lock.outcome import LockOutcome

    if not (spec.root / CONDA_LOCK).is_file() or seal_findings(spec):
        return None
    platform = this_platform()
    conda_lock = None
    pip: list[LockedGroup] = []
    for environment in spec.conda:
        try:
            locks = read_group_locks(spec, environment.group)
        except ParityError:
            return None
        if lock_findings(spec, locks, platform):
            return None
        conda_lock = locks.lock
        if locks.pip is not None:
            pip.append(locks.pip)
    if conda_lock is None or conda_lock.meta is None:
        return None
    files = [CONDA_LOCK, *(g.output for g in pip)]
    outcome = LockOutcome(
        lock=Lock(groups=tuple(pip), meta=conda_lock.meta),
        written=tuple(files),
        resolved=False,
    )
    return CondaLockOutcome(outcome=outcome, conda_lock=conda_lock)


def seal_findings(spec: ProjectSpec) -> list[Finding]:
    """conda.lock and the pip locks edited by hand, unsealed, or of two ``parity lock`` runs."""
    from parity.lock.integrity import Seal, read_seal, seal_problems

    seals: dict[str, Seal] = {}
    for path in [CONDA_LOCK, *(g.output for g in spec.groups if g.requirements)]:
        try:
            text = (spec.root / path).read_text(encoding="utf-8")
            seals[path] = read_seal(path, text)
        except (OSError, ValueError, LockFileError):
            continue  # absent or unreadable: the readers say so
    return [
        Finding(
            code=problem.code,
            severity="critical" if problem.code == "lock-edited" else "high",
            subject=problem.path,
            message=problem.message,
            fix="Review the change (git diff), then run `parity lock` to regenerate the lock.",
        )
        for problem in seal_problems(seals)
    ]


def lock_findings(spec: ProjectSpec, locks: CondaGroupLock, platform: str) -> list[Finding]:
    meta = locks.lock.meta
    if meta is None:
        return [
            Finding(
                code="lock-foreign",
                severity="high",
                subject=CONDA_LOCK,
                message=f"{CONDA_LOCK} was not written by parity, so its freshness is unknown",
                fix="Run `parity lock` to regenerate it with freshness digests.",
            )
        ]
    platforms = {e.group: environment_platforms(spec, e, platform) for e in spec.conda}
    now = conda_lock_meta(spec, platforms)
    current = now.input_map()
    stored = meta.input_map()
    findings: list[Finding] = []
    changed = sorted(k for k in set(stored) | set(current) if stored.get(k) != current.get(k))
    if changed:
        changes = describe_changes(changed, meta, now)
        findings.append(stale_finding(CONDA_LOCK, locks.group, changes, changed))
    if locks.pip is not None:
        derived, _ = pip_section_spec(spec, locks.lock, platform)
        findings += freshness_findings(derived, {locks.group: locks.pip})
    return findings


def prefix_findings(
    spec: ProjectSpec, locks: CondaGroupLock, prefix_name: str, platform: str
) -> tuple[list[Finding], str]:
    fix = f"Run `parity sync --group {locks.group}`."
    prefix = read_prefix(spec.root / prefix_name)
    if prefix is None:
        return [
            Finding(
                code="env-missing",
                severity="high",
                subject=prefix_name,
                message=f"no conda environment at {prefix_name}",
                fix=fix,
            )
        ], "none"
    records = locks.environment.conda.get(platform)
    if records is None:
        solved = ", ".join(sorted(locks.environment.conda)) or "no platform"
        return [
            Finding(
                code="lock-platform",
                severity="high",
                subject=CONDA_LOCK,
                message=f"{CONDA_LOCK} was solved for {solved}, not for this machine ({platform})",
                fix="Add this platform to the environment file's `platforms:` and run "
                "`parity lock`.",
            )
        ], "none"
    if prefix.python_version and stamp_matches(
        read_stamp(prefix.root),
        lock_digest=locks.digest,
        group=locks.group,
        python=prefix.python_version,
        venv=prefix.root,
    ):
        return [], "stamp"
    findings = python_findings(prefix, records, prefix_name, fix)
    findings += compare_records(records, prefix, prefix_name, fix)
    findings += compare_pip(locks, prefix, prefix_name, fix)
    return findings, "full"


def python_findings(
    prefix: CondaPrefix, records: tuple[CondaRecord, ...], prefix_name: str, fix: str
) -> list[Finding]:
    wanted = python_version_of(records)
    if wanted is None or prefix.python_version == wanted:
        return []
    return [
        Finding(
            code="python-mismatch",
            severity="critical",
            subject="python",
            message=f"{prefix_name} runs Python {prefix.python_version or 'none'}, "
            f"{CONDA_LOCK} has {wanted}",
            fix=fix,
            data={"installed": prefix.python_version, "wanted": wanted},
        )
    ]


def compare_records(
    records: tuple[CondaRecord, ...], prefix: CondaPrefix, prefix_name: str, fix: str
) -> list[Finding]:
    """Conda packages missing, extra, or at another version or build than the lock's."""
    findings: list[Finding] = []
    wanted = {r.name: r for r in records}
    for name, record in sorted(wanted.items()):
        if name == "python":
            continue
        have = prefix.packages.get(name)
        if have is None:
            findings.append(
                Finding(
                    code="package-missing",
                    severity="medium",
                    subject=name,
                    message=f"conda package {name} {record.version} is locked but not "
                    f"installed in {prefix_name}",
                    fix=fix,
                    data={"manager": "conda", "locked": record.version},
                )
            )
        elif (have.version, have.build) != (record.version, record.build) or (
            record.sha256 and have.sha256 and record.sha256 != have.sha256
        ):
            findings.append(
                Finding(
                    code="package-version",
                    severity="medium",
                    subject=name,
                    message=f"conda package {name} is {have.version} ({have.build}) in "
                    f"{prefix_name}, {CONDA_LOCK} pins {record.version} ({record.build})",
                    fix=fix,
                    data={
                        "manager": "conda",
                        "installed": have.version,
                        "locked": record.version,
                    },
                )
            )
    for name, have in sorted(prefix.packages.items()):
        if name not in wanted:
            findings.append(
                Finding(
                    code="package-extra",
                    severity="medium",
                    subject=name,
                    message=f"conda package {name} {have.version} is installed in "
                    f"{prefix_name} but not in {CONDA_LOCK}",
                    fix=fix,
                    data={"manager": "conda", "installed": have.version},
                )
            )
    return findings


def compare_pip(
    locks: CondaGroupLock, prefix: CondaPrefix, prefix_name: str, fix: str
) -> list[Finding]:
    wanted = {p.name: p.version for p in locks.pip.pins} if locks.pip else {}
    output = locks.pip.output if locks.pip else "the lock"
    have = pip_distributions(prefix)
    findings: list[Finding] = []
    for name, version in sorted(wanted.items()):
        if name not in have:
            findings.append(
                Finding(
                    code="package-missing",
                    severity="medium",
                    subject=name,
                    message=f"{name} {version} is locked in {output} but not installed "
                    f"in {prefix_name}",
                    fix=fix,
                    data={"manager": "pip", "locked": version},
                )
            )
        elif version is not None and have[name] != version:
            findings.append(
                Finding(
                    code="package-version",
                    severity="medium",
                    subject=name,
                    message=f"{name} is {have[name]} in {prefix_name}, {output} pins {version}",
                    fix=fix,
                    data={"manager": "pip", "installed": have[name], "locked": version},
                )
            )
    for name, version in sorted(have.items()):
        if name not in wanted and name not in SEED_PACKAGES:
            findings.append(
                Finding(
                    code="package-extra",
                    severity="medium",
                    subject=name,
                    message=f"{name} {version} was installed by pip in {prefix_name} "
                    "but is in no lock",
                    fix=fix,
                    data={"manager": "pip", "installed": version},
                )
            )
    return findings
