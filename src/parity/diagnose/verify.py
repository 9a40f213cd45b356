"""``parity verify``: the course's verification checklist, executed.

Each item passes, fails or is skipped (with the reason) on the evidence that
decided it.  The expensive part is the rebuild: a fresh environment outside
the project, built from the lock alone (hash-checked), then compared with the
lock, checked for consistency and imported.  It runs in a worker thread while
the cheap checks (lock contents, git, freshness, CI files) run in-process;
the consistency check and the import test run in parallel against the
rebuilt environment.
"""

from __future__ import annotations

import csv
import os
import re
import shlex
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

from parity.diagnose.findings import Finding
from parity.env.installed import VenvInfo, installed_distributions, interpreter_path
from parity.env.sync import (
    create_venv,
    install_lock,
    python_request,
    python_satisfies,
    resolve_group,
)
from parity.errors import LockFileError, ParityError
from parity.lock.load import read_group, read_groups
from parity.lock.model import LockedGroup, Pin
from parity.spec.model import ProjectSpec
from parity.tempdirs import work_dir
from parity.uv import run_uv

VERIFY_SCHEMA = "parity/verify@1"
PASS, FAIL, SKIP = "pass", "fail", "skip"

# The course's checklist, in its order: id -> title.
TITLES = {
    "create": "The environment can be created and activated",
    "lockfile": "A lockfile with exact versions exists",
    "committed": "The lockfile is committed and unmodified",
    "fresh": "The lock matches its inputs",
    "rebuild": "The environment rebuilds from scratch and equals the lock",
    "usable": "The rebuilt environment is consistent and imports its direct dependencies",
    "ci": "CI installs from the same lock",
}
CI_FILES = (
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
    ".gitlab-ci.yml",
    "Makefile",
    "Dockerfile",
    "tox.ini",
    "noxfile.py",
)
# A module that hangs on import must not hang verify.
IMPORT_TIMEOUT_S = 300.0
MAX_EVIDENCE = 8


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    status: str
    evidence: tuple[str, ...]
    fix: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "evidence": list(self.evidence),
            "fix": self.fix,
        }


def item(id: str, status: str, evidence: Iterable[str], fix: str | None = None) -> Item:
    return Item(id, TITLES[id], status, tuple(evidence), fix if status == FAIL else None)


def not_run(id: str, reason: str) -> Item:
    return item(id, SKIP, (f"not run: {reason}",))


@dataclass(frozen=True)
class VerifyReport:
    group: str
    lockfile: str
    items: tuple[Item, ...]

    @property
    def ok(self) -> bool:
        return all(i.status != FAIL for i in self.items)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """One finding per failed item (``verify-<id>``), in the checklist's order."""
        return tuple(
            Finding(
                code=f"verify-{i.id}",
                severity="high",
                message=f"{i.title}: {i.evidence[0]}" if i.evidence else i.title,
                fix=i.fix,
                subject=i.id,
            )
            for i in self.items
            if i.status == FAIL
        )

    def to_json(self) -> dict[str, object]:
        return {
            "schema": VERIFY_SCHEMA,
            "ok": self.ok,
            "group": self.group,
            "lockfile": self.lockfile,
            "items": [i.to_json() for i in self.items],
            "findings": [f.to_json() for f in self.findings],
        }


def verify_project(spec: ProjectSpec, *, group: str | None = None) -> VerifyReport:
    name = resolve_group(spec, group)
    output = spec.group(name).output
    try:
        locked = read_group(spec, name)
    except LockFileError as exc:
        why = f"{output} cannot be read"
        items = {
            "lockfile": item("lockfile", FAIL, (str(exc),), "Run `parity lock`."),
            **{i: not_run(i, why) for i in ("create", "committed", "fresh", "rebuild", "usable")},
            "ci": project_ci_item(spec, {}),
        }
        return VerifyReport(name, output, tuple(items[i] for i in TITLES))
    # The rebuild waits on uv for most of its time; everything else (imports
    # of the freshness machinery included) runs meanwhile.
    with ThreadPoolExecutor(max_workers=1) as pool:
        rebuilt = pool.submit(rebuild_items, spec, locked)
        items = {
            "lockfile": lockfile_item(locked),
            "committed": git_item(spec.root, output),
            "fresh": freshness_item(spec, name, locked),
            "ci": project_ci_item(spec, {name: locked}),
        }
        items.update(rebuilt.result())
    return VerifyReport(name, output, tuple(items[i] for i in TITLES))


