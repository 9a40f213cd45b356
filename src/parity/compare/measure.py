"""Measure every strategy on a copy of the project: whole processes, interleaved, medians.

For each target whose tools are here, a scratch copy of the project is put
in the target's format (``parity init --no-lock``, not timed).  Then, for
``runs`` rounds, every target in turn (the order rotates each round, so a
busy moment of the machine does not fall on one strategy) does:

1. lock with an empty cache and no lockfile (cold);
2. lock again with nothing changed (the CI cache key must not move);
3. lock from scratch with the cache kept (warm); cold and warm are two
   independent resolutions, whose lockfiles must be identical;
4. build the environment from the lock into an empty folder with an empty
   cache (cold), record what it installed and its size, remove it;
5. build it again, cache kept (warm): it must install exactly the same;
6. sync it again with nothing to do.

Each step is timed around its processes (``time.perf_counter``).  A step
that fails stops that target with the step's own error as the reason;
nothing is estimated.  Python caches byte code while measuring (parity's own
start-up is measured as users see it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from parity.compare.envfiles import differences, disk_usage, manifest
from parity.compare.model import Check, TargetResult
from parity.compare.targets import (
    COMMAND_TIMEOUT,
    STRATEGY_OF,
    Caches,
    Command,
    Target,
    all_targets,
    group_of,
)
from parity.errors import ParityError
from parity.frozen import dataclass, field
from parity.spec.model import ProjectSpec

Progress = Callable[[str], None]

# Never copied into the scratch project: environments, caches, VCS data, outputs.
_SKIP = frozenset(
    {
        ".git",
        ".hg",
        ".venv",
        "venv",
        ".conda",
        ".parity",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".tox",
        ".nox",
        "mlruns",
        "dist",
        "build",
    }
)
MAX_COPIED_BYTES = 20 * 1024 * 1024
OTHER_LOCKS = ("poetry.lock", "uv.lock", "pdm.lock", "conda.lock", "conda-lock.yml", "Pipfile.lock")


class StepFailed(Exception):
    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}: {reason}")
        self.step = step
        self.reason = reason


@dataclass
class Trial:
    """One target's scratch project and everything measured on it so far."""

    target: Target
    root: Path
    spec: ProjectSpec
    samples: dict[str, list[float]] = field(default_factory=dict)
    lock_texts: list[bytes] = field(default_factory=list)
    repro_problems: list[str] = field(default_factory=list)
    key_problems: list[str] = field(default_factory=list)
    commands: dict[str, tuple[str, ...]] = field(default_factory=dict)
    failed: str | None = None

    def add(self, key: str, value: float) -> None:
        self.samples.setdefault(key, []).append(value)


# -- inputs and the cache key --------------------------------------------------------


def inputs_digest(spec: ProjectSpec) -> str:
    """What the measurements depend on in the project: its inputs, as parity read them."""
    data = {
        "format": spec.format,
        "inputs": sorted((i.path, i.digest) for i in spec.inputs),
        "python": [spec.python.requires_python, spec.python.pinned],
        "groups": [(g.name, g.output) for g in spec.groups],
    }
    return "sha256:" + hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def machine_text() -> str:
    cpus = os.cpu_count() or 0
    return (
        f"{platform.system()} {platform.machine()}, {cpus} CPUs, Python {platform.python_version()}"
    )


