"""``make bench``: parity against its peers, as a user runs them.

Usage:  python bench/bench.py [--runs 5] [--full] [--markdown docs/bench.md]

Every figure is a whole process started from the shell (never a function
called in-process), every comparison a series of interleaved pairs (A B A B
...; a busy machine then slows both sides alike), and each side is reported
as min / median / max of ``--runs`` runs; ratios are of medians.  Bytecode
caching is on (``PYTHONDONTWRITEBYTECODE`` is removed: a shell that sets it
makes every parity call recompile parity).

Projects, each in a private temporary copy:

- ``small``: the first four packages of ``bench/popular.txt`` and pytest;
- ``bankchurn``: ``examples/bankchurn`` (114 pins in its dev group);
- ``large``: every package of ``bench/popular.txt`` (about 300 pins, with
  torch, transformers, mlflow and dask).

Each has a uv project twin (the same requirements as ``[project]``
dependencies and a ``dev`` dependency group) for ``uv lock`` and ``uv sync``.
Both tools get the same interpreter and the same (warm) uv cache.  Locks are
timed ``--offline`` (parity's and uv's own cost) and online (against the
real registry: needs the network); the index serves no cache headers, so a
"warm" online lock fetches every page again.

``--full`` adds the online lock of the large project, pip-compile and Poetry
(when installed, on the example) and more of the scaling table; it takes
about 20 minutes.  ``--markdown`` writes the page (docs/bench.md keeps its
fleet section, which ``bench/fleet_bench.py`` measures).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
EXAMPLE = REPO / "examples" / "bankchurn"
FLEET_SECTION = "## Fleet store at 10,000 snapshots"


# -- running things -------------------------------------------------------------------------


def tool(name: str) -> str | None:
    candidate = BIN / name
    return str(candidate) if candidate.exists() else shutil.which(name)


@dataclass(frozen=True)
class Cmd:
    """One command line, run in a folder, with a shell-free setup step before it."""

    argv: tuple[str, ...]
    cwd: Path
    env: dict[str, str] | None = None
    setup: Callable[[], None] | None = None
    label: str = ""

    def shown(self) -> str:
        return self.label or " ".join(
            Path(self.argv[0]).name if i == 0 else a for i, a in enumerate(self.argv)
        )


class Failed(RuntimeError):
    pass


def run_once(cmd: Cmd, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run (the setup step excluded)."""
    if cmd.setup is not None:
        cmd.setup()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        cmd.argv,
        cwd=cmd.cwd,
        env={**env, **(cmd.env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise Failed(
            f"{cmd.shown()} failed ({proc.returncode}):\n{(proc.stderr or proc.stdout)[-1500:]}"
        )
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


@dataclass
class Side:
    what: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    def span(self) -> str:
        ms = sorted(w * 1000 for w in self.walls)
        return f"{_ms(ms[0])} / {_ms(statistics.median(ms))} / {_ms(ms[-1])}"


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


@dataclass
class Row:
    section: str
    operation: str
    parity: Side
    base: Side | None
    goal: str = ""
    limit: float | None = None  # the highest ratio the goal allows
    absolute: float | None = None  # and the highest parity median, seconds
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.parity.median / self.base.median if self.base else None

    @property
    def met(self) -> bool | None:
        if self.limit is None and self.absolute is None:
            return None
        ok = True
        if self.limit is not None and self.ratio is not None:
            ok = self.ratio <= self.limit
        if self.absolute is not None:
            ok = ok and self.parity.median < self.absolute
        return ok


class Bench:
    def __init__(self, runs: int, env: dict[str, str]) -> None:
        self.runs = runs
        self.env = env
        self.rows: list[Row] = []
        self.skipped: list[str] = []

    def pair(
        self,
        section: str,
        operation: str,
        a: Cmd,
        b: Cmd | None,
        *,
        goal: str = "",
        limit: float | None = None,
        absolute: float | None = None,
        note: str = "",
        runs: int | None = None,
    ) -> Row | None:
        """Interleaved runs A B A B ... (A alone when there is no B)."""
        left, right = Side(a.shown()), Side(b.shown()) if b else None
        try:
            for _ in range(runs or self.runs):
                wall, cpu = run_once(a, self.env)
                left.walls.append(wall)
                left.cpus.append(cpu)
                if b is not None and right is not None:
                    wall, cpu = run_once(b, self.env)
                    right.walls.append(wall)
                    right.cpus.append(cpu)
        except Failed as exc:
            self.skipped.append(f"{section}: {operation}: {exc}")
            print(f"  skipped {operation}: {str(exc).splitlines()[0]}", flush=True)
            return None
        row = Row(section, operation, left, right, goal, limit, absolute, note)
        self.rows.append(row)
        print("  " + format_row(row), flush=True)
        return row


def format_row(row: Row) -> str:
    ratio = f"{row.ratio:5.2f}x" if row.ratio is not None else "      "
    base = row.base.span() if row.base else ""
    verdict = {True: "met", False: "NOT met", None: ""}[row.met]
    goal = f"{row.goal} {verdict}".strip()
    return f"{row.operation:<44} {row.parity.span():>22} {base:>24} {ratio}  {goal}"


# -- projects ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    name: str
    root: Path  # pip-tools style, for parity
    twin: Path  # the same requirements as a uv project
    groups: tuple[str, ...] = ("prod", "dev")

    @property
    def lockfiles(self) -> list[Path]:
        return [
            self.root / "requirements.txt",
            self.root / "requirements-dev.txt",
            self.root / "pylock.toml",
        ]


def popular() -> tuple[list[str], list[str]]:
    prod: list[str] = []
    dev: list[str] = []
    current = prod
    for line in (HERE / "popular.txt").read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text == "# dev":
            current = dev
        elif text and not text.startswith("#"):
            current.append(text)
    return prod, dev


def requirement_lines(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if text and not text.startswith("-"):
            out.append(text)
    return out


def write_twin(root: Path, name: str, prod: Sequence[str], dev: Sequence[str]) -> None:
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        "[project]\n"
        f'name = "bench-{name}"\nversion = "0"\nrequires-python = "==3.11.*"\n'
        f"dependencies = {json.dumps(list(prod))}\n\n"
        f"[dependency-groups]\ndev = {json.dumps(list(dev))}\n\n"
        "[tool.uv]\npackage = false\n",
        encoding="utf-8",
    )


def generated(tmp: Path, name: str, prod: Sequence[str], dev: Sequence[str]) -> Project:
    root = tmp / name
    root.mkdir(parents=True)
    (root / "requirements.in").write_text("\n".join(prod) + "\n", encoding="utf-8")
    (root / "requirements-dev.in").write_text(
        "-r requirements.in\n" + "\n".join(dev) + "\n", encoding="utf-8"
    )
    (root / ".python-version").write_text("3.11\n", encoding="utf-8")
    write_twin(tmp / f"{name}-uv", name, prod, dev)
    return Project(name, root, tmp / f"{name}-uv")


def example(tmp: Path) -> Project:
    root = tmp / "bankchurn"
    shutil.copytree(
        EXAMPLE,
        root,
        ignore=shutil.ignore_patterns(
            ".venv", "mlruns", "artifacts", "__pycache__", "requirements*.txt", "pylock.toml"
        ),
    )
    prod = requirement_lines(root / "requirements.in")
    dev = requirement_lines(root / "requirements-dev.in")
    write_twin(tmp / "bankchurn-uv", "bankchurn", prod, dev)
    return Project("bankchurn", root, tmp / "bankchurn-uv")


def pin_count(project: Project) -> int:
    text = (project.root / "requirements-dev.txt").read_text(encoding="utf-8")
    return sum(1 for line in text.splitlines() if "==" in line and not line.startswith(("#", " ")))


def rm(*paths: Path) -> Callable[[], None]:
    def remove() -> None:
        for path in paths:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)

    return remove


# -- the measurements ------------------------------------------------------------------------


class Tools:
    def __init__(self) -> None:
        found = {name: tool(name) for name in ("parity", "uv", "pip-compile", "poetry")}
        if not found["parity"] or not found["uv"]:
            raise SystemExit("parity or uv not found; run `make setup` first")
        self.parity: str = str(found["parity"])
        self.uv: str = str(found["uv"])
        self.pip_compile = found["pip-compile"]
        self.poetry = found["poetry"]
        # The interpreter parity runs on, past the venv's links: uv gets the same one.
        self.python = os.path.realpath(sys.executable)


def startup(bench: Bench, tools: Tools, tmp: Path) -> None:
    section = "start-up"
    print(f"\n{section}", flush=True)
    py = Cmd((sys.executable, "-c", "pass"), tmp, label="python -c pass")
    bench.pair(
        section,
        "parity --version",
        Cmd((tools.parity, "--version"), tmp),
        py,
        goal="<= 2x",
        limit=2.0,
    )
    helped = Cmd((tools.parity, "lock", "--help"), tmp)
    run_once(helped, bench.env)  # the run that records it
    bench.pair(section, "parity lock --help", helped, py, goal="<= 2x", limit=2.0)
    bench.pair(
        section,
        "parity lock --help (PARITY_NO_CACHE=1)",
        Cmd((tools.parity, "lock", "--help"), tmp, env={"PARITY_NO_CACHE": "1"}),
        py,
        note="the first run: click builds the help",
    )


def lock_rows(bench: Bench, tools: Tools, p: Project, *, online: bool, full: bool) -> None:
    section = f"lock: {p.name}"
    print(f"\n{section}", flush=True)
    uvpy = ("--python", tools.python)
    parity_lock = (tools.parity, "lock")
    uv_lock = (tools.uv, "lock", "--quiet", *uvpy)
    # Warm the uv cache for both (and prove each side works) before timing.
    run_once(Cmd(parity_lock, p.root), bench.env)
    run_once(Cmd(uv_lock, p.twin), bench.env)
    pins = pin_count(p)
    bench.pair(
        section,
        f"lock from scratch --offline ({pins} pins)",
        Cmd(
            (*parity_lock, "--offline"),
            p.root,
            setup=rm(*p.lockfiles),
            label="parity lock --offline",
        ),
        Cmd(
            (*uv_lock, "--offline"), p.twin, setup=rm(p.twin / "uv.lock"), label="uv lock --offline"
        ),
        goal="<= 1.5x",
        limit=1.5,
    )
    engine = engine_script(tools, p)
    bench.pair(
        section,
        "uv's own part of a lock --offline",
        engine,
        Cmd(
            (*uv_lock, "--offline"), p.twin, setup=rm(p.twin / "uv.lock"), label="uv lock --offline"
        ),
        note="uv lock, then the 3 uv export parity runs (2 groups and pylock.toml), no parity: "
        "the floor of the row above",
    )
    bench.pair(
        section,
        "lock --offline vs uv's own part of it",
        Cmd(
            (*parity_lock, "--offline"),
            p.root,
            setup=rm(*p.lockfiles),
            label="parity lock --offline",
        ),
        engine,
        note="what parity adds to the uv processes it runs",
    )
    compiles = [
        (
            tools.uv,
            "pip",
            "compile",
            f"{name}.in",
            "-o",
            f"{name}.txt",
            "--universal",
            "--generate-hashes",
            "--python-version",
            "3.11",
            "--quiet",
            "--no-header",
            "--offline",
        )
        for name in ("requirements", "requirements-dev")
    ]
    compile_both = compile_script(bench, p, compiles)
    bench.pair(
        section,
        "lock --offline vs uv pip compile per group",
        Cmd(
            (*parity_lock, "--offline"),
            p.root,
            setup=rm(*p.lockfiles),
            label="parity lock --offline",
        ),
        compile_both,
        note="two compiles (one per group) do what one parity lock does",
    )
    if online:
        bench.pair(
            section,
            "lock from scratch, online",
            Cmd(parity_lock, p.root, setup=rm(*p.lockfiles), label="parity lock"),
            Cmd(uv_lock, p.twin, setup=rm(p.twin / "uv.lock"), label="uv lock"),
            goal="<= 1.10x",
            limit=1.10,
        )
    # Nothing changed: the first run resolves and finds nothing to change (recorded).
    # (The compile row leaves uv pip compile's files, which parity will not overwrite.)
    run_once(Cmd(parity_lock, p.root, setup=rm(*p.lockfiles)), bench.env)
    run_once(Cmd(uv_lock, p.twin), bench.env)
    bench.pair(
        section,
        "lock, nothing changed",
        Cmd(parity_lock, p.root, label="parity lock"),
        Cmd(uv_lock, p.twin, label="uv lock"),
        goal="<= 2.5x, < 100 ms",
        limit=2.5,
        absolute=0.1,
    )
    bench.pair(
        section,
        "lock, nothing changed (PARITY_NO_CACHE=1)",
        Cmd(
            (*parity_lock, "--offline"),
            p.root,
            env={"PARITY_NO_CACHE": "1"},
            label="parity lock --offline",
        ),
        Cmd((*uv_lock, "--offline"), p.twin, label="uv lock --offline"),
        note="a fresh clone or CI: nothing recorded, answered from the lockfiles' digests",
    )
    bench.pair(
        section,
        "check --lock-only",
        Cmd((tools.parity, "check", "--lock-only"), p.root),
        Cmd((tools.uv, "lock", "--check", "--quiet", *uvpy), p.twin, label="uv lock --check"),
        goal="<= 2.5x",
        limit=2.5,
    )
    bench.pair(
        section,
        "check --lock-only (PARITY_NO_CACHE=1)",
        Cmd((tools.parity, "check", "--lock-only"), p.root, env={"PARITY_NO_CACHE": "1"}),
        Cmd((tools.uv, "lock", "--check", "--quiet", *uvpy), p.twin, label="uv lock --check"),
        note="a fresh clone or CI: nothing recorded",
    )
    # The same project written as a pyproject.toml (how uv, Poetry, PDM and Hatch
    # projects are read), whose tables are checked against their schemas on every run.
    form = p.twin.parent / f"{p.name}-pyproject"
    shutil.copytree(p.twin, form, ignore=shutil.ignore_patterns("uv.lock", ".venv", "pylock.toml"))
    run_once(Cmd((*parity_lock, "--offline"), form), bench.env)
    bench.pair(
        section,
        "pyproject: check --lock-only (PARITY_NO_CACHE=1)",
        Cmd((tools.parity, "check", "--lock-only"), form, env={"PARITY_NO_CACHE": "1"}),
        Cmd((tools.uv, "lock", "--check", "--quiet", *uvpy), p.twin, label="uv lock --check"),
        note="the same requirements in a pyproject.toml ([project], [dependency-groups]); "
        "nothing recorded",
    )
    bench.pair(
        section,
        "pyproject: lock no-op (PARITY_NO_CACHE=1)",
        Cmd(
            (*parity_lock, "--offline"),
            form,
            env={"PARITY_NO_CACHE": "1"},
            label="parity lock --offline",
        ),
        Cmd((*uv_lock, "--offline"), p.twin, label="uv lock --offline"),
        note="the same requirements in a pyproject.toml; nothing recorded",
    )


def engine_script(tools: Tools, p: Project) -> Cmd:
    """What uv alone does in a parity lock: one ``uv lock``, then the exports in parallel."""
    common = ("--frozen", "--quiet", "--offline", "--python", tools.python, "--no-header")
    exports = [
        (tools.uv, "export", *common, "--no-dev", "--format", "requirements-txt"),
        (tools.uv, "export", *common, "--only-group", "dev", "--format", "requirements-txt"),
        (
            tools.uv,
            "export",
            *common,
            "--all-groups",
            "--format",
            "pylock.toml",
            "-o",
            "pylock.toml",
        ),
    ]
    lines = ["set -e", f"{_quote(tools.uv)} lock --quiet --offline --python {_quote(tools.python)}"]
    lines += [
        " ".join(_quote(a) for a in c) + f" > /dev/null & p{i}=$!" for i, c in enumerate(exports)
    ]
    lines.append(" && ".join(f"wait $p{i}" for i in range(len(exports))))
    script = p.twin.parent / f"{p.name}-engine.sh"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Cmd(
        ("sh", str(script)),
        p.twin,
        setup=rm(p.twin / "uv.lock", p.twin / "pylock.toml"),
        label="uv lock + 3 uv export",
    )


def compile_script(
    bench: Bench, p: Project, commands: Sequence[Sequence[str]], name: str = "compile"
) -> Cmd:
    """Several commands in one timed process (a small shell script, kept outside the project)."""
    script = p.twin.parent / f"{p.name}-{name}.sh"
    script.write_text(
        "set -e\n" + "\n".join(" ".join(_quote(a) for a in c) for c in commands) + "\n",
        encoding="utf-8",
    )
    return Cmd(("sh", str(script)), p.root, setup=rm(*p.lockfiles), label="uv pip compile x2")


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)


