"""Item 7: CI installs from the same lock (every install command of the CI files, classified)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Sequence
from pathlib import Path

from packaging.utils import canonicalize_name

from parity.diagnose.verify.checklist import FAIL, MAX_EVIDENCE, PASS, SKIP, Item, item
from parity.frozen import dataclass

CI_FILES = (
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
    ".gitlab-ci.yml",
    "Makefile",
    "Dockerfile",
    "tox.ini",
    "noxfile.py",
)

LOCK, BYPASS, PROJECT, TOOL = "lock", "bypass", "project", "tool"

_PIP_INSTALL = re.compile(
    r"(?:^|[\s/;&|(\"'])(?:uv\s+pip|pip3?(?:\.\d+)?|python3?(?:\.\d+)?\s+-m\s+pip|\$[({]PIP[)}])"
    r"\s+install\b(?P<args>.*)"
)
_SYNC = re.compile(
    r"(?:^|[\s/;&|(\"'])(?:(?P<tool>pip-sync|uv\s+pip\s+sync|parity\s+sync|poetry\s+(?:install|sync)"
    r"|pdm\s+sync|pipenv\s+sync)\b|(?P<uvsync>uv\s+sync\b))(?P<args>.*)"
)
# YAML keys, list dashes and Dockerfile RUN in front of a command (not shown in evidence).
_CI_PREFIX = re.compile(
    r"^\s*(?:-\s+)?(?:(?:run|script|before_script|after_script|commands?)\s*:\s*|RUN\s+(?:--\S+\s+)*)?"
)
_NOX_INSTALL = re.compile(r"session\.install\((?P<args>[^)]*)\)")
_OPTIONS_WITH_VALUE = frozenset(
    {
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "-t",
        "--target",
        "--prefix",
        "--root",
        "--python",
        "-p",
        "--platform",
        "--python-version",
        "--implementation",
        "--abi",
        "--upgrade-strategy",
        "--progress-bar",
        "--cache-dir",
        "--src",
        "--trusted-host",
        "--proxy",
        "--timeout",
        "--retries",
        "--log",
        "-C",
        "--config-settings",
        "--global-option",
        "--no-binary",
        "--only-binary",
        "--report",
        "--index-strategy",
        "--resolution",
        "--prerelease",
        "--extra",
        "--group",
    }
)


@dataclass(frozen=True)
class CiInstall:
    """One command in a CI file that installs Python packages, and what it installs from."""

    path: str
    line: int
    command: str
    kind: str  # LOCK, BYPASS, PROJECT or TOOL
    reason: str = ""

    def render(self) -> str:
        reason = f" ({self.reason})" if self.reason else ""
        return f"{self.path}:{self.line}: {self.command}{reason}"


def ci_item(root: Path, *, lockfiles: Sequence[str], locked_names: Iterable[str]) -> Item:
    files = sorted({p for pattern in CI_FILES for p in root.glob(pattern) if p.is_file()})
    if not files:
        return item(
            "ci",
            SKIP,
            (
                "not applicable: no CI configuration found (.github/workflows, .gitlab-ci.yml, "
                "Makefile, Dockerfile, tox.ini, noxfile.py); a skip is not a failure",
            ),
        )
    from parity.env.seed import SEED_PACKAGES

    names = frozenset(locked_names) - SEED_PACKAGES
    installs: list[CiInstall] = []
    for path in files:
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        if rel.startswith(".github/workflows/"):
            from parity.diagnose.consistency.sources.github_actions import without_foreign_jobs

            # A job that checks out and tests another repository installs that one's way.
            text = without_foreign_jobs(text)
        installs += scan_ci_text(rel, text, lockfiles=lockfiles, locked_names=names)
    return ci_verdict(
        _own_locks_checked(root, installs, lockfiles), files=len(files), lockfiles=lockfiles
    )


# Installers that install their own tool's lockfile: the same lock as parity's only while
# that lockfile agrees with it.
_OWN_LOCKS = (
    (re.compile(r"\bpoetry\s+(?:install|sync)\b"), "poetry.lock", "Poetry", "poetry_lock"),
    (re.compile(r"\buv\s+sync\b"), "uv.lock", "uv", "uv_lock"),
    (re.compile(r"\bpdm\s+(?:install|sync)\b"), "pdm.lock", "PDM", "pdm_lock"),
)


def _own_locks_checked(
    root: Path, installs: Sequence[CiInstall], lockfiles: Sequence[str]
) -> list[CiInstall]:
    """``poetry install``, ``uv sync``, ``pdm sync``: each installs its tool's lockfile."""
    from parity.frozen import replace

    out = list(installs)
    for pattern, lockfile, tool, source in _OWN_LOCKS:
        ours = [i for i in out if i.kind in (LOCK, BYPASS) and pattern.search(i.command)]
        if not ours:
            continue
        reason = own_lock_differs(root, lockfiles, lockfile=lockfile, tool=tool, source=source)
        if reason is None:
            continue
        # ``uv sync`` without --locked keeps its own reason (add --locked) while uv.lock agrees.
        out = [replace(i, kind=BYPASS, reason=reason) if i in ours else i for i in out]
    return out