def cache_key(digest: str, names: Sequence[str], runs: int, tools: Mapping[str, str]) -> str:
    from parity.version import __version__

    data = {
        "inputs": digest,
        "targets": list(names),
        "runs": runs,
        "tools": dict(sorted(tools.items())),
        "parity": __version__,
        "machine": machine_text(),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


# -- running processes ---------------------------------------------------------------


def child_environment(extra: Mapping[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONDONTWRITEBYTECODE", "POETRY_ACTIVE"):
        env.pop(name, None)
    env.update(extra)
    return env


def run_commands(
    step: str, commands: Sequence[Command], cwd: Path, env_dir: str, python: str
) -> float:
    """Run ``commands`` one after another in ``cwd``; their wall time, or StepFailed."""
    total = 0.0
    for command in commands:
        args = [a.replace("{python}", python).replace("{env}", env_dir) for a in command.args]
        started = time.perf_counter()
        try:
            proc = subprocess.run(
                args,
                cwd=cwd,
                env=child_environment(command.env),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=COMMAND_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise StepFailed(
                step, f"`{command.shown()}` did not finish in {COMMAND_TIMEOUT:.0f} s"
            ) from None
        except OSError as exc:
            raise StepFailed(
                step, f"`{command.shown()}` could not start: {exc.strerror or exc}"
            ) from None
        total += time.perf_counter() - started
        if proc.returncode != 0:
            raise StepFailed(
                step, f"`{command.shown()}` failed: {_tail(proc.stderr or proc.stdout)}"
            )
    return total


def _tail(text: str, limit: int = 500) -> str:
    """What a failed tool said, in one line: its first error line and its last line."""
    said = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not said:
        return "no output"
    first = next((line for line in said if "error" in line.lower()), said[0])
    start = said.index(first)
    # The error and what explains it (a resolver's reason sits a few lines below its
    # heading), then the tool's last word (usually its hint).
    picked = list(dict.fromkeys([*said[start : start + 4], said[-1]]))
    shown = " | ".join(picked)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


# -- the scratch copy -----------------------------------------------------------------


def copy_project(source: Path, target: Path) -> list[str]:
    """Copy the project's files (no environments, caches or VCS data); what was left out."""
    left_out: list[str] = []

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = {n for n in names if n in _SKIP or n.startswith(".venv")}
        for name in names:
            path = os.path.join(folder, name)
            try:
                if os.path.islink(path) and not os.path.exists(path):
                    skipped.add(name)
                elif os.path.isfile(path) and os.path.getsize(path) > MAX_COPIED_BYTES:
                    skipped.add(name)
                    left_out.append(os.path.relpath(path, source))
            except OSError:
                skipped.add(name)
        return skipped

    shutil.copytree(source, target, ignore=ignore, symlinks=True)
    return left_out


def remove_locks(root: Path, paths: Sequence[str]) -> None:
    for rel in paths:
        (root / rel).unlink(missing_ok=True)


def lockfile_bytes(root: Path, paths: Sequence[str]) -> bytes:
    out = b""
    for rel in paths:
        path = root / rel
        out += rel.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"<absent>") + b"\0"
    return out


def key_of(root: Path, paths: Sequence[str]) -> str:
    return hashlib.sha256(lockfile_bytes(root, paths)).hexdigest()


# -- one round of one target ------------------------------------------------------------


def one_round(
    trial: Trial, caches: Caches, python: str, say: Callable[[str, float | None], None]
) -> None:
    target, root, spec = trial.target, trial.root, trial.spec
    lockfiles = target.lockfiles(spec)
    keys = target.key_files(spec)
    env_dir = target.env_dir

    def step(key: str, label: str, commands: list[Command]) -> float:
        trial.commands.setdefault(key, tuple(c.shown() for c in commands))
        say(label, None)
        seconds = run_commands(label, commands, root, env_dir, python)
        trial.add(key, seconds)
        say(label, seconds)
        return seconds

    remove_locks(root, lockfiles)
    step("lock_cold", "lock, cold cache", target.lock(spec, caches))
    cold = lockfile_bytes(root, lockfiles)
    missing = [p for p in lockfiles if not (root / p).is_file()]
    if missing:
        raise StepFailed("lock, cold cache", f"wrote no {', '.join(missing)}")
    key_before = key_of(root, keys)
    step("relock", "lock again, nothing changed", target.lock(spec, caches))
    if key_of(root, keys) != key_before:
        trial.key_problems.append("locking again with nothing changed rewrote " + ", ".join(keys))
    remove_locks(root, lockfiles)
    step("lock_warm", "lock, warm cache", target.lock(spec, caches))
    warm = lockfile_bytes(root, lockfiles)
    if warm != cold:
        trial.repro_problems.append("two locks of the same inputs differ (cold and warm cache)")
    trial.lock_texts.append(warm)
    trial.add("lock_bytes", float(sum((root / p).stat().st_size for p in lockfiles)))
    trial.add("pins", float(target.pins(root, spec)))

    env = root / env_dir
    shutil.rmtree(env, ignore_errors=True)
    fresh = caches  # caches.env is still empty: the first build is a cold one
    step(
        "env_cold", "environment from the lock, cold cache", target.create_env(spec, fresh, python)
    )
    first = manifest(env)
    trial.add("env_bytes", float(disk_usage(env)))
    shutil.rmtree(env, ignore_errors=True)
    step(
        "env_warm", "environment from the lock, warm cache", target.create_env(spec, fresh, python)
    )
    second = manifest(env)
    if not second:
        raise StepFailed("environment from the lock", f"nothing was installed into {env_dir}")
    diff = differences(first, second)
    if diff:
        trial.repro_problems.append(f"two environments from the same lock differ ({diff})")
    step("resync", "sync again, nothing to do", target.resync(spec, fresh, python))
    if manifest(env) != second:
        trial.repro_problems.append("a sync with nothing to do changed the environment")


# -- the whole measurement ----------------------------------------------------------------


def measure(
    spec: ProjectSpec,
    names: Sequence[str],
    *,
    runs: int,
    work: Path,
    progress: Progress,
) -> tuple[list[TargetResult], list[str]]:
    """Measure ``names`` on copies of ``spec``'s project under ``work``; results and notes."""
    from parity.interpreters import find_interpreter

    targets = all_targets()
    results: dict[str, TargetResult] = {}
    notes: list[str] = []
    trials: list[Trial] = []
    try:
        python = str(
            find_interpreter(
                spec.python.pinned or f"{sys.version_info[0]}.{sys.version_info[1]}"
            ).path
        )
    except ParityError as exc:
        python = ""
        python_problem = exc.message
    else:
        python_problem = ""
    for name in names:
        target = targets[name]
        reason = target.unavailable(spec)
        if reason is None and python_problem and name in ("pip-tools/pip-compile", "poetry"):
            reason = python_problem
        if reason is not None:
            results[name] = TargetResult(name, STRATEGY_OF[name], target.tools(), False, reason)
            continue
        root = work / name.replace("/", "-") / spec.root.name
        root.parent.mkdir(parents=True)
        left_out = copy_project(spec.root, root)
        if left_out:
            notes.append(f"{name}: left out of the copy (over 20 MiB): {', '.join(left_out[:3])}")
        remove_locks(root, [*(g.output for g in spec.groups), *OTHER_LOCKS, "pylock.toml"])
        try:
            prepared = target.prepare(root, spec)
        except ParityError as exc:
            results[name] = TargetResult(
                name, STRATEGY_OF[name], target.tools(), False, f"could not set the copy up: {exc}"
            )
            continue
        remove_locks(root, [*target.lockfiles(prepared), "pylock.toml"])
        trials.append(Trial(target, root, prepared))
    for run in range(runs):
        order = trials[run % len(trials) :] + trials[: run % len(trials)] if trials else []
        for trial in order:
            if trial.failed:
                continue
            caches = Caches(
                lock=work / "caches" / f"{trial.target.name.replace('/', '-')}-{run}-lock",
                env=work / "caches" / f"{trial.target.name.replace('/', '-')}-{run}-env",
            )

            def say(label: str, seconds: float | None, _t: Trial = trial, _r: int = run) -> None:
                where = f"run {_r + 1}/{runs}  {_t.target.name:<22} {label}"
                progress(where + (f"  {seconds:.2f} s" if seconds is not None else " ..."))

            try:
                one_round(trial, caches, python, say)
            except StepFailed as exc:
                trial.failed = f"{exc.step} failed: {exc.reason}"
                progress(
                    f"run {run + 1}/{runs}  {trial.target.name:<22} not measured: {trial.failed}"
                )
            finally:
                shutil.rmtree(caches.lock, ignore_errors=True)
                shutil.rmtree(caches.env, ignore_errors=True)
                shutil.rmtree(trial.root / trial.target.env_dir, ignore_errors=True)
    for trial in trials:
        results[trial.target.name] = result_of(trial, runs)
    return [results[n] for n in names if n in results], notes


def result_of(trial: Trial, runs: int) -> TargetResult:
    target = trial.target
    name = target.name
    if trial.failed:
        return TargetResult(
            name, STRATEGY_OF[name], target.tools(), False, trial.failed, commands=trial.commands
        )
    repro = list(trial.repro_problems)
    if len(set(trial.lock_texts)) > 1:
        repro.append("the lockfiles of different runs differ")
    lockfiles = target.lockfiles(trial.spec)
    keys = target.key_files(trial.spec)
    reproducible = Check(
        not repro,
        "; ".join(dict.fromkeys(repro))
        if repro
        else f"{2 * runs} independent locks wrote identical {', '.join(lockfiles)}; "
        f"{2 * runs} environments built from them installed identical files",
    )
    stable = Check(
        not trial.key_problems,
        "; ".join(dict.fromkeys(trial.key_problems))
        if trial.key_problems
        else f"locking again left {', '.join(keys)} byte for byte as they were",
    )
    return TargetResult(
        name,
        STRATEGY_OF[name],
        target.tools(),
        True,
        None,
        samples={k: tuple(v) for k, v in trial.samples.items()},
        reproducible=reproducible,
        cache_key=stable,
        lockfiles=lockfiles,
        commands=trial.commands,
    )


def now_text() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def group_name(spec: ProjectSpec) -> str:
    return group_of(spec)