def env_rows(bench: Bench, tools: Tools, p: Project, *, verify: bool) -> None:
    section = f"environment: {p.name}"
    print(f"\n{section}", flush=True)
    uvpy = ("--python", tools.python)
    venv, raw = p.root / ".venv", p.twin.parent / f"{p.name}-raw-venv"
    run_once(Cmd((tools.parity, "lock", "--offline"), p.root), bench.env)
    rawsync = compile_script(
        bench,
        p,
        [
            (tools.uv, "venv", "--quiet", *uvpy, str(raw)),
            (
                tools.uv,
                "pip",
                "sync",
                "--quiet",
                "--python",
                str(raw / "bin" / "python"),
                "requirements-dev.txt",
            ),
        ],
        name="rebuild",
    )
    rawsync = Cmd(rawsync.argv, p.root, setup=rm(raw), label="uv venv + uv pip sync")
    run_once(Cmd((tools.parity, "sync", "--group", "dev"), p.root), bench.env)  # warm the cache
    bench.pair(
        section,
        "sync into a fresh venv",
        Cmd((tools.parity, "sync", "--group", "dev"), p.root, setup=rm(venv), label="parity sync"),
        rawsync,
    )
    run_once(Cmd((tools.parity, "sync", "--group", "dev"), p.root), bench.env)
    run_once(Cmd((tools.parity, "sync", "--group", "dev"), p.root), bench.env)  # recorded
    pip_sync = Cmd(
        (
            tools.uv,
            "pip",
            "sync",
            "--quiet",
            "--offline",
            "--python",
            str(venv / "bin" / "python"),
            "requirements-dev.txt",
        ),
        p.root,
        label="uv pip sync --offline",
    )
    bench.pair(
        section,
        "sync, nothing to do",
        Cmd((tools.parity, "sync", "--group", "dev"), p.root),
        pip_sync,
        goal="<= 2x",
        limit=2.0,
    )
    bench.pair(
        section,
        "sync, nothing to do (PARITY_NO_CACHE=1)",
        Cmd((tools.parity, "sync", "--group", "dev"), p.root, env={"PARITY_NO_CACHE": "1"}),
        pip_sync,
        note="a fresh clone or CI: nothing recorded",
    )
    run_once(Cmd((tools.parity, "check"), p.root), bench.env)
    run_once(Cmd((tools.uv, "sync", "--quiet", *uvpy), p.twin), bench.env)
    uv_sync_check = Cmd(
        (tools.uv, "sync", "--check", "--quiet", *uvpy), p.twin, label="uv sync --check"
    )
    freeze = Cmd(
        (tools.uv, "pip", "freeze", "--python", str(venv / "bin" / "python")),
        p.root,
        label="uv pip freeze",
    )
    bench.pair(
        section,
        "check (lock and environment)",
        Cmd((tools.parity, "check"), p.root),
        uv_sync_check,
        goal="<= 2.5x",
        limit=2.5,
    )
    bench.pair(
        section,
        "check vs uv pip freeze",
        Cmd((tools.parity, "check"), p.root),
        freeze,
        goal="<= 2.5x",
        limit=2.5,
    )
    bench.pair(
        section,
        "check (PARITY_NO_CACHE=1)",
        Cmd((tools.parity, "check"), p.root, env={"PARITY_NO_CACHE": "1"}),
        uv_sync_check,
        note="a fresh clone or CI: nothing recorded",
    )
    out = p.twin.parent / f"{p.name}-snapshot.json"
    snap = Cmd(
        (tools.parity, "snapshot", "--env", ".venv", "-o", str(out)),
        p.root,
        label="parity snapshot",
    )
    run_once(snap, bench.env)  # the venv's interpreter, probed once
    bench.pair(section, "snapshot --env .venv", snap, freeze, goal="<= 2x", limit=2.0)
    if verify:
        for command in (("git", "init", "-q"), ("git", "add", "-A")):
            subprocess.run(command, cwd=p.root, check=True, env=bench.env)
        subprocess.run(
            [
                "git",
                "-c",
                "user.name=bench",
                "-c",
                "user.email=bench@example.invalid",
                "commit",
                "-qm",
                "bench",
            ],
            cwd=p.root,
            check=True,
            env=bench.env,
        )
        run_once(Cmd((tools.parity, "verify", "--group", "dev"), p.root), bench.env)
        bench.pair(
            section,
            "verify",
            Cmd((tools.parity, "verify", "--group", "dev"), p.root),
            rawsync,
            goal="<= 2x",
            limit=2.0,
            note="the import test of byte-identical packages is reused (docs/verify.md)",
        )
        bench.pair(
            section,
            "verify (PARITY_NO_CACHE=1: every import for real)",
            Cmd((tools.parity, "verify", "--group", "dev"), p.root, env={"PARITY_NO_CACHE": "1"}),
            rawsync,
        )