def poetry_lock_differs(root: Path, lockfiles: Sequence[str]) -> str | None:
    """Why poetry.lock is not the lock (absent, or a pin that differs), or None."""
    return own_lock_differs(
        root, lockfiles, lockfile="poetry.lock", tool="Poetry", source="poetry_lock"
    )


def own_lock_differs(
    root: Path, lockfiles: Sequence[str], *, lockfile: str, tool: str, source: str
) -> str | None:
    """Why a tool's lockfile is not the lock (absent, or a pin that differs), or None."""
    if not (root / lockfile).is_file():
        return f"there is no {lockfile}, so {tool} resolves afresh"
    from parity.diagnose.consistency import SOURCE_PATTERNS, collect_facts
    from parity.diagnose.consistency.compare import pin_findings
    from parity.diagnose.consistency.facts import PinFact

    wanted = [name for name in SOURCE_PATTERNS if name.endswith(("requirements_txt", source))]
    ours = {*lockfiles, lockfile}
    pins = [
        f for f in collect_facts(root, wanted) if isinstance(f, PinFact) and f.place.path in ours
    ]
    for finding in pin_findings(pins):
        sides = finding.data.get("sides", [])
        theirs = [s for s in sides if isinstance(s, dict) and s.get("file") == lockfile]
        if theirs:
            return (
                f"{lockfile} pins {finding.subject} {theirs[0].get('value')}, which the lock "
                "does not: `parity check --lock-only` names every difference"
            )
    return None


def ci_verdict(installs: Sequence[CiInstall], *, files: int, lockfiles: Sequence[str]) -> Item:
    by_kind = {
        k: [i.render() for i in installs if i.kind == k] for k in (LOCK, BYPASS, PROJECT, TOOL)
    }
    fix = (
        f"Install from the lockfile ({', '.join(lockfiles)}): `parity sync`, "
        "`pip install --require-hashes -r <lockfile>` or `uv pip sync <lockfile>`."
    )
    if by_kind[BYPASS]:
        disagreeing = [
            name
            for _, name, _, _ in _OWN_LOCKS
            if any(i.kind == BYPASS and i.reason.startswith(f"{name} pins") for i in installs)
        ]
        if disagreeing:
            fix = (
                f"Make {' and '.join(disagreeing)} and the lock agree (`parity check "
                "--lock-only` names each difference; relock the one that is behind), or "
                + fix[0].lower()
                + fix[1:]
            )
        return item("ci", FAIL, by_kind[BYPASS][:MAX_EVIDENCE] + by_kind[LOCK][:2], fix)
    if by_kind[LOCK]:
        return item("ci", PASS, by_kind[LOCK][:MAX_EVIDENCE])
    if by_kind[PROJECT]:
        return item(
            "ci",
            FAIL,
            [f"{line} resolves the dependencies afresh" for line in by_kind[PROJECT][:4]]
            + ["no command installs from a lockfile"],
            fix,
        )
    return item(
        "ci",
        SKIP,
        (
            f"not applicable: {files} CI file(s) found, none installs the project's dependencies",
            *by_kind[TOOL][:4],
        ),
    )