def project_ci_item(spec: ProjectSpec, known: Mapping[str, LockedGroup]) -> Item:
    """Item 7 for this project: its lockfiles, and the names every readable lock pins."""
    names = {p.name for lock in known.values() for p in lock.pins}
    others, _unreadable = read_groups(spec, [g for g in spec.group_names if g not in known])
    names.update(p.name for lock in others.values() for p in lock.pins)
    return ci_item(spec.root, lockfiles=[g.output for g in spec.groups], locked_names=names)


# -- item 2: the lockfile -------------------------------------------------------------

_COMMIT = re.compile(r"@[0-9a-f]{40}\b")


def lockfile_item(locked: LockedGroup) -> Item:
    """Every index pin ``==`` with hashes; VCS pins at a full commit; local paths noted."""
    index_pins = [p for p in locked.pins if p.source is None]
    unpinned = [p.name for p in index_pins if not p.version]
    unhashed = [p.name for p in index_pins if not p.hashes]
    vcs = [p for p in locked.pins if p.source is not None and p.source.startswith(("git+", "hg+"))]
    floating = [p.name for p in vcs if not _COMMIT.search(p.source or "")]
    local = [p for p in locked.pins if p.source is not None and p not in vcs]
    hashed = len(index_pins) - len(unhashed)
    evidence = [
        f"{locked.output}: {len(locked.pins)} pins; {len(index_pins)} from the index, "
        f"all `==`, {hashed} with hashes"
        if not unpinned
        else f"{locked.output}: {len(locked.pins)} pins"
    ]
    if vcs:
        evidence.append(f"{len(vcs)} from version control, {len(vcs) - len(floating)} at a commit")
    if local:
        evidence.append(
            "not hash-pinned, read from the project or a URL: "
            + ", ".join(f"{p.name} ({p.source})" for p in local[:6])
        )
    problems = []
    if unpinned:
        problems.append(f"without an exact version: {_some(unpinned)}")
    if unhashed:
        problems.append(f"without hashes: {_some(unhashed)}")
    if floating:
        problems.append(f"not pinned to a commit: {_some(floating)}")
    if problems:
        return item("lockfile", FAIL, evidence + problems, "Run `parity lock`.")
    return item("lockfile", PASS, evidence)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _some(names: Sequence[str], limit: int = 8) -> str:
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


# -- item 3: committed ----------------------------------------------------------------


def git_item(root: Path, output: str) -> Item:
    try:
        tracked = _git(root, "ls-files", "--error-unmatch", "--", output)
    except FileNotFoundError:
        return item(
            "committed", FAIL, ("git is not installed",), "Install git and commit the lockfile."
        )
    if tracked.returncode != 0 and "not a git repository" in tracked.stderr:
        return item(
            "committed",
            FAIL,
            ("the project is not in a git repository, so the lockfile cannot be committed",),
            f"git init && git add {output} && git commit",
        )
    if tracked.returncode not in (0, 1):
        return item(
            "committed",
            FAIL,
            (f"git failed: {_first_line(tracked.stderr)}",),
            "Fix the git error above, then verify again.",
        )
    if tracked.returncode == 1:
        ignored = _git(root, "check-ignore", "-v", "--", output)
        if ignored.returncode == 0 and ignored.stdout.strip():
            rule, _, _ = ignored.stdout.strip().partition("\t")
            source, line, pattern = [*rule.split(":", 2), "", ""][:3]
            return item(
                "committed",
                FAIL,
                (f"{output} is not tracked: {source}:{line} ignores it ({pattern})",),
                f"Remove that rule, then `git add {output}` and commit.",
            )
        return item(
            "committed",
            FAIL,
            (f"{output} is not tracked by git",),
            f"git add {output} && git commit",
        )
    status = _git(root, "status", "--porcelain=v1", "--", output).stdout
    if status.strip():
        code = status[:2]
        state = (
            "is staged but was never committed"
            if code.startswith("A")
            else "is deleted in the working tree"
            if "D" in code
            else "has changes that are not committed"
        )
        return item(
            "committed",
            FAIL,
            (f"{output} {state} (git status: {code.strip()})",),
            f"Review `git diff -- {output}` and commit it (or `parity lock` again).",
        )
    head = _git(root, "log", "-1", "--format=%h %cs %s", "--", output).stdout.strip()
    head = head if len(head) <= 60 else head[:57].rstrip() + "..."
    when = f"last commit {head}" if head else "staged in a repository without commits"
    return item("committed", PASS, (f"{output} is committed with no local changes ({when})",))


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=_git_env()
    )