def snapshot_sizes(bench: Bench, tools: Tools, tmp: Path, sizes: Sequence[int]) -> None:
    section = "snapshot: synthetic environments"
    print(f"\n{section}", flush=True)
    sys.path.insert(0, str(HERE))
    for size in sizes:
        root = tmp / f"synthetic-{size}"
        python = make_synthetic_env(root, tools, size)
        snap = Cmd(
            (tools.parity, "snapshot", "--env", str(root), "-o", str(tmp / "s.json")),
            tmp,
            label="parity snapshot",
        )
        run_once(snap, bench.env)  # the interpreter, probed once
        freeze = Cmd(
            (tools.uv, "pip", "freeze", "--python", str(python)), tmp, label="uv pip freeze"
        )
        bench.pair(
            section, f"snapshot, {size} distributions", snap, freeze, goal="<= 2x", limit=2.0
        )


def make_synthetic_env(root: Path, tools: Tools, packages: int) -> Path:
    """A venv with ``packages`` distributions written as an installer leaves them."""
    subprocess.run([tools.uv, "venv", "--quiet", "--python", tools.python, str(root)], check=True)
    site = next((root / "lib").glob("python*/site-packages"))
    for i in range(packages):
        name, version = f"synthetic_pkg_{i:04d}", f"{i % 7}.{i % 13}.{i % 5}"
        info = site / f"{name}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\n{'Text. ' * 200}\n",
            encoding="utf-8",
        )
        (info / "INSTALLER").write_text("uv\n", encoding="utf-8")
        (info / "REQUESTED").write_text("", encoding="utf-8")
        (info / "RECORD").write_text(
            f"{name}/__init__.py,,\n{info.name}/METADATA,,\n", encoding="utf-8"
        )
        (site / name).mkdir()
        (site / name / "__init__.py").write_text("", encoding="utf-8")
    return root / "bin" / "python"


