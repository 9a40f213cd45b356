"""``parity verify``: the course's verification checklist, executed.

Each item passes or fails with the evidence that decided it.  The expensive
part is item 5: a fresh environment outside the project, built from the lock
alone (hash-checked), then compared with the lock.  The cheap checks (git,
lock contents, freshness, CI files) run in-process; the consistency check
and the import test run in parallel against the rebuilt environment.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from parity.diagnose.check import compare_with_lock, expected_pins, freshness_findings
from parity.env.installed import VenvInfo, installed_distributions, interpreter_path
from parity.env.sync import create_venv, install_lock, python_request, resolve_group
from parity.errors import LockFileError, ParityError
from parity.lock.engines.uv import run_uv
from parity.lock.formats.requirements_txt import read_group_lock
from parity.lock.model import LockedGroup
from parity.spec.model import ProjectSpec

VERIFY_SCHEMA = "parity/verify@1"
PASS, FAIL, SKIP = "pass", "fail", "skip"
CI_FILES = (
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
    ".gitlab-ci.yml",
    "Makefile",
    "Dockerfile",
    "tox.ini",
    "noxfile.py",
)
_FROM_LOCK = re.compile(
    r"(pip3?|python -m pip)\s+install\b[^\n]*-r\s+\S*requirements[^\s]*\.txt"
    r"|pip-sync|uv pip sync|parity sync|uv sync\b[^\n]*--(locked|frozen)|poetry install|pip install\b[^\n]*pylock"
)
_BYPASS = re.compile(r"(pip3?|python -m pip|uv pip)\s+install\b[^\n]*-r\s+\S*\.in\b")


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


@dataclass(frozen=True)
class VerifyReport:
    group: str
    items: tuple[Item, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return all(i.status != FAIL for i in self.items)

    def to_json(self) -> dict[str, object]:
        return {
            "schema": VERIFY_SCHEMA,
            "ok": self.ok,
            "group": self.group,
            "items": [i.to_json() for i in self.items],
        }


def verify_project(spec: ProjectSpec, *, group: str | None = None) -> VerifyReport:
    name = resolve_group(spec, group)
    output = spec.group(name).output
    items: list[Item] = []
    try:
        locked = read_group_lock(spec.root / output, display=output)
    except LockFileError as exc:
        items.append(
            Item(
                "lockfile",
                "A lockfile with exact versions exists",
                FAIL,
                (exc.message,),
                "Run `parity lock`.",
            )
        )
        return VerifyReport(name, tuple(items))
    items.append(lockfile_item(locked))
    items.append(git_item(spec.root, output))
    items.append(freshness_item(spec, name, locked))
    items.extend(rebuild_items(spec, locked))
    items.append(ci_item(spec.root, [g.output for g in spec.groups]))
    return VerifyReport(name, tuple(items))


def lockfile_item(locked: LockedGroup) -> Item:
    index_pins = [p for p in locked.pins if p.source is None]
    unpinned = [p.name for p in index_pins if not p.version]
    unhashed = [p.name for p in index_pins if not p.hashes]
    evidence = [
        f"{locked.output}: {len(locked.pins)} pins, {len(index_pins) - len(unhashed)} with hashes"
    ]
    if unpinned or unhashed:
        evidence += [f"without an exact version: {', '.join(unpinned)}"] if unpinned else []
        evidence += [f"without hashes: {', '.join(unhashed[:8])}"] if unhashed else []
        return Item(
            "lockfile",
            "A lockfile with exact versions exists",
            FAIL,
            tuple(evidence),
            "Run `parity lock`.",
        )
    return Item("lockfile", "A lockfile with exact versions exists", PASS, tuple(evidence))


def git_item(root: Path, output: str) -> Item:
    title = "The lockfile is committed and unmodified"
    tracked = _git(root, "ls-files", "--error-unmatch", "--", output)
    if tracked is None:
        return Item(
            "committed",
            title,
            FAIL,
            ("not a git repository (or git is missing)",),
            "Put the project under git and commit the lockfile.",
        )
    if tracked.returncode != 0:
        return Item(
            "committed",
            title,
            FAIL,
            (f"{output} is not tracked by git",),
            f"git add {output} && git commit",
        )
    status = _git(root, "status", "--porcelain", "--", output)
    if status is not None and status.stdout.strip():
        return Item(
            "committed",
            title,
            FAIL,
            (f"{output} has uncommitted changes",),
            f"Review and commit {output}.",
        )
    head = _git(root, "log", "-1", "--format=%h %s", "--", output)
    when = head.stdout.strip() if head is not None and head.stdout.strip() else "tracked"
    return Item("committed", title, PASS, (f"{output} committed ({when})",))


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    except FileNotFoundError:
        return None
    if proc.returncode == 128:  # not a repository
        return None
    return proc


def freshness_item(spec: ProjectSpec, name: str, locked: LockedGroup) -> Item:
    findings = freshness_findings(spec, {name: locked})
    if findings:
        return Item(
            "fresh",
            "The lock matches its inputs",
            FAIL,
            tuple(f.message for f in findings),
            "Run `parity lock` and commit the result.",
        )
    return Item(
        "fresh",
        "The lock matches its inputs",
        PASS,
        (f"digest {locked.meta.digest[:19]}... matches the current inputs",),
    )


def rebuild_items(spec: ProjectSpec, locked: LockedGroup) -> list[Item]:
    """Items 1, 5, 6: create an environment from scratch, compare, check, import."""
    lockfile = spec.root / locked.output
    with tempfile.TemporaryDirectory(prefix="parity-verify-") as tmp:
        try:
            venv = create_venv(Path(tmp) / "venv", python_request(locked), replace=False)
        except ParityError as exc:
            return [
                Item(
                    "create",
                    "A fresh environment can be created and activated",
                    FAIL,
                    (exc.message,),
                    exc.hint,
                )
            ]
        try:
            install_lock(spec, venv, lockfile, locked, offline=False, environ=os.environ)
        except ParityError as exc:
            return [
                Item(
                    "create",
                    "A fresh environment can be created and activated",
                    PASS,
                    (f"Python {venv.python_version} venv created",),
                ),
                Item(
                    "rebuild",
                    "The environment rebuilds from the lock alone and equals it",
                    FAIL,
                    tuple(exc.message.splitlines()[:8]),
                    exc.hint,
                ),
            ]
        installed = installed_distributions(venv.site_packages)
        expected = expected_pins(locked.pins, venv.python_version, venv.implementation)
        drift = compare_with_lock(
            expected,
            installed,
            ignore={"pip", "setuptools", "wheel"},
            venv_name="the rebuilt environment",
            group=locked.name,
        )
        if spec.installable and spec.name:
            drift = [f for f in drift if f.subject != spec.name]
        hashed = sum(1 for p in expected if p.hashes)
        rebuild = (
            Item(
                "rebuild",
                "The environment rebuilds from the lock alone and equals it",
                FAIL,
                tuple(f.message for f in drift),
                "Run `parity lock`, then verify again.",
            )
            if drift
            else Item(
                "rebuild",
                "The environment rebuilds from the lock alone and equals it",
                PASS,
                (
                    f"{len(expected)} distributions installed in a new venv match the lock's versions",
                    f"{hashed} archives were checked against the lock's hashes by uv (--require-hashes)",
                ),
            )
        )
        modules = import_names(venv, [r.name for r in spec.requirements_of(locked.name)])
        with ThreadPoolExecutor(max_workers=2) as pool:
            consistency = pool.submit(
                run_uv, ["pip", "check", "--python", str(interpreter_path(venv.root))]
            )
            imports = pool.submit(_import_all, venv, modules)
            check_proc = consistency.result()
            activated, failed = imports.result()
    create = (
        Item("create", "A fresh environment can be created and activated", PASS, (activated,))
        if activated.startswith("Python")
        else Item(
            "create",
            "A fresh environment can be created and activated",
            FAIL,
            (activated,),
            "Check the interpreter the lock names.",
        )
    )
    consistent_lines = [
        line for line in (check_proc.stdout + check_proc.stderr).splitlines() if line.strip()
    ]
    if check_proc.returncode == 0 and not failed:
        usable = Item(
            "usable",
            "The rebuilt environment is consistent and imports its direct dependencies",
            PASS,
            (
                "uv pip check: no broken requirements",
                f"imported {len(modules)} top-level modules: {', '.join(modules[:10])}{' ...' if len(modules) > 10 else ''}",
            ),
        )
    else:
        evidence = ([] if check_proc.returncode == 0 else consistent_lines[:6]) + failed[:6]
        usable = Item(
            "usable",
            "The rebuilt environment is consistent and imports its direct dependencies",
            FAIL,
            tuple(evidence),
            "Add the missing requirement to the inputs and run `parity lock`.",
        )
    return [create, rebuild, usable]


def import_names(venv: VenvInfo, names: Sequence[str]) -> list[str]:
    """Top-level modules of the given distributions, from top_level.txt or RECORD."""
    from packaging.utils import canonicalize_name

    wanted = {canonicalize_name(n) for n in names}
    modules: list[str] = []
    try:
        entries = os.listdir(venv.site_packages)
    except OSError:
        return modules
    for entry in sorted(entries):
        if not entry.endswith(".dist-info"):
            continue
        if canonicalize_name(entry.split("-")[0]) not in wanted:
            continue
        dist = venv.site_packages / entry
        found: list[str] = []
        top = dist / "top_level.txt"
        if top.is_file():
            found = [
                line.strip()
                for line in top.read_text(encoding="utf-8").splitlines()
                if line.strip()
            ]
        elif (dist / "RECORD").is_file():
            for line in (dist / "RECORD").read_text(encoding="utf-8").splitlines():
                first = line.split(",", 1)[0].split("/", 1)[0]
                if first.endswith((".dist-info", ".data", ".pth")) or first in (
                    "..",
                    "bin",
                    "__pycache__",
                ):
                    continue
                first = first.removesuffix(".py")
                if first.isidentifier() and first not in found:
                    found.append(first)
        modules += [
            m for m in found if m.isidentifier() and not m.startswith("_") and m not in modules
        ]
    return modules


_IMPORT_SCRIPT = """
import importlib, sys
print("Python " + sys.version.split()[0] + " at " + ("venv" if sys.prefix != sys.base_prefix else "system"))
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except BaseException as exc:
        print("FAILED " + name + ": " + type(exc).__name__ + ": " + str(exc).splitlines()[0] if str(exc) else "FAILED " + name + ": " + type(exc).__name__)
