"""Where the running machine's snapshot comes from: host, role, commit, lock.

Read from the environment and the working tree only (no subprocess): a push
must stay fast, and CI systems say most of it in variables.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from parity.env.snapshot_model import Snapshot
from parity.errors import UsageError
from parity.fleet.model import ROLES, Origin

# Variables that CI systems set, and where they keep the commit being built.
_CI_FLAGS = (
    "CI",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "BUILDKITE",
    "CIRCLECI",
    "JENKINS_URL",
    "TF_BUILD",
)
_COMMIT_VARIABLES = (
    "PARITY_GIT_COMMIT",
    "GITHUB_SHA",
    "CI_COMMIT_SHA",
    "BUILDKITE_COMMIT",
    "CIRCLE_SHA1",
    "GIT_COMMIT",
    "BUILD_SOURCEVERSION",
)
_SHA = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
_LABEL = re.compile(r"^[^\x00-\x1f\x7f]{1,200}$")


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UsageError(f"unknown role {role!r}", hint=f"Use one of {', '.join(ROLES)}.")
    return role


def check_label(label: str) -> str:
    text = label.strip()
    if not _LABEL.fullmatch(text):
        raise UsageError(
            f"not a usable machine label: {label!r}",
            hint="A label is one line of at most 200 characters, e.g. laptop-ana or "
            "ci/ubuntu-py3.11.",
        )
    return text


def default_role(environ: Mapping[str, str]) -> str:
    """ci when a CI system's variable is set, else dev (production says so with --role)."""
    for name in _CI_FLAGS:
        value = environ.get(name, "")
        if value and value.lower() not in ("0", "false", "no"):
            return "ci"
    return "dev"


def host_name() -> str | None:
    try:
        name = os.uname().nodename
    except AttributeError:  # Windows
        name = os.environ.get("COMPUTERNAME", "")
    return name.split(".")[0] or None


def git_commit(environ: Mapping[str, str], cwd: Path) -> str | None:
    """The commit being built (CI variables), else the working tree's HEAD, read from .git."""
    return ci_commit(environ) or head_commit(cwd)


def ci_commit(environ: Mapping[str, str]) -> str | None:
    """The commit a CI system says it builds (or PARITY_GIT_COMMIT)."""
    for name in _COMMIT_VARIABLES:
        value = environ.get(name, "").strip().lower()
        if _SHA.match(value):
            return value
    return None


def head_commit(cwd: Path) -> str | None:
    """HEAD's commit, read from the repository files (loose or packed refs, worktrees)."""
    git = _git_dir(cwd)
    if git is None:
        return None
    head = _read(git / "HEAD")
    if head is None:
        return None
    if _SHA.match(head):
        return head
    if not head.startswith("ref: "):
        return None
    ref = head[5:].strip()
    common = git
    commondir = _read(git / "commondir")
    if commondir is not None:
        common = (git / commondir).resolve()
    for base in (git, common):
        value = _read(base / ref)
        if value is not None and _SHA.match(value):
            return value
    packed = _read(common / "packed-refs")
    if packed:
        for line in packed.splitlines():
            sha, _, name = line.partition(" ")
            if name.strip() == ref and _SHA.match(sha):
                return sha
    return None


def _git_dir(cwd: Path) -> Path | None:
    for folder in (cwd, *cwd.parents):
        dot = folder / ".git"
        if dot.is_dir():
            return dot
        if dot.is_file():  # a worktree or submodule: "gitdir: <path>"
            text = _read(dot)
            if text and text.startswith("gitdir: "):
                target = Path(text[8:].strip())
                return target if target.is_absolute() else (folder / target).resolve()
    return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def lock_digest_of(env_dir: Path | None) -> str | None:
    """The digest of the lock parity synced into ``env_dir``, while the environment
    still holds exactly that (its sync stamp matches); None otherwise."""
    if env_dir is None:
        return None
    from parity.env.stamp import SYNCED, fingerprint, read_stamp

    stamp = read_stamp(env_dir)
    if stamp is None or stamp.state != SYNCED or not stamp.watched:
        return None
    if fingerprint(env_dir, stamp.watched) != stamp.fingerprint:
        return None  # changed since the sync (a pip install by hand, ...)
    return stamp.lock_digest


def machine_origin(
    snapshot: Snapshot,
    *,
    label: str | None,
    role: str | None,
    environ: Mapping[str, str],
    cwd: Path,
    env_dir: Path | None = None,
    default_env: bool = True,
) -> Origin:
    """The origin of a snapshot taken here; ``label`` and ``role`` given win.

    Default labels are stable across runs: a laptop is its host name (plus
    the environment when it is not the default one); a CI job is
    ``ci/<job>/<os>-py<X.Y>`` (runners' host names change at every run).  A
    production image must be named: containers get a new host name at every
    start.
    """
    chosen_role = check_role(role) if role else default_role(environ)
    host = host_name()
    if label is None:
        if chosen_role == "prod":
            raise UsageError(
                "a production snapshot needs --label",
                hint="Name the image or service, e.g. --label api-prod: a container's host "
                "name changes at every start.",
            )
        if chosen_role == "ci":
            label = ci_label(snapshot, environ)
        else:
            label = host or "unknown-host"
            if not default_env:
                label += f":{snapshot.label}"
    return Origin(
        label=check_label(label),
        role=chosen_role,
        host=host,
        git_commit=git_commit(environ, cwd),
        lock_digest=lock_digest_of(env_dir),
    )


def ci_label(snapshot: Snapshot, environ: Mapping[str, str]) -> str:
    """``ci/<job>/<os>-py<X.Y>``: one label per cell of a CI matrix, the same at every run."""
    system = snapshot.platform.system.lower() if snapshot.platform else "unknown"
    system = {"darwin": "macos"}.get(system, system)
    python = "?"
    if snapshot.python is not None:
        python = ".".join(snapshot.python.version.split(".")[:2])
    job = environ.get("GITHUB_JOB") or environ.get("CI_JOB_NAME") or ""
    job = re.sub(r"[\s/]+", "-", job.strip())
    return f"ci/{job + '/' if job else ''}{system}-py{python}"