def peers(bench: Bench, tools: Tools, p: Project) -> None:
    section = f"peers: {p.name}"
    print(f"\n{section}", flush=True)
    parity_lock = Cmd((tools.parity, "lock"), p.root, setup=rm(*p.lockfiles), label="parity lock")
    if tools.pip_compile:
        script = compile_script(
            bench,
            p,
            [
                (tools.pip_compile, "--quiet", "--generate-hashes", "--no-header", f"{n}.in")
                for n in ("requirements", "requirements-dev")
            ],
            name="pip-compile",
        )
        bench.pair(
            section,
            "lock vs pip-compile per group",
            parity_lock,
            Cmd(script.argv, p.root, setup=script.setup, label="pip-compile x2"),
        )
    else:
        bench.skipped.append(f"{section}: pip-compile is not installed")
    if tools.poetry:
        folder = poetry_twin(p)
        bench.pair(
            section,
            "lock vs poetry lock",
            parity_lock,
            Cmd(
                (tools.poetry, "lock", "--no-interaction"),
                folder,
                setup=rm(folder / "poetry.lock"),
                label="poetry lock",
            ),
        )
    else:
        bench.skipped.append(f"{section}: Poetry is not installed")


def poetry_twin(p: Project) -> Path:
    """The project as a Poetry project, reading the registry's simple index (as pip does)."""
    folder = p.twin.parent / f"{p.name}-poetry"
    folder.mkdir(exist_ok=True)
    prod = requirement_lines(p.root / "requirements.in")
    dev = requirement_lines(p.root / "requirements-dev.in")
    # Poetry's default source reads a JSON API this machine's index does not serve;
    # the simple index works (the same URL the network tests probe).
    simple = os.environ.get("PARITY_TEST_REGISTRY_URL") or "https://" + "pypi" + ".org/simple/"
    (folder / "pyproject.toml").write_text(
        "[project]\n"
        f'name = "bench-{p.name}"\nversion = "0"\nrequires-python = ">=3.11,<3.12"\n'
        f"dependencies = {json.dumps(prod)}\n\n"
        f"[dependency-groups]\ndev = {json.dumps(dev)}\n\n"
        "[tool.poetry]\npackage-mode = false\n\n"
        f'[[tool.poetry.source]]\nname = "simple"\nurl = "{simple}"\npriority = "primary"\n',
        encoding="utf-8",
    )
    return folder