def scan_ci_text(
    path: str, text: str, *, lockfiles: Sequence[str], locked_names: frozenset[str]
) -> list[CiInstall]:
    """Every install command in one CI file, classified."""
    found: list[CiInstall] = []
    in_tox_deps = False
    for number, line in logical_lines(text):
        written = line.strip()  # shown when the line is rewritten as a pip command
        rewritten = False
        if path.endswith("tox.ini"):
            key = re.match(r"^(\w[\w-]*)\s*=\s*(.*)$", line)
            if key:
                in_tox_deps = key.group(1) == "deps"
                line = key.group(2)
            elif not line[:1].isspace() and line.strip():
                in_tox_deps = False
            if in_tox_deps and line.strip():
                line, rewritten = "pip install " + line.strip(), True
        nox = _NOX_INSTALL.search(line)
        if nox:
            args = re.findall(r"[\"']([^\"']+)[\"']", nox.group("args"))
            line, rewritten = "pip install " + " ".join(shlex.quote(a) for a in args), True
        for command in re.split(r"&&|\|\||;|\|", line):
            kind, reason = classify_command(command, lockfiles=lockfiles, locked_names=locked_names)
            if kind is not None:
                shown = written if rewritten else _CI_PREFIX.sub("", command).strip()
                shown = shown if len(shown) <= 100 else shown[:97] + "..."
                found.append(CiInstall(path, number, shown, kind, reason))
    return found


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines with ``\\`` continuations joined and comments dropped, with their first line number."""
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if not pending:
            start = number
        if line.endswith("\\"):
            pending.append(line[:-1].rstrip())
            continue
        pending.append(line)
        joined = " ".join(part.strip() if i else part for i, part in enumerate(pending))
        pending = []
        if joined.strip():
            out.append((start, joined))
    if pending:
        out.append((start, " ".join(pending)))
    return out


def classify_command(
    command: str, *, lockfiles: Sequence[str], locked_names: frozenset[str]
) -> tuple[str | None, str]:
    """Whether one shell command installs from a lock, bypasses it, or neither."""
    lock_basenames = {Path(f).name for f in lockfiles} | {"pylock.toml"}
    sync = _SYNC.search(command)
    if sync:
        args = sync.group("args")
        if sync.group("uvsync"):
            if re.search(r"--(locked|frozen)\b", args):
                return LOCK, ""
            return BYPASS, "re-locks when uv.lock is stale; add --locked"
        return LOCK, ""
    match = _PIP_INSTALL.search(command)
    if not match:
        return None, ""
    try:
        tokens = shlex.split(match.group("args"))
    except ValueError:
        tokens = match.group("args").split()
    kinds: list[tuple[str, str]] = []
    constrained = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        value: str | None = None
        for flag in ("-r", "--requirement", "-c", "--constraint", "-e", "--editable"):
            if token == flag and index < len(tokens):
                value, index = tokens[index], index + 1
            elif token.startswith(flag + "=") or (
                len(flag) == 2 and token.startswith(flag) and len(token) > 2
            ):
                value = token.removeprefix(flag).removeprefix("=")
            else:
                continue
            if flag in ("-r", "--requirement"):
                kinds.append(_requirement_file(value, lock_basenames))
            elif flag in ("-c", "--constraint"):
                constrained = Path(_strip_tox(value)).name in lock_basenames
            else:
                kinds.append((PROJECT, ""))
            break
        if value is not None:
            continue
        if token in _OPTIONS_WITH_VALUE:
            index += 1
            continue
        if token.startswith("-") or token.startswith(("$", "{", ">", "<", "2>")):
            continue
        kinds.append(_package_argument(token, locked_names))
    if constrained:
        kinds = [(LOCK if k == BYPASS else k, "") for k, _ in kinds] or [(LOCK, "")]
    for wanted in (BYPASS, LOCK, PROJECT, TOOL):
        for kind, reason in kinds:
            if kind == wanted:
                return kind, reason
    return None, ""


def _strip_tox(path: str) -> str:
    return re.sub(r"^\{toxinidir\}/", "", path)


def _requirement_file(path: str, lock_basenames: set[str]) -> tuple[str, str]:
    name = Path(_strip_tox(path)).name
    if name.endswith(".in"):
        return BYPASS, "installs from an input file, not the lock"
    if name in lock_basenames:
        return LOCK, ""
    return TOOL, f"{name} is not one of this project's lockfiles"


def _package_argument(token: str, locked_names: frozenset[str]) -> tuple[str, str]:
    from packaging.requirements import InvalidRequirement, Requirement

    if token.startswith(".") or "/" in token or token.endswith((".whl", ".tar.gz", ".zip")):
        return PROJECT, ""
    try:
        req = Requirement(token)
    except InvalidRequirement:
        return TOOL, ""
    name = canonicalize_name(req.name)
    exact = [s for s in req.specifier if s.operator in ("==", "===") and "*" not in s.version]
    if name in locked_names and not exact:
        return BYPASS, f"installs {name}, which the lock pins, without a version"
    return TOOL, ""
