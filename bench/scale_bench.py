"""Input size must cost linear time: parity lock on requirements.in files of growing length.

Usage:  python bench/scale_bench.py [--sizes 2500,5000,10000,20000] [--repeat 3]

Each size is a requirements.in of that many lines (a third of them comments,
the rest requirements over a few tiny packages in a local find-links folder,
so nothing touches the network) locked by ``parity lock --offline`` and by
raw ``uv pip compile``.  The table shows both, parity's own share (parity
minus uv), and that share per 1,000 lines: flat when parity is linear.
(Before the throw-away uv project was written without tomlkit, 20,000 lines
took over a minute in parity alone.)
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from fixtures.wheel_factory import Pkg, build_wheel  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV.update({"UV_NO_CONFIG": "1", "PIP_CONFIG_FILE": os.devnull})
PACKAGES = (
    Pkg("alpha", "1.0"),
    Pkg("beta", "1.0", requires=["alpha"]),
    Pkg("gamma", "1.0"),
    Pkg("delta", "1.0"),
)
LINES = ("alpha", "beta>=1.0", "gamma", "alpha >= 1.0", "beta", 'delta ; sys_platform == "win32"')


def tool(name: str) -> str:
    candidate = BIN / name
    return str(candidate) if candidate.exists() else (shutil.which(name) or name)


def write_project(root: Path, size: int) -> None:
    lines = ["--no-index", "-f ./wheels"]
    for i in range(size):
        lines.append(LINES[i % len(LINES)] if i % 3 else f"# note {i}")
    (root / "requirements.in").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / ".python-version").write_text("3.11\n", encoding="utf-8")


def timed(cmd: list[str], cwd: Path, repeat: int, clean: list[Path]) -> float:
    times = []
    for _ in range(repeat):
        for path in clean:
            path.unlink(missing_ok=True)
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=ENV)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,5000,10000,20000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    parity, uv = tool("parity"), tool("uv")
    with tempfile.TemporaryDirectory(prefix="parity-scale-") as tmp:
        wheels = Path(tmp) / "wheels"
        wheels.mkdir()
        for pkg in PACKAGES:
            build_wheel(pkg, wheels)
        print(
            f"{'lines':>7}  {'parity':>8}  {'uv':>8}  {'parity share':>12}  {'share/1k lines':>14}"
        )
        for size in sizes:
            root = Path(tmp) / f"p{size}"
            root.mkdir()
            shutil.copytree(wheels, root / "wheels")
            write_project(root, size)
            lock = root / "requirements.txt"
            t_parity = timed(
                [parity, "lock", "--offline", "--no-pylock"], root, args.repeat, [lock]
            )
            raw = root / "raw.txt"
            t_uv = timed(
                [
                    uv,
                    "pip",
                    "compile",
                    "-q",
                    "--offline",
                    "--python-version",
                    "3.11",
                    "requirements.in",
                    "-o",
                    str(raw),
                    "--generate-hashes",
                ],
                root,
                args.repeat,
                [raw],
            )
            share = max(t_parity - t_uv, 0.0)
            print(
                f"{size:>7}  {t_parity:>7.2f}s  {t_uv:>7.2f}s  {share:>11.2f}s  "
                f"{1000 * share / size:>13.3f}s"
            )


if __name__ == "__main__":
    main()