def _git_env() -> dict[str, str]:
    # Messages are parsed; keep them in English.
    return {**os.environ, "LC_ALL": "C", "LANGUAGE": "C"}


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else "no message"


# -- item 4: fresh --------------------------------------------------------------------


def freshness_item(spec: ProjectSpec, name: str, locked: LockedGroup) -> Item:
    from parity.diagnose.check import freshness_findings

    findings = freshness_findings(spec, {name: locked})
    if findings:
        return item(
            "fresh",
            FAIL,
            tuple(f.message for f in findings),
            "Run `parity lock` and commit the result.",
        )
    inputs = ", ".join(i.name for i in locked.meta.inputs)
    return item(
        "fresh",
        PASS,
        (
            f"the digests of the current inputs equal the lock's ({locked.meta.digest[:19]}...)",
            f"inputs: {inputs}",
        ),
    )


# -- items 1, 5, 6: the rebuild ------------------------------------------------------


def hashes_enforced(locked: LockedGroup) -> bool:
    """Whether ``install_lock`` passes ``--require-hashes`` (its own condition)."""
    index = [p for p in locked.pins if p.source is None]
    return all(p.hashes for p in index) and len(index) == len(locked.pins)


def rebuild_items(spec: ProjectSpec, locked: LockedGroup) -> dict[str, Item]:
    """Items 1, 5, 6: create a venv from scratch, sync the lock, compare, check, import.

    The venv lives in a temporary directory outside the project and is
    removed however this ends.
    """
    lockfile = spec.root / locked.output
    request = python_request(locked)
    with work_dir("verify") as tmp:
        scrub = _scrubber(Path(tmp))
        try:
            venv = create_venv(Path(tmp) / "venv", request, replace=False)
        except ParityError as exc:
            return {
                "create": item("create", FAIL, (scrub(exc.message),), exc.hint),
                "rebuild": not_run("rebuild", "no environment"),
                "usable": not_run("usable", "no environment"),
            }
        try:
            install_lock(spec, venv, lockfile, locked, offline=False, environ=os.environ)
        except ParityError as exc:
            activation = run_imports(venv, [])
            # uv's message is indented by its structure (cause, expected, computed).
            lines = [
                scrub(line.rstrip().removeprefix("  "))
                for line in exc.message.splitlines()
                if line.strip()
            ]
            return {
                "create": create_item(activation, locked),
                "rebuild": item("rebuild", FAIL, lines[: MAX_EVIDENCE + 4], exc.hint),
                "usable": not_run("usable", "the rebuild failed"),
            }
        from parity.diagnose.check import compare_with_lock, expected_pins
        from parity.env.seed import SEED_PACKAGES

        installed = installed_distributions(venv.site_packages)
        expected = expected_pins(locked.pins, venv.python_version, venv.implementation)
        ignore = set(SEED_PACKAGES) | ({canonicalize_name(spec.name)} if spec.name else set())
        drift = compare_with_lock(
            expected, installed, ignore=ignore, venv_name="the rebuilt venv", group=locked.name
        )
        direct = [r.name for r in spec.requirements_of(locked.name)]
        modules = import_names(venv.site_packages, direct)
        key = None if drift else import_record_key(spec, venv, locked, expected, modules)
        known = read_import_record(key) if key is not None else None
        with ThreadPoolExecutor(max_workers=2) as pool:
            check: Future[subprocess.CompletedProcess[str]] = pool.submit(
                run_uv, ["pip", "check", "--python", str(interpreter_path(venv.root))]
            )
            if known is not None:
                # Byte-identical packages were imported by this interpreter before:
                # this venv's interpreter is still started (it must run and activate).
                activation = run_imports(venv, [])
                imports = replace_run(activation, known)
            else:
                imports = run_imports(venv, modules)
                if key is not None and not imports.failures and not imports.errors:
                    write_import_record(key, imports)
            consistency = check.result()
        return {
            "create": create_item(imports, locked),
            "rebuild": rebuild_item(spec, locked, expected, drift),
            "usable": usable_item(consistency, imports, modules, scrub),
        }