def scaling(bench: Bench, tools: Tools, tmp: Path, counts: Sequence[int]) -> list[tuple[int, Row]]:
    section = "scaling: lock from scratch --offline, by pin count"
    print(f"\n{section}", flush=True)
    prod, dev = popular()
    out = []
    for count in counts:
        p = generated(tmp, f"top{count}", prod[:count], dev[: max(1, count // 6)])
        try:
            # Online once, so that what a smaller project resolves to is in the cache.
            run_once(Cmd((tools.parity, "lock"), p.root), bench.env)
            run_once(
                Cmd((tools.uv, "lock", "--quiet", "--python", tools.python), p.twin), bench.env
            )
        except Failed as exc:
            bench.skipped.append(f"{section}: {count} packages: {str(exc).splitlines()[0]}")
            continue
        pins = pin_count(p)
        row = bench.pair(
            section,
            f"{count} requirements, {pins} pins",
            Cmd(
                (tools.parity, "lock", "--offline"),
                p.root,
                setup=rm(*p.lockfiles),
                label="parity lock --offline",
            ),
            Cmd(
                (tools.uv, "lock", "--offline", "--quiet", "--python", tools.python),
                p.twin,
                setup=rm(p.twin / "uv.lock"),
                label="uv lock --offline",
            ),
        )
        if row is not None:
            out.append((pins, row))
    return out


# -- the page --------------------------------------------------------------------------------


def load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.1f} (1 min) / {five:.1f} (5 min)"


def markdown(bench: Bench, meta: dict[str, str], scale: list[tuple[int, Row]]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "<!-- Generated by `python bench/bench.py --markdown docs/bench.md`; do not edit by hand. -->",
        "",
        f"Measured {meta['date']} with `{meta['command']}` on this machine: "
        f"{meta['cores']} cores, {meta['python']}, uv {meta['uv']}; `python -c pass` takes "
        f"{meta['startup']} (median). Load average {meta['load_start']} at the start, "
        f"{meta['load_end']} at the end{meta['load_note']}",
        "",
        "How it measures: every figure is a whole process started as a user starts it "
        "(never a function called in-process); every comparison is a series of interleaved "
        f"pairs (A B A B ..., {bench.runs} of each), so a busy machine slows both sides "
        "alike; each side is given as min / median / max in milliseconds and ratios are of "
        "medians. Bytecode caching is on (`PYTHONDONTWRITEBYTECODE` removed: a shell that "
        "sets it makes every parity call recompile parity). Both tools get the same "
        "interpreter and the same warm uv cache; `--offline` isolates each tool's own cost, "
        "while online figures include fetching every index page again (the index sends no "
        "cache headers). A repeated `check`, `sync` or `lock` answers from the record of "
        "the last identical run ([reuse.md](reuse.md)); rows marked `PARITY_NO_CACHE=1` show "
        "the same command with nothing recorded (a fresh clone, a CI job).",
        "",
        "## The goals",
        "",
        "| operation | parity (median) | baseline | ratio | goal | |",
        "| --- | ---: | --- | ---: | --- | --- |",
    ]
    for row in bench.rows:
        if row.met is None:
            continue
        base = f"{row.base.what} {row.base.median * 1000:,.0f} ms" if row.base else ""
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else ""
        lines.append(
            f"| {row.section}: {row.operation} | {row.parity.median * 1000:,.0f} ms | {base} | "
            f"{ratio} | {row.goal} | {'met' if row.met else '**not met**'} |"
        )
    sections: dict[str, list[Row]] = {}
    for row in bench.rows:
        sections.setdefault(row.section, []).append(row)
    lines += ["", "## Every measurement", ""]
    for section, rows in sections.items():
        lines += [f"### {section}", "", "```"]
        lines.append(
            f"{'operation':<44} {'parity min/med/max':>22} {'baseline min/med/max':>24}  ratio"
        )
        for row in rows:
            lines.append(format_row(row).rstrip())
        lines.append("```")
        for row in rows:
            if row.base:
                lines.append(
                    f"- {row.operation}: parity is `{row.parity.what}`, the baseline `{row.base.what}`."
                )
            if row.note:
                lines.append(f"  ({row.note})")
        lines.append("")
    if scale:
        lines += [
            "## Scaling by pin count (lock from scratch, `--offline`)",
            "",
            "| pins | parity (median) | uv lock (median) | ratio | parity minus uv, per pin |",
            "| ---: | ---: | ---: | ---: | ---: |",
        ]
        for pins, row in scale:
            assert row.base is not None
            extra = (row.parity.median - row.base.median) * 1000 / max(pins, 1)
            lines.append(
                f"| {pins} | {row.parity.median * 1000:,.0f} ms | {row.base.median * 1000:,.0f} ms | "
                f"{row.ratio:.2f}x | {extra:.2f} ms |"
            )
        lines.append("")
    if bench.skipped:
        lines += ["## Not measured", ""]
        lines += [f"- {text.splitlines()[0]}" for text in bench.skipped]
        lines.append("")
    return "\n".join(lines)


def write_page(path: Path, text: str) -> None:
    """Write the page, keeping the fleet section that bench/fleet_bench.py measures."""
    kept = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if FLEET_SECTION in old:
            kept = "\n" + old[old.index(FLEET_SECTION) :]
    path.write_text(text.rstrip("\n") + "\n" + kept, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="pairs per comparison (at least 5)")
    parser.add_argument(
        "--full", action="store_true", help="add the slow comparisons (about 20 min)"
    )
    parser.add_argument("--offline", action="store_true", help="no online lock at all")
    parser.add_argument("--markdown", type=Path, help="write the page here (docs/bench.md)")
    parser.add_argument(
        "--projects",
        default="small,bankchurn,large",
        help="which projects (comma-separated; the page needs all three)",
    )
    args = parser.parse_args()
    if args.runs < 5:
        raise SystemExit("--runs must be at least 5")
    tools = Tools()
    started = time.strftime("%Y-%m-%d %H:%M")
    load_start = load()
    with tempfile.TemporaryDirectory(prefix="parity-bench-") as name:
        tmp = Path(name)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PARITY_CACHE_DIR"] = str(tmp / "parity-cache")  # records of this run only
        bench = Bench(args.runs, env)
        print(f"parity bench: {args.runs} interleaved pairs, wall ms as min / median / max")
        startup(bench, tools, tmp)
        prod, dev = popular()
        chosen = set(args.projects.split(","))
        small = generated(tmp, "small", prod[:4], ["pytest"])
        bankchurn = example(tmp)
        large = generated(tmp, "large", prod, dev)
        for p in (small, bankchurn):
            if p.name in chosen:
                lock_rows(bench, tools, p, online=not args.offline, full=args.full)
                env_rows(bench, tools, p, verify=p is bankchurn)
        scale: list[tuple[int, Row]] = []
        if "large" in chosen:
            lock_rows(bench, tools, large, online=args.full and not args.offline, full=args.full)
            snapshot_sizes(bench, tools, tmp, [90, 1000])
            scale = scaling(bench, tools, tmp, [4, 12, 24, 33] if args.full else [4, 12])
        if args.full and not args.offline and "bankchurn" in chosen:
            peers(bench, tools, bankchurn)
        startup_ms = statistics.median(
            run_once(Cmd((sys.executable, "-c", "pass"), tmp), env)[0] * 1000 for _ in range(11)
        )
    if bench.skipped:
        print("\nnot measured:\n  " + "\n  ".join(s.splitlines()[0] for s in bench.skipped))
    if args.markdown:
        load_end = load()
        busy = max(_first(load_start), _first(load_end))
        meta = {
            "date": started,
            "command": "python bench/bench.py " + " ".join(sys.argv[1:]),
            "cores": str(os.cpu_count() or "?"),
            "python": f"CPython {platform.python_version()}",
            "uv": subprocess.run(
                [tools.uv, "--version"], capture_output=True, text=True
            ).stdout.split()[1],
            "startup": f"{startup_ms:.0f} ms",
            "load_start": load_start,
            "load_end": load_end,
            "load_note": (
                ". The machine was shared while this ran: absolute times are inflated (on an "
                "idle machine `python -c pass` takes about 11 ms), ratios of interleaved pairs "
                "much less."
                if busy >= 2
                else "."
            ),
        }
        write_page(args.markdown, markdown(bench, meta, scale))
        print(f"\nwrote {args.markdown}")


def _first(text: str) -> float:
    try:
        return float(text.split()[0])
    except (ValueError, IndexError):
        return 0.0


if __name__ == "__main__":
    main()
