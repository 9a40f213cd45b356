"""Time `parity snapshot` capture against `uv pip freeze` and `pip freeze` on the same env.

Usage:  python bench/snapshot_bench.py [--sizes 90,1000] [--repeat 5] [--python 3.11]

For each size, a venv is made with ``uv venv`` (offline), pip is installed from
the interpreter's own bundled wheel, and that many synthetic distributions are
written straight into site-packages (METADATA, INSTALLER, RECORD, REQUESTED,
and a direct_url.json for every tenth), as an installer leaves them.  Then
each tool reads the environment ``--repeat`` times; the script prints the
median and the ratio of each tool to parity.  Targets (issue: snapshot):
capture < 150 ms for a ~90-package environment, linear in package count.
"""

from __future__ import annotations

import argparse
import json
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
sys.path.insert(0, str(HERE.parent / "src"))

from parity.env.snapshot import capture_snapshot  # noqa: E402


def uv_bin() -> str:
    try:
        from uv import find_uv_bin

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        found = shutil.which("uv")
        if found is None:
            raise SystemExit("uv not found; run `make setup` first") from None
        return found


def quiet_env(cache: Path) -> dict[str, str]:
    """No machine package configuration, no downloads, no version checks."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}
    env.update(
        UV_NO_CONFIG="1",
        UV_PYTHON_DOWNLOADS="never",
        UV_CACHE_DIR=str(cache),
        PIP_CONFIG_FILE=os.devnull,
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
    )
    return env


def make_env(root: Path, python: str, packages: int, env: dict[str, str]) -> Path:
    """A venv with pip and ``packages`` synthetic distributions; returns its interpreter."""
    uv = uv_bin()
    subprocess.run([uv, "venv", "--quiet", "--python", python, str(root)], check=True, env=env)
    exe = root / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    where = subprocess.run(
        [str(exe), "-c", "import ensurepip, os; print(os.path.dirname(ensurepip.__file__))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    wheels = sorted(Path(where, "_bundled").glob("pip-*.whl"))
    if not wheels:
        raise SystemExit(f"{python} has no bundled pip wheel; pick another --python")
    subprocess.run(
        [uv, "pip", "install", "--quiet", "--no-index", "--python", str(exe), str(wheels[-1])],
        check=True,
        env=env,
    )
    site = Path(
        subprocess.run(
            [str(exe), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    for i in range(packages):
        name, version = f"synthetic_pkg_{i:04d}", f"{i % 7}.{i % 13}.{i % 5}"
        info = site / f"{name}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
            f"Summary: synthetic package {i}\nRequires-Dist: synthetic_pkg_{(i + 1) % packages:04d}\n"
            f"\n{'A long description line. ' * 40}\n",
            encoding="utf-8",
        )
        (info / "INSTALLER").write_text("uv\n", encoding="utf-8")
        (info / "REQUESTED").write_text("", encoding="utf-8")
        (info / "RECORD").write_text(
            f"{name}/__init__.py,,\n{info.name}/METADATA,,\n", encoding="utf-8"
        )
        if i % 10 == 0:
            url = {
                "url": f"https://git.example/org/{name}.git",
                "vcs_info": {"vcs": "git", "commit_id": "0" * 40},
            }
            (info / "direct_url.json").write_text(json.dumps(url), encoding="utf-8")
        (site / name).mkdir()
        (site / name / "__init__.py").write_text("", encoding="utf-8")
    return exe


def median_ms(action: Callable[[], object], repeat: int) -> float:
    action()  # warm the file system cache and the interpreter's .pyc files
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def run(cmd: list[str], env: dict[str, str]) -> Callable[[], object]:
    def action() -> object:
        return subprocess.run(cmd, check=True, capture_output=True, env=env)

    return action


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="90,1000", help="comma-separated package counts")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--python", default="3.11", help="version or interpreter for the venv")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="parity-snapshot-bench-") as tmp:
        env = quiet_env(Path(tmp) / "cache")
        print(
            f"{'packages':>8}  {'parity':>9}  {'uv freeze':>9}  {'pip freeze':>10}  uv/parity  pip/parity"
        )
        for size in sizes:
            exe = make_env(Path(tmp) / f"env{size}", args.python, size, env)
            parity = median_ms(
                lambda exe=exe: capture_snapshot(python=exe, environ=env), args.repeat
            )  # type: ignore[misc]
            uv = median_ms(run([uv_bin(), "pip", "freeze", "--python", str(exe)], env), args.repeat)
            pip = median_ms(run([str(exe), "-m", "pip", "freeze"], env), args.repeat)
            print(
                f"{size:>8}  {parity:>7.1f}ms  {uv:>7.1f}ms  {pip:>8.1f}ms  "
                f"{uv / parity:>8.2f}x  {pip / parity:>9.2f}x"
            )


if __name__ == "__main__":
    main()