def _scrubber(tmp: Path) -> Callable[[str], str]:
    # The temporary path means nothing once it is gone; name it instead.
    paths = sorted({str(tmp / "venv"), str((tmp / "venv").resolve())}, key=len, reverse=True)

    def scrub(text: str) -> str:
        for path in paths:
            text = text.replace(path, "<new venv>")
        return text

    return scrub


def create_item(imports: ImportRun, locked: LockedGroup) -> Item:
    request = python_request(locked)
    wanted = f"the lock's Python ({request})" if request else "the default Python"
    if imports.version is None:
        return item(
            "create",
            FAIL,
            (f"uv created a venv on {wanted}, but its interpreter did not run", *imports.errors),
            "Check that the interpreter the lock names runs on this machine.",
        )
    if not imports.in_venv:
        return item(
            "create",
            FAIL,
            (f"the venv's interpreter ran Python {imports.version}, but outside the venv",),
            "Recreate the venv; check pyvenv.cfg.",
        )
    if not python_satisfies(imports.version, locked):
        return item(
            "create",
            FAIL,
            (f"the venv runs Python {imports.version}, the lock wants {request}",),
            f"Install Python {request} and verify again.",
        )
    return item(
        "create",
        PASS,
        (
            f"uv created a venv outside the project on {wanted}",
            f"its interpreter runs: {imports.implementation} {imports.version}, "
            "sys.prefix is the new venv",
        ),
    )


def rebuild_item(
    spec: ProjectSpec,
    locked: LockedGroup,
    expected: Sequence[Pin],
    drift: Sequence[Finding],
) -> Item:
    if drift:
        return item(
            "rebuild",
            FAIL,
            [f.message for f in drift][:MAX_EVIDENCE],
            "Run `parity lock`, then verify again.",
        )
    skipped = len(locked.pins) - len(expected)
    markers = f" ({_count(skipped, 'pin')} excluded here by markers)" if skipped else ""
    evidence = [f"{len(expected)} distributions installed match the lock's versions{markers}"]
    with_hashes = sum(1 for p in expected if p.hashes)
    if hashes_enforced(locked):
        evidence.append(
            f"{with_hashes} archives hash-verified by uv against the lock (--require-hashes)"
        )
    else:
        unhashed = [p.name for p in expected if not p.hashes]
        evidence.append(
            f"{with_hashes} archives hash-verified by uv; no hash to check for {_some(unhashed)}"
        )
    if spec.installable:
        evidence.append("the project itself was installed editable on top (it is not in the lock)")
    return item("rebuild", PASS, evidence)


def usable_item(
    consistency: subprocess.CompletedProcess[str],
    imports: ImportRun,
    modules: Mapping[str, Sequence[str]],
    scrub: Callable[[str], str],
) -> Item:
    check_lines = [
        scrub(line.strip())
        for line in (consistency.stdout + "\n" + consistency.stderr).splitlines()
        if line.strip() and not line.lstrip().startswith("Using Python")
    ]
    summary = next((line for line in check_lines if line.startswith("Checked")), "")
    check_lines = [line for line in check_lines if not line.startswith("Checked")]
    names = [m for ms in modules.values() for m in ms]
    empty = [d for d, ms in modules.items() if not ms]
    evidence: list[str] = []
    if consistency.returncode != 0:
        evidence += [f"uv pip check: {line}" for line in check_lines[:MAX_EVIDENCE]]
    evidence += [f"import {failure}" for failure in imports.failures[:MAX_EVIDENCE]]
    evidence += [scrub(e) for e in imports.errors]
    if evidence:
        return item(
            "usable",
            FAIL,
            evidence,
            "Add the missing requirement to the inputs and run `parity lock`.",
        )
    summary = re.sub(r" in [\d.]+m?s$", "", summary).lower()
    evidence = [f"uv pip check: no broken requirements{f' ({summary})' if summary else ''}"]
    shown = ", ".join(names[:10]) + (" ..." if len(names) > 10 else "")
    evidence.append(
        f"imported {len(names)} top-level modules of {len(modules) - len(empty)} direct "
        f"requirements: {shown}"
        if names
        else "no direct requirement provides a module to import"
    )
    if names and imports.reused_from:
        evidence.append(
            f"(imported for real on {imports.reused_from} from byte-identical packages, the same "
            "interpreter, machine and environment; PARITY_NO_CACHE=1 imports them again)"
        )
    if empty:
        evidence.append(f"nothing to import for {_some(empty)} (no top-level module)")
    return item("usable", PASS, evidence)


