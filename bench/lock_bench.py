"""Time parity against the raw engines on the same inputs, in one run.

Usage:  python bench/lock_bench.py [--project examples/bankchurn] [--repeat 3] [--pip-tools]

Every measurement runs on a private copy of the project (no lockfiles, so
both sides resolve from scratch with a warm uv cache) and prints the median
of --repeat runs and the ratio parity / raw.  Targets (issue #3): lock and
sync <= 1.10x raw uv, check < 150 ms on the ~90-package environment,
``parity --help`` < 80 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    candidate = BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found; run `make setup` first")
    return found


# Users' Pythons cache bytecode; a shell that disables it would time the
# compiler, not the tools.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str], cwd: Path) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=ENV)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr}")


def timed(setup: Callable[[], None], action: Callable[[], None], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        setup()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fresh_copy(src: Path, dst: Path) -> None:
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(
        src,
        dst,
        ignore=shutil.ignore_patterns(
            ".venv", "mlruns", "artifacts", "__pycache__", "*.txt", "pylock.toml"
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", type=Path, default=HERE.parent / "examples" / "bankchurn")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pip-tools", action="store_true", help="also time pip-compile (slow)")
    args = parser.parse_args()
    parity, uv = tool("parity"), tool("uv")
    src = args.project.resolve()
    rows: list[tuple[str, float, float | None, str]] = []

    with tempfile.TemporaryDirectory(prefix="parity-bench-") as tmp:
        work = Path(tmp) / "p"
        python = (
            (src / ".python-version").read_text().strip()
            if (src / ".python-version").exists()
            else "3.11"
        )
        ins = sorted(p.name for p in src.glob("requirements*.in"))

        def raw_compile() -> None:
            for name in ins:
                out = name.replace(".in", ".txt")
                run(
                    [
                        uv,
                        "pip",
                        "compile",
                        name,
                        "-o",
                        out,
                        "--universal",
                        "--generate-hashes",
                        "--python-version",
                        python,
                        "--quiet",
                        "--no-header",
                    ],
                    work,
                )

        def clean() -> None:
            fresh_copy(src, work)

        fresh_copy(src, work)
        run([parity, "lock", "--no-pylock"], work)  # warm the cache
        raw_compile()
        t_parity = timed(clean, lambda: run([parity, "lock"], work), args.repeat)
        t_raw = timed(clean, raw_compile, args.repeat)
        rows.append(("lock (all groups + pylock)", t_parity, t_raw, f"uv pip compile x{len(ins)}"))
        widest = "requirements-dev.in" if "requirements-dev.in" in ins else ins[-1]

        def raw_compile_one() -> None:
            run(
                [
                    uv,
                    "pip",
                    "compile",
                    widest,
                    "-o",
                    "out.txt",
                    "--universal",
                    "--generate-hashes",
                    "--python-version",
                    python,
                    "--quiet",
                    "--no-header",
                ],
                work,
            )

        t_one = timed(clean, raw_compile_one, args.repeat)
        rows.append(("lock vs one compile", t_parity, t_one, f"uv pip compile {widest} only"))
        if args.pip_tools:
            pc = tool("pip-compile")

            def pip_compile() -> None:
                for name in ins:
                    run([pc, "--generate-hashes", "--quiet", name], work)

            t_pc = timed(clean, pip_compile, 1)
            rows.append(("lock vs pip-compile", t_parity, t_pc, "pip-compile"))

        fresh_copy(src, work)
        run([parity, "lock"], work)
        lockfile = (
            "requirements-dev.txt"
            if (work / "requirements-dev.txt").exists()
            else "requirements.txt"
        )
        group = "dev" if lockfile == "requirements-dev.txt" else "prod"
        venv = work / ".venv"
        raw_venv = work / ".raw-venv"

        def drop_venvs() -> None:
            shutil.rmtree(venv, ignore_errors=True)
            shutil.rmtree(raw_venv, ignore_errors=True)

        def raw_sync() -> None:
            run([uv, "venv", str(raw_venv), "--python", python, "--quiet"], work)
            run(
                [
                    uv,
                    "pip",
                    "sync",
                    lockfile,
                    "--python",
                    str(raw_venv / "bin" / "python"),
                    "--quiet",
                ],
                work,
            )

        run([parity, "sync", "--group", group], work)  # warm the cache
        t_sync = timed(
            drop_venvs, lambda: run([parity, "sync", "--group", group], work), args.repeat
        )
        t_raw_sync = timed(drop_venvs, raw_sync, args.repeat)
        rows.append(("sync (fresh venv)", t_sync, t_raw_sync, "uv venv + uv pip sync"))

        run([parity, "sync", "--group", group], work)
        t_noop = timed(
            lambda: None, lambda: run([parity, "sync", "--group", group], work), args.repeat
        )
        rows.append(("sync (already in sync)", t_noop, None, ""))
        t_check = timed(lambda: None, lambda: run([parity, "check"], work), max(args.repeat, 5))
        t_freeze = timed(
            lambda: None,
            lambda: run([uv, "pip", "freeze", "--python", str(venv / "bin" / "python")], work),
            max(args.repeat, 5),
        )
        rows.append(("check (lock + env)", t_check, t_freeze, "uv pip freeze"))

        def touch_env() -> None:
            (venv / ".parity-sync.json").unlink(missing_ok=True)

        t_full = timed(touch_env, lambda: run([parity, "check"], work), max(args.repeat, 5))
        rows.append(("check (no stamp: full compare)", t_full, t_freeze, "uv pip freeze"))
        t_help = timed(lambda: None, lambda: run([parity, "--help"], work), 7)
        t_py = timed(lambda: None, lambda: run([sys.executable, "-c", "pass"], work), 7)
        rows.append(("parity --help", t_help, t_py, "python -c pass"))

    print(f"{'measure':<32} {'parity':>9} {'raw':>9} {'ratio':>7}  raw is")
    for name, ours, raw, what in rows:
        ratio = f"{ours / raw:.2f}x" if raw else ""
        raw_text = f"{raw * 1000:.0f} ms" if raw else ""
        print(f"{name:<32} {ours * 1000:>6.0f} ms {raw_text:>9} {ratio:>7}  {what}")


if __name__ == "__main__":
    main()