"""


def _import_all(venv: VenvInfo, modules: Sequence[str]) -> tuple[str, list[str]]:
    proc = subprocess.run(
        [str(interpreter_path(venv.root)), "-c", _IMPORT_SCRIPT, *modules],
        capture_output=True,
        text=True,
        cwd=venv.root,
    )
    lines = proc.stdout.splitlines()
    if proc.returncode != 0 or not lines:
        return f"the interpreter did not run: {proc.stderr.strip().splitlines()[-1:]}", []
    return lines[0], [
        line.removeprefix("FAILED ") for line in lines[1:] if line.startswith("FAILED ")
    ]


def ci_item(root: Path, lockfiles: Sequence[str]) -> Item:
    title = "CI installs from the same lock"
    files = sorted({p for pattern in CI_FILES for p in root.glob(pattern) if p.is_file()})
    if not files:
        return Item(
            "ci",
            title,
            SKIP,
            (
                "no CI configuration found (.github/workflows, .gitlab-ci.yml, Makefile, Dockerfile, tox.ini, noxfile.py)",
            ),
            "Add a CI job that runs `parity sync` (or pip install --require-hashes -r <lockfile>) and `parity check`.",
        )
    good: list[str] = []
    bad: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(text.splitlines(), start=1):
            if _BYPASS.search(line):
                bad.append(
                    f"{rel}:{number}: installs from an input file, not the lock: {line.strip()}"
                )
            elif _FROM_LOCK.search(line):
                good.append(f"{rel}:{number}: {line.strip()}")
    if bad:
        return Item(
            "ci",
            title,
            FAIL,
            tuple(bad[:6]),
            f"Install from the lockfile ({', '.join(lockfiles)}) with `parity sync` or `pip install --require-hashes -r`.",
        )
    if good:
        return Item("ci", title, PASS, tuple(good[:6]))
    return Item(
        "ci", title, SKIP, (f"{len(files)} CI file(s) found, none installs Python packages",)
    )