# -- the import test -------------------------------------------------------------------

_SKIP_TOP = frozenset({"..", "__pycache__", "bin", "Scripts", "test", "tests", "docs", "examples"})
_EXTENSION = re.compile(r"^([A-Za-z_]\w*)\.[^/]*(\.so|\.pyd)$")


def import_names(site_packages: Path, names: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Per installed distribution among ``names``, its top-level modules.

    From ``top_level.txt`` when the wheel has one, else from the first path
    components in ``RECORD``; only modules present in site-packages count.
    Distributions not installed (a marker excluded them) are left out.
    """
    wanted = {canonicalize_name(n) for n in names}
    found: dict[str, tuple[str, ...]] = {}
    try:
        entries = sorted(os.listdir(site_packages))
    except OSError:
        return found
    for entry in entries:
        if not entry.endswith(".dist-info"):
            continue
        name = canonicalize_name(entry.removesuffix(".dist-info").rpartition("-")[0])
        if name not in wanted:
            continue
        dist = site_packages / entry
        candidates = _top_level(dist) if (dist / "top_level.txt").is_file() else _record_tops(dist)
        found[name] = tuple(m for m in candidates if _present(site_packages, m))
    return found


def _top_level(dist: Path) -> list[str]:
    lines = (dist / "top_level.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    return _modules(line.strip().split("/")[0] for line in lines if line.strip())


def _record_tops(dist: Path) -> list[str]:
    try:
        text = (dist / "RECORD").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    tops: list[str] = []
    for row in csv.reader(text.splitlines()):
        if not row:
            continue
        first, sep, _ = row[0].partition("/")
        if sep:
            tops.append(first)
        elif first.endswith(".py"):
            tops.append(first.removesuffix(".py"))
        elif match := _EXTENSION.match(first):
            tops.append(match.group(1))
    return _modules(tops)


def _modules(tops: Iterable[str]) -> list[str]:
    out: list[str] = []
    for top in tops:
        if (
            top in _SKIP_TOP
            or top.endswith((".dist-info", ".data", ".egg-info"))
            or not top.isidentifier()
            or top.startswith("_")
            or top in out
        ):
            continue
        out.append(top)
    return out


def _present(site_packages: Path, module: str) -> bool:
    if (site_packages / module).is_dir() or (site_packages / f"{module}.py").is_file():
        return True
    return any(site_packages.glob(f"{module}.*.so")) or any(site_packages.glob(f"{module}.*.pyd"))


# Prints its interpreter, then one line per module; flushes before each import so
# a crash still tells which module caused it.  os._exit skips interpreter teardown
# (slow after heavy imports, and a stray non-daemon thread must not hang it).
_MARK = "##parity## "
_IMPORT_SCRIPT = f"""
import importlib, os, sys
same = os.path.realpath(sys.prefix) == os.path.realpath(sys.argv[1])
print({_MARK!r} + "ACTIVE", sys.version.split()[0], sys.implementation.name, int(same), flush=True)
for name in sys.argv[2:]:
    print({_MARK!r} + "TRY", name, flush=True)
    try:
        importlib.import_module(name)
    except BaseException as exc:
        text = [line for line in str(exc).splitlines() if line.strip()]
        detail = type(exc).__name__ + (": " + text[0].strip() if text else "")
        print({_MARK!r} + "FAILED", name, detail, flush=True)
sys.stdout.flush()
os._exit(0)
"""


@dataclass(frozen=True)
class ImportRun:
    version: str | None
    implementation: str
    in_venv: bool
    failures: tuple[str, ...]
    errors: tuple[str, ...] = ()
    # When the modules were not imported again: when they were (an ISO date).
    reused_from: str | None = None


# -- the import record ------------------------------------------------------------------
#
# Importing the direct requirements is most of what verify costs (mlflow alone
# takes two seconds with its bytecode compiled).  Its outcome is a function of
# the bytes installed, the interpreter, the machine and the environment
# variables: when all are what they were for an earlier import test that
# passed, that outcome is reused instead of importing again.  The packages are
# known byte-identical because uv checked every archive against the lock's
# hashes (--require-hashes); a lock with a pin it cannot check (VCS, local
# path) or a project installed on top (its own code could shadow a module) is
# always imported for real.

IMPORT_RECORD_SCHEMA = "parity/import-record@1"


def import_record_key(
    spec: ProjectSpec,
    venv: VenvInfo,
    locked: LockedGroup,
    expected: Sequence[Pin],
    modules: Mapping[str, Sequence[str]],
) -> str | None:
    """What an import test's outcome depends on, or None when it must run for real."""
    import json
    import sys

    from parity.fsutil import sha256_text

    if spec.installable or not hashes_enforced(locked):
        return None
    try:
        interpreter = os.path.realpath(interpreter_path(venv.root))
        binary = os.stat(interpreter)
    except OSError:
        return None
    try:
        libc = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (AttributeError, ValueError, OSError):
        libc = ""
    skip = {"_", "OLDPWD", "PWD", "SHLVL", "TMPDIR"}
    material = {
        "schema": IMPORT_RECORD_SCHEMA,
        "interpreter": [interpreter, binary.st_size, binary.st_mtime_ns, binary.st_ino],
        "python": venv.python_version,
        "machine": [*(os.uname() if hasattr(os, "uname") else [sys.platform]), libc],
        "packages": sorted([p.name, p.version or "", sorted(p.hashes)] for p in expected),
        "installed": sorted(installed_distributions(venv.site_packages)),
        "modules": {name: list(ms) for name, ms in sorted(modules.items())},
        "environment": sorted((k, v) for k, v in os.environ.items() if k not in skip),
    }
    return sha256_text(json.dumps(material, sort_keys=True)).split(":", 1)[1]


def _import_record_path(key: str) -> Path:
    from parity.fsutil import cache_root

    return cache_root() / "imports" / f"{key[:40]}.json"


def read_import_record(key: str) -> ImportRun | None:
    """The passing import test recorded for ``key``; None when there is none (or reuse is off)."""
    import json

    if os.environ.get("PARITY_NO_CACHE", "") not in ("", "0"):
        return None
    try:
        data = json.loads(_import_record_path(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("at"), str):
        return None
    return ImportRun(
        version=None, implementation="", in_venv=True, failures=(), reused_from=data["at"]
    )


def write_import_record(key: str, run: ImportRun) -> None:
    import json
    import time

    from parity.fsutil import atomic_write_text

    if os.environ.get("PARITY_NO_CACHE", "") not in ("", "0"):
        return
    path = _import_record_path(key)
    record = {"key": key, "at": time.strftime("%Y-%m-%d %H:%M"), "python": run.version}
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_text(path, json.dumps(record) + "\n")
    except (OSError, ParityError):
        return  # only a speed-up is lost


def replace_run(activation: ImportRun, known: ImportRun) -> ImportRun:
    """This venv's own interpreter run, with the module outcome of the record."""
    return ImportRun(
        version=activation.version,
        implementation=activation.implementation,
        in_venv=activation.in_venv,
        failures=activation.failures,
        errors=activation.errors,
        reused_from=known.reused_from,
    )


def parse_import_output(
    stdout: str, returncode: int | None, *, timeout_s: float | None = None
) -> ImportRun:
    """What one import worker printed: its interpreter, failed imports, a crash."""
    version, implementation, in_venv = None, "", False
    failures: list[str] = []
    errors: list[str] = []
    last_try: str | None = None
    for raw in stdout.splitlines():
        if not raw.startswith(_MARK):
            continue
        kind, _, rest = raw.removeprefix(_MARK).partition(" ")
        if kind == "ACTIVE":
            parts = rest.split()
            version, implementation, in_venv = parts[0], _impl(parts[1]), parts[2] == "1"
        elif kind == "TRY":
            last_try = rest.strip()
        elif kind == "FAILED":
            module, _, detail = rest.partition(" ")
            failures.append(f"{module} failed: {detail}")
    # The script ends with os._exit(0): any other exit is a crash or a timeout
    # during the last import it announced.
    if version is not None and returncode != 0:
        module = last_try or "(before the first module)"
        if timeout_s is not None:
            errors.append(f"import {module} did not finish within {timeout_s:.0f} s")
        else:
            errors.append(f"import {module} crashed the interpreter (exit code {returncode})")
    return ImportRun(version, implementation, in_venv, tuple(failures), tuple(errors))


def _impl(name: str) -> str:
    return {"cpython": "CPython", "pypy": "PyPy"}.get(name, name)


def split_modules(weights: Mapping[str, int], workers: int) -> list[list[str]]:
    """Share modules among import workers, heaviest first onto the lightest worker."""
    shares: list[tuple[int, list[str]]] = [(0, []) for _ in range(max(1, workers))]
    for module, weight in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0])):
        index = min(range(len(shares)), key=lambda i: shares[i][0])
        total, modules = shares[index]
        shares[index] = (total + weight, [*modules, module])
    return [modules for _, modules in shares if modules] or [[]]


def run_imports(venv: VenvInfo, modules: Mapping[str, Sequence[str]] | Sequence[str]) -> ImportRun:
    """Start the venv's interpreter (proof it activates) and import every module.

    A fresh venv has no bytecode yet, so importing compiles; on more than one
    core the modules are shared among a few interpreters, heaviest first.
    Bytecode is not written: the venv is about to be deleted.
    """
    per_dist = modules if isinstance(modules, Mapping) else {"": tuple(modules)}
    weights = {m: _weight(venv.site_packages, dist) for dist, ms in per_dist.items() for m in ms}
    workers = min(os.cpu_count() or 1, 4, max(1, len(weights)))
    shares = split_modules(weights, workers)
    python = str(interpreter_path(venv.root))
    procs = [
        subprocess.Popen(
            [python, "-I", "-B", "-c", _IMPORT_SCRIPT, str(venv.root), *share],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            cwd=venv.root.parent,
        )
        for share in shares
    ]
    runs = [_collect(proc) for proc in procs]
    first = runs[0]
    return ImportRun(
        version=first.version,
        implementation=first.implementation,
        in_venv=all(r.in_venv for r in runs),
        failures=tuple(f for r in runs for f in r.failures),
        errors=tuple(e for r in runs for e in r.errors),
    )


def _collect(proc: subprocess.Popen[str]) -> ImportRun:
    try:
        out, err = proc.communicate(timeout=IMPORT_TIMEOUT_S)
        run = parse_import_output(out, proc.returncode)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        run = parse_import_output(out, proc.returncode, timeout_s=IMPORT_TIMEOUT_S)
    if run.version is None:
        tail = [line for line in err.splitlines() if line.strip()][-1:]
        return ImportRun(None, "", False, (), tuple(tail))
    return run


def _weight(site_packages: Path, dist: str) -> int:
    """How much there is to compile, roughly: the lines of the distribution's RECORD."""
    for info in site_packages.glob("*.dist-info"):
        if canonicalize_name(info.name.removesuffix(".dist-info").rpartition("-")[0]) == dist:
            try:
                return (info / "RECORD").read_text(encoding="utf-8", errors="replace").count("\n")
            except OSError:
                return 1
    return 1


# -- item 7: CI -----------------------------------------------------------------------

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
    return ci_verdict(installs, files=len(files), lockfiles=lockfiles)


def ci_verdict(installs: Sequence[CiInstall], *, files: int, lockfiles: Sequence[str]) -> Item:
    by_kind = {
        k: [i.render() for i in installs if i.kind == k] for k in (LOCK, BYPASS, PROJECT, TOOL)
    }
    fix = (
        f"Install from the lockfile ({', '.join(lockfiles)}): `parity sync`, "
        "`pip install --require-hashes -r <lockfile>` or `uv pip sync <lockfile>`."
    )
    if by_kind[BYPASS]:
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
